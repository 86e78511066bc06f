// Every op, for the Tensor methods and the torch namespace.
export * from './core.js';
export * from './creation.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './matmul.js';
export * from './indexing.js';
export * from './inplace.js';
export * from './conv.js';
export * from './sorting.js';
export * from './recurrence.js';
export * from './subscript.js';
export * from './scan.js';
export * from './comparison.js';
export * from './rearrange.js';
export * from './linalg.js';
export * from './selection.js';

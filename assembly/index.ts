// The kernel module's exports: every function is a pure loop over pointers.
export * from "./elementwise";
export * from "./reduce";
export * from "./memory";
export * from "./indexing";
export * from "./gemm";
export * from "./optim";
export * from "./conv";
export * from "./recurrence";
export * from "./scan";
export { heap_base } from "./common";

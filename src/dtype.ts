// dtypes and their storage: float32 as f32; int64 (PyTorch's labels and
// indices) as i64, 8 bytes; int32 as i32; bool as f32 0/1, so masks feed float
// kernels.
export type DType = 'float32' | 'int64' | 'int32' | 'bool';

export const float32: DType = 'float32';
export const float: DType = 'float32';
export const int64: DType = 'int64';
export const long: DType = 'int64';
export const int32: DType = 'int32';
export const int: DType = 'int32';
export const bool: DType = 'bool';

export function isIntegral(dtype: DType): boolean {
  return dtype === 'int64' || dtype === 'int32';
}

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32';
}

/** Bytes per element: 8 for int64, 4 for the others. */
export function itemsize(dtype: DType): number {
  return dtype === 'int64' ? 8 : 4;
}

/** How an element is read: as int64, int32 or float32 bits (bool is stored as float 0/1). */
export function elementKind(dtype: DType): 'i64' | 'i32' | 'f32' {
  return dtype === 'int64' ? 'i64' : dtype === 'int32' ? 'i32' : 'f32';
}

/** The typed-array view that matches a dtype's storage (int64: BigInt64Array). */
export function viewOf(dtype: DType, buffer: ArrayBuffer, byteOffset = 0, length?: number): Float32Array | Int32Array | BigInt64Array {
  return dtype === 'int64' ? new BigInt64Array(buffer, byteOffset, length)
    : dtype === 'int32' ? new Int32Array(buffer, byteOffset, length) : new Float32Array(buffer, byteOffset, length);
}

/** PyTorch's type promotion for the dtypes we have: bool < int32 < int64 < float32. */
export function promoteTypes(a: DType, b: DType): DType {
  const rank: Record<DType, number> = { bool: 0, int32: 1, int64: 2, float32: 3 };
  return rank[a] >= rank[b] ? a : b;
}

export function dtypeName(dtype: DType): string {
  return `torch.${dtype}`;
}

const LEGACY: Record<string, DType> = { FloatTensor: 'float32', LongTensor: 'int64', IntTensor: 'int32', BoolTensor: 'bool' };
const TYPE_NAMES: Record<DType, string> = { float32: 'torch.FloatTensor', int64: 'torch.LongTensor', int32: 'torch.IntTensor', bool: 'torch.BoolTensor' };

/** The scalar type name PyTorch's errors use ('Float', 'Long', 'Int', 'Bool'). */
export function scalarTypeName(dtype: DType): string {
  return TYPE_NAMES[dtype].slice('torch.'.length, -'Tensor'.length);
}

/** PyTorch's legacy type string of a dtype (Tensor.type()). */
export function typeName(dtype: DType): string {
  return TYPE_NAMES[dtype];
}

// PyTorch's other dtypes: named so that `dtype: torch.float64` reaches the check and is refused by name
// (an undefined property would silently mean the default).
export const float64 = 'float64', double = 'float64', float16 = 'float16', half = 'float16', bfloat16 = 'bfloat16';
export const int16 = 'int16', short = 'int16', int8 = 'int8', uint8 = 'uint8', complex64 = 'complex64', complex128 = 'complex128';
const UNSUPPORTED = new Set(['float64', 'double', 'float16', 'half', 'bfloat16', 'int16', 'short', 'int8', 'uint8', 'complex64',
  'complex128', 'cfloat', 'cdouble', 'uint16', 'uint32', 'uint64', 'float8_e4m3fn', 'float8_e5m2']);

/** A dtype argument read as PyTorch reads it (a dtype, its alias or legacy constructor), or why it is refused. */
export function checkDType(x: unknown): DType | { why: string } {
  const named = typeof x === 'function' ? x.name : x;
  if (typeof named !== 'string') return { why: `must be torch.dtype, not ${x === null ? 'NoneType' : Array.isArray(x) ? 'list' : typeof x === 'number' ? (Number.isInteger(x) ? 'int' : 'float') : typeof x}` };
  const name = named.startsWith('torch.') ? named.slice(6) : named;
  if (name in TYPE_NAMES) return name as DType;
  if (name in LEGACY) return LEGACY[name];
  const aliases: Record<string, DType> = { float: 'float32', long: 'int64', int: 'int32' };
  if (name in aliases) return aliases[name];
  if (UNSUPPORTED.has(name)) return { why: `: dtype '${name}' is not supported (float32, int64, int32, bool)` };
  return { why: `must be torch.dtype, not str ('${named}' is no dtype; wasmtorch has float32, int64, int32, bool)` };
}

/**
 * What Tensor.to()/type() were given: a dtype, a legacy constructor
 * (torch.LongTensor) or its name, or a device ('cpu' is the only one: null).
 */
export function parseDType(x: unknown): DType | null {
  if (typeof x === 'function') x = x.name;
  if (typeof x !== 'string') throw new TypeError(`to() received an invalid combination of arguments - got (${x === null ? 'NoneType' : typeof x})`);
  const d = checkDType(x);
  if (typeof d === 'string') return d;
  const name = x.startsWith('torch.') ? x.slice(6) : x;
  if (UNSUPPORTED.has(name)) throw new TypeError(d.why.slice(2));
  if (name === 'cpu' || name.startsWith('cpu:')) return null;
  if (/^(cuda|mps|xpu|meta)(:\d+)?$/.test(name)) {
    throw new Error(`wasmtorch has no '${name}' device: tensors live in WebAssembly memory, on the CPU ('cpu')`);
  }
  throw new Error(`invalid dtype or device: '${x}'`);
}

// dtypes and their storage: every element is 4 bytes. float32 as f32;
// int64 (PyTorch's labels and indices) and int32 as i32 (int64 values are
// range-checked on the way in); bool as f32 0/1, so masks feed float kernels.
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

/** The typed-array view type that matches a dtype's 4-byte storage. */
export function viewOf(dtype: DType, buffer: ArrayBuffer, byteOffset = 0, length?: number): Float32Array | Int32Array {
  return isIntegral(dtype) ? new Int32Array(buffer, byteOffset, length) : new Float32Array(buffer, byteOffset, length);
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

/**
 * What Tensor.to()/type() were given: a dtype, a legacy constructor
 * (torch.LongTensor) or its name, or a device ('cpu' is the only one: null).
 */
export function parseDType(x: unknown): DType | null {
  if (typeof x === 'function') x = x.name;
  if (typeof x !== 'string') throw new Error(`to() received an invalid combination of arguments: ${String(x)}`);
  const name = x.startsWith('torch.') ? x.slice(6) : x;
  if (name in TYPE_NAMES) return name as DType;
  if (name in LEGACY) return LEGACY[name];
  const aliases: Record<string, DType> = { float: 'float32', long: 'int64', int: 'int32' };
  if (name in aliases) return aliases[name];
  if (name === 'cpu' || name.startsWith('cpu:')) return null;
  if (/^(cuda|mps|xpu|meta)(:\d+)?$/.test(name)) {
    throw new Error(`wasmtorch has no '${name}' device: tensors live in WebAssembly memory, on the CPU ('cpu')`);
  }
  throw new Error(`invalid dtype or device: '${x}'`);
}

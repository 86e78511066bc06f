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

// The safetensors format (huggingface/safetensors): 8 bytes little-endian u64
// N, N bytes of UTF-8 JSON header {name: {dtype, shape, data_offsets: [begin,
// end]}, "__metadata__"?: {string: string}} padded with spaces to a multiple
// of 8, then the tensors' bytes, little-endian, row-major.
//
// The writer lays tensors out as the reference writer does (Rust `prepare`):
// by descending dtype alignment (I64, F32, I32, BOOL), then by name in byte
// order; "__metadata__" first, compact JSON. So a state dict encodes to the
// same bytes as safetensors' save_file (user metadata with two or more keys
// aside: the reference writes those in HashMap order, which is not fixed).
// Our dtypes map to F32, I64, I32, BOOL.
// The reader also takes F64/F16/BF16 (as float32) and I8/U8/I16/U16/U32 (as
// int32), U64 (as int64); 64- and 32-bit unsigned values must fit in int32.
import { Tensor, fromArray, storedElements } from '../tensor.js';
import type { DType } from '../dtype.js';

export type SafetensorsMetadata = Record<string, string>;
export interface Safetensors {
  tensors: Record<string, Tensor>;
  /** the header's "__metadata__", or null when it has none */
  metadata: SafetensorsMetadata | null;
}

/** Bytes per element of every dtype the format names; the reader converts those in READERS. */
const SIZES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1, I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4, C64: 8, F64: 8, I64: 8, U64: 8,
};
/** The reference writer sorts by descending Dtype enum order (..., BOOL < ... < I32 < ... < F32 < ... < I64). */
const RANK: Record<string, number> = { BOOL: 0, I32: 1, F32: 2, I64: 3 };
const WRITE_DTYPE: Record<DType, string> = { float32: 'F32', int64: 'I64', int32: 'I32', bool: 'BOOL' };
const MAX_HEADER = 100_000_000; // the reference reader's limit

const fail = (msg: string): never => {
  throw new Error(`safetensors: ${msg}`);
};

function utf8Compare(a: string, b: string): number {
  // Rust orders Strings by UTF-8 bytes, i.e. by code point (JS '<' compares UTF-16 units).
  const x = Array.from(a, (c) => c.codePointAt(0)!), y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function tensorBytes(t: Tensor): Uint8Array {
  const v = storedElements(t); // int64 as stored: 8 bytes, little-endian, as safetensors' I64
  if (t.dtype === 'bool') return Uint8Array.from(v as Float32Array, (e) => (e !== 0 ? 1 : 0));
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** The safetensors bytes of named tensors, laid out like the reference writer's. */
export function encodeSafetensors(tensors: Record<string, Tensor> | Map<string, Tensor>, metadata?: SafetensorsMetadata | null): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor)) fail(`value for '${name}' is not a Tensor`);
    if (name === '__metadata__') fail("'__metadata__' is reserved and cannot name a tensor");
  }
  entries.sort(([an, a], [bn, b]) => RANK[WRITE_DTYPE[b.dtype]] - RANK[WRITE_DTYPE[a.dtype]] || utf8Compare(an, bn));
  const parts: string[] = [];
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') fail(`metadata value for '${k}' must be a string, got ${typeof v}`);
    parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  }
  const datas: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    const data = tensorBytes(t);
    const info = { dtype: WRITE_DTYPE[t.dtype], shape: t.shape, data_offsets: [offset, offset + data.length] };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    datas.push(data);
    offset += data.length;
  }
  const header = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(header.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(header, 8);
  out.fill(0x20, 8 + header.length, 8 + padded); // spaces
  let at = 8 + padded;
  for (const d of datas) {
    out.set(d, at);
    at += d.length;
  }
  return out;
}

/** U64 values as int64, refused past int64's range (wasmtorch has no uint64). */
function unsigned64(name: string, b: ArrayBuffer): BigInt64Array {
  const u = new BigUint64Array(b), i = u.findIndex((v) => v > 2n ** 63n - 1n);
  if (i >= 0) fail(`tensor '${name}' (U64) holds ${u[i]} at element ${i}, which does not fit in int64`);
  return new BigInt64Array(b);
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f ? NaN : sign * Infinity;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

/** How each readable dtype becomes our storage, given an aligned copy of its bytes. */
const READERS: Record<string, (b: ArrayBuffer, name: string) => [Float32Array | Int32Array | BigInt64Array, DType]> = {
  F32: (b) => [new Float32Array(b), 'float32'],
  F64: (b) => [Float32Array.from(new Float64Array(b)), 'float32'],
  F16: (b) => [Float32Array.from(new Uint16Array(b), halfToFloat), 'float32'],
  BF16: (b) => [new Float32Array(Uint32Array.from(new Uint16Array(b), (h) => h << 16).buffer), 'float32'],
  I64: (b) => [new BigInt64Array(b), 'int64'],
  U64: (b, name) => [unsigned64(name, b), 'int64'],
  I32: (b) => [new Int32Array(b), 'int32'],
  U32: (b, name) => {
    const u = new Uint32Array(b), i = u.findIndex((v) => v > 0x7fffffff);
    if (i >= 0) fail(`tensor '${name}' (U32) holds ${u[i]} at element ${i}, which does not fit in int32`);
    return [new Int32Array(b), 'int32'];
  },
  I16: (b) => [Int32Array.from(new Int16Array(b)), 'int32'],
  U16: (b) => [Int32Array.from(new Uint16Array(b)), 'int32'],
  I8: (b) => [Int32Array.from(new Int8Array(b)), 'int32'],
  U8: (b) => [Int32Array.from(new Uint8Array(b)), 'int32'],
  BOOL: (b) => [Float32Array.from(new Uint8Array(b), (v) => (v !== 0 ? 1 : 0)), 'bool'],
};

const isIndex = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/** Parses and validates safetensors bytes as the reference reader does, then makes tensors. */
export function decodeSafetensors(input: Uint8Array | ArrayBuffer): Safetensors {
  // a plain Uint8Array view: Node's Buffer.slice would share memory instead of copying
  const bytes = input instanceof Uint8Array ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength) : new Uint8Array(input);
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for the 8-byte header length`);
  const n64 = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) fail(`header length ${n64} is larger than the limit of ${MAX_HEADER} bytes`);
  const n = Number(n64);
  if (8 + n > bytes.length) fail(`header length ${n} runs past the end of the ${bytes.length}-byte buffer`);
  let text: string;
  try {
    // ignoreBOM keeps a byte order mark in the text, so the '{' check refuses it as the reference reader does
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail("header does not start with '{'");
  // JSON.parse reads 4.0 as 4: the reference reader takes only integers in shapes and offsets
  for (const m of text.matchAll(/"(shape|data_offsets)"\s*:\s*\[([^\]]*)\]/g)) {
    if (m[2].trim() !== '' && !m[2].split(',').every((v) => /^\s*-?\d+\s*$/.test(v))) fail(`${m[1]} [${m[2].trim()}] holds a number that is not an integer`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('header is not a JSON object');

  let metadata: SafetensorsMetadata | null = null;
  const infos: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof info !== 'object' || info === null || Array.isArray(info)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(info as object)) if (typeof v !== 'string') fail(`__metadata__ value for '${k}' is not a string`);
      metadata = info as SafetensorsMetadata;
      continue;
    }
    const { dtype, shape, data_offsets: off } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string') return fail(`tensor '${name}' has no dtype`);
    if (!(dtype in SIZES)) fail(`tensor '${name}' has unknown dtype '${dtype}'`);
    if (!(dtype in READERS)) fail(`tensor '${name}' has dtype ${dtype}, which wasmtorch cannot read`);
    if (!Array.isArray(shape) || !shape.every(isIndex)) return fail(`tensor '${name}' has an invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(off) || off.length !== 2 || !off.every(isIndex) || off[0] > off[1]) {
      return fail(`tensor '${name}' has invalid data_offsets ${JSON.stringify(off)}`);
    }
    infos.push({ name, dtype, shape, begin: off[0], end: off[1] });
  }

  // The data must be the tensors back to back from offset 0, each its exact size, to the end of the buffer.
  const sorted = [...infos].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const t of sorted) {
    if (t.begin !== at) fail(`tensor '${t.name}' data_offsets [${t.begin}, ${t.end}] ${t.begin < at ? 'overlap the previous tensor' : `leave a gap after offset ${at}`}`);
    const nbytes = t.shape.reduce((a, b) => a * b, 1) * SIZES[t.dtype];
    if (t.end - t.begin !== nbytes) fail(`tensor '${t.name}' data_offsets [${t.begin}, ${t.end}] span ${t.end - t.begin} bytes, but ${t.dtype} [${t.shape}] needs ${nbytes}`);
    at = t.end;
  }
  const dataStart = 8 + n;
  if (dataStart + at !== bytes.length) {
    fail(`the tensors end at byte ${dataStart + at} (data_offsets out of range of the buffer), but the buffer has ${bytes.length} bytes`);
  }

  const tensors: Record<string, Tensor> = {};
  for (const t of sorted) {
    const copy = bytes.slice(dataStart + t.begin, dataStart + t.end).buffer; // aligned
    const [values, dtype] = READERS[t.dtype](copy, t.name);
    // defined, not assigned: a tensor named __proto__ is a key like any other, not the object's prototype
    Object.defineProperty(tensors, t.name, { value: fromArray(values, t.shape, dtype), enumerable: true, writable: true, configurable: true });
  }
  return { tensors, metadata };
}

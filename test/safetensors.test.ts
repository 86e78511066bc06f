// safetensors encode/decode and torch.save/torch.load: PyTorch's file read
// into the lecture-07 model, the reference writer's byte layout, a hand-written
// reader over our bytes, dtypes, metadata, optimizer state and bad input.
import { describe, it, expect } from 'vitest';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as torch from '../src/index.js';

const { save, load } = torch;
const { encodeSafetensors, decodeSafetensors } = torch.safetensors;
import { fixturesDir, loadFixture, allclose } from './helpers/fixtures.js';

const { nn, optim } = torch;

class DiabetesNet extends nn.Module {
  l1 = new nn.Linear(8, 6);
  l2 = new nn.Linear(6, 4);
  l3 = new nn.Linear(4, 1);
  forward(x: torch.Tensor): torch.Tensor {
    return torch.sigmoid(this.l3.forward(torch.sigmoid(this.l2.forward(torch.sigmoid(this.l1.forward(x))))));
  }
}

const fixtureBytes = () => new Uint8Array(readFileSync(join(fixturesDir, 'diabetes_net.safetensors')));
const fixture = loadFixture<{ x: number[][]; y: number[]; keys: string[] }>('diabetes_net.json');
const f32 = (a: number[]) => new Float32Array(a);

/** The format by hand: u64 LE header length, UTF-8 JSON, then the data. */
function readByHand(bytes: Uint8Array) {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  return { n, text, header: JSON.parse(text), data: bytes.slice(8 + n) };
}

/** A file from a header object and data bytes (no padding: readers must not need it). */
function build(header: object | string, data: ArrayLike<number> = []): Uint8Array {
  const h = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
const bytesOf = (a: ArrayBufferView) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

describe('PyTorch\'s diabetes_net.safetensors', () => {
  it('loads into the lecture-07 model and reproduces PyTorch\'s outputs', () => {
    const sd = load(fixtureBytes());
    expect(Object.keys(sd).sort()).toEqual([...fixture.keys].sort());
    const net = new DiabetesNet();
    net.load_state_dict(sd);
    const y = net.forward(torch.tensor(fixture.x));
    expect(y.shape).toEqual([5, 1]);
    expect(allclose(y.dataSync(), fixture.y, 1e-5, 1e-6)).toBeNull();
  });

  it('re-encodes to exactly the bytes PyTorch\'s safetensors wrote', () => {
    const { tensors, metadata } = decodeSafetensors(fixtureBytes());
    expect(metadata).toEqual({ format: 'pt' });
    expect(Buffer.from(encodeSafetensors(tensors, metadata)).equals(Buffer.from(fixtureBytes()))).toBe(true);
    const net = new DiabetesNet();
    net.load_state_dict(tensors);
    expect(Buffer.from(save(net.state_dict(), undefined, { metadata: { format: 'pt' } })).equals(Buffer.from(fixtureBytes()))).toBe(true);
  });

  it('save -> load round trip (bytes and file) gives the same outputs', async () => {
    torch.manual_seed(0);
    const a = new DiabetesNet(), b = new DiabetesNet(), c = new DiabetesNet();
    const x = torch.rand(4, 8);
    b.load_state_dict(load(save(a.state_dict())));
    expect(Array.from(b.forward(x).dataSync())).toEqual(Array.from(a.forward(x).dataSync()));
    const path = join(mkdtempSync(join(tmpdir(), 'wasmtorch-')), 'net.safetensors');
    const written = save(a.state_dict(), path); // synchronous, as PyTorch's
    expect(written).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(readFileSync(path)).equals(Buffer.from(written))).toBe(true);
    c.load_state_dict(load(path));
    expect(Array.from(c.forward(x).dataSync())).toEqual(Array.from(a.forward(x).dataSync()));
  });
});

describe('the bytes we write', () => {
  it('follow the spec: header length, JSON fields, offsets, padding, little-endian data', () => {
    const w = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = torch.tensor([0.5, -0.25]);
    const bytes = save({ 'fc.weight': w, 'fc.bias': b });
    const { n, text, header, data } = readByHand(bytes);
    expect(n % 8).toBe(0);
    expect(bytes.length).toBe(8 + n + 32);
    expect(text.trimEnd()).toBe('{"fc.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
      '"fc.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]}}');
    expect(/^ *$/.test(text.slice(text.trimEnd().length))).toBe(true);
    expect(Object.keys(header)).toEqual(['fc.bias', 'fc.weight']);
    expect(Array.from(new Float32Array(data.buffer, 0, 2))).toEqual([0.5, -0.25]);
    expect(Array.from(new Float32Array(data.buffer, 8, 6))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lays tensors out like the reference writer: I64, F32, I32, BOOL, then by name', () => {
    const bytes = save({
      mask: torch.tensor([true, false, true]),
      n: torch.tensor([7, -8], { dtype: torch.int32 }),
      w: torch.tensor([1.5]),
      idx: torch.tensor([-3, 5], { dtype: torch.int64 }),
      a: torch.tensor(2.5),
    });
    const { header, data } = readByHand(bytes);
    expect(Object.keys(header)).toEqual(['idx', 'a', 'w', 'n', 'mask']);
    expect(header.idx).toEqual({ dtype: 'I64', shape: [2], data_offsets: [0, 16] });
    expect(header.a).toEqual({ dtype: 'F32', shape: [], data_offsets: [16, 20] });
    expect(header.w).toEqual({ dtype: 'F32', shape: [1], data_offsets: [20, 24] });
    expect(header.n).toEqual({ dtype: 'I32', shape: [2], data_offsets: [24, 32] });
    expect(header.mask).toEqual({ dtype: 'BOOL', shape: [3], data_offsets: [32, 35] });
    expect(Array.from(new BigInt64Array(data.buffer, 0, 2))).toEqual([-3n, 5n]);
    expect(Array.from(new Int32Array(data.buffer, 24, 2))).toEqual([7, -8]);
    expect(Array.from(data.subarray(32))).toEqual([1, 0, 1]);
  });

  it('matches the reference writer\'s own test vectors', () => {
    const t = torch.from_numpy(f32([0, 1, 2, 3, 4, 5]), [1, 2, 3]);
    const one = encodeSafetensors({ 'attn.0': t });
    const head = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    expect(Array.from(one)).toEqual([64, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from(head), ...bytesOf(f32([0, 1, 2, 3, 4, 5]))]);
    const padded = encodeSafetensors({ attn0: t.reshape([1, 1, 2, 3]) });
    expect(readByHand(padded).text).toBe('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ');
    expect(Array.from(encodeSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from('{}      ')]);
    expect(readByHand(encodeSafetensors({}, { framework: 'pt' })).text).toBe('{"__metadata__":{"framework":"pt"}}     ');
  });
});

describe('dtypes', () => {
  it('int64, int32, bool and float32 round trip with shapes (scalar, empty)', () => {
    const sd = {
      labels: torch.tensor([[0, -1], [2147483647, -2147483648]], { dtype: torch.int64 }),
      counts: torch.tensor([1, 2, 3], { dtype: torch.int32 }),
      mask: torch.tensor([[true, false], [false, true]]),
      s: torch.tensor(3.25),
      none: torch.zeros(0, 3),
    };
    const back = load(save(sd));
    for (const [k, t] of Object.entries(sd)) {
      expect(back[k].dtype).toBe(t.dtype);
      expect(back[k].shape).toEqual(t.shape);
      expect(back[k].tolist()).toEqual(t.tolist());
    }
  });

  it('reads F16, BF16, F64 as float32 and I8, U8, I16 as int32', () => {
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00]); // 1, -2, 0.333..., 2^-24, inf
    const bf16 = new Uint16Array([0x3f80, 0xc040]); // 1, -3
    const f64 = new Float64Array([0.1, -1e300]);
    const parts = [f64, f16, bf16, new Int16Array([-300, 7]), new Int8Array([-5]), new Uint8Array([250])];
    const names = ['d', 'h', 'bh', 'i16', 'i8', 'u8'], dtypes = ['F64', 'F16', 'BF16', 'I16', 'I8', 'U8'];
    const header: Record<string, object> = {};
    let at = 0;
    parts.forEach((p, i) => {
      header[names[i]] = { dtype: dtypes[i], shape: [p.length], data_offsets: [at, at + p.byteLength] };
      at += p.byteLength;
    });
    const { tensors: t } = decodeSafetensors(build(header, parts.flatMap(bytesOf)));
    expect(Array.from(t.d.dataSync())).toEqual([Math.fround(0.1), -Infinity]);
    expect(Array.from(t.h.dataSync())).toEqual([1, -2, Math.fround(0.333251953125), 2 ** -24, Infinity]);
    expect(Array.from(t.bh.dataSync())).toEqual([1, -3]);
    expect([t.i16.dtype, t.i8.dtype, t.u8.dtype]).toEqual(['int32', 'int32', 'int32']);
    expect([...t.i16.dataSync(), ...t.i8.dataSync(), ...t.u8.dataSync()]).toEqual([-300, 7, -5, 250]);
  });

  it('I64 values past int32 and past 2^53 are read and written unchanged (int64 is 64-bit)', () => {
    const values = [1n, 4294967296n, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n];
    const data = bytesOf(new BigInt64Array(values));
    const bytes = build({ big: { dtype: 'I64', shape: [5], data_offsets: [0, 40] } }, data);
    const t = load(bytes).big;
    expect(t.dtype).toBe('int64');
    expect(t.tolist()).toEqual([1, 4294967296, 2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n]); // BigInts where numbers are not exact
    const again = save({ big: t });
    expect(Array.from(again.slice(again.length - 40))).toEqual(Array.from(data));
  });

  it('a U64 value past int64 is a clear error (wasmtorch has no uint64)', () => {
    const data = bytesOf(new BigUint64Array([1n, 2n ** 63n]));
    const bytes = build({ big: { dtype: 'U64', shape: [2], data_offsets: [0, 16] } }, data);
    expect(() => load(bytes)).toThrow("safetensors: tensor 'big' (U64) holds 9223372036854775808 at element 1, which does not fit in int64");
  });
});

describe('metadata and optimizer state', () => {
  it('carries user metadata', async () => {
    const sd = { w: torch.ones(2) };
    const metadata = { epoch: '3', note: 'grüße "quoted"' };
    const { state_dict, metadata: back } = load(save(sd, undefined, { metadata }), { with_metadata: true });
    expect(back).toEqual(metadata);
    expect(state_dict.w.tolist()).toEqual([1, 1]);
    expect(load(save(sd), { with_metadata: true }).metadata).toEqual({});
    expect(() => save(sd, undefined, { metadata: { n: 3 as unknown as string } })).toThrow("metadata value for 'n' must be a string");
  });

  it('Adam state round trips: the restored optimizer takes the same next step', () => {
    torch.manual_seed(1);
    const x = torch.rand(6, 8), y = torch.rand(6, 1);
    const a = new DiabetesNet(), b = new DiabetesNet();
    const optA = new optim.Adam(a.parameters(), { lr: 0.01, betas: [0.8, 0.99] });
    const stepOn = (net: DiabetesNet, opt: InstanceType<typeof optim.Adam>) => {
      opt.zero_grad();
      net.forward(x).sub(y).square().mean().backward();
      opt.step();
    };
    for (let i = 0; i < 3; i++) stepOn(a, optA);
    const bytes = save(optA.state_dict(), undefined, { metadata: { run: 'a' } });
    const keys = Object.keys(readByHand(bytes).header);
    expect(keys).toContain('state.0.exp_avg');
    expect(keys).toContain('state.5.exp_avg_sq');

    b.load_state_dict(a.state_dict());
    const optB = new optim.Adam(b.parameters());
    optB.load_state_dict(load(bytes));
    const sa = optA.state_dict(), sb = optB.state_dict();
    expect(sb.param_groups).toEqual(sa.param_groups);
    expect(sb.state[0].step).toBe(3);
    expect((sb.state[2].exp_avg as torch.Tensor).tolist()).toEqual((sa.state[2].exp_avg as torch.Tensor).tolist());
    expect(load(bytes, { with_metadata: true }).metadata).toEqual({ run: 'a' });

    stepOn(a, optA);
    stepOn(b, optB);
    for (const [k, t] of Object.entries(a.state_dict())) expect(b.state_dict()[k].tolist()).toEqual(t.tolist());
  });

  it('an optimizer state dict before any step round trips too', () => {
    const opt = new optim.Adam(new DiabetesNet().parameters(), { lr: 0.5 });
    const back = load<ReturnType<typeof opt.state_dict>>(save(opt.state_dict()));
    expect(back).toEqual(opt.state_dict());
  });
});

describe('bad input', () => {
  const ok = (h: object, n: number) => build(h, new Array(n).fill(0));
  const cases: [string, Uint8Array, string][] = [
    ['too short', new Uint8Array(5), '5 bytes is too short'],
    ['header past the end', build('{}').subarray(0, 9), 'header length 2 runs past the end'],
    ['header length too large', (() => { const b = new Uint8Array(16); b[7] = 1; return b; })(), 'larger than the limit'],
    ['not JSON', build('{"a":'), 'header is not valid JSON'],
    ['not an object', build('[1]'), "does not start with '{'"],
    ['unknown dtype', ok({ a: { dtype: 'Q8', shape: [1], data_offsets: [0, 1] } }, 1), "tensor 'a' has unknown dtype 'Q8'"],
    ['unsupported dtype', ok({ a: { dtype: 'F8_E4M3', shape: [1], data_offsets: [0, 1] } }, 1), 'F8_E4M3, which wasmtorch cannot read'],
    ['bad shape', ok({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4), "tensor 'a' has an invalid shape [-1]"],
    ['bad offsets', ok({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, 4), "tensor 'a' has invalid data_offsets [4,0]"],
    ['overlap', ok({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8),
      "tensor 'b' data_offsets [4, 8] overlap the previous tensor"],
    ['gap', ok({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8), 'leave a gap after offset 0'],
    ['size mismatch', ok({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), 'span 8 bytes, but F32 [3] needs 12'],
    ['out of range', ok({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8), 'out of range of the buffer'],
    ['trailing bytes', ok({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8), 'but the buffer has'],
    ['metadata not strings', ok({ __metadata__: { a: 1 } }, 0), "__metadata__ value for 'a' is not a string"],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => expect(() => load(bytes)).toThrow(message));
  }

  it('saving something that is not a state dict', () => {
    expect(() => save({ w: [1, 2] } as unknown as Record<string, torch.Tensor>)).toThrow("'w' is object");
    expect(() => save({ __metadata__: torch.ones(1) })).toThrow("'__metadata__' is reserved");
  });
});

// torch.manual_seed and the generator behind rand/randn/randint/shuffles.
// PyTorch's CPU generator, draw for draw: MT19937; a float32 uniform is the
// low 24 bits of one draw, a double the low 53 bits of two; normals by
// Box-Muller as ATen does them. So torch.manual_seed(1); torch.rand(5) (and
// nn.Linear's initial weights) come out as in PyTorch.
import { Device, checkDevice } from './device.js';
import { pyType } from './signature.js';

export class Generator {
  private mt = new Uint32Array(624);
  private index = 624;
  private seed_ = 0;
  /** the second Box-Muller value, kept for the next draw as ATen does */
  private nextNormal_: number | null = null;
  /** torch.Generator(device='cpu'): the CPU's is the one there is (seeded with PyTorch's default seed). */
  constructor(device: string | Device = 'cpu') {
    checkDevice(device);
    this.manual_seed(67280421310721);
  }
  /** manual_seed(seed): an integer (a bigint past 2^53), as PyTorch's `long`. */
  manual_seed(seed: number | bigint): this {
    if (!(typeof seed === 'bigint' || (typeof seed === 'number' && Number.isInteger(seed)))) {
      throw new Error(`manual_seed expected a long, but got ${pyType(seed)}`);
    }
    const s = BigInt.asUintN(64, BigInt(seed));
    this.seed_ = Number(s);
    this.mt[0] = Number(s & 0xffffffffn);
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = 624;
    this.nextNormal_ = null;
    return this;
  }
  initial_seed(): number {
    return this.seed_;
  }
  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      let v = mt[(i + 397) % 624] ^ (y >>> 1);
      if (y & 1) v ^= 0x9908b0df;
      mt[i] = v >>> 0;
    }
    this.index = 0;
  }
  /** One 32-bit draw. */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
  /** Uniform in [0, 1) with 24 random bits, as torch.rand makes float32. */
  nextFloat(): number {
    return (this.nextUint32() & 0xffffff) * (1 / 16777216);
  }
  /** Uniform in [0, 1) with 53 random bits: (hi << 32 | lo) masked to 53 bits. */
  nextDouble(): number {
    const hi = this.nextUint32(), lo = this.nextUint32();
    return ((hi & 0x1fffff) * 4294967296 + lo) / 9007199254740992;
  }
  /** Standard normal in double precision (at::normal_distribution<double>). */
  nextNormal(): number {
    if (this.nextNormal_ !== null) {
      const v = this.nextNormal_;
      this.nextNormal_ = null;
      return v;
    }
    const u1 = this.nextDouble(), u2 = this.nextDouble();
    const r = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.nextNormal_ = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
  /** float32 uniform in [from, to), computed in float32 as ATen does. */
  nextUniform(from: number, to: number): number {
    const f = Math.fround(from), range = Math.fround(Math.fround(to) - f);
    return Math.fround(Math.fround(this.nextFloat() * range) + f);
  }
  /**
   * n normal float32 values as torch.randn/normal_ make them: one at a time
   * below 16 elements; from 16 on, ATen's normal_fill (uniforms first, then
   * Box-Muller over blocks of 16, the last block redrawn when n % 16 != 0).
   */
  normalFloats(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    if (n < 16) {
      for (let i = 0; i < n; i++) out[i] = this.nextNormal() * std + mean;
      return out;
    }
    for (let i = 0; i < n; i++) out[i] = this.nextFloat();
    const fill16 = (at: number) => {
      for (let j = 0; j < 8; j++) {
        const u1 = 1 - out[at + j], u2 = out[at + j + 8];
        const radius = Math.sqrt(-2 * Math.log(u1));
        const theta = 2 * Math.PI * u2;
        out[at + j] = radius * Math.cos(theta) * std + mean;
        out[at + j + 8] = radius * Math.sin(theta) * std + mean;
      }
    };
    for (let i = 0; i + 16 <= n; i += 16) fill16(i);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = this.nextFloat();
      fill16(n - 16);
    }
    return out;
  }
  /** Integer in [low, high): low + random() % range, as ATen's random_from_to (ranges below 2^32). */
  nextInt(low: number, high: number): number {
    return low + (this.nextUint32() % (high - low));
  }
  /** low + random64() % (high - low), random64 = (first draw << 32) | second: PyTorch's draw for ranges of 2^32 or more. */
  nextInt64(low: number | bigint, high: number | bigint): bigint {
    const hi = BigInt(this.nextUint32()), lo = BigInt(this.nextUint32());
    return BigInt(low) + (((hi << 32n) | lo) % (BigInt(high) - BigInt(low)));
  }
}

export const default_generator = new Generator();

/** torch.manual_seed(seed): seed 0 is a seed like any other. */
export function manual_seed(seed: number | bigint): Generator {
  return default_generator.manual_seed(seed);
}

export function initial_seed(): number {
  return default_generator.initial_seed();
}

// torch.manual_seed and the generator behind rand/randn/randint/shuffles:
// a Mersenne Twister (MT19937, as PyTorch's CPU generator), floats from the
// low 24 bits of one draw as PyTorch makes float32 uniforms.
export class Generator {
  private mt = new Uint32Array(624);
  private index = 624;
  private seed_ = 0;
  constructor(seed = 67280421310721) {
    this.manual_seed(seed);
  }
  manual_seed(seed: number | bigint): this {
    const s = BigInt.asUintN(64, BigInt(seed));
    this.seed_ = Number(s);
    this.mt[0] = Number(s & 0xffffffffn);
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = 624;
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
  /** Uniform in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5, b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
  /** Standard normal (Box-Muller). */
  nextNormal(): number {
    const u1 = 1 - this.nextDouble(), u2 = this.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  /** Integer in [low, high). */
  nextInt(low: number, high: number): number {
    return low + Math.floor(this.nextDouble() * (high - low));
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

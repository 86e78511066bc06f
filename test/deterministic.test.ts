// The relaxed-SIMD build (fused multiply-add in the GEMM) is the one called where the engine
// accepts it; torch.use_deterministic_algorithms(true) switches every kernel to the plain build,
// whose GEMM rounds the product and the sum separately, in k order, on any engine.
import { readFileSync } from 'node:fs';
import { describe, it, expect, afterEach } from 'vitest';
import * as torch from '../src/index.js';
import { kernels, K, relaxedSimd, RELAXED_SIMD_PROBE } from '../src/backend/wasm.js';

const relaxedValidates = WebAssembly.validate(readFileSync(new URL('../build/kernels.relaxed.wasm', import.meta.url)));

/** C = A @ B in float32 with each product and each sum rounded, k in order (what the plain GEMM does for k <= 320). */
function referenceMatmul(A: Float32Array, B: Float32Array, m: number, k: number, n: number): Float32Array {
  const C = new Float32Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc = Math.fround(acc + Math.fround(A[i * k + p] * B[p * n + j]));
      C[i * n + j] = acc;
    }
  return C;
}

describe('the relaxed-SIMD probe (decides whether the relaxed build is fetched at all)', () => {
  it('validates exactly where the relaxed build validates', () => {
    expect(relaxedSimd).toBe(relaxedValidates);
    expect(WebAssembly.validate(RELAXED_SIMD_PROBE)).toBe(relaxedValidates);
    expect(kernels.relaxed !== undefined).toBe(relaxedValidates);
  });

  it('is a well-formed module apart from the relaxed instruction (the same bytes with a plain f32x4.mul validate)', () => {
    const plain = RELAXED_SIMD_PROBE.slice();
    // `local.get 2; f32x4.relaxed_madd` (0x20 0x02 0xfd 0x85 0x02) -> `f32x4.add; nop; nop` (0xfd 0xe4 0x01 0x01 0x01)
    plain.set([0xfd, 0xe4, 0x01, 0x01, 0x01], RELAXED_SIMD_PROBE.length - 6);
    expect(WebAssembly.validate(plain)).toBe(true);
    expect(WebAssembly.validate(RELAXED_SIMD_PROBE.slice(0, -1))).toBe(false);
  });
});

describe('use_deterministic_algorithms', () => {
  afterEach(() => {
    torch.use_deterministic_algorithms(false);
    torch.set_num_threads(1);
  });

  it('the relaxed-SIMD build is loaded wherever the engine validates it (the tests run with it)', () => {
    expect(relaxedValidates).toBe(true); // vitest.config.ts passes Node 20 the flag it needs
    expect(kernels.relaxed).toBeDefined();
    expect(torch.backends.cpu.get_cpu_capability()).toBe('WASM_RELAXED_SIMD');
    expect(K.gemm).toBe(kernels.relaxed!.fn.gemm);
  });

  it('switches every kernel to the plain build and back, with PyTorch\'s query and type check', () => {
    expect(torch.are_deterministic_algorithms_enabled()).toBe(false);
    torch.use_deterministic_algorithms(true);
    expect(torch.are_deterministic_algorithms_enabled()).toBe(true);
    for (const [name, f] of Object.entries(kernels.fn)) if (typeof f === 'function') expect((K as unknown as Record<string, unknown>)[name], name).toBe(f);
    torch.use_deterministic_algorithms(false);
    expect(K.gemm).toBe(kernels.relaxed!.fn.gemm);
    expect(() => torch.use_deterministic_algorithms(1 as unknown as boolean))
      .toThrow("use_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not int");
  });

  it('deterministic matmul equals the separately rounded k-order sum bit for bit; the fused one is as close', () => {
    torch.manual_seed(3);
    const [m, k, n] = [37, 300, 45];
    const a = torch.randn(m, k), b = torch.randn(k, n);
    const want = referenceMatmul(a.dataSync() as Float32Array, b.dataSync() as Float32Array, m, k, n);
    torch.use_deterministic_algorithms(true);
    expect(Array.from(a.matmul(b).dataSync())).toEqual(Array.from(want));
    torch.use_deterministic_algorithms(false);
    const fused = a.matmul(b).dataSync();
    // one rounding fewer per step: within the k-step bound of the reference
    fused.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThanOrEqual((k + 2) * 2 ** -23 * 40));
  });

  it('two threads agree with one bit for bit in either build (workers run the caller\'s build)', () => {
    torch.manual_seed(4);
    const a = torch.randn(96, 300), b = torch.randn(300, 517);
    for (const mode of [true, false]) {
      torch.use_deterministic_algorithms(mode);
      torch.set_num_threads(1);
      const one = a.matmul(b).dataSync();
      torch.set_num_threads(2);
      const two = a.matmul(b).dataSync();
      expect(Array.from(two), `deterministic=${mode}`).toEqual(Array.from(one));
    }
  });

  it('a profile taken while the build changes ends with the active build\'s kernels in place', () => {
    torch.profiler.profile(() => torch.use_deterministic_algorithms(true));
    expect(K.gemm).toBe(kernels.fn.gemm);
  });
});

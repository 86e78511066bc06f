// Loads the kernel module (embedded as base64, so Node, browsers, workers and
// bundlers all load it without configuration) and names its exports. Where the
// engine validates relaxed SIMD, a second build of the same kernels (fused
// multiply-add in the GEMM) runs on the same memory and is the one called,
// unless torch.use_deterministic_algorithms(true) asks for the plain build,
// whose results do not depend on the engine or CPU.

type Ptr = number;
export interface KernelFunctions {
  unary(op: number, x: Ptr, out: Ptr, n: number, p0: number, p1: number): void;
  binary(op: number, a: Ptr, b: Ptr, out: Ptr, nd: number, meta: Ptr): void;
  binary_i64(op: number, a: Ptr, b: Ptr, out: Ptr, nd: number, meta: Ptr): void;
  where(cond: Ptr, a: Ptr, b: Ptr, out: Ptr, n: number): void;
  reduce(op: number, x: Ptr, out: Ptr, outer: number, len: number, inner: number): void;
  reduce_i64(op: number, x: Ptr, out: Ptr, outer: number, len: number, inner: number): void;
  scan(op: number, x: Ptr, out: Ptr, outer: number, len: number, inner: number): void;
  scan_i64(op: number, x: Ptr, out: Ptr, outer: number, len: number, inner: number): void;
  argreduce(isMax: number, x: Ptr, vals: Ptr, idx: Ptr, outer: number, len: number, inner: number): void;
  softmax(mode: number, x: Ptr, out: Ptr, outer: number, len: number, inner: number): void;
  log_softmax_nll(x: Ptr, target: Ptr, logp: Ptr, loss: Ptr, outer: number, classes: number, inner: number, ignoreIndex: number): number;
  fill(ptr: Ptr, n: number, value: number): void;
  fill_i32(ptr: Ptr, n: number, value: number): void;
  fill_i64(ptr: Ptr, n: number, lo: number, hi: number): void;
  copy(src: Ptr, dst: Ptr, n: number): void;
  copy_strided(src: Ptr, dst: Ptr, nd: number, meta: Ptr): void;
  copy_strided64(src: Ptr, dst: Ptr, nd: number, meta: Ptr): void;
  cast_i32_f32(src: Ptr, dst: Ptr, n: number): void;
  cast_f32_i32(src: Ptr, dst: Ptr, n: number): void;
  cast_i64_f32(src: Ptr, dst: Ptr, n: number): void;
  cast_f32_i64(src: Ptr, dst: Ptr, n: number): void;
  cast_i32_i64(src: Ptr, dst: Ptr, n: number): void;
  cast_i64_i32(src: Ptr, dst: Ptr, n: number): void;
  axpy(dst: Ptr, src: Ptr, n: number, alpha: number): void;
  index_select(src: Ptr, idx: Ptr, out: Ptr, outer: number, size: number, inner: number, n: number): number;
  index_add(dst: Ptr, idx: Ptr, src: Ptr, outer: number, size: number, inner: number, n: number): number;
  index_add_i64(dst: Ptr, idx: Ptr, src: Ptr, outer: number, size: number, inner: number, n: number): number;
  index_copy(dst: Ptr, idx: Ptr, src: Ptr, outer: number, size: number, inner: number, n: number): number;
  gather(src: Ptr, idx: Ptr, out: Ptr, outer: number, size: number, inner: number, n: number): number;
  scatter_add(dst: Ptr, idx: Ptr, src: Ptr, outer: number, size: number, inner: number, n: number): number;
  gemm(m: number, n: number, k: number, a: Ptr, rsA: number, csA: number, b: Ptr, rsB: number, csB: number,
    c: Ptr, ldc: number, beta: number, scratch: Ptr, bias?: Ptr): void;
  sgd_step(p: Ptr, grad: Ptr, buf: Ptr, n: number, lr: number, momentum: number, dampening: number,
    weightDecay: number, nesterov: number, maximize: number, firstStep: number): void;
  adam_step(p: Ptr, grad: Ptr, m: Ptr, v: Ptr, vmax: Ptr, n: number, stepSize: number, bc2Sqrt: number, w1: number,
    beta2: number, w2: number, eps: number, weightDecay: number, decoupledDecay: number, maximize: number): void;
  rmsprop_step(p: Ptr, grad: Ptr, sq: Ptr, gavg: Ptr, buf: Ptr, n: number, lr: number, alpha: number, w: number,
    eps: number, weightDecay: number, momentum: number, maximize: number): void;
  adagrad_step(p: Ptr, grad: Ptr, sum: Ptr, n: number, clr: number, eps: number, weightDecay: number, maximize: number): void;
  adamax_step(p: Ptr, grad: Ptr, m: Ptr, u: Ptr, n: number, clr: number, w1: number, beta2: number, eps: number, weightDecay: number, maximize: number): void;
  adadelta_step(p: Ptr, grad: Ptr, sq: Ptr, acc: Ptr, n: number, lr: number, rho: number, w: number, eps: number, weightDecay: number, maximize: number): void;
  nadam_step(p: Ptr, grad: Ptr, m: Ptr, v: Ptr, n: number, cg: number, cm: number, w1: number, beta2: number, w2: number, bc2: number, eps: number,
    weightDecay: number, decoupledDecay: number, maximize: number): void;
  radam_step(p: Ptr, grad: Ptr, m: Ptr, v: Ptr, n: number, lr: number, w1: number, beta2: number, w2: number, bc1: number, sqrtBc2: number,
    rect: number, eps: number, weightDecay: number, decoupledDecay: number, maximize: number): void;
  unfold(x: Ptr, cols: Ptr, geo: Ptr, batch: number): void;
  fold(cols: Ptr, x: Ptr, geo: Ptr, batch: number): void;
  max_pool2d(x: Ptr, out: Ptr, idx: Ptr, planes: number, geo: Ptr): void;
  adaptive_avg_pool2d(x: Ptr, out: Ptr, planes: number, H: number, W: number, oh: number, ow: number, adjoint: number): void;
  rnn_forward(mode: number, T: number, N: number, B: number, H: number, xw: Ptr, h0: Ptr, c0: Ptr, whh: Ptr, bhh: Ptr,
    sizes: Ptr, reverse: number, y: Ptr, hprev: Ptr, act: Ptr, cprev: Ptr, hw: Ptr, wpack: Ptr, scratch: Ptr): void;
  rnn_backward(mode: number, T: number, N: number, B: number, H: number, dy: Ptr, whh: Ptr, sizes: Ptr, reverse: number,
    y: Ptr, hprev: Ptr, act: Ptr, cprev: Ptr, dG: Ptr, dGh: Ptr, dh: Ptr, dc: Ptr, wpack: Ptr, scratch: Ptr): void;
  gemm_packed_floats(k: number, n: number): number;
  gemm_pack_b(b: Ptr, rsB: number, csB: number, k: number, n: number, dst: Ptr): void;
  gemm_prepacked(m: number, n: number, k: number, a: Ptr, rsA: number, csA: number, packedB: Ptr,
    c: Ptr, ldc: number, beta: number, scratch: Ptr): void;
  heap_base(): number;
}

export interface Kernels {
  fn: KernelFunctions;
  memory: WebAssembly.Memory;
  /** The module's exported integer constants (op codes, GEMM block sizes). */
  codes: Record<string, number>;
  /** The compiled module, for worker threads to instantiate on the same memory. */
  module: WebAssembly.Module;
  /** Whether memory is a shared WebAssembly.Memory (the threads build). */
  shared: boolean;
  /** The relaxed-SIMD build on the same memory, where the engine validates it. */
  relaxed?: Kernels;
}

function decodeBase64(text: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return B.from(text, 'base64');
  const bin = atob(text);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * Instantiates a kernel module: the library's own, or a debug build in tests.
 * A module that imports its memory runs on the one given, or else on a new
 * shared one (the threads build). Builds of the same sources lay out the same
 * static data, so a second build instantiated on a memory in use rewrites
 * only identical bytes.
 */
export async function instantiateKernels(bytes: Uint8Array, memory?: WebAssembly.Memory): Promise<Kernels> {
  const module = await WebAssembly.compile(bytes as BufferSource);
  const imports = WebAssembly.Module.imports(module).some((i) => i.kind === 'memory');
  const env: Record<string, WebAssembly.ImportValue> = {
    abort(_msg: number, _file: number, line: number, column: number): never {
      throw new Error(`wasmtorch kernel assertion failed (assembly line ${line}:${column})`);
    },
  };
  if (imports) env.memory = memory ?? new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  const instance = await WebAssembly.instantiate(module, { env });
  const exports = instance.exports as Record<string, unknown>;
  const codes: Record<string, number> = {};
  for (const [name, value] of Object.entries(exports)) {
    if (value instanceof WebAssembly.Global) codes[name] = Number(value.value);
  }
  const mem = (imports ? env.memory : exports.memory) as WebAssembly.Memory;
  const shared = typeof SharedArrayBuffer !== 'undefined' && mem.buffer instanceof SharedArrayBuffer;
  return { fn: exports as unknown as KernelFunctions, memory: mem, codes, module, shared };
}

/** Node's worker_threads module, loaded synchronously; undefined outside Node. */
export function nodeWorkerThreads(): unknown {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:worker_threads');
}

/**
 * Worker threads can share the kernels' memory here: Node (worker_threads), or
 * a cross-origin isolated page or worker (SharedArrayBuffer and Web Workers).
 */
function canShareMemory(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof SharedArrayBuffer === 'undefined') return false;
  return nodeWorkerThreads() !== undefined || (g.crossOriginIsolated === true && typeof g.Worker === 'function');
}

/**
 * The smallest module using relaxed SIMD (one function: f32x4.relaxed_madd of its three v128 parameters): whether
 * the engine validates it decides whether the relaxed build is worth fetching at all.
 */
export const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128, v128, v128) -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // local.get 0..2, relaxed_madd
]);
export const relaxedSimd = WebAssembly.validate(RELAXED_SIMD_PROBE);

// Each build is its own module, imported by a literal specifier only on the branch that runs it, so that bundlers
// (Vite, esbuild with splitting, webpack) make each a chunk and a page downloads at most the two it uses.
const threadsBuild = canShareMemory();
const baseBuild = threadsBuild ? await import('../kernels/threads.generated.js') : await import('../kernels/release.generated.js');
export const kernels: Kernels = await instantiateKernels(decodeBase64(baseBuild.WASM_BASE64));
if (relaxedSimd) {
  const build = threadsBuild ? await import('../kernels/threads-relaxed.generated.js') : await import('../kernels/relaxed.generated.js');
  const bytes = decodeBase64(build.WASM_BASE64);
  if (WebAssembly.validate(bytes as BufferSource)) kernels.relaxed = await instantiateKernels(bytes, kernels.memory);
}
/** Whether the kernels run on shared memory (so torch.set_num_threads can add worker threads). */
export const shared = kernels.shared;
let deterministic = false;
/** The build calls go to: the relaxed one, unless there is none or determinism was asked for. */
export function activeKernels(): Kernels {
  return deterministic || !kernels.relaxed ? kernels : kernels.relaxed;
}
/**
 * The kernels the library calls, as a plain mutable object (the instance's exports object is frozen), so that
 * torch.profiler can swap in timing wrappers while it runs and the build can change. Always call them as
 * `K.name(...)`: a function taken out of K into a variable would escape both.
 */
export const K = {} as KernelFunctions;
/** Points K at the active build's functions (at load, on a change of build, after profiling). */
export function bindKernels(): void {
  for (const [name, f] of Object.entries(activeKernels().fn)) if (typeof f === 'function') (K as unknown as Record<string, unknown>)[name] = f;
}
bindKernels();
export const codes = kernels.codes;

/** true runs the plain build, whose sums round the same everywhere (torch.use_deterministic_algorithms checks mode). */
export function use_deterministic_algorithms(mode: boolean, _opts: { warn_only?: boolean } = {}): void {
  deterministic = mode;
  bindKernels();
}
/** torch.are_deterministic_algorithms_enabled(). */
export function are_deterministic_algorithms_enabled(): boolean {
  return deterministic;
}

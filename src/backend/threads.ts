// Intra-op threads: workers that instantiate the same kernel module on the
// same shared WebAssembly.Memory, so a large GEMM is split by columns (or
// rows) across them with no copies. Each worker waits on its own control
// block (Atomics.wait); the calling thread runs its own share, then waits for
// the others. Splitting never cuts the k dimension, so every element is
// summed in the same order as on one thread: results are bit-identical.
// Node: worker_threads, started synchronously. Browsers (cross-origin
// isolated pages, where the kernels get shared memory): Web Workers, which
// start asynchronously and take work once ready; a page's main thread, which
// may not block, spins while it waits. Elsewhere get_num_threads() stays 1.
import { kernels, K, shared, nodeWorkerThreads, activeKernels } from './wasm.js';
import { staticBlock } from './memory.js';

interface WorkerHandle {
  ctrl: Int32Array; // [generation, ready, done generation, error, ..., args from ARGS]
  scratch: number;
}
const GEN = 0, READY = 1, DONE = 2, ERROR = 3, ARGS = 8, CTRL_INTS = 32;
const SPIN_MS = 2;

// The worker's loop, once it has the modules, memory and control block: run gemm jobs forever, each
// with the build the calling thread uses (the relaxed one when a job's last argument says so).
const WORKER_LOOP = `
function serve(module, relaxed, memory, ctrl) {
  const env = { memory, abort() { throw new Error('kernel assertion failed'); } };
  const builds = [new WebAssembly.Instance(module, { env }).exports];
  if (relaxed) builds.push(new WebAssembly.Instance(relaxed, { env }).exports);
  let seen = 0;
  Atomics.store(ctrl, ${READY}, 1);
  Atomics.notify(ctrl, ${READY});
  for (;;) {
    // spin a little before sleeping: the next GEMM of a training step usually follows within microseconds,
    // and waking a sleeping thread (on a VM, its idle vCPU) costs tens to hundreds of them
    const until = performance.now() + ${SPIN_MS};
    while (Atomics.load(ctrl, ${GEN}) === seen && performance.now() < until) {}
    Atomics.wait(ctrl, ${GEN}, seen);
    seen = Atomics.load(ctrl, ${GEN});
    const a = ctrl, o = ${ARGS};
    try {
      builds[a[o + 13]].gemm(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7], a[o + 8], a[o + 9], a[o + 10], a[o + 11], a[o + 12]);
    } catch (e) {
      Atomics.store(ctrl, ${ERROR}, 1);
    }
    Atomics.store(ctrl, ${DONE}, seen);
    Atomics.notify(ctrl, ${DONE});
  }
}`;
const NODE_WORKER = `${WORKER_LOOP}
const { workerData } = require('node:worker_threads');
serve(workerData.module, workerData.relaxed, workerData.memory, workerData.ctrl);`;
const WEB_WORKER = `${WORKER_LOOP}
self.onmessage = (e) => serve(e.data.module, e.data.relaxed, e.data.memory, e.data.ctrl);`;

type NodeWorkerCtor = new (code: string, opts: { eval: boolean; workerData: unknown }) => { unref(): void; terminate(): unknown };
type WebWorkerCtor = new (url: string) => { postMessage(data: unknown): void };
const g = globalThis as {
  Worker?: WebWorkerCtor;
  document?: unknown;
  Blob?: new (parts: string[], opts: { type: string }) => unknown;
  URL?: { createObjectURL?(blob: unknown): string };
};

function nodeWorker(): NodeWorkerCtor | null {
  const wt = nodeWorkerThreads() as { Worker?: NodeWorkerCtor } | undefined;
  return wt?.Worker ?? null;
}
function webWorker(): WebWorkerCtor | null {
  return nodeWorker() === null && g.Worker && g.Blob && g.URL?.createObjectURL ? g.Worker : null;
}
/** A page's main thread may not Atomics.wait; workers and Node may. */
const canBlock = g.document === undefined;

const pool: WorkerHandle[] = [];
let threads = 1;

/** Whether more than one thread can run kernels here (shared memory and worker threads). */
export function threadsAvailable(): boolean {
  return shared && (nodeWorker() !== null || webWorker() !== null);
}

function startWorker(): WorkerHandle {
  const ctrl = new Int32Array(new SharedArrayBuffer(CTRL_INTS * 4));
  const scratch = staticBlock(kernels.codes.GEMM_SCRATCH_BYTES);
  const modules = { module: kernels.module, relaxed: kernels.relaxed?.module, memory: kernels.memory, ctrl };
  const NodeWorker = nodeWorker();
  if (NodeWorker) {
    const worker = new NodeWorker(NODE_WORKER, { eval: true, workerData: modules });
    worker.unref(); // idle workers never keep the process alive
    // the worker starts on its own thread, so the caller can block until it is ready
    if (Atomics.wait(ctrl, READY, 0, 10_000) === 'timed-out') {
      worker.terminate();
      throw new Error('wasmtorch: a worker thread did not start within 10 s');
    }
  } else {
    // starts in the background; gemm() hands it work once it reports ready
    const url = g.URL!.createObjectURL!(new g.Blob!([WEB_WORKER], { type: 'text/javascript' }));
    new (webWorker()!)(url).postMessage(modules);
  }
  return { ctrl, scratch };
}

/** torch.set_num_threads(n): threads used by large GEMMs (and so by linear and conv layers). */
export function set_num_threads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`set_num_threads expects a positive integer, but got ${n}`);
  threads = threadsAvailable() ? n : 1;
  while (pool.length < threads - 1) pool.push(startWorker());
}

/** torch.get_num_threads(). */
export function get_num_threads(): number {
  return threads;
}

// Below this many multiply-adds a GEMM stays on one thread: the hand-off costs tens of microseconds.
const MIN_PARALLEL_MACS = 1 << 20;

/**
 * K.gemm with the same arguments, split across the threads when large: by
 * columns in multiples of the micro-kernel's 8 when n is wide enough, else by
 * rows in multiples of 4.
 */
export function gemm(m: number, n: number, k: number, a: number, rsA: number, csA: number, b: number, rsB: number,
  csB: number, c: number, ldc: number, beta: number, scratch: number): void {
  // one thread, or too small to share: no worker lookup on this path (every GEMM takes it by default)
  if (threads === 1 || m * n * k < MIN_PARALLEL_MACS) {
    K.gemm(m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, beta, scratch);
    return;
  }
  const ready = pool.filter((w) => Atomics.load(w.ctrl, READY) === 1).slice(0, threads - 1);
  const byCols = n >= m;
  const extent = byCols ? n : m, unit = byCols ? 8 : 4;
  const parts = Math.min(1 + ready.length, Math.floor(extent / unit));
  if (parts < 2) {
    K.gemm(m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, beta, scratch);
    return;
  }
  const chunk = Math.ceil(extent / parts / unit) * unit;
  const started: WorkerHandle[] = [];
  const build = activeKernels() === kernels ? 0 : 1;
  for (let p = 1; p < parts; p++) {
    const from = p * chunk, len = Math.min(chunk, extent - from);
    if (len <= 0) break;
    const w = ready[p - 1];
    const args = byCols
      ? [m, len, k, a, rsA, csA, b + from * csB * 4, rsB, csB, c + from * 4, ldc, beta, w.scratch, build]
      : [len, n, k, a + from * rsA * 4, rsA, csA, b, rsB, csB, c + from * ldc * 4, ldc, beta, w.scratch, build];
    w.ctrl.set(args, ARGS);
    Atomics.add(w.ctrl, GEN, 1);
    Atomics.notify(w.ctrl, GEN);
    started.push(w);
  }
  const first = Math.min(chunk, extent);
  if (byCols) K.gemm(m, first, k, a, rsA, csA, b, rsB, csB, c, ldc, beta, scratch);
  else K.gemm(first, n, k, a, rsA, csA, b, rsB, csB, c, ldc, beta, scratch);
  let failed = false;
  for (const w of started) {
    const gen = Atomics.load(w.ctrl, GEN);
    for (let spin = 0; Atomics.load(w.ctrl, DONE) !== gen; spin++) {
      if (canBlock && spin > 2000) Atomics.wait(w.ctrl, DONE, Atomics.load(w.ctrl, DONE), 1);
    }
    if (Atomics.exchange(w.ctrl, ERROR, 0) !== 0) failed = true;
  }
  if (failed) throw new Error('wasmtorch: a GEMM failed on a worker thread');
}

/** Workers ready and GEMM parts they have run (for tests: did another thread take part?). */
export function threadStats(): { ready: number; jobs: number } {
  let ready = 0, jobs = 0;
  for (const w of pool) {
    ready += Atomics.load(w.ctrl, READY);
    jobs += Atomics.load(w.ctrl, DONE);
  }
  return { ready, jobs };
}

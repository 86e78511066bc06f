// Intra-op threads: workers that instantiate the same kernel module on the
// same shared WebAssembly.Memory, so a large GEMM is split by columns (or
// rows) across them with no copies, and so is an optimizer's update of a
// large parameter (by rows, as the GEMMs that read it split it: each thread
// then finds the weights it updated in its own cache). Each worker waits on
// its own control block (Atomics.wait); the calling thread runs its own
// share, then waits for the others. Splitting never cuts the k dimension, so
// every element is summed in the same order as on one thread: results are
// bit-identical.
// Node: worker_threads, started synchronously. Browsers (cross-origin
// isolated pages, where the kernels get shared memory): Web Workers, which
// start asynchronously and take work once ready; a page's main thread, which
// may not block, spins while it waits. Elsewhere get_num_threads() stays 1.
import { kernels, K, shared, nodeWorkerThreads, activeKernels } from './wasm.js';
import { staticBlock } from './memory.js';

interface WorkerHandle {
  ctrl: Int32Array; // [generation, ready, done generation, error, kernel, argument count, build, claimed generation, fault]
  args: Float64Array; // the kernel's arguments (pointers, sizes and f32 scalars are all exact as doubles)
  scratch: number;
  /** it exited or failed to take a job: never handed work again, and replaced */
  dead: boolean;
  /** ends the thread (the tests kill one this way) */
  stop: () => void;
}
const GEN = 0, READY = 1, DONE = 2, ERROR = 3, KERNEL = 4, NARGS = 5, BUILD = 6, CLAIMED = 7, FAULT = 8, ARGS_BYTE = 64, MAX_ARGS = 16;
const SPIN_MS = 2;
// A job is claimed once, by compare-and-swap of CLAIMED from its generation - 1: by the worker as it starts it, or
// by the caller taking it back. A worker that has not claimed its job this long after it was posted is presumed
// dead (terminated, or lost its thread): the caller takes the part back and runs it (a late worker then skips it).
// Waking a sleeping worker takes microseconds to a few milliseconds.
const PICKUP_MS = 500;
// A worker that claimed its part and has not finished it this long (and 100 times what the caller's equal part
// took) died during it (its exit event cannot reach a thread that is waiting): it is stopped and replaced, and
// the part is run again where that gives the same bits (a GEMM that overwrites its output), else the call fails.
const FINISH_MS = 2000;
// the kernels a worker runs a part of, by index
const SHARED_KERNELS = ['gemm', 'sgd_step', 'adam_step', 'rmsprop_step', 'adagrad_step', 'adamax_step', 'adadelta_step', 'nadam_step', 'radam_step'] as const;
type SharedKernel = typeof SHARED_KERNELS[number];

// The worker's loop, once it has the modules, memory and control block: run its part of each job, with the
// build the calling thread uses (the relaxed one when the job says so).
const WORKER_LOOP = `
function serve(module, relaxed, memory, ctrl) {
  const env = { memory, abort() { throw new Error('kernel assertion failed'); } };
  const builds = [new WebAssembly.Instance(module, { env }).exports];
  if (relaxed) builds.push(new WebAssembly.Instance(relaxed, { env }).exports);
  const names = ${JSON.stringify(SHARED_KERNELS)};
  const args = new Float64Array(ctrl.buffer, ${ARGS_BYTE}, ${MAX_ARGS});
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
    if (Atomics.compareExchange(ctrl, ${CLAIMED}, seen - 1, seen) !== seen - 1) continue; // taken back by the caller
    if (ctrl[${FAULT}] === 1) exit(); // test hook: a thread lost in the middle of a job
    try {
      builds[ctrl[${BUILD}]][names[ctrl[${KERNEL}]]](...args.subarray(0, ctrl[${NARGS}]));
    } catch (e) {
      Atomics.store(ctrl, ${ERROR}, 1);
    }
    Atomics.store(ctrl, ${DONE}, seen);
    Atomics.notify(ctrl, ${DONE});
  }
}`;
const NODE_WORKER = `${WORKER_LOOP}
const exit = () => process.exit(1);
const { workerData } = require('node:worker_threads');
serve(workerData.module, workerData.relaxed, workerData.memory, workerData.ctrl);`;
const WEB_WORKER = `${WORKER_LOOP}
const exit = () => { self.close(); throw new Error('worker stopped'); };
self.onmessage = (e) => serve(e.data.module, e.data.relaxed, e.data.memory, e.data.ctrl);`;

type NodeWorkerCtor = new (code: string, opts: { eval: boolean; workerData: unknown }) =>
  { unref(): void; terminate(): unknown; on(event: 'exit' | 'error', f: () => void): void };
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
  const buffer = new SharedArrayBuffer(ARGS_BYTE + MAX_ARGS * 8);
  const ctrl = new Int32Array(buffer, 0, ARGS_BYTE / 4), args = new Float64Array(buffer, ARGS_BYTE, MAX_ARGS);
  const scratch = staticBlock(kernels.codes.GEMM_SCRATCH_BYTES);
  const modules = { module: kernels.module, relaxed: kernels.relaxed?.module, memory: kernels.memory, ctrl };
  const handle: WorkerHandle = { ctrl, args, scratch, dead: false, stop: () => {} };
  const NodeWorker = nodeWorker();
  if (NodeWorker) {
    const worker = new NodeWorker(NODE_WORKER, { eval: true, workerData: modules });
    worker.unref(); // idle workers never keep the process alive
    const died = () => markDead(handle);
    worker.on('exit', died);
    worker.on('error', died);
    handle.stop = () => void worker.terminate();
    // the worker starts on its own thread, so the caller can block until it is ready
    if (Atomics.wait(ctrl, READY, 0, 10_000) === 'timed-out') {
      worker.terminate();
      throw new Error('wasmtorch: a worker thread did not start within 10 s');
    }
  } else {
    // starts in the background; gemm() hands it work once it reports ready
    const url = g.URL!.createObjectURL!(new g.Blob!([WEB_WORKER], { type: 'text/javascript' }));
    const worker = new (webWorker()!)(url) as { postMessage(data: unknown): void; terminate?(): void };
    worker.postMessage(modules);
    handle.stop = () => worker.terminate?.();
  }
  return handle;
}

function markDead(w: WorkerHandle): void {
  w.dead = true;
  Atomics.store(w.ctrl, READY, 0);
}

/** Dead workers out of the pool, new ones in up to the threads asked for. */
function replaceDead(): void {
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i].dead) pool.splice(i, 1);
  while (pool.length < threads - 1) pool.push(startWorker());
}

/** Ends worker i's thread (tests: a worker that dies must not hang the next threaded call). */
export function stopWorker(i: number): void {
  pool[i].stop();
}

/** Makes worker i exit in the middle of its next job, after claiming it (tests). */
export function failWorkerMidJob(i: number): void {
  pool[i].ctrl[FAULT] = 1;
}

/** The cores the engine reports (os.availableParallelism in Node, navigator.hardwareConcurrency on the web), at least 1. */
function hardwareThreads(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { getBuiltinModule?: (id: string) => unknown } };
  const os = g.process?.getBuiltinModule?.('node:os') as { availableParallelism?: () => number } | undefined;
  return Math.max(1, os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1);
}

/**
 * Threads used by large GEMMs (and so by linear and conv layers) and optimizer updates (torch.set_num_threads
 * checks n): at most the cores there are, since more only add hand-offs (set_num_threads(256) on 2 cores had
 * started 255 workers and made a step 130x slower).
 */
export function set_num_threads(n: number): void {
  useThreads(Math.min(n, hardwareThreads()));
}

/** n threads, whatever the cores (the tests split work three ways on two cores). */
export function useThreads(n: number): void {
  threads = threadsAvailable() ? n : 1;
  while (pool.length < threads - 1) pool.push(startWorker());
}

/** How many workers have been started (they are kept for later calls). */
export function workerCount(): number {
  return pool.length;
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
  csB: number, c: number, ldc: number, beta: number, scratch: number, bias = 0): void {
  // one thread, or too small to share: no worker lookup on this path (every GEMM takes it by default)
  if (threads === 1 || m * n * k < MIN_PARALLEL_MACS) {
    K.gemm(m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, beta, scratch, bias);
    return;
  }
  const byCols = n >= m;
  const extent = byCols ? n : m, unit = byCols ? 8 : 4;
  runParts('gemm', extent, unit, beta === 0, (from, len, scratchOf) => byCols
    ? [m, len, k, a, rsA, csA, b + from * csB * 4, rsB, csB, c + from * 4, ldc, beta, scratchOf, bias === 0 ? 0 : bias + from * 4]
    : [len, n, k, a + from * rsA * 4, rsA, csA, b, rsB, csB, c + from * ldc * 4, ldc, beta, scratchOf, bias], scratch);
}

/**
 * Runs kernel `name` over [0, extent) cut into one part per ready thread, in multiples of `unit`: the caller
 * takes the first part, each worker one of the rest; `args(from, len, scratch)` gives a part's arguments.
 * `rerunnable`: a part run twice, or again after being cut short, gives the same bits (it only overwrites).
 */
function runParts(name: SharedKernel, extent: number, unit: number, rerunnable: boolean,
  args: (from: number, len: number, scratch: number) => number[], scratch: number): void {
  if (pool.some((w) => w.dead)) replaceDead();
  const ready = pool.filter((w) => !w.dead && Atomics.load(w.ctrl, READY) === 1).slice(0, threads - 1);
  const parts = Math.min(1 + ready.length, Math.floor(extent / unit));
  const kernel = K[name] as (...a: number[]) => void;
  if (parts < 2) {
    kernel(...args(0, extent, scratch));
    return;
  }
  const chunk = Math.ceil(extent / parts / unit) * unit;
  const started: { w: WorkerHandle; from: number; len: number }[] = [];
  const build = activeKernels() === kernels ? 0 : 1;
  for (let p = 1; p < parts; p++) {
    const from = p * chunk, len = Math.min(chunk, extent - from);
    if (len <= 0) break;
    const w = ready[p - 1];
    const a = args(from, len, w.scratch);
    w.args.set(a);
    w.ctrl[KERNEL] = SHARED_KERNELS.indexOf(name);
    w.ctrl[NARGS] = a.length;
    w.ctrl[BUILD] = build;
    Atomics.add(w.ctrl, GEN, 1);
    Atomics.notify(w.ctrl, GEN);
    started.push({ w, from, len });
  }
  const posted = performance.now();
  kernel(...args(0, Math.min(chunk, extent), scratch));
  const finishBy = posted + Math.max(FINISH_MS, 100 * (performance.now() - posted));
  let failed = false, lost = false;
  for (const { w, from, len } of started) {
    const gen = Atomics.load(w.ctrl, GEN);
    for (let spin = 0; Atomics.load(w.ctrl, DONE) !== gen; spin++) {
      if (canBlock && spin > 2000) Atomics.wait(w.ctrl, DONE, Atomics.load(w.ctrl, DONE), 1);
      if (spin % 64 !== 0) continue;
      const now = performance.now();
      // never taken up: the part is taken back and done here (the same kernel: the same bits)
      if (now - posted > PICKUP_MS && Atomics.compareExchange(w.ctrl, CLAIMED, gen - 1, gen) === gen - 1) {
        markDead(w);
        kernel(...args(from, len, scratch));
        break;
      }
      if (now > finishBy) {
        markDead(w);
        w.stop();
        if (rerunnable) kernel(...args(from, len, scratch));
        else lost = true;
        break;
      }
    }
    if (Atomics.exchange(w.ctrl, ERROR, 0) !== 0) failed = true;
  }
  if (lost) {
    throw new Error(`wasmtorch: a worker thread died while running its part of ${name}; the outputs of that part may be ` +
      'partly written. The thread is replaced: later calls run normally');
  }
  if (failed) throw new Error(`wasmtorch: ${name} failed on a worker thread`);
}

// Below this many elements an optimizer update stays on one thread.
const MIN_PARALLEL_ELEMENTS = 1 << 16;

/**
 * An optimizer kernel over a parameter of `rows` rows, `args` in the kernel's order: `tensors` addresses (0 for
 * none), the element count, then scalars. Large parameters are split by rows as the GEMMs that read them split
 * them (in multiples of 8), so that each thread updates the weights it reads in the next forward GEMM.
 * Elementwise, so the same bits on any split.
 */
export function optimizerStep(name: Exclude<SharedKernel, 'gemm'>, rows: number, tensors: number, args: number[]): void {
  const numel = args[tensors];
  if (threads === 1 || numel < MIN_PARALLEL_ELEMENTS || numel % rows !== 0) {
    // positional, not spread: a spread call into wasm costs several times the call (the seed makes 1000 a run)
    const a = args, f = K[name] as (...x: number[]) => void;
    f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
    return;
  }
  const rowLen = numel / rows;
  runParts(name, rows, 8, false, (from, len) => args.map((v, i) =>
    (i < tensors ? (v === 0 ? 0 : v + from * rowLen * 4) : i === tensors ? len * rowLen : v)), 0);
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

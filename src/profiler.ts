// torch.profiler: where the time of a piece of code goes, kernel by kernel.
//
//   const prof = torch.profiler.profile(() => { ...training step... });
//   console.log(prof.key_averages().table({ sort_by: 'cpu_time_total', row_limit: 10 }));
//
// Every hot loop of the library is one call into the kernel module through the
// object `K`. While profile() runs, each function of K is replaced by a wrapper
// that times the call and books it under the op it serves (the op code's name
// for kernels that take one: "sigmoid", "add", "sum"; the kernel's name
// otherwise: "gemm", "unfold", "adam_step"), with " (backward)" appended when
// autograd's backward pass made the call and record_function labels put in
// front. The originals are put back when profile() ends, so code that is not
// being profiled pays nothing. Time outside the kernels (argument checks,
// tensor objects, the autograd graph, memory management) is reported as one
// figure, "JS overhead": the profiled wall time minus the kernels' time.
import { K, codes, bindKernels } from './backend/wasm.js';
import * as engine from './autograd/engine.js';

type AnyFn = (...args: unknown[]) => unknown;

/** One row of key_averages(): every call booked under one key. Times in milliseconds. */
export interface FunctionEventAvg {
  /** "gemm", "sigmoid (backward)", "forward/add", ... */
  key: string;
  /** number of kernel calls */
  count: number;
  /** total time in these calls, ms */
  cpu_time_total: number;
  /** cpu_time_total / count, ms */
  cpu_time_avg: number;
  /** PyTorch's name for the average (ms) */
  cpu_time: number;
  /** kernels never call each other, so a row's self time is its total time (ms) */
  self_cpu_time_total: number;
  /** this row's share of the profiled wall time, in percent (rows and JS overhead add up to 100) */
  self_cpu_percent: number;
}

export type SortKey = 'cpu_time_total' | 'self_cpu_time_total' | 'cpu_time_avg' | 'cpu_time' | 'count' | 'key';
const SORT_KEYS: SortKey[] = ['cpu_time_total', 'self_cpu_time_total', 'cpu_time_avg', 'cpu_time', 'count', 'key'];

export interface TableOptions {
  /** descending by this column (ascending for 'key'); default 'cpu_time_total' */
  sort_by?: SortKey;
  /** at most this many rows; 0 or negative: all (PyTorch's default is 100) */
  row_limit?: number;
}

/**
 * What key_averages() returns: the rows, in the order their keys were first seen
 * (an Array, as PyTorch's EventList is a list), plus the profile's totals and table().
 */
export class EventList extends Array<FunctionEventAvg> {
  // map/filter/slice give plain arrays, not half-made EventLists
  static get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  /** wall time of the profiled function, ms */
  wall_time = 0;
  /** time inside kernels (the sum of every row's cpu_time_total), ms */
  kernel_time = 0;
  /** wall time minus kernel time, ms */
  get overhead_time(): number {
    return Math.max(0, this.wall_time - this.kernel_time);
  }

  /** A table like PyTorch's: Name, # of Calls, CPU total, CPU avg, % of total; then the totals. */
  table(options: TableOptions = {}): string {
    const sortBy = options.sort_by ?? 'cpu_time_total';
    if (!SORT_KEYS.includes(sortBy)) {
      throw new Error(`profiler table: sort_by must be one of ${SORT_KEYS.map((k) => `'${k}'`).join(', ')}, got '${String(sortBy)}'`);
    }
    const limit = options.row_limit ?? 100;
    let rows = sortRows([...this], sortBy);
    const hidden = limit > 0 && rows.length > limit ? rows.length - limit : 0;
    if (hidden > 0) rows = rows.slice(0, limit);

    const head = ['Name', '# of Calls', 'CPU total', 'CPU avg', '% of total'];
    const body = rows.map((r) => [
      r.key, String(r.count), formatTime(r.cpu_time_total), formatTime(r.cpu_time_avg), formatPercent(r.self_cpu_percent),
    ]);
    const widths = head.map((h, i) => Math.max(h.length + 2, ...body.map((b) => b[i].length)));
    widths[0] = Math.max(widths[0], 20);
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    const rule = widths.map((w) => '-'.repeat(w)).join('  ');
    const out = [rule, line(head), rule, ...body.map(line), rule];
    if (hidden > 0) out.push(`(${hidden} more row${hidden === 1 ? '' : 's'} not shown: row_limit ${limit})`);
    const share = (ms: number) => (this.wall_time > 0 ? ` (${formatPercent((100 * ms) / this.wall_time)})` : '');
    out.push(`Profiled time: ${formatTime(this.wall_time)} = kernels ${formatTime(this.kernel_time)}${share(this.kernel_time)}` +
      ` + JS overhead ${formatTime(this.overhead_time)}${share(this.overhead_time)}`);
    return out.join('\n') + '\n';
  }
}

function sortRows(rows: FunctionEventAvg[], by: SortKey): FunctionEventAvg[] {
  if (by === 'key') return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows.sort((a, b) => b[by] - a[by]);
}

/** PyTorch's time format: µs below a millisecond, ms below a second, then s. Input in ms. */
function formatTime(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(3)}us`;
  if (ms < 1000) return `${ms.toFixed(3)}ms`;
  return `${(ms / 1000).toFixed(3)}s`;
}
function formatPercent(p: number): string {
  return `${p.toFixed(2)}%`;
}

interface Tally {
  count: number;
  total: number;
}

/** The result of torch.profiler.profile(fn). */
export class Profile {
  /** wall time of fn, ms */
  readonly wall_time: number;
  /** time inside kernels, ms */
  readonly kernel_time: number;
  private readonly tallies: ReadonlyMap<string, Tally>;

  /** @internal */
  constructor(tallies: Map<string, Tally>, wallTime: number) {
    this.tallies = tallies;
    this.wall_time = wallTime;
    let kernel = 0;
    for (const t of tallies.values()) kernel += t.total;
    this.kernel_time = kernel;
  }

  /** wall time minus kernel time, ms */
  get overhead_time(): number {
    return Math.max(0, this.wall_time - this.kernel_time);
  }

  /** One row per key (op, with its labels and backward mark), in the order the keys were first seen. */
  key_averages(): EventList {
    const list = new EventList();
    for (const [key, t] of this.tallies) {
      const avg = t.count > 0 ? t.total / t.count : 0;
      list.push({
        key, count: t.count, cpu_time_total: t.total, cpu_time_avg: avg, cpu_time: avg, self_cpu_time_total: t.total,
        self_cpu_percent: this.wall_time > 0 ? (100 * t.total) / this.wall_time : 0,
      });
    }
    list.wall_time = this.wall_time;
    list.kernel_time = this.kernel_time;
    return list;
  }

  /** Shorthand for key_averages().table(options). */
  table(options: TableOptions = {}): string {
    return this.key_averages().table(options);
  }
}

// --- naming the calls ---------------------------------------------------------

/** Kernels whose first argument is an op code, and the prefix of their codes among the module's constants. */
const CODED_KERNELS: Record<string, string> = { unary: 'U_', binary: 'B_', reduce: 'R_', softmax: 'S_' };
/** Codes whose plain name would be ambiguous (max of two tensors vs max over a dim): PyTorch's op names. */
const RENAMED: Record<string, string> = {
  B_MAX: 'maximum', B_MIN: 'minimum', B_AND: 'logical_and', B_OR: 'logical_or', R_MAX: 'amax', R_MIN: 'amin',
};

/** Per coded kernel, the row name of every op code it takes (built once, from the module's constants). */
function codeNames(): Map<string, string[]> {
  const byKernel = new Map<string, string[]>();
  const owners = new Map<string, string[]>(); // name -> kernels using it, to catch collisions
  for (const [kernel, prefix] of Object.entries(CODED_KERNELS)) {
    const names: string[] = [];
    for (const [constant, value] of Object.entries(codes)) {
      if (!constant.startsWith(prefix)) continue;
      const name = RENAMED[constant] ?? constant.slice(prefix.length).toLowerCase();
      names[value] = name;
      owners.set(name, [...(owners.get(name) ?? []), kernel]);
    }
    byKernel.set(kernel, names);
  }
  // a code added later that clashes with another kernel's name is qualified, never silently merged
  for (const [kernel, names] of byKernel) {
    for (let i = 0; i < names.length; i++) {
      if (names[i] !== undefined && owners.get(names[i])!.length > 1) names[i] = `${kernel} ${names[i]}`;
    }
  }
  return byKernel;
}
let namesCache: Map<string, string[]> | null = null;

// --- the active session ---------------------------------------------------------

let tallies: Map<string, Tally> | null = null; // non-null while a profile is being taken
const labels: { name: string }[] = []; // record_function stack (objects: equal names stay distinct)
let labelPrefix = '';

function book(op: string, ms: number): void {
  const key = labelPrefix + op + (engine.inBackward ? ' (backward)' : '');
  const t = tallies!.get(key);
  if (t === undefined) tallies!.set(key, { count: 1, total: ms });
  else {
    t.count++;
    t.total += ms;
  }
}

function wrap(kernel: string, original: AnyFn, names: string[] | undefined): AnyFn {
  // the row a call is booked under: argmax/argmin by the kernel's flag, the op code's name, or the kernel's
  const keyOf: (args: unknown[]) => string = kernel === 'argreduce'
    ? (args) => (args[0] ? 'argmax' : 'argmin')
    : names !== undefined ? (args) => names[args[0] as number] ?? `${kernel} ${args[0]}` : () => kernel;
  return (...args: unknown[]) => {
    const t0 = performance.now();
    try {
      return original(...args);
    } finally {
      book(keyOf(args), performance.now() - t0);
    }
  };
}

const slots = K as unknown as Record<string, AnyFn>;

function install(): void {
  namesCache ??= codeNames();
  for (const name of Object.keys(slots)) {
    const f = slots[name];
    if (typeof f === 'function') slots[name] = wrap(name, f, namesCache.get(name));
  }
}

function uninstall(): void {
  bindKernels(); // the active build's functions, even if it changed while profiling
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * torch.profiler.profile: runs fn, timing every kernel call it makes, and returns a Profile.
 * If fn returns a promise, the kernels are timed until it settles (including any other code
 * that calls kernels meanwhile) and the Profile comes as a promise. Profiles do not nest.
 */
export function profile(fn: () => Promise<unknown>): Promise<Profile>;
export function profile(fn: () => unknown): Profile;
export function profile(fn: () => unknown): Profile | Promise<Profile> {
  if (typeof fn !== 'function') throw new TypeError('torch.profiler.profile(fn): fn must be a function');
  if (tallies !== null) {
    throw new Error('torch.profiler.profile: a profile is already being taken; profiles cannot be nested ' +
      '(use torch.profiler.record_function(name, fn) to label a part of the profiled code)');
  }
  const session = new Map<string, Tally>();
  tallies = session;
  install();
  const finish = (): void => {
    uninstall();
    tallies = null;
  };
  let result: unknown;
  const t0 = performance.now();
  try {
    result = fn();
  } catch (e) {
    finish();
    throw e;
  }
  if (!isThenable(result)) {
    const wall = performance.now() - t0;
    finish();
    return new Profile(session, wall);
  }
  return Promise.resolve(result).then(
    () => {
      const wall = performance.now() - t0;
      finish();
      return new Profile(session, wall);
    },
    (e: unknown) => {
      finish();
      throw e;
    },
  );
}

function setPrefix(): void {
  labelPrefix = labels.length === 0 ? '' : labels.map((l) => l.name).join('/') + '/';
}

/**
 * torch.profiler.record_function: the kernels fn calls are booked as "name/op" (labels nest:
 * "step/forward/gemm"). Returns what fn returns; outside a profile it just runs fn. For an
 * async fn the label holds until its promise settles.
 */
export function record_function<T>(name: string, fn: () => T): T {
  if (typeof name !== 'string' || name === '') throw new TypeError('torch.profiler.record_function(name, fn): name must be a non-empty string');
  if (typeof fn !== 'function') throw new TypeError('torch.profiler.record_function(name, fn): fn must be a function');
  const entry = { name };
  labels.push(entry);
  setPrefix();
  const pop = (): void => {
    const i = labels.lastIndexOf(entry);
    if (i >= 0) labels.splice(i, 1);
    setPrefix();
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    pop();
    throw e;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (v) => {
        pop();
        return v;
      },
      (e: unknown) => {
        pop();
        throw e;
      },
    ) as T;
  }
  pop();
  return result;
}

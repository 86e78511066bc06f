// Linear memory is a bounded cache; the JS heap is the backing store (DESIGN.md).
//
// Every storage has a Slot: its block in linear memory when resident (ptr > 0)
// and/or a host copy. Blocks come from size-class free lists over a bump
// pointer. When resident bytes (or blocks) would pass the working budget, the
// least recently used blocks not touched by the running op are written back to
// host arrays and freed. The working budget starts small and doubles (up to
// the user's budget) only when blocks written back are soon used again: the
// sign that the model's working set is larger. So resident memory follows the
// working set, not the budget: a synchronous loop's dead tensors are written
// back after a few MiB, not after 256. Blocks known dead are freed at once (backward's
// intermediate gradients, composite ops' temporaries, what backward has
// consumed, unread gradients reset by zero_grad, tidy scopes, dispose); a
// FinalizationRegistry frees large ones when the event loop gets to run it.
import { kernels } from './wasm.js';

const PAGE = 65536;
const GROW_SLACK = 1024 * 1024;

/**
 * Where one storage's bytes are: a block in linear memory (ptr > 0) and/or a
 * host copy. The cache holds slots, never storages, so a storage nobody
 * references can still be collected (and its FinalizationRegistry entry fire).
 */
export class Slot {
  ptr = 0; // byte address while resident, else 0
  cls = 0; // block size in bytes (its size class)
  tick = 0; // last op that touched it (the implicit pin of the running op)
  linked = 0; // the op at which it last moved to the resident list's end (its place in the LRU order)
  writtenBack = false; // by eviction: coming back is a refault, the sign of a working set larger than the cache
  prev: Slot | null = null; // the resident list, least recently used first, to RELINK_TICKS (intrusive: no hashing per op)
  next: Slot | null = null;
  /** host copy: an ArrayBuffer, or for small blocks the raw 32-bit words (cheaper to allocate) */
  host: ArrayBuffer | number[] | null = null;
  persistent = false; // owned by a module, an optimizer or a .grad: tidy leaves it alone
  /** made and saved for backward inside a library op, never handed out: dead once backward has used it */
  internal = false;
  /** handed to user code as a .grad: may be referenced outside the library */
  exposed = false;
  disposed = false;
  key = 0; // its entry in the finalization watch list while resident (large blocks only)
  constructor(readonly bytes: number) {}
}

const DISPOSED = 'wasmtorch: this tensor was disposed (by dispose() or a torch.tidy scope) and cannot be used';

let storageCount = 0;
/** Storages created so far: a storage with a larger id was made after that point. */
export function storageWatermark(): number {
  return storageCount;
}

// Registering costs ~0.2 us, more than a small op: small blocks are left to
// the LRU cache (bounded in bytes and in count), large resident ones also get
// freed by the FinalizationRegistry once the event loop runs it.
const FINALIZE_MIN_BYTES = 4096;

/** The most bytes one storage can have: a 32-bit (4 GiB) linear memory, less its first page. */
const MAX_BYTES = 2 ** 32 - PAGE;

/**
 * Whether a storage of `numel` elements of `itemsize` bytes can exist: the allocator's last line of defence (NaN
 * or negative bytes would corrupt its free lists and bump pointer), and the size check creation runs before it
 * fills a host array.
 */
export function checkStorageSize(numel: number, itemsize = 4): void {
  if (!Number.isSafeInteger(numel) || numel < 0) throw new RangeError(`wasmtorch: invalid storage size ${numel}; nothing was allocated`);
  if (numel * itemsize > MAX_BYTES) {
    throw new RangeError(`wasmtorch: out of memory: a tensor of ${numel} elements needs ${numel * itemsize} bytes, more than ` +
      `WebAssembly memory can hold (${MAX_BYTES} bytes)`);
  }
}

/** Raw bytes of one tensor's elements (4 bytes each, 8 for int64). */
export class Storage {
  readonly id = ++storageCount;
  version = 0; // bumped by in-place writes; autograd checks saved tensors against it
  readonly slot: Slot;
  constructor(readonly numel: number, readonly itemsize = 4) {
    checkStorageSize(numel, itemsize);
    this.slot = new Slot(numel * itemsize);
  }
  get persistent(): boolean {
    return this.slot.persistent;
  }
  set persistent(v: boolean) {
    this.slot.persistent = v;
  }
  get disposed(): boolean {
    return this.slot.disposed;
  }
}

// ---- allocator -------------------------------------------------------------

let top = 0; // bump pointer
const freeLists = new Map<number, number[]>();
let linearBytes = kernels.memory.buffer.byteLength;

function sizeClass(bytes: number): number {
  if (bytes <= 256) return Math.max(64, (bytes + 63) & ~63);
  const quarter = 2 ** (Math.floor(Math.log2(bytes)) - 2); // at most 25% waste
  return Math.ceil(bytes / quarter) * quarter;
}

function grow(toBytes: number): boolean {
  const need = Math.ceil((toBytes - kernels.memory.buffer.byteLength) / PAGE);
  if (need <= 0) return true;
  try {
    kernels.memory.grow(Math.max(need, 16));
  } catch {
    return false;
  }
  linearBytes = kernels.memory.buffer.byteLength;
  refreshViews();
  return true;
}

let staticTop = 0; // the end of the kernels' static data and scratch blocks

/** Where linear memory stops growing freely: a quarter past the working budget (free blocks of other sizes). */
function growCap(): number {
  return staticTop + workingBudget * 1.25 + GROW_SLACK;
}

// Blocks are reused whole from the free list of their exact size. Only when
// linear memory would grow past growCap() are free blocks of other sizes
// used: the smallest larger one is split, else all free blocks are coalesced
// first; failing that, 0 unless `pastCap` (allocBlock then writes back more and
// tries again). So varying tensor sizes cannot grow memory past the cap, and
// the common case (same sizes step after step) never scans.
function rawAlloc(cls: number, pastCap: boolean): number {
  const list = freeLists.get(cls);
  if (list !== undefined && list.length > 0) return list.pop()!;
  if (top + cls > linearBytes) {
    if (top + cls > growCap()) {
      const p = splitFree(cls) || (coalesceFree(), splitFree(cls));
      if (p !== 0) return p;
      if (!pastCap && top + cls > growCap()) return 0;
    }
    if (top + cls > linearBytes && !grow(top + cls)) return 0;
  }
  const p = top;
  top += cls;
  return p;
}

/** Takes the smallest free block of at least `bytes` and frees what it does not need. */
function splitFree(bytes: number): number {
  let best = 0;
  for (const [size, list] of freeLists) if (size >= bytes && list.length > 0 && (best === 0 || size < best)) best = size;
  if (best === 0) return 0;
  const p = freeLists.get(best)!.pop()!;
  if (best > bytes) rawFree(p + bytes, best - bytes);
  return p;
}

/** Merges adjacent free blocks (and gives a free tail back to the bump pointer). */
function coalesceFree(): void {
  const blocks: [number, number][] = [];
  for (const [size, list] of freeLists) for (const p of list) blocks.push([p, size]);
  freeLists.clear();
  blocks.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const b of blocks) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last[0] + last[1] === b[0]) last[1] += b[1];
    else merged.push([b[0], b[1]]);
  }
  const tail = merged[merged.length - 1];
  if (tail !== undefined && tail[0] + tail[1] === top) {
    top = tail[0];
    merged.pop();
  }
  for (const [p, size] of merged) rawFree(p, size);
}

function rawFree(ptr: number, cls: number): void {
  let list = freeLists.get(cls);
  if (list === undefined) freeLists.set(cls, (list = []));
  list.push(ptr);
}

// ---- typed views, re-made after every grow ---------------------------------

export let F32 = new Float32Array(kernels.memory.buffer);
export let I32 = new Int32Array(kernels.memory.buffer);
function refreshViews(): void {
  F32 = new Float32Array(kernels.memory.buffer);
  I32 = new Int32Array(kernels.memory.buffer);
}

// ---- the cache ---------------------------------------------------------------

/** Resident slots in a doubly linked list, oldest first. */
const resident = {
  head: null as Slot | null,
  tail: null as Slot | null,
  size: 0,
  add(s: Slot): void {
    s.prev = this.tail;
    s.next = null;
    if (this.tail) this.tail.next = s;
    else this.head = s;
    this.tail = s;
    this.size++;
  },
  delete(s: Slot): void {
    if (s.prev) s.prev.next = s.next;
    else this.head = s.next;
    if (s.next) s.next.prev = s.prev;
    else this.tail = s.prev;
    s.prev = s.next = null;
    this.size--;
  },
};
let residentBytes = 0;
let hostBytes = 0;
let writeBacks = 0;
let budget = 256 * 1024 * 1024; // the user's limit (set_memory_budget)
const INITIAL_WORKING_BUDGET = 16 * 1024 * 1024;
let workingBudget = INITIAL_WORKING_BUDGET; // what eviction keeps resident bytes under: grows on refaults, up to budget
let allocatedBytes = 0; // bytes of blocks handed out so far: the clock refaults are counted against
let refaultBytes = 0; // bytes written back and needed again, this window
let refaultWindowStart = 0;
/** Op clock: blocks touched at the current tick are inputs/outputs of the running op. */
let clock = 1;

/** Starts a new op: everything touched from now on is pinned until the next one. */
export function tick(): void {
  clock++;
}

// The registry must not hold the slot itself: its held values stay alive until
// the callback runs (never, in a synchronous loop), and a slot written back
// holds host data that must become garbage with its storage. So it holds a
// key into `watched`, which holds only resident slots.
const watched = new Map<number, Slot>();
const finalizer = new FinalizationRegistry<number>((key) => {
  const slot = watched.get(key);
  if (slot !== undefined) releaseSlot(slot);
});

function watch(storage: Storage): void {
  if (storage.slot.bytes < FINALIZE_MIN_BYTES) return;
  watched.set(storage.id, storage.slot);
  storage.slot.key = storage.id;
  finalizer.register(storage, storage.id, storage.slot);
}

function unwatch(slot: Slot): void {
  if (slot.key === 0) return;
  watched.delete(slot.key);
  finalizer.unregister(slot);
  slot.key = 0;
}
// Host copies are ordinary garbage; a registry only keeps the host_bytes count honest. Its callbacks wait for
// the event loop, so in a synchronous loop its cells outlive their targets: at most MAX_HOST_CELLS are kept
// (about 1 MB), and host copies made past that are not counted until callbacks have run.
const MAX_HOST_CELLS = 1 << 14;
let hostCells = 0;
const hostFinalizer = new FinalizationRegistry<number>((bytes) => {
  hostBytes -= bytes;
  hostCells--;
});

function countHost(slot: Slot): void {
  if (hostCells >= MAX_HOST_CELLS) return;
  hostCells++;
  hostBytes += slot.bytes;
  hostFinalizer.register(slot, slot.bytes, slot);
}

function dropHost(slot: Slot): void {
  if (slot.host === null) return;
  if (hostFinalizer.unregister(slot)) {
    hostBytes -= slot.bytes;
    hostCells--;
  }
  slot.host = null;
}

function releaseSlot(slot: Slot): void {
  unwatch(slot);
  if (slot.ptr !== 0) {
    resident.delete(slot);
    residentBytes -= slot.cls;
    rawFree(slot.ptr, slot.cls);
    slot.ptr = 0;
  }
  dropHost(slot);
}

const SMALL_WORDS = 64;
// (Addresses and byte counts are shifted with >>>: past 2 GiB a signed >> turns them negative.)

function writeBack(slot: Slot): void {
  const words = slot.bytes >>> 2;
  if (words <= SMALL_WORDS) {
    const host = new Array<number>(words);
    const base = slot.ptr >>> 2;
    for (let i = 0; i < words; i++) host[i] = I32[base + i];
    slot.host = host;
  } else {
    slot.host = copyOut(slot.ptr, slot.bytes);
  }
  countHost(slot);
  unwatch(slot);
  writeBacks++;
  slot.writtenBack = true;
  resident.delete(slot);
  residentBytes -= slot.cls;
  rawFree(slot.ptr, slot.cls);
  slot.ptr = 0;
}

// A block used again moves to the resident list's end if it last moved there more than this many ops ago: the
// list is in order of last use to within that many ops, at a fraction of the cost of moving it at every use
// (a program of tiny ops, lecture 05's, ran 13% slower so).
const RELINK_TICKS = 64;

/**
 * Writes back least recently used blocks until `need` more bytes fit in `target` bytes and the block count is
 * under `maxBlocks`. The resident list is in order of last use (to RELINK_TICKS ops), so this walks from the
 * head; the running op's blocks stay.
 */
function evict(target: number, need: number, maxBlocks: number): void {
  let s = resident.head;
  while (s !== null && (residentBytes + need > target || resident.size > maxBlocks)) {
    const next = s.next;
    if (s.tick < clock) writeBack(s);
    s = next;
  }
}
const MAX_BLOCKS = 1 << 16;

/**
 * A block that eviction wrote back is needed again (dead tensors never are). When such refaults add up to an
 * eighth of the working budget within two working budgets' worth of allocation, the working set is larger than
 * the working budget, which doubles (up to the budget).
 */
function noteRefault(slot: Slot): void {
  if (allocatedBytes - refaultWindowStart > 2 * workingBudget) {
    refaultWindowStart = allocatedBytes;
    refaultBytes = 0;
  }
  refaultBytes += slot.cls;
  if (refaultBytes > workingBudget / 8 && workingBudget < budget) {
    workingBudget = Math.min(budget, workingBudget * 2);
    refaultBytes = 0;
    refaultWindowStart = allocatedBytes;
  }
}

function allocBlock(slot: Slot): number {
  const cls = sizeClass(slot.bytes);
  // one block of more than a quarter of the working budget: the working set is at least a few of those
  if (cls * 4 > workingBudget && workingBudget < budget) workingBudget = Math.min(budget, Math.max(workingBudget * 2, cls * 4));
  if (residentBytes + cls > workingBudget || resident.size >= MAX_BLOCKS) evict(workingBudget * 0.75, cls, MAX_BLOCKS * 0.75);
  let ptr = rawAlloc(cls, false);
  if (ptr === 0) {
    // free memory too fragmented to fit the block under the cap: write back half the working set, merge, retry
    evict(workingBudget * 0.5, cls, MAX_BLOCKS * 0.5);
    ptr = rawAlloc(cls, true);
  }
  if (ptr === 0) {
    evict(0, cls, 0); // out of linear memory: write back all that is not pinned
    ptr = rawAlloc(cls, true);
    if (ptr === 0) {
      throw new Error(`wasmtorch: out of memory: tried to allocate ${slot.bytes} bytes in WebAssembly memory ` +
        `(${residentBytes} resident bytes are pinned by the running op)`);
    }
  }
  slot.ptr = ptr;
  slot.cls = cls;
  slot.tick = slot.linked = clock;
  resident.add(slot);
  residentBytes += cls;
  allocatedBytes += cls;
  return ptr;
}

/** A fresh resident block for a new storage's elements (contents undefined). */
export function allocate(storage: Storage): number {
  if (storage.slot.bytes === 0) return 0;
  // only storages made inside a tidy scope belong to it (not ones made resident again)
  for (let i = 0; i < scopes.length; i++) scopes[i].push(storage.slot);
  const ptr = allocBlock(storage.slot);
  watch(storage);
  return ptr;
}

/** The storage's address in linear memory, making it resident if it was written back. */
export function ptrOf(storage: Storage): number {
  const slot = storage.slot;
  if (slot.ptr !== 0) {
    slot.tick = clock;
    if (clock - slot.linked > RELINK_TICKS) {
      slot.linked = clock;
      resident.delete(slot);
      resident.add(slot);
    }
    return slot.ptr;
  }
  if (slot.disposed) throw new Error(DISPOSED);
  if (slot.bytes === 0) return 0;
  const host = slot.host;
  const ptr = allocBlock(slot);
  if (slot.writtenBack) noteRefault(slot);
  watch(storage);
  if (host !== null) {
    if (Array.isArray(host)) I32.set(host, ptr >>> 2);
    else new Uint8Array(kernels.memory.buffer, ptr, slot.bytes).set(new Uint8Array(host));
    dropHost(slot);
  }
  return ptr;
}

/** Host-only storage from existing bytes (no linear memory used until an op needs it). */
export function hostStorage(buffer: ArrayBuffer, numel: number, itemsize = 4): Storage {
  const s = new Storage(numel, itemsize);
  if (numel > 0) {
    s.slot.host = buffer;
    countHost(s.slot);
    for (const scope of scopes) scope.push(s.slot);
  }
  return s;
}

/** A plain ArrayBuffer copy of linear memory bytes (with shared memory, buffer.slice would give a SharedArrayBuffer). */
function copyOut(ptr: number, bytes: number): ArrayBuffer {
  return new Uint8Array(kernels.memory.buffer, ptr, bytes).slice().buffer;
}

/** A copy of `count` elements from element `offset` of the storage, wherever they live. */
export function readBytes(storage: Storage, offset = 0, count = storage.numel): ArrayBuffer {
  const slot = storage.slot;
  if (storage.disposed) throw new Error(DISPOSED);
  const size = storage.itemsize, begin = offset * size, end = (offset + count) * size;
  if (slot.ptr !== 0) return copyOut(slot.ptr + begin, end - begin);
  if (Array.isArray(slot.host)) return Int32Array.from(slot.host.slice(begin >>> 2, end >>> 2)).buffer;
  if (slot.host !== null) return slot.host.slice(begin, end);
  return new ArrayBuffer(end - begin);
}

const wordBits = new Int32Array(2), wordAsFloat = new Float32Array(wordBits.buffer), wordsAsInt64 = new BigInt64Array(wordBits.buffer);
/**
 * Element `index` of the storage, without copying anything (item()): 'f32' a float, 'i32' an integer, 'i64' a
 * number when it is exact as one (|v| <= 2^53), else a BigInt.
 */
export function readElement(storage: Storage, index: number, kind: 'f32' | 'i32' | 'i64'): number | bigint {
  const slot = storage.slot;
  if (storage.disposed) throw new Error(DISPOSED);
  const words = kind === 'i64' ? 2 : 1, at = index * words;
  if (slot.ptr !== 0) {
    const base = (slot.ptr >>> 2) + at;
    wordBits[0] = I32[base];
    if (words === 2) wordBits[1] = I32[base + 1];
  } else if (Array.isArray(slot.host)) {
    wordBits[0] = slot.host[at];
    if (words === 2) wordBits[1] = slot.host[at + 1];
  } else if (slot.host !== null) {
    wordBits.set(new Int32Array(slot.host, at * 4, words));
  } else {
    return 0;
  }
  if (kind === 'f32') return wordAsFloat[0];
  if (kind === 'i32') return wordBits[0];
  return int64Value(wordsAsInt64[0]);
}

/** An int64 as JS reads it: a number when exact (|v| <= 2^53), else the BigInt. */
export function int64Value(v: bigint): number | bigint {
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
}

/** Frees the storage's block and host copy now; using it afterwards is an error. */
export function disposeStorage(storage: Storage): void {
  disposeSlot(storage.slot);
}

export function disposeSlot(slot: Slot): void {
  if (slot.disposed) return;
  slot.disposed = true;
  releaseSlot(slot);
}

/** Permanent blocks for the kernels' scratch space (outside the budget). */
export function staticBlock(bytes: number): number {
  const ptr = rawAlloc(sizeClass(bytes), true);
  if (ptr === 0) throw new Error('wasmtorch: could not reserve kernel scratch memory');
  staticTop = Math.max(staticTop, top);
  return ptr;
}

// ---- tidy scopes -------------------------------------------------------------

const scopes: Slot[][] = [];

/**
 * Runs fn; frees every block made while it ran except those `keep` returns
 * (given the result and the slots made here) and persistent ones.
 */
/**
 * Runs one public call so that a failure leaves no trace in the allocator: what it made and did not hand to an
 * owner (persistent: parameters, optimizer state) is freed before the error goes on. On success nothing is done.
 */
export function rollbackOnError<T>(fn: () => T): T {
  const scope: Slot[] = [];
  scopes.push(scope);
  try {
    return fn();
  } catch (error) {
    for (const slot of scope) if (!slot.persistent && !slot.exposed) disposeSlot(slot);
    throw error;
  } finally {
    scopes.splice(scopes.lastIndexOf(scope), 1);
  }
}

export function withScope<T>(fn: () => T, keep: (result: T, made: Slot[]) => Set<Slot>): T {
  const scope: Slot[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // what the failed computation made is garbage too
    scopes.splice(scopes.lastIndexOf(scope), 1);
    for (const slot of scope) if (!slot.persistent) disposeSlot(slot);
    throw error;
  }
  scopes.splice(scopes.lastIndexOf(scope), 1);
  const kept = keep(result, scope);
  for (const slot of scope) {
    // outer scopes hold every slot made inside this one too, and decide for the kept ones
    if (!kept.has(slot) && !slot.persistent) disposeSlot(slot);
  }
  return result;
}

// ---- reporting -------------------------------------------------------------

export interface MemoryInfo {
  /** bytes of tensor data in WebAssembly memory (whole blocks) */
  resident_bytes: number;
  resident_blocks: number;
  /** bytes of tensor data in JS memory not yet known to be collected (known when the event loop runs finalizers; a loop that never yields stops adding after 16,384 host copies) */
  host_bytes: number;
  write_backs: number;
  linear_memory_bytes: number;
  /** the limit set by set_memory_budget */
  budget: number;
  /** what resident bytes are kept under now: starts at 16 MiB and doubles, up to budget, when written-back blocks are soon needed again */
  working_budget: number;
}

export function memoryInfo(): MemoryInfo {
  return {
    resident_bytes: residentBytes,
    resident_blocks: resident.size,
    host_bytes: hostBytes,
    write_backs: writeBacks,
    linear_memory_bytes: kernels.memory.buffer.byteLength,
    budget,
    working_budget: workingBudget,
  };
}

export function setMemoryBudget(bytes: number): void {
  if (!(bytes > 0)) throw new Error(`set_memory_budget(): expected a positive number of bytes, got ${bytes}`);
  budget = bytes;
  workingBudget = Math.min(bytes, INITIAL_WORKING_BUDGET); // and grows from there as the working set asks
  if (residentBytes > workingBudget) evict(workingBudget, 0, MAX_BLOCKS);
}

top = staticTop = (kernels.fn.heap_base() + 63) & ~63;

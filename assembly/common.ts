// Shared helpers for the kernels. Every kernel works on raw pointers into
// linear memory owned by the JS allocator; nothing here allocates.

// Debug builds keep asserts (release passes --noAssert): a kernel asked to
// touch memory past the end traps with a message instead of reading garbage.
@inline export function checkRange(ptr: usize, bytes: usize): void {
  assert(ptr + bytes <= (<usize>memory.size() << 16), "kernel access out of bounds");
}

// First free byte after the module's static data: the JS allocator starts here.
export function heap_base(): usize {
  return __heap_base;
}

// Strided loops walk rows of the last dim and step a multi-index over the outer dims. meta = [shape(nd),
// strides of each operand (nd each)...], counter = nd ints of scratch (zeroed by the caller).

// The number of rows (the product of the outer dims), with the counter set to the first.
@inline export function startRows(meta: usize, nd: i32, counter: usize): i32 {
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) {
    rows *= load<i32>(meta + (<usize>d << 2));
    store<i32>(counter + (<usize>d << 2), 0);
  }
  return rows;
}

// Steps the multi-index of the outer dims, the last one fastest; returns the dim that moved forward (those after it
// went back to 0), or -1 past the end.
@inline export function nextRow(meta: usize, nd: i32, counter: usize): i32 {
  for (let d = nd - 2; d >= 0; d--) {
    const cp = counter + (<usize>d << 2);
    const c = load<i32>(cp) + 1;
    if (c < load<i32>(meta + (<usize>d << 2))) {
      store<i32>(cp, c);
      return d;
    }
    store<i32>(cp, 0);
  }
  return -1;
}

// How far operand k's element offset moves when nextRow stepped dim d: one stride of d, less the runs of the dims
// after it (back to 0).
@inline export function rowStep(meta: usize, nd: i32, k: i32, d: i32): isize {
  const strides = meta + (<usize>(k * nd) << 2);
  let step = <isize>load<i32>(strides + (<usize>d << 2));
  for (let e = d + 1; e < nd - 1; e++) step -= <isize>load<i32>(strides + (<usize>e << 2)) * (load<i32>(meta + (<usize>e << 2)) - 1);
  return step;
}

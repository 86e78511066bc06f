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

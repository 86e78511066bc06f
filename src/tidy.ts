// torch.tidy(fn): frees every tensor fn made except what it returns (and the
// graph behind what it returns), parameters, gradients and optimizer state.
import { Tensor } from './tensor.js';
import { withScope, type Slot } from './backend/memory.js';
import type { Node } from './autograd/node.js';

function collect(value: unknown, slots: Set<Slot>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) {
    slots.add(value.storage.slot);
    if (value._grad) slots.add(value._grad.storage.slot);
    if (value.grad_fn) collectGraph(value.grad_fn, slots, seen);
    return;
  }
  const items = Array.isArray(value) ? value : value instanceof Map ? [...value.values()] : Object.values(value);
  for (const v of items) collect(v, slots, seen);
}

function collectGraph(node: Node, slots: Set<Slot>, seen: Set<unknown>): void {
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const t of n.saved) slots.add(t.storage.slot);
    for (const t of n.inputs) {
      if (t === null) continue;
      slots.add(t.storage.slot);
      if (t.grad_fn) stack.push(t.grad_fn);
    }
  }
}

export function tidy<T>(fn: () => T): T {
  return withScope(fn, (result) => {
    const slots = new Set<Slot>();
    collect(result, slots, new Set());
    return slots;
  });
}

/** Marks a tensor made inside tidy() as kept (tf.keep). */
export function keep<T extends Tensor>(t: T): T {
  t.storage.persistent = true;
  return t;
}

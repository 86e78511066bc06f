// Reverse-mode autograd over the recorded graph: one walk in reverse
// topological order, gradients summed per node, leaf gradients accumulated
// in place, and intermediate gradients freed as soon as they are passed on.
import { Tensor } from '../tensor.js';
import { Node, type BackwardFn } from './node.js';
import { Storage, withScope, disposeStorage, disposeSlot, storageWatermark, type Slot } from '../backend/memory.js';
import * as ops from '../ops/index.js';
import { shapeStr, sameShape } from '../ops/core.js';

let gradEnabled = true;

export function is_grad_enabled(): boolean {
  return gradEnabled;
}
export function set_grad_enabled(mode: boolean): void {
  gradEnabled = mode;
}

function withGradMode<T>(mode: boolean, fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = mode;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}
/** torch.no_grad(): runs fn without recording a graph. */
export function no_grad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}
export function enable_grad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

/**
 * Records `out` as produced by an op on `inputs`; a no-op when nothing needs a
 * gradient. `saved` lists every tensor the backward rule reads (checked for
 * in-place changes, kept alive by composite ops): a list, or a function of
 * which inputs need a gradient, so that only what is read is saved.
 */
export function record(out: Tensor, name: string, inputs: (Tensor | null)[], backward: BackwardFn,
  saved: (Tensor | null)[] | ((needs: boolean[]) => (Tensor | null)[]) = []): Tensor {
  if (!gradEnabled) return out;
  let needed = false;
  for (const t of inputs) if (t !== null && t.requires_grad) needed = true;
  if (!needed) return out;
  const needs = inputs.map((t) => t !== null && t.requires_grad);
  const list = (typeof saved === 'function' ? saved(needs) : saved).filter((t): t is Tensor => t !== null);
  out.requires_grad = true;
  out.grad_fn = new Node(name, inputs, needs, backward, list);
  return out;
}

export function setRequiresGrad(t: Tensor, flag: boolean): void {
  if (!t.is_leaf) {
    if (flag) return; // a non-leaf already requires grad
    throw new Error('you can only change requires_grad flags of leaf variables. If you want to use a computed variable ' +
      'in a subgraph that doesn\'t require differentiation use var_no_grad = var.detach().');
  }
  if (flag && t.dtype !== 'float32') {
    throw new Error('only Tensors of floating point and complex dtype can require gradients');
  }
  t.requires_grad = flag;
}

export function retainGrad(t: Tensor): void {
  if (!t.requires_grad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
  if (t.grad_fn !== null) {
    t._retains_grad = true;
    t.grad_fn.retained = new WeakRef(t);
  }
}


function checkSaved(node: Node): void {
  for (let i = 0; i < node.saved.length; i++) {
    const t = node.saved[i];
    if (t.storage.version !== node.savedVersions[i]) {
      throw new Error('one of the variables needed for gradient computation has been modified by an inplace operation: ' +
        `[torch.FloatTensor ${shapeStr(t.shape)}], which is output 0 of ${t.grad_fn?.name() ?? 'a leaf'}, is at version ` +
        `${t.storage.version}; expected version ${node.savedVersions[i]} instead. Hint: the backtrace further above ` +
        'shows the operation that failed to compute its gradient. The variable in question was changed in there or anywhere later. Good luck!');
    }
  }
}

/** Nodes reachable from the roots, consumers before producers. */
function topoOrder(roots: Node[]): Node[] {
  const order: Node[] = [];
  const visited = new Set<Node>();
  // iterative post-order DFS (graphs of long RNN unrolls would overflow recursion)
  for (const root of roots) {
    if (visited.has(root)) continue;
    const stack: [Node, number][] = [[root, 0]];
    visited.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (i < node.inputs.length) {
        top[1]++;
        const child = node.edges[i];
        if (child && !visited.has(child)) {
          visited.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}

const FREED_MESSAGE = 'Trying to backward through the graph a second time (or directly access saved tensors after they ' +
  'have already been freed). Saved intermediate values of the graph are freed when you call .backward() or ' +
  'autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need ' +
  'to access saved tensors after calling backward.';

interface RunOptions {
  retain_graph: boolean;
  create_graph: boolean;
  /** autograd.grad: collect gradients for these instead of accumulating into leaves */
  inputs: Tensor[] | null;
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  const shaped = sameShape(g.shape, leaf.shape) ? g : g.view(leaf.shape);
  if (gradEnabled) {
    // create_graph: the gradient keeps its graph, so it can be differentiated again
    leaf._grad = leaf._grad === null ? ops.clone(shaped) : leaf._grad.add(shaped);
  } else if (leaf._grad === null) {
    leaf._grad = ops.contiguousCopy(shaped);
  } else {
    ops.accumulate_(leaf._grad, shaped);
    return;
  }
  leaf._grad.storage.persistent = true;
}

const EDGE_MIN_NUMEL = 256;
// The storage of a freed graph's edges: no data (made at first use, once Storage has loaded).
let edgeStorage: Storage | null = null;
/** An edge of a freed graph in place of tensor t: its grad_fn, shape and flags over no data. */
function edgeOf(t: Tensor): Tensor {
  edgeStorage ??= new Storage(0);
  const e = new Tensor(edgeStorage, t.shape, t._strides, 0, t.dtype);
  e.requires_grad = t.requires_grad;
  e.grad_fn = t.grad_fn;
  return e;
}

/** True while a backward pass runs the graph's backward rules (torch.profiler marks those kernels "(backward)"). */
export let inBackward = false;

function run(roots: Tensor[], rootGrads: Tensor[], opts: RunOptions): (Tensor | null)[] {
  const outer = inBackward;
  inBackward = true;
  try {
    return runGraph(roots, rootGrads, opts);
  } finally {
    inBackward = outer;
  }
}

function runGraph(roots: Tensor[], rootGrads: Tensor[], opts: RunOptions): (Tensor | null)[] {
  const rootNodes = roots.map((r) => r.grad_fn).filter((n): n is Node => n !== null);
  const order = topoOrder(rootNodes);
  const pending = new Map<Node, Tensor>();
  const refs = new Map<Storage, number>(); // pending gradients per storage
  const watermark = storageWatermark(); // only storages made by this backward may be freed
  const wanted = opts.inputs ? new Map(opts.inputs.map((t, i) => [t, i])) : null;
  const results: (Tensor | null)[] = opts.inputs ? opts.inputs.map(() => null) : [];
  const eager = !opts.create_graph;
  const handedOut = new Set<Storage>(); // became a leaf's .grad or a result: never freed here

  const release = (g: Tensor): void => {
    const n = (refs.get(g.storage) ?? 1) - 1;
    if (n > 0) refs.set(g.storage, n);
    else {
      refs.delete(g.storage);
      if (eager && g.storage.id > watermark && !g.storage.persistent && !handedOut.has(g.storage)) disposeStorage(g.storage);
    }
  };
  const hold = (g: Tensor): void => {
    refs.set(g.storage, (refs.get(g.storage) ?? 0) + 1);
  };
  // t's gradient g, passed along the edge recorded for it (its grad_fn when the op that used it ran)
  const deliver = (t: Tensor, edge: Node | null, g: Tensor): void => {
    if (wanted !== null && wanted.has(t)) {
      const i = wanted.get(t)!;
      results[i] = results[i] === null ? g : results[i]!.add(g);
      handedOut.add(results[i]!.storage);
      if (edge === null) return;
    }
    if (edge === null) {
      if (wanted !== null) return;
      // a gradient this backward made and nobody else holds becomes the leaf's .grad without a copy
      if (t._grad === null && eager && g.storage.id > watermark && !refs.has(g.storage) && !handedOut.has(g.storage) &&
        g.offset === 0 && g.storage.numel === t.numel() && g.is_contiguous() && sameShape(g.shape, t.shape)) {
        handedOut.add(g.storage);
        g.storage.persistent = true;
        t._grad = g;
      } else {
        accumulateLeaf(t, g);
      }
      return;
    }
    const prev = pending.get(edge);
    if (prev === undefined) {
      pending.set(edge, g);
      hold(g);
    } else {
      const sum = prev.add(g);
      pending.set(edge, sum);
      hold(sum);
      release(prev);
    }
  };

  for (let i = 0; i < roots.length; i++) deliver(roots[i], roots[i].grad_fn, rootGrads[i]);
  const internalSaved: Slot[] = [];

  for (const node of order) {
    const g = pending.get(node);
    if (g === undefined) continue;
    pending.delete(node);
    if (node.backwardFn === null) throw new Error(FREED_MESSAGE);
    checkSaved(node);
    const retained = node.retained?.deref();
    if (retained !== undefined) {
      if (retained._grad === null) {
        retained._grad = ops.contiguousCopy(g);
        retained._grad.storage.persistent = true;
      } else {
        ops.accumulate_(retained._grad, g);
      }
    }
    const needs = node.needs;
    const grads = node.backwardFn(g, needs);
    for (let i = 0; i < node.inputs.length; i++) {
      const t = node.inputs[i];
      let ig = grads[i];
      if (t === null || !needs[i] || ig === null || ig === undefined) continue;
      if (!sameShape(ig.shape, t.shape)) ig = ops.sumToShape(ig, t.shape);
      deliver(t, node.edges[i], ig);
    }
    release(g);
    if (!opts.retain_graph) {
      if (node.saved.length > 0) node.backwardFn = null; // a second pass must fail, as in PyTorch
      for (const t of node.saved) if (t.storage.slot.internal) internalSaved.push(t.storage.slot);
      node.saved = [];
      // the graph keeps its edges, not the intermediate tensors' data: a loss kept by user code (losses.push(loss))
      // no longer holds every step's activations, as PyTorch's freed graph does not (small ones, whose edge would
      // cost more than their data, are left: the seed program's are 3 floats)
      for (let i = 0; i < node.inputs.length; i++) {
        const t = node.inputs[i];
        if (t !== null && t.grad_fn !== null && t.storage.numel > EDGE_MIN_NUMEL) node.inputs[i] = edgeOf(t);
      }
    }
  }
  // what library ops saved for this backward and never handed out is dead now
  for (const slot of internalSaved) if (!slot.persistent) disposeSlot(slot);
  return results;
}

function rootGradient(t: Tensor, gradient: Tensor | null): Tensor {
  if (gradient !== null) {
    if (!sameShape(gradient.shape, t.shape)) {
      throw new Error(`Mismatch in shape: grad_output[0] has a shape of torch.Size(${shapeStr(gradient.shape)}) and ` +
        `output[0] has a shape of torch.Size(${shapeStr(t.shape)}).`);
    }
    return gradient;
  }
  if (t.numel() !== 1) throw new Error('grad can be implicitly created only for scalar outputs');
  return ops.filled(t.shape, 1, { dtype: t.dtype }); // ones_like without parsing its options on every backward()
}

function checkRoot(t: Tensor): void {
  if (!t.requires_grad) {
    throw new Error('element 0 of tensors does not require grad and does not have a grad_fn');
  }
}

/** Tensor.backward() and torch.autograd.backward(): accumulates d(roots)/d(leaf) into every leaf's .grad, in one pass. */
export function backward(roots: Tensor[], gradients: (Tensor | null)[], options: { retain_graph?: boolean; create_graph?: boolean }): void {
  roots.forEach(checkRoot);
  const create_graph = options.create_graph ?? false;
  const opts: RunOptions = { retain_graph: options.retain_graph ?? create_graph, create_graph, inputs: null };
  const grads = () => roots.map((t, i) => rootGradient(t, gradients[i] ?? null));
  if (create_graph) {
    withGradMode(true, () => run(roots, grads(), opts));
  } else {
    // temporaries of the backward rules die with the scope; leaf grads are persistent
    withScope(() => withGradMode(false, () => run(roots, grads(), opts)), () => new Set());
  }
}

/** torch.autograd.grad(outputs, inputs, grad_outputs?, { retain_graph, create_graph, allow_unused }). */
export function grad(
  outputs: Tensor | Tensor[],
  inputs: Tensor | Tensor[],
  grad_outputs: Tensor | (Tensor | null)[] | null = null,
  options: { retain_graph?: boolean; create_graph?: boolean; allow_unused?: boolean } = {},
): Tensor[] {
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  const gos = grad_outputs === null ? outs.map(() => null) : Array.isArray(grad_outputs) ? grad_outputs : [grad_outputs];
  outs.forEach(checkRoot);
  for (const t of ins) {
    if (!t.requires_grad) throw new Error('One of the differentiated Tensors does not require grad');
  }
  const create_graph = options.create_graph ?? false;
  const opts: RunOptions = { retain_graph: options.retain_graph ?? create_graph, create_graph, inputs: ins };
  const compute = () => withGradMode(create_graph, () => run(outs, outs.map((o, i) => rootGradient(o, gos[i] ?? null)), opts));
  // without create_graph, everything but the returned gradients is a temporary
  const results = create_graph ? compute() : withScope(compute, (res) => new Set(res.flatMap((r) => (r ? [r.storage.slot] : []))));
  if (results.includes(null) && !options.allow_unused) {
    throw new Error('One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.');
  }
  return results as Tensor[];
}

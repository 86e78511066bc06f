// One recorded op: its backward rule, its inputs (graph edges) and the
// tensors it saved, with their versions to detect in-place changes.
import type { Tensor } from '../tensor.js';

/** Given the output gradient, the gradients of the inputs (null where not needed). */
export type BackwardFn = (grad: Tensor, needs: boolean[]) => (Tensor | null)[];

let nodeCount = 0;
/** Nodes recorded so far: a node with a larger id was recorded after that point. */
export function nodeWatermark(): number {
  return nodeCount;
}

export class Node {
  readonly id = ++nodeCount;
  savedVersions: number[];
  /**
   * The graph edges: each input's grad_fn when this op ran (null for a leaf or a constant), fixed then as
   * PyTorch's are. An in-place op that later gives an input a new history does not re-route this op's gradient.
   */
  readonly edges: (Node | null)[];
  /** the non-leaf tensor whose grad is kept (retain_grad) */
  retained: WeakRef<Tensor> | null = null;
  constructor(
    private readonly opName: string,
    public inputs: (Tensor | null)[],
    /** which inputs get a gradient: fixed when the op ran, as PyTorch's graph edges are */
    readonly needs: boolean[],
    public backwardFn: BackwardFn | null,
    public saved: Tensor[],
  ) {
    this.savedVersions = saved.map((t) => t.storage.version);
    this.edges = inputs.map((t) => t?.grad_fn ?? null);
  }
  /** PyTorch's grad_fn.name(), e.g. 'MulBackward0'. */
  name(): string { return this.opName; }
  toString(): string { return `<${this.opName}>`; }
  /** PyTorch's grad_fn.next_functions, as [node or 'AccumulateGrad' or null, 0] pairs. */
  get next_functions(): [Node | string | null, number][] {
    return this.inputs.map((t, i) => [t === null || !this.needs[i] ? null : this.edges[i] ?? 'AccumulateGrad', 0]);
  }
}

// Recurrent layers: RNN (tanh/relu), LSTM and GRU with PyTorch's parameter
// names (weight_ih_l0, weight_hh_l0_reverse, ...), gate orders (LSTM i, f, g,
// o; GRU r, z, n), shapes and initialisation, and their cells. The input
// projection of all time steps is one GEMM per layer and direction; the
// recurrence, every step of it, is one fused op (ops/recurrence.ts).
import { signature, bind, bindNamed, pyType, isOptions, type Signature, type CallArgs } from '../signature.js';
import { pyFloat, pyRepr, pyBool } from '../pyrepr.js';
import { Tensor } from '../tensor.js';
import { Module, Parameter, factoryKwargs } from './module.js';
import { empty_, zeros, tensor as torch_tensor } from '../ops/creation.js';
import * as ops from '../ops/index.js';
import * as init from './init.js';
import { dropoutImpl } from './normalization.js';
import { no_grad } from '../autograd/engine.js';
import { composite } from '../ops/core.js';
import { PackedSequence } from './packing.js';
import { asKeywords } from '../pyfunction.js';

type Mode = ops.RecurrentMode;

export interface RNNOptions {
  num_layers?: number;
  nonlinearity?: 'tanh' | 'relu';
  bias?: boolean;
  batch_first?: boolean;
  dropout?: number;
  bidirectional?: boolean;
  proj_size?: number;
  device?: unknown;
  dtype?: unknown;
}

// PyTorch's RNNBase.__init__ and the forms of its subclasses, which pass their arguments on to it after the mode (so
// proj_size may come by position to all three): Python's messages name RNNBase.__init__. input_size, hidden_size,
// bias, batch_first and dropout are Any because RNNBase checks them itself, in its words.
const RECURRENT_PARAMS = 'Any bias=True, Any batch_first=False, Any dropout=0.0, bool bidirectional=False, int proj_size=0, ' +
  'Any device=None, Any dtype=None)';
const RNN_BASE = recurrentSignature(`RNNBase(str mode, Any input_size, Any hidden_size, int num_layers=1, ${RECURRENT_PARAMS}`, 1);
const RNN_SIG = recurrentSignature(`RNN(Any input_size, Any hidden_size, int num_layers=1, str nonlinearity='tanh', ${RECURRENT_PARAMS}`, 1);
const LSTM_SIG = recurrentSignature(`LSTM(Any input_size, Any hidden_size, int num_layers=1, ${RECURRENT_PARAMS}`, 2);
const GRU_SIG = recurrentSignature(`GRU(Any input_size, Any hidden_size, int num_layers=1, ${RECURRENT_PARAMS}`, 2);

function recurrentSignature(schema: string, self: number): Signature {
  const sig = signature(schema);
  sig.label = 'RNNBase.__init__';
  // what Python counts besides the arguments: self, and the mode LSTM and GRU put before them; RNN takes its
  // nonlinearity out of them as it puts the mode in (there PyTorch's "takes from 4 to 12" is "from 3 to 12" here)
  sig.self = self;
  return sig;
}

type RNNBaseCall = CallArgs<[mode: string, input_size: number, hidden_size: number, num_layers: number, bias: boolean, batch_first: boolean,
  dropout: number, bidirectional: boolean, proj_size: number, device: unknown, dtype: unknown], RNNOptions & { mode?: string; input_size?: number; hidden_size?: number }>;
type Sizes = { input_size?: number; hidden_size?: number };
type RNNCall = CallArgs<[input_size: number, hidden_size: number, num_layers: number, nonlinearity: string, bias: boolean,
  batch_first: boolean, dropout: number, bidirectional: boolean, proj_size: number, device: unknown, dtype: unknown], RNNOptions & Sizes>;
type LSTMCall = CallArgs<[input_size: number, hidden_size: number, num_layers: number, bias: boolean, batch_first: boolean, dropout: number,
  bidirectional: boolean, proj_size: number, device: unknown, dtype: unknown], Omit<RNNOptions, 'nonlinearity'> & Sizes>;

/** PyTorch's `isinstance` checks of RNNBase, in its words. */
function checkType(name: string, v: unknown, type: 'bool' | 'int'): void {
  if (type === 'bool' ? typeof v !== 'boolean' : !Number.isInteger(v)) throw new TypeError(`${name} should be of type ${type}, got: ${pyType(v)}`);
}

/**
 * nn.RNNBase(mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
 * bidirectional=False, proj_size=0, device=None, dtype=None); S: the state, h (RNN, GRU) or [h, c] (LSTM).
 */
export class RNNBase<S extends Tensor | [Tensor, Tensor] = Tensor | [Tensor, Tensor]> extends Module {
  readonly mode: Mode;
  readonly input_size: number;
  readonly hidden_size: number;
  readonly num_layers: number;
  readonly bias: boolean;
  readonly batch_first: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly proj_size: number;
  constructor(...args: RNNBaseCall) {
    super();
    const [mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size, device, dtype] =
      bind(RNN_BASE, asKeywords(RNN_BASE, args)) as [string, number, number, number, boolean, boolean, number, boolean, number, unknown, unknown];
    // RNNBase.__init__'s checks, in its order (ValueErrors but for the TypeErrors of checkType)
    if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1)) {
      throw new Error('dropout should be a number in range [0, 1] representing the probability of an element being zeroed');
    }
    if (dropout > 0 && num_layers === 1) {
      console.warn('dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater ' +
        `than 1, but got dropout=${pyRepr(dropout)} and num_layers=${num_layers}`);
    }
    checkType('bias', bias, 'bool');
    checkType('batch_first', batch_first, 'bool');
    checkType('input_size', input_size, 'int');
    if (input_size <= 0) throw new Error('input_size must be greater than zero');
    checkType('hidden_size', hidden_size, 'int');
    if (hidden_size <= 0) throw new Error('hidden_size must be greater than zero');
    if (num_layers <= 0) throw new Error('num_layers must be greater than zero');
    if (proj_size < 0) throw new Error('proj_size should be a positive integer or zero to disable projections');
    if (proj_size >= hidden_size) throw new Error('proj_size has to be smaller than hidden_size');
    if (!Object.prototype.hasOwnProperty.call(ops.GATES, mode)) throw new Error(`Unrecognized RNN mode: ${mode}`);
    if (proj_size !== 0) throw new Error('LSTM: proj_size > 0 is not supported');
    factoryKwargs('RNNBase', device, dtype);
    this.mode = mode as Mode;
    this.input_size = input_size;
    this.hidden_size = hidden_size;
    this.num_layers = num_layers;
    this.bias = bias;
    this.batch_first = batch_first;
    this.dropout = dropout;
    this.bidirectional = bidirectional;
    this.proj_size = proj_size;
    const G = ops.GATES[this.mode] * hidden_size, dirs = this.bidirectional ? 2 : 1;
    const self = this as unknown as Record<string, Parameter>;
    for (let layer = 0; layer < this.num_layers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        const inSize = layer === 0 ? input_size : hidden_size * dirs;
        self[`weight_ih${sfx}`] = new Parameter(empty_(G, inSize));
        self[`weight_hh${sfx}`] = new Parameter(empty_(G, hidden_size));
        if (this.bias) {
          self[`bias_ih${sfx}`] = new Parameter(empty_(G));
          self[`bias_hh${sfx}`] = new Parameter(empty_(G));
        }
      }
    }
    this.reset_parameters();
  }

  reset_parameters(): void {
    const stdv = this.hidden_size > 0 ? 1 / Math.sqrt(this.hidden_size) : 0;
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv);
  }

  private param(name: string): Parameter | null {
    return ((this as unknown as Record<string, Parameter | undefined>)[name]) ?? null;
  }

  /**
   * input [T, B, I] ([B, T, I] with batch_first, or unbatched [T, I]) or a
   * PackedSequence; hx [layers*dirs, B, H] (LSTM: [h0, c0]).
   */
  forward(input: Tensor, hx?: S | null): [Tensor, S];
  forward(input: PackedSequence, hx?: S | null): [PackedSequence, S];
  forward(input: Tensor | PackedSequence, hx: S | null = null): [Tensor | PackedSequence, S] {
    if (input instanceof PackedSequence) return this.run(input, hx) as [PackedSequence, S];
    const unbatched = input.dim() === 2;
    if (input.dim() !== 2 && input.dim() !== 3) {
      throw new Error(`${this.constructor.name}: Expected input to be 2D or 3D, got ${input.dim()}D instead`);
    }
    const x = unbatched ? input.unsqueeze(1) : this.batch_first ? input.transpose(0, 1) : input; // [T, B, I]
    this.checkInputSize(x.shape[2]);
    const [T, B] = x.shape;
    const batched = (h: Tensor) => (unbatched ? h.unsqueeze(1) : h);
    const states = hx === null ? null : Array.isArray(hx) ? [batched(hx[0]), batched(hx[1])] as [Tensor, Tensor] : batched(hx);
    // a padded batch is a packed one whose sequences all run T steps
    const sizes = torch_tensor(new Int32Array(T).fill(B), { dtype: 'int64' });
    const [packed, h] = this.run(new PackedSequence(x.reshape(T * B, this.input_size), sizes), states);
    let output = packed.data.reshape(T, B, -1);
    output = unbatched ? output.squeeze(1) : this.batch_first ? output.transpose(0, 1) : output;
    const unbatch = (t: Tensor) => (unbatched ? t.squeeze(1) : t);
    return [output, (Array.isArray(h) ? [unbatch(h[0]), unbatch(h[1])] : unbatch(h)) as S];
  }

  private checkInputSize(size: number): void {
    if (size !== this.input_size) throw new Error(`input.size(-1) must be equal to input_size. Expected ${this.input_size}, got ${size}`);
  }

  /** Every layer and direction over a packed batch: at step t only the first batch_sizes[t] (longest) sequences advance. */
  private run(seq: PackedSequence, hx: Tensor | [Tensor, Tensor] | null): [PackedSequence, Tensor | [Tensor, Tensor]] {
    this.checkInputSize(seq.data.shape[1]);
    // one composite: what the layers make and backward does not read is freed at once, what it reads right after backward
    const [x, h_n, c_n] = composite(() => this.layers(seq, hx));
    const out = new PackedSequence(x, seq.batch_sizes, seq.sorted_indices, seq.unsorted_indices);
    return [out, c_n ? [h_n, c_n] : h_n];
  }

  private layers(seq: PackedSequence, hx: Tensor | [Tensor, Tensor] | null): [Tensor, Tensor, Tensor | null] {
    const B = seq.batch_sizes.numel() > 0 ? seq.batch_sizes.select(0, 0).item() : 0;
    const H = this.hidden_size, dirs = this.bidirectional ? 2 : 1;
    const lstm = this.mode === 'LSTM';
    const expected = [this.num_layers * dirs, B, H];
    const initial = (t: Tensor | undefined, name: string): Tensor => {
      if (t === undefined) return zeros(expected);
      if (!ops.sameShape(t.shape, expected)) throw new Error(`Expected ${name} size (${expected.join(', ')}), got [${t.shape.join(', ')}]`);
      return seq.sorted_indices ? t.index_select(1, seq.sorted_indices) : t; // user states come in the original order
    };
    const h0 = initial(lstm ? (hx as [Tensor, Tensor] | null)?.[0] : (hx as Tensor | null) ?? undefined, lstm ? 'hidden[0]' : 'hidden');
    const c0 = lstm ? initial((hx as [Tensor, Tensor] | null)?.[1], 'hidden[1]') : null;
    let x = seq.data;
    const hN: Tensor[] = [], cN: Tensor[] = [];
    for (let layer = 0; layer < this.num_layers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < dirs; d++) {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        const k = layer * dirs + d;
        const xw = ops.linear(x, this.param(`weight_ih${sfx}`)!, this.param(`bias_ih${sfx}`)); // [sum of lengths, G]
        const w_hh = this.param(`weight_hh${sfx}`)!, b_hh = this.param(`bias_hh${sfx}`);
        const [out, h, c] = ops.recurrence(this.mode, xw, h0.select(0, k), c0 ? c0.select(0, k) : null, w_hh, b_hh, seq.batch_sizes, d === 1);
        outs.push(out);
        hN.push(h);
        if (c) cN.push(c);
      }
      x = dirs === 1 ? outs[0] : ops.cat(outs, 1);
      if (this.dropout > 0 && this.training && layer < this.num_layers - 1) x = dropoutImpl(x, this.dropout, true);
    }
    const restore = (t: Tensor) => (seq.unsorted_indices ? t.index_select(1, seq.unsorted_indices) : t);
    return [x, restore(ops.stack(hN, 0)), c0 ? restore(ops.stack(cN, 0)) : null];
  }

  extra_repr(): string {
    let s = `${this.input_size}, ${this.hidden_size}`;
    if (this.num_layers !== 1) s += `, num_layers=${this.num_layers}`;
    if (!this.bias) s += ', bias=False';
    if (this.batch_first) s += ', batch_first=True';
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += ', bidirectional=True';
    return s;
  }
}

/**
 * A subclass's arguments checked by its own signature, as RNNBase's (mode first). RNN and GRU refuse proj_size by
 * name, as PyTorch does (by position it is RNNBase's, passed on).
 */
function baseArgs(sig: Signature, mode: (v: Record<string, unknown>) => string, args: unknown[]): RNNBaseCall {
  const last = args[args.length - 1];
  if (sig !== LSTM_SIG && isOptions(last) && 'proj_size' in last) throw new Error('proj_size argument is only supported for LSTM, not RNN or GRU');
  const v = bindNamed(sig, asKeywords(sig, args));
  return RNN_BASE.params.map((p) => (p.name === 'mode' ? mode(v) : v[p.name])) as unknown as RNNBaseCall;
}

function rnnMode(v: Record<string, unknown>): string {
  if (v.nonlinearity === 'tanh') return 'RNN_TANH';
  if (v.nonlinearity === 'relu') return 'RNN_RELU';
  throw new Error(`Unknown nonlinearity '${v.nonlinearity}'. Select from 'tanh' or 'relu'.`);
}

/** nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None). */
export class RNN extends RNNBase<Tensor> {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(...args: RNNCall) {
    super(...baseArgs(RNN_SIG, rnnMode, args));
    this.nonlinearity = this.mode === 'RNN_RELU' ? 'relu' : 'tanh';
  }
}
/** nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None). */
export class LSTM extends RNNBase<[Tensor, Tensor]> {
  constructor(...args: LSTMCall) {
    super(...baseArgs(LSTM_SIG, () => 'LSTM', args));
  }
}
/** nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None). */
export class GRU extends RNNBase<Tensor> {
  constructor(...args: LSTMCall) {
    super(...baseArgs(GRU_SIG, () => 'GRU', args));
  }
}

const RNN_CELL = signature("RNNCell(int input_size, int hidden_size, bool bias=True, str nonlinearity='tanh', Any device=None, Any dtype=None)");
const GRU_CELL = signature('GRUCell(int input_size, int hidden_size, bool bias=True, Any device=None, Any dtype=None)');
const LSTM_CELL = signature('LSTMCell(int input_size, int hidden_size, bool bias=True, Any device=None, Any dtype=None)');

type CellCall = CallArgs<[input_size: number, hidden_size: number, bias: boolean, device: unknown, dtype: unknown],
  { input_size?: number; hidden_size?: number; bias?: boolean; device?: unknown; dtype?: unknown }>;

/** The cells: one step, parameters weight_ih, weight_hh, bias_ih, bias_hh. */
class CellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;
  readonly mode: Mode;
  readonly input_size: number;
  readonly hidden_size: number;
  readonly bias: boolean;
  constructor(sig: Signature, args: unknown[]) {
    super();
    const v = bindNamed(sig, args);
    const nonlinearity = v.nonlinearity;
    // PyTorch's RNNCell.forward refuses an unknown one (with these words); here the constructor does
    if (sig === RNN_CELL && nonlinearity !== 'tanh' && nonlinearity !== 'relu') throw new Error(`Unknown nonlinearity: ${nonlinearity}`);
    factoryKwargs(sig.name, v.device, v.dtype);
    this.mode = sig === GRU_CELL ? 'GRU' : sig === LSTM_CELL ? 'LSTM' : nonlinearity === 'relu' ? 'RNN_RELU' : 'RNN_TANH';
    const input_size = this.input_size = v.input_size as number;
    const hidden_size = this.hidden_size = v.hidden_size as number;
    this.bias = v.bias as boolean;
    const G = ops.GATES[this.mode] * hidden_size;
    this.weight_ih = new Parameter(empty_(G, input_size));
    this.weight_hh = new Parameter(empty_(G, hidden_size));
    this.bias_ih = this.bias ? new Parameter(empty_(G)) : null;
    this.bias_hh = this.bias ? new Parameter(empty_(G)) : null;
    const stdv = hidden_size > 0 ? 1 / Math.sqrt(hidden_size) : 0;
    for (const p of this.parameters()) init.uniform_(p, -stdv, stdv);
  }
  protected run(input: Tensor, h: Tensor | null, c: Tensor | null): [Tensor, Tensor | null] {
    if (input.shape[input.dim() - 1] !== this.input_size) {
      throw new Error(`input has inconsistent input_size: got ${input.shape[input.dim() - 1]} expected ${this.input_size}`);
    }
    const x = input.dim() === 1 ? input.unsqueeze(0) : input;
    const zero = () => zeros(x.shape[0], this.hidden_size);
    const hh = h ? (h.dim() === 1 ? h.unsqueeze(0) : h) : zero();
    const cc = this.mode === 'LSTM' ? (c ? (c.dim() === 1 ? c.unsqueeze(0) : c) : zero()) : null;
    const sizes = torch_tensor([x.shape[0]], { dtype: 'int64' });
    const [h2, c2] = composite(() => {
      const [, h, c] = ops.recurrence(this.mode, ops.linear(x, this.weight_ih, this.bias_ih), hh, cc, this.weight_hh, this.bias_hh, sizes, false);
      return [h, c] as [Tensor, Tensor | null];
    });
    return input.dim() === 1 ? [h2.squeeze(0), c2 ? c2.squeeze(0) : null] : [h2, c2];
  }
  extra_repr(): string {
    const relu = this.mode === 'RNN_RELU' ? ', nonlinearity=relu' : '';
    return `${this.input_size}, ${this.hidden_size}${this.bias ? '' : `, bias=${pyBool(this.bias)}`}${relu}`;
  }
}

/** nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh', device=None, dtype=None). */
export class RNNCell extends CellBase {
  readonly nonlinearity: 'tanh' | 'relu';
  constructor(...args: CallArgs<[input_size: number, hidden_size: number, bias: boolean, nonlinearity: 'tanh' | 'relu', device: unknown,
    dtype: unknown], { input_size?: number; hidden_size?: number; bias?: boolean; nonlinearity?: 'tanh' | 'relu'; device?: unknown; dtype?: unknown }>) {
    super(RNN_CELL, args);
    this.nonlinearity = this.mode === 'RNN_RELU' ? 'relu' : 'tanh';
  }
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.run(input, hx, null)[0];
  }
}
/** nn.GRUCell(input_size, hidden_size, bias=True, device=None, dtype=None). */
export class GRUCell extends CellBase {
  constructor(...args: CellCall) {
    super(GRU_CELL, args);
  }
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.run(input, hx, null)[0];
  }
}
/** nn.LSTMCell(input_size, hidden_size, bias=True, device=None, dtype=None). */
export class LSTMCell extends CellBase {
  constructor(...args: CellCall) {
    super(LSTM_CELL, args);
  }
  forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const [h, c] = this.run(input, hx ? hx[0] : null, hx ? hx[1] : null);
    return [h, c!];
  }
}

/**
 * nn.Embedding: rows of weight [num_embeddings, embedding_dim] (init N(0, 1));
 * padding_idx's row starts at zero and gets no gradient; max_norm renormalises
 * the rows looked up.
 */
const EMBEDDING = signature('Embedding(int num_embeddings, int embedding_dim, int? padding_idx=None, float? max_norm=None, ' +
  'float norm_type=2.0, bool scale_grad_by_freq=False, bool sparse=False, Tensor? _weight=None, bool _freeze=False, Any device=None, Any dtype=None)');

export class Embedding extends Module {
  weight: Parameter;
  readonly padding_idx: number | null;
  readonly max_norm: number | null;
  readonly norm_type: number;
  readonly num_embeddings: number;
  readonly embedding_dim: number;
  constructor(...args: (number | boolean | Tensor | null | ops.EmbeddingOptions & { num_embeddings?: number; embedding_dim?: number;
    _weight?: Tensor | null; _freeze?: boolean })[]) {
    super();
    const v = bindNamed(EMBEDDING, args);
    const num_embeddings = v.num_embeddings as number, embedding_dim = v.embedding_dim as number;
    this.num_embeddings = num_embeddings;
    this.embedding_dim = embedding_dim;
    const options = v as ops.EmbeddingOptions & { _weight?: Tensor | null; _freeze?: boolean };
    let pad = options.padding_idx ?? null;
    if (pad !== null) {
      if (pad >= num_embeddings || pad < -num_embeddings) throw new Error('Padding_idx must be within num_embeddings');
      if (pad < 0) pad += num_embeddings;
    }
    this.padding_idx = pad;
    this.max_norm = options.max_norm ?? null;
    this.norm_type = options.norm_type ?? 2;
    if (options._weight) {
      if (options._weight.shape[0] !== num_embeddings || options._weight.shape[1] !== embedding_dim) {
        throw new Error('Shape of weight does not match num_embeddings and embedding_dim');
      }
      this.weight = new Parameter(options._weight.detach().clone(), !(options._freeze ?? false));
    } else {
      this.weight = new Parameter(empty_(num_embeddings, embedding_dim));
      init.normal_(this.weight);
      if (pad !== null) no_grad(() => this.weight.select(0, pad!).fill_(0));
    }
  }
  /** nn.Embedding.from_pretrained(embeddings, { freeze: true, padding_idx, max_norm, norm_type }). */
  static from_pretrained(embeddings: Tensor, options: ops.EmbeddingOptions & { freeze?: boolean } = {}): Embedding {
    if (embeddings.dim() !== 2) throw new Error('Embeddings parameter is expected to be 2-dimensional');
    const [rows, cols] = embeddings.shape;
    const { freeze, ...rest } = options;
    return new Embedding(rows, cols, { ...rest, _weight: embeddings, _freeze: freeze ?? true });
  }
  forward(input: Tensor): Tensor {
    return ops.embedding(input, this.weight, { padding_idx: this.padding_idx, max_norm: this.max_norm, norm_type: this.norm_type });
  }
  extra_repr(): string {
    let s = `${this.num_embeddings}, ${this.embedding_dim}`;
    if (this.padding_idx !== null) s += `, padding_idx=${this.padding_idx}`;
    if (this.max_norm !== null) s += `, max_norm=${this.max_norm}`;
    if (this.norm_type !== 2) s += `, norm_type=${this.norm_type}`;
    return s;
  }
}

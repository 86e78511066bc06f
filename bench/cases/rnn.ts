// Recurrent training steps against tfjs-layers.
//
// "names GRU step": lecture 13's name classifier at batch 256. wasmtorch:
// Embedding(128, 100) -> 2-layer bidirectional GRU(100, 100) over a packed batch
// (pack_padded_sequence, lengths 3..15 sorted longest first) -> Linear(100, 18)
// on h_n[-1] (the last layer's reverse direction) -> cross entropy, Adam.
// tfjs: the same network as a tfjs-layers functional model over the padded
// batch [256, 15]: embedding, padded steps masked, two bidirectional GRU layers
// (the second one's backward final state feeds the dense layer), softmax cross
// entropy, Adam through optimizer.minimize. The packed batch only runs the
// sequences still alive at each step; the tfjs model runs all 256 rows for all
// 15 steps and masks the finished ones.
// tf.layers.embedding cannot be trained on tfjs-backend-wasm 4.22: the gradient
// of its gather needs an UnsortedSegmentSum kernel, which that backend lacks
// (tfjs-cpu has one, slow: a quarter of its step here). So on both backends the
// ids come one-hot ([256, 15, 128], all-zero rows past each length) through
// masking({maskValue: 0}) (the maskZero of the embedding) and a bias-free
// dense(100) whose kernel is the embedding table: the same lookup as a matmul.
//
// tfjs-layers 4.22's GRU cannot apply the reset gate after the recurrent matmul
// (resetAfter: true throws), which is what PyTorch's GRU does:
//   PyTorch  n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
//   tfjs     n = tanh(W_in x + b_in + (r * h) W_hn)
// Same matmul sizes, different function. So that the first losses can still be
// compared, the wasmtorch model starts with W_hn = 0 and b_hn = 0, where the two
// agree; everything else (masking vs packing, directions, h_n[-1], gate order)
// is checked. The timed work is unchanged by those zeros.
//
// "LSTM 128->256, 50 steps, batch 32": one nn.LSTM(128, 256) over [50, 32, 128]
// (seq-first), loss = output.pow(2).mean(), SGD; tfjs: a tfjs-layers lstm over
// the same data as [32, 50, 128] with the same loss and SGD.
//
// The tfjs models get wasmtorch's initial weights with the gate blocks converted
// (PyTorch LSTM i,f,g,o = Keras i,f,c,o; PyTorch GRU r,z,n -> Keras z,r,h; Keras
// kernels are the transposed PyTorch weights, its one bias is b_ih + b_hh), and
// a logistic (not tfjs' default hard) sigmoid. The check is the first run's loss.
import * as torch from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers' Node entry requires '@tensorflow/tfjs-core', the same single
// copy (and engine) that bench/tfjs.ts sets the backends of.
import * as tfl from '@tensorflow/tfjs-layers';
import { type Case, randomArray } from './types.js';

const { nn, optim } = torch;
const F = torch.nn.functional;
const { pack_padded_sequence } = torch.nn.utils.rnn;

type Weights = Map<string, { data: Float32Array; shape: number[] }>;

/** A copy of every parameter of a freshly built wasmtorch model, by name. */
function weightsOf(build: () => torch.nn.Module): Weights {
  const model = build();
  const out: Weights = new Map();
  for (const [name, p] of model.named_parameters()) {
    out.set(name, { data: Float32Array.from(p.dataSync()), shape: [...p.shape] });
    p.dispose();
  }
  return out;
}

/**
 * A PyTorch gate-stacked weight [G*H, cols] as a Keras kernel [cols, G*H]:
 * transposed, with Keras gate block k taken from PyTorch gate block order[k].
 */
function kerasKernel(w: Float32Array, H: number, cols: number, order: number[]): tf.Tensor2D {
  const G = order.length;
  const out = new Float32Array(cols * G * H);
  for (let k = 0; k < G; k++) {
    for (let j = 0; j < H; j++) {
      const src = (order[k] * H + j) * cols, dst = k * H + j;
      for (let c = 0; c < cols; c++) out[c * G * H + dst] = w[src + c];
    }
  }
  return tf.tensor2d(out, [cols, G * H]);
}

/** Keras' single bias: b_ih + b_hh, gate blocks reordered. */
function kerasBias(bIh: Float32Array, bHh: Float32Array, H: number, order: number[]): tf.Tensor1D {
  const out = new Float32Array(order.length * H);
  order.forEach((g, k) => {
    for (let j = 0; j < H; j++) out[k * H + j] = bIh[g * H + j] + bHh[g * H + j];
  });
  return tf.tensor1d(out);
}

/** [kernel, recurrentKernel, bias] of one Keras recurrent layer from PyTorch's suffix (e.g. '_l1_reverse'). */
function kerasRecurrent(w: Weights, prefix: string, sfx: string, H: number, order: number[]): tf.Tensor[] {
  const get = (n: string) => w.get(`${prefix}.${n}${sfx}`)!;
  const wih = get('weight_ih');
  return [
    kerasKernel(wih.data, H, wih.shape[1], order),
    kerasKernel(get('weight_hh').data, H, H, order),
    kerasBias(get('bias_ih').data, get('bias_hh').data, H, order),
  ];
}

/** Dense kernel [in, out] and bias from a PyTorch Linear. */
function kerasDense(w: Weights, prefix: string): tf.Tensor[] {
  const { data, shape: [outF, inF] } = w.get(`${prefix}.weight`)!;
  const k = new Float32Array(inF * outF);
  for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) k[i * outF + o] = data[o * inF + i];
  return [tf.tensor2d(k, [inF, outF]), tf.tensor1d(w.get(`${prefix}.bias`)!.data)];
}

function setWeights(layer: tfl.layers.Layer, values: tf.Tensor[]): void {
  layer.setWeights(values);
  tf.dispose(values);
}

/** PyTorch's logistic gate sigmoid (tfjs defaults to the hard one); zero initializers, as the weights are overwritten (skips tfjs' slow orthogonal init). */
const KERAS_RNN = { recurrentActivation: 'sigmoid', kernelInitializer: 'zeros', recurrentInitializer: 'zeros' } as const;

const variablesOf = (model: tfl.LayersModel) => model.trainableWeights.map((v) => v.read() as tf.Variable);

function disposeTorch(model: torch.nn.Module, optimizer: torch.optim.Optimizer<object>, ...rest: torch.Tensor[]): void {
  for (const s of optimizer.state.values()) for (const v of Object.values(s)) if (v instanceof torch.Tensor) v.dispose();
  for (const p of model.parameters()) p.dispose();
  for (const t of rest) t.dispose();
}

// ---------------------------------------------------------------------------
// names GRU step

const N_CHARS = 128, HIDDEN = 100, N_CLASSES = 18, N_LAYERS = 2, NAMES = 256;
const GRU_ORDER = [1, 0, 2]; // Keras z, r, h from PyTorch r, z, n
/** 256 name lengths in 3..15, longest first. */
const LENGTHS = Array.from(randomArray(NAMES, 31, 0, 1), (u) => 3 + Math.floor(u * 13)).sort((a, b) => b - a);
const T_NAMES = LENGTHS[0];
const CODES = Array.from(randomArray(NAMES * T_NAMES, 32, 0, 1), (u) => 32 + Math.floor(u * 95)); // printable ASCII, never 0
/** Character ids zero-padded past each name's length, time-major [T, B] (wasmtorch); one-hot [B, T, 128] with zero rows there (tfjs). */
const IDS_TB = new Int32Array(T_NAMES * NAMES);
const ONE_HOT = new Float32Array(NAMES * T_NAMES * N_CHARS);
for (let b = 0; b < NAMES; b++) {
  for (let t = 0; t < LENGTHS[b]; t++) {
    const code = CODES[b * T_NAMES + t];
    IDS_TB[t * NAMES + b] = code;
    ONE_HOT[(b * T_NAMES + t) * N_CHARS + code] = 1;
  }
}
const COUNTRIES = Int32Array.from(randomArray(NAMES, 33, 0, 1), (u) => Math.floor(u * N_CLASSES));

class RNNClassifier extends nn.Module {
  embedding = new nn.Embedding(N_CHARS, HIDDEN);
  gru = new nn.GRU(HIDDEN, HIDDEN, { num_layers: N_LAYERS, bidirectional: true });
  fc = new nn.Linear(HIDDEN, N_CLASSES);
  /** ids [T, B] zero-padded, lengths sorted longest first. */
  forward(ids: torch.Tensor, lengths: number[]): torch.Tensor {
    const embedded = this.embedding.forward(ids); // [T, B, H]
    const [, hidden] = this.gru.forward(pack_padded_sequence(embedded, lengths));
    const h = hidden as torch.Tensor; // [layers * 2, B, H]
    return this.fc.forward(h.select(0, h.size(0) - 1));
  }
}

function namesModel(): RNNClassifier {
  torch.manual_seed(0);
  const model = new RNNClassifier();
  // W_hn = 0, b_hn = 0: where PyTorch's and tfjs-layers' GRU agree (see the top)
  const named = new Map(model.gru.named_parameters());
  torch.no_grad(() => {
    for (let layer = 0; layer < N_LAYERS; layer++) {
      for (const sfx of [`_l${layer}`, `_l${layer}_reverse`]) {
        named.get(`weight_hh${sfx}`)!.narrow(0, 2 * HIDDEN, HIDDEN).zero_();
        named.get(`bias_hh${sfx}`)!.narrow(0, 2 * HIDDEN, HIDDEN).zero_();
      }
    }
  });
  return model;
}

/** The tfjs-layers model, with wasmtorch's initial weights. */
function tfNamesModel(): tfl.LayersModel {
  const w = weightsOf(namesModel);
  const input = tfl.input({ shape: [T_NAMES, N_CHARS] });
  const mask = tfl.layers.masking({ maskValue: 0 }); // padded steps: all-zero one-hot rows
  const embedding = tfl.layers.dense({ units: HIDDEN, useBias: false, kernelInitializer: 'zeros' });
  const gru = (returnSequences: boolean) => tfl.layers.gru({ units: HIDDEN, returnSequences, ...KERAS_RNN });
  const bi1 = tfl.layers.bidirectional({ layer: gru(true), mergeMode: 'concat' });
  // no merge: [forward final state, backward final state]; the backward one is PyTorch's h_n[-1]
  const bi2 = tfl.layers.bidirectional({ layer: gru(false), mergeMode: null as unknown as 'concat' });
  const dense = tfl.layers.dense({ units: N_CLASSES });
  const seq = bi1.apply(embedding.apply(mask.apply(input))) as tfl.SymbolicTensor;
  const [, backward] = bi2.apply(seq) as tfl.SymbolicTensor[];
  const model = tfl.model({ inputs: input, outputs: dense.apply(backward) as tfl.SymbolicTensor });
  setWeights(embedding, [tf.tensor2d(w.get('embedding.weight')!.data, [N_CHARS, HIDDEN])]);
  [bi1, bi2].forEach((bi, layer) => setWeights(bi, [
    ...kerasRecurrent(w, 'gru', `_l${layer}`, HIDDEN, GRU_ORDER),
    ...kerasRecurrent(w, 'gru', `_l${layer}_reverse`, HIDDEN, GRU_ORDER),
  ]));
  setWeights(dense, kerasDense(w, 'fc'));
  return model;
}

export const namesGruCase: Case = {
  name: 'names GRU step',
  // the loss starts near ln 18 whatever the weights: a wrong gate order, the
  // forward instead of the backward state, or no masking each move it by 1e-4
  // to 4e-3 relative; matching weights agree to ~2e-7
  tol: 1e-5,
  // tfjs-cpu takes ~20 s a step here (~86x): left out so the suite stays minutes long
  libs: ['wasmtorch', 'tfjs-wasm'],
  torch: () => {
    const model = namesModel();
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
    const ids = torch.from_numpy(IDS_TB, [T_NAMES, NAMES]);
    const y = torch.from_numpy(COUNTRIES);
    let first: number | undefined;
    return {
      run: () => torch.tidy(() => {
        optimizer.zero_grad();
        const loss = F.cross_entropy(model.forward(ids, LENGTHS), y);
        loss.backward();
        optimizer.step();
        if (first === undefined) first = loss.item();
      }),
      check: () => first!,
      dispose: () => disposeTorch(model, optimizer, ids, y),
    };
  },
  tf: () => {
    const model = tfNamesModel();
    const vars = variablesOf(model);
    const opt = tf.train.adam(0.001, 0.9, 0.999, 1e-8);
    const oneHot = tf.tensor3d(ONE_HOT, [NAMES, T_NAMES, N_CHARS]);
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(COUNTRIES, 'int32'), N_CLASSES), 'float32'));
    let first: number | undefined;
    return {
      run: () => tf.tidy(() => {
        const loss = opt.minimize(
          () => tf.losses.softmaxCrossEntropy(y, model.apply(oneHot, { training: true }) as tf.Tensor) as tf.Scalar,
          first === undefined, vars);
        if (first === undefined) first = loss!.dataSync()[0];
      }),
      check: () => first!,
      dispose: () => { opt.dispose(); oneHot.dispose(); y.dispose(); model.dispose(); },
    };
  },
};

// ---------------------------------------------------------------------------
// LSTM 128->256, 50 steps, batch 32

const T_L = 50, B_L = 32, IN_L = 128, H_L = 256;
const LSTM_ORDER = [0, 1, 2, 3]; // PyTorch i, f, g, o = Keras i, f, c, o
const X_TBI = randomArray(T_L * B_L * IN_L, 41);
const X_BTI = new Float32Array(X_TBI.length);
for (let t = 0; t < T_L; t++) {
  for (let b = 0; b < B_L; b++) X_BTI.set(X_TBI.subarray((t * B_L + b) * IN_L, (t * B_L + b + 1) * IN_L), (b * T_L + t) * IN_L);
}

class LstmNet extends nn.Module {
  lstm = new nn.LSTM(IN_L, H_L);
}
function lstmModel(): LstmNet {
  torch.manual_seed(0);
  return new LstmNet();
}

export const lstmCase: Case = {
  name: 'LSTM 128->256, 50 steps, batch 32',
  // the outputs agree to ~1e-7, but tfjs-wasm's float32 mean of the 409,600
  // squares comes out ~1e-4 low; a wrong gate order moves the loss by ~3e-2
  tol: 1e-3,
  libs: ['wasmtorch', 'tfjs-wasm'], // tfjs-cpu: ~9 s a step (~80x)
  rate: {
    // input and recurrent GEMMs, forward + backward (dX and dW): 3 · 2 · T · B · (I + H) · 4H
    amount: (6 * T_L * B_L * (IN_L + H_L) * 4 * H_L) / 1e9,
    unit: 'GFLOP/s',
  },
  torch: () => {
    const model = lstmModel();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
    const x = torch.from_numpy(X_TBI, [T_L, B_L, IN_L]);
    let first: number | undefined;
    return {
      run: () => torch.tidy(() => {
        optimizer.zero_grad();
        const [out] = model.lstm.forward(x);
        const loss = out.pow(2).mean();
        loss.backward();
        optimizer.step();
        if (first === undefined) first = loss.item();
      }),
      check: () => first!,
      dispose: () => disposeTorch(model, optimizer, x),
    };
  },
  tf: () => {
    const w = weightsOf(lstmModel);
    const layer = tfl.layers.lstm({ units: H_L, returnSequences: true, inputShape: [T_L, IN_L], ...KERAS_RNN });
    const model = tfl.sequential({ layers: [layer] });
    setWeights(layer, kerasRecurrent(w, 'lstm', '_l0', H_L, LSTM_ORDER));
    const vars = variablesOf(model);
    const opt = tf.train.sgd(0.1);
    const x = tf.tensor3d(X_BTI, [B_L, T_L, IN_L]);
    let first: number | undefined;
    return {
      run: () => tf.tidy(() => {
        const loss = opt.minimize(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
          first === undefined, vars);
        if (first === undefined) first = loss!.dataSync()[0];
      }),
      check: () => first!,
      dispose: () => { opt.dispose(); x.dispose(); model.dispose(); },
    };
  },
};

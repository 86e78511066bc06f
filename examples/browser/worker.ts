// The demo's worker: loads the digits, trains the chosen network with
// wasmtorch in time slices of ~50 ms (so stop, classify and save requests are
// answered between slices), and reports losses, speed and test accuracy to
// the page, which only draws.
import * as torch from '../../src/index.js';
import { makeModel, modelOfStateDict, type MLP, type CNN } from './models.js';
import { MAGIC } from './pack-mnist-format.js';
import type { FromWorker, ModelKind, OptimizerKind, ToWorker, TrainSettings } from './protocol.js';
const { optim } = torch;
const F = torch.nn.functional;
const { TensorDataset, DataLoader, random_split } = torch.utils.data;

type Batch = [torch.Tensor, torch.Tensor];
type Loader = torch.utils.data.DataLoader<unknown, Batch>;

const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};
const post = (message: FromWorker, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

const BATCH = 64;
const SLICE_MS = 50;
let gridSize = 40;
let data: { train: Loader; test: Loader; testSize: number } | null = null;
let model: MLP | CNN | null = null;
let modelKind: ModelKind = 'mlp';
/** bumped to stop the running training loop */
let run = 0;

/** Resolves after pending messages are handled (a MessageChannel task: no 4 ms timer clamping). */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
function yieldToEvents(): Promise<void> {
  return new Promise((ok) => {
    waiting.push(ok);
    channel.port2.postMessage(null);
  });
}

/** Threads for the GEMMs where the page is cross-origin isolated (shared memory); else one, and why. */
function useThreads(): string {
  if (!(self as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated) {
    return '1 thread: the page is not cross-origin isolated (serve it with COOP/COEP headers for more)';
  }
  torch.set_num_threads(Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)));
  const n = torch.get_num_threads();
  return `${n} thread${n === 1 ? '' : 's'} (cross-origin isolated: shared-memory kernels)`;
}

async function init(dataUrl: string, size: number): Promise<void> {
  gridSize = size;
  post({ type: 'status', text: 'Fetching the digits…' });
  const response = await fetch(dataUrl);
  if (!response.ok) throw new Error(`fetching ${dataUrl}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  post({ type: 'status', text: `Fetched ${(bytes.length / 1e6).toFixed(1)} MB of digits; splitting them…` });
  if (new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new Error(`${dataUrl} is not a packed MNIST file`);
  const count = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const labels = Int32Array.from(bytes.subarray(8, 8 + count));
  const pixels = bytes.subarray(8 + count, 8 + count + count * 784);
  const images = new Float32Array(count * 784);
  for (let i = 0; i < images.length; i++) images[i] = pixels[i] / 255;

  // the examples' split (examples/mnist.ts): the same seeded 8,000/2,000 random_split
  const dataset = new TensorDataset(torch.from_numpy(images, [count, 1, 28, 28]), torch.from_numpy(labels));
  const testSize = Math.round(count / 5);
  const [trainSet, testSet] = random_split(dataset, [count - testSize, testSize], new torch.Generator().manual_seed(42));
  data = {
    train: new DataLoader(trainSet, { batch_size: BATCH, shuffle: true }) as Loader,
    test: new DataLoader(testSet, { batch_size: 500, shuffle: false }) as Loader,
    testSize,
  };

  // the first gridSize test digits, shown on the page with their predicted labels
  const gridPixels = new Uint8Array(gridSize * 784);
  const gridLabels: number[] = [];
  for (let i = 0; i < gridSize; i++) {
    const [x, y] = testSet.getitem(i) as [torch.Tensor, torch.Tensor];
    gridPixels.set(Array.from(x.dataSync(), (v) => Math.round(v * 255)), i * 784);
    gridLabels.push(y.item());
  }
  post({ type: 'ready', trainSize: count - testSize, testSize, gridPixels, gridLabels, threads: useThreads() }, [gridPixels.buffer]);
}

function makeOptimizer(kind: OptimizerKind, params: torch.Tensor[]) {
  switch (kind) {
    case 'adam':
      return new optim.Adam(params, { lr: 0.001 });
    case 'sgd-fast':
      return new optim.SGD(params, { lr: 0.05, momentum: 0.9 });
    case 'sgd-course':
      return new optim.SGD(params, { lr: 0.01, momentum: 0.5 });
  }
}

/** Test loss and accuracy over the test split, and the predicted labels of the grid's digits. */
function evaluate(net: MLP | CNN): { accuracy: number; testLoss: number; gridPredictions: number[] } {
  if (!data) throw new Error('no data');
  net.eval();
  let correct = 0;
  let lossSum = 0;
  const gridPredictions: number[] = [];
  torch.no_grad(() => {
    for (const [x, y] of data!.test) {
      const output = net.forward(x);
      lossSum += F.nll_loss(output, y, { reduction: 'sum' }).item();
      const pred = output.argmax(1);
      correct += pred.eq(y).sum().item();
      if (gridPredictions.length < gridSize) {
        const p = pred.dataSync();
        for (let i = 0; i < p.length && gridPredictions.length < gridSize; i++) gridPredictions.push(p[i]);
      }
    }
  });
  net.train();
  return { accuracy: (100 * correct) / data.testSize, testLoss: lossSum / data.testSize, gridPredictions };
}

async function train(settings: TrainSettings): Promise<void> {
  if (!data) throw new Error('the data is not loaded yet');
  const mine = ++run;
  modelKind = settings.model;
  const net = makeModel(settings.model);
  model = net;
  const optimizer = makeOptimizer(settings.optimizer, net.parameters());
  const parameters = net.parameters().reduce((n, p) => n + p.numel(), 0);
  post({ type: 'started', settings, stepsPerEpoch: data.train.length, parameters });
  net.train();
  let step = 0;
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const batches = data.train[Symbol.iterator]();
    const epochStart = performance.now();
    let exhausted = false;
    while (!exhausted) {
      const sliceStart = performance.now();
      const losses: number[] = [];
      let samples = 0;
      while (performance.now() - sliceStart < SLICE_MS) {
        const next = batches.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const [x, y] = next.value;
        optimizer.zero_grad();
        const loss = F.nll_loss(net.forward(x), y);
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
        samples += x.size(0);
        step++;
      }
      const seconds = (performance.now() - sliceStart) / 1000;
      if (losses.length > 0) post({ type: 'progress', epoch, step, losses, samplesPerSec: samples / seconds });
      await yieldToEvents();
      if (run !== mine) {
        post({ type: 'finished', stopped: true });
        return;
      }
    }
    const seconds = (performance.now() - epochStart) / 1000;
    post({ type: 'evaluated', epoch, seconds, ...evaluate(net) });
    await yieldToEvents();
    if (run !== mine) {
      post({ type: 'finished', stopped: true });
      return;
    }
  }
  post({ type: 'finished', stopped: false });
}

function classify(pixels: Float32Array): void {
  if (!model) throw new Error('train or load a model first');
  const net = model;
  net.eval();
  const probabilities = torch.no_grad(() => net.forward(torch.from_numpy(pixels, [1, 1, 28, 28])).exp().dataSync());
  net.train();
  post({ type: 'classified', probabilities: Array.from(probabilities) });
}

function save(): void {
  if (!model) throw new Error('train or load a model first');
  const bytes = torch.save(model.state_dict(), undefined, { metadata: { model: modelKind, source: 'wasmtorch browser demo' } });
  const fileName = `${modelKind === 'mlp' ? '09_2_softmax_mnist' : '10_1_cnn_mnist'}.safetensors`;
  post({ type: 'saved', bytes, fileName }, [bytes.buffer]);
}

function load(bytes: ArrayBuffer, fileName: string): void {
  if (!data) throw new Error('the data is not loaded yet');
  const { state_dict, metadata } = torch.load(new Uint8Array(bytes), { with_metadata: true });
  const kind = metadata.model === 'mlp' || metadata.model === 'cnn' ? metadata.model : modelOfStateDict(Object.keys(state_dict));
  if (!kind) throw new Error(`${fileName} holds neither the MLP (l1.weight, ...) nor the CNN (conv1.weight, ...)`);
  const net = makeModel(kind);
  net.load_state_dict(state_dict);
  run++; // stops a running training loop
  model = net;
  modelKind = kind;
  post({ type: 'loaded', model: kind, fileName });
  post({ type: 'evaluated', epoch: 0, seconds: 0, ...evaluate(net) });
}

scope.onmessage = (e) => {
  const msg = e.data;
  const guarded = async (fn: () => void | Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  };
  switch (msg.type) {
    case 'init':
      void guarded(() => init(msg.dataUrl, msg.gridSize));
      break;
    case 'train':
      void guarded(() => train(msg.settings));
      break;
    case 'stop':
      run++;
      break;
    case 'classify':
      void guarded(() => classify(msg.pixels));
      break;
    case 'save':
      void guarded(save);
      break;
    case 'load':
      void guarded(() => load(msg.bytes, msg.fileName));
      break;
  }
};

// a module worker's first messages are dispatched while its imports still load: say when this one listens
post({ type: 'listening' });

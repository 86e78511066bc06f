// The demo page: sends the user's choices to the worker (worker.ts), which
// trains with wasmtorch, and draws what comes back. Nothing heavy runs here:
// charts are redrawn at most once per animation frame.
import type { DemoState, FromWorker, ModelKind, OptimizerKind, ToWorker, TrainSettings } from './protocol.js';

const GRID = 40;

const state: DemoState = {
  phase: 'loading', settings: null, stepsPerEpoch: 0, step: 0, epoch: 0, losses: [], accuracies: [],
  samplesPerSec: 0, gridLabels: [], gridPredictions: [], prediction: null, error: null,
};
(globalThis as unknown as { __demo: DemoState }).__demo = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const modelSelect = $<HTMLSelectElement>('model');
const optimizerSelect = $<HTMLSelectElement>('optimizer');
const epochsSelect = $<HTMLSelectElement>('epochs');
const trainButton = $<HTMLButtonElement>('train');
const stopButton = $<HTMLButtonElement>('stop');
const statusLine = $<HTMLParagraphElement>('status');
const lossChart = $<HTMLCanvasElement>('loss-chart');
const epochsBody = document.querySelector('#epochs-table tbody') as HTMLTableSectionElement;
const grid = $<HTMLDivElement>('grid');
const pad = $<HTMLCanvasElement>('pad');
const preview = $<HTMLCanvasElement>('preview');
const predictionBox = $<HTMLDivElement>('prediction');
const bars = $<HTMLDivElement>('bars');
const classifyButton = $<HTMLButtonElement>('classify');
const clearButton = $<HTMLButtonElement>('clear');
const saveButton = $<HTMLButtonElement>('save');
const loadInput = $<HTMLInputElement>('load');
const loadLabel = $<HTMLLabelElement>('load-label');

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);
let hasModel = false;

function setPhase(phase: DemoState['phase']): void {
  state.phase = phase;
  document.body.dataset.phase = phase;
  const busy = phase === 'loading' || phase === 'training';
  trainButton.disabled = busy || phase === 'error';
  stopButton.disabled = phase !== 'training';
  modelSelect.disabled = optimizerSelect.disabled = epochsSelect.disabled = busy;
  classifyButton.disabled = saveButton.disabled = !hasModel;
  loadInput.disabled = phase === 'loading';
  loadLabel.classList.toggle('disabled', phase === 'loading');
}

function setStatus(text: string, error = false): void {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', error);
}

const text = (id: string, value: string) => ($(id).textContent = value);

// ---- the loss chart -------------------------------------------------------

let chartQueued = false;
function queueChart(): void {
  if (chartQueued) return;
  chartQueued = true;
  requestAnimationFrame(() => {
    chartQueued = false;
    drawLossChart();
  });
}

function drawLossChart(): void {
  const dpr = window.devicePixelRatio || 1;
  const w = lossChart.clientWidth, h = lossChart.clientHeight;
  if (lossChart.width !== Math.round(w * dpr) || lossChart.height !== Math.round(h * dpr)) {
    lossChart.width = Math.round(w * dpr);
    lossChart.height = Math.round(h * dpr);
  }
  const ctx = lossChart.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  const left = 44, right = 12, top = 10, bottom = 24;
  const pw = w - left - right, ph = h - top - bottom;
  const losses = state.losses;
  const total = Math.max(losses.length, state.stepsPerEpoch * (state.settings?.epochs ?? 1), 1);
  const top20 = Math.max(losses.length ? Math.max(...losses.slice(0, 20)) : 2.5, 0.01);
  const tick = niceStep(top20 / 4);
  const yMax = Math.ceil(top20 / tick) * tick;
  const x = (i: number) => left + (pw * i) / total;
  const y = (v: number) => top + ph * (1 - Math.min(v, yMax) / yMax);

  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#667085';
  ctx.strokeStyle = '#e3e6eb';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const decimals = tick < 0.1 ? 2 : tick < 1 ? 1 : 0;
  for (let k = 0; k * tick <= yMax + 1e-9; k++) {
    const v = k * tick;
    ctx.beginPath();
    ctx.moveTo(left, Math.round(y(v)) + 0.5);
    ctx.lineTo(left + pw, Math.round(y(v)) + 0.5);
    ctx.stroke();
    ctx.fillText(v.toFixed(decimals), left - 6, y(v));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText('step', left + pw / 2, top + ph + 8);
  ctx.textAlign = 'left';
  ctx.fillText('0', left, top + ph + 8);
  ctx.textAlign = 'right';
  ctx.fillText(String(total), left + pw, top + ph + 8);

  if (state.stepsPerEpoch > 0) {
    ctx.setLineDash([4, 4]);
    for (let e = 1; e * state.stepsPerEpoch < total; e++) {
      const px = Math.round(x(e * state.stepsPerEpoch)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, top + ph);
      ctx.stroke();
    }
    ctx.setLineDash([]);
  }
  if (losses.length === 0) return;

  ctx.lineWidth = 1;
  ctx.strokeStyle = 'rgba(238, 76, 44, 0.25)';
  ctx.beginPath();
  losses.forEach((v, i) => (i ? ctx.lineTo(x(i + 1), y(v)) : ctx.moveTo(x(i + 1), y(v))));
  ctx.stroke();

  // a centred moving average over 21 steps (fewer at the ends): no lag behind the raw curve
  const prefix = new Float64Array(losses.length + 1);
  losses.forEach((v, i) => (prefix[i + 1] = prefix[i] + v));
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#c73a1e';
  ctx.beginPath();
  for (let i = 0; i < losses.length; i++) {
    const lo = Math.max(0, i - 10), hi = Math.min(losses.length, i + 11);
    const mean = (prefix[hi] - prefix[lo]) / (hi - lo);
    if (i) ctx.lineTo(x(i + 1), y(mean));
    else ctx.moveTo(x(i + 1), y(mean));
  }
  ctx.stroke();
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten that is at least v. */
function niceStep(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5]) if (m * p >= v - 1e-12) return m * p;
  return 10 * p;
}

// ---- the grid of test digits ----------------------------------------------

const gridCaptions: HTMLElement[] = [];
function buildGrid(pixels: Uint8Array, labels: number[]): void {
  grid.replaceChildren();
  gridCaptions.length = 0;
  labels.forEach((label, i) => {
    const figure = document.createElement('figure');
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 28;
    canvas.title = `label ${label}`;
    putGray(canvas, pixels.subarray(i * 784, (i + 1) * 784), 1);
    const caption = document.createElement('figcaption');
    caption.textContent = '·';
    figure.append(canvas, caption);
    grid.append(figure);
    gridCaptions.push(caption);
  });
}

function showGridPredictions(predictions: number[]): void {
  state.gridPredictions = predictions;
  predictions.forEach((p, i) => {
    const caption = gridCaptions[i];
    if (!caption) return;
    const right = p === state.gridLabels[i];
    caption.textContent = String(p);
    caption.className = right ? 'right' : 'wrong';
    caption.title = right ? `predicted ${p}, right` : `predicted ${p}, label ${state.gridLabels[i]}`;
  });
}

/** Draws 28x28 intensities (white ink on black) scaled by `scale` to 0..255. */
function putGray(canvas: HTMLCanvasElement, values: ArrayLike<number>, scale: number): void {
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = Math.round(values[i] * scale);
    image.data.set([v, v, v, 255], i * 4);
  }
  ctx.putImageData(image, 0, 0);
}

// ---- drawing a digit --------------------------------------------------------

const padCtx = pad.getContext('2d', { willReadFrequently: true })!;
function clearPad(): void {
  padCtx.fillStyle = '#000';
  padCtx.fillRect(0, 0, pad.width, pad.height);
  predictionBox.textContent = '?';
  state.prediction = null;
  bars.replaceChildren();
  putGray(preview, new Float32Array(784), 255);
}
clearPad();

let last: { x: number; y: number } | null = null;
function padPoint(e: PointerEvent): { x: number; y: number } {
  const r = pad.getBoundingClientRect();
  return { x: ((e.clientX - r.left) * pad.width) / r.width, y: ((e.clientY - r.top) * pad.height) / r.height };
}
function stroke(to: { x: number; y: number }): void {
  padCtx.strokeStyle = '#fff';
  padCtx.lineWidth = 22;
  padCtx.lineCap = padCtx.lineJoin = 'round';
  padCtx.beginPath();
  padCtx.moveTo((last ?? to).x, (last ?? to).y);
  padCtx.lineTo(to.x + (last ? 0 : 0.01), to.y);
  padCtx.stroke();
  last = to;
}
pad.addEventListener('pointerdown', (e) => {
  pad.setPointerCapture(e.pointerId);
  last = null;
  stroke(padPoint(e));
});
pad.addEventListener('pointermove', (e) => {
  if (last) stroke(padPoint(e));
});
const endStroke = () => {
  last = null;
};
pad.addEventListener('pointerup', endStroke);
pad.addEventListener('pointercancel', endStroke);

/**
 * The drawing as MNIST's digits are made: the ink's bounding box scaled to
 * fit 20x20 (keeping its aspect), placed in 28x28 with its centre of mass at
 * the centre, intensities in [0, 1] like the training data. Null when empty.
 */
function padPixels(): Float32Array | null {
  const { width, height } = pad;
  const rgba = padCtx.getImageData(0, 0, width, height).data;
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let yy = 0; yy < height; yy++) {
    for (let xx = 0; xx < width; xx++) {
      if (rgba[(yy * width + xx) * 4] > 20) {
        if (xx < x0) x0 = xx;
        if (xx > x1) x1 = xx;
        if (yy < y0) y0 = yy;
        if (yy > y1) y1 = yy;
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const s = 20 / Math.max(bw, bh);
  const small = document.createElement('canvas');
  small.width = small.height = 28;
  const sctx = small.getContext('2d', { willReadFrequently: true })!;
  sctx.fillStyle = '#000';
  sctx.fillRect(0, 0, 28, 28);
  sctx.imageSmoothingEnabled = true;
  sctx.imageSmoothingQuality = 'high';
  sctx.drawImage(pad, x0, y0, bw, bh, 14 - (bw * s) / 2, 14 - (bh * s) / 2, bw * s, bh * s);
  const px = sctx.getImageData(0, 0, 28, 28).data;
  const boxed = new Float32Array(784);
  let mass = 0, mx = 0, my = 0;
  for (let i = 0; i < 784; i++) {
    const v = px[i * 4] / 255;
    boxed[i] = v;
    mass += v;
    mx += v * (i % 28);
    my += v * Math.floor(i / 28);
  }
  const dx = Math.round(13.5 - mx / mass), dy = Math.round(13.5 - my / mass);
  const out = new Float32Array(784);
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) {
      const sr = r - dy, sc = c - dx;
      if (sr >= 0 && sr < 28 && sc >= 0 && sc < 28) out[r * 28 + c] = boxed[sr * 28 + sc];
    }
  }
  return out;
}

function showProbabilities(probabilities: number[]): void {
  const best = probabilities.indexOf(Math.max(...probabilities));
  state.prediction = best;
  predictionBox.textContent = String(best);
  bars.replaceChildren(
    ...probabilities.map((p, digit) => {
      const column = document.createElement('div');
      if (digit === best) column.className = 'top';
      const bar = document.createElement('i');
      bar.style.height = `${Math.max(1, p * 50)}px`;
      column.title = `${digit}: ${(100 * p).toFixed(1)}%`;
      column.append(bar, String(digit));
      return column;
    }),
  );
}

// ---- controls -------------------------------------------------------------

trainButton.addEventListener('click', () => {
  const settings: TrainSettings = {
    model: modelSelect.value as ModelKind,
    optimizer: optimizerSelect.value as OptimizerKind,
    epochs: Number(epochsSelect.value),
  };
  send({ type: 'train', settings });
});
stopButton.addEventListener('click', () => send({ type: 'stop' }));
clearButton.addEventListener('click', clearPad);
classifyButton.addEventListener('click', () => {
  const pixels = padPixels();
  if (!pixels) {
    predictionBox.textContent = '?';
    return;
  }
  putGray(preview, pixels, 255);
  send({ type: 'classify', pixels }, [pixels.buffer]);
});
saveButton.addEventListener('click', () => send({ type: 'save' }));
loadInput.addEventListener('change', () => {
  const file = loadInput.files?.[0];
  loadInput.value = '';
  if (!file) return;
  void file.arrayBuffer().then((bytes) => send({ type: 'load', bytes, fileName: file.name }, [bytes]));
});

function resetRun(settings: TrainSettings | null, stepsPerEpoch: number): void {
  state.settings = settings;
  state.stepsPerEpoch = stepsPerEpoch;
  state.step = state.epoch = 0;
  state.losses = [];
  state.accuracies = [];
  epochsBody.replaceChildren();
  for (const id of ['stat-epoch', 'stat-step', 'stat-loss', 'stat-speed', 'stat-accuracy']) text(id, '–');
  queueChart();
}

const MODEL_NAMES: Record<ModelKind, string> = { mlp: 'the MLP', cnn: 'the CNN' };

worker.onmessage = (e: MessageEvent<FromWorker>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'listening':
      send({ type: 'init', dataUrl: new URL('mnist.bin', document.baseURI).href, gridSize: GRID });
      break;
    case 'status':
      setStatus(msg.text);
      break;
    case 'ready':
      state.gridLabels = msg.gridLabels;
      buildGrid(msg.gridPixels, msg.gridLabels);
      setPhase('ready');
      setStatus(`${msg.trainSize.toLocaleString('en')} training and ${msg.testSize.toLocaleString('en')} test digits loaded; ${msg.threads}. Pick a network and press Train.`);
      break;
    case 'started':
      hasModel = true;
      resetRun(msg.settings, msg.stepsPerEpoch);
      setPhase('training');
      setStatus(`Training ${MODEL_NAMES[msg.settings.model]} (${msg.parameters.toLocaleString('en')} parameters), ${msg.stepsPerEpoch} steps of 64 digits an epoch…`);
      break;
    case 'progress':
      state.losses.push(...msg.losses);
      state.step = msg.step;
      state.epoch = msg.epoch;
      state.samplesPerSec = msg.samplesPerSec;
      text('stat-epoch', `${msg.epoch} / ${state.settings?.epochs ?? '?'}`);
      text('stat-step', String(msg.step));
      text('stat-loss', msg.losses[msg.losses.length - 1].toFixed(3));
      text('stat-speed', Math.round(msg.samplesPerSec).toLocaleString('en'));
      queueChart();
      break;
    case 'evaluated': {
      state.accuracies.push(msg.accuracy);
      text('stat-accuracy', `${msg.accuracy.toFixed(1)}%`);
      const row = document.createElement('tr');
      for (const cell of [msg.epoch === 0 ? 'loaded' : String(msg.epoch), `${msg.accuracy.toFixed(2)}%`, msg.testLoss.toFixed(4), msg.epoch === 0 ? '–' : `${msg.seconds.toFixed(1)} s`]) {
        const td = document.createElement('td');
        td.textContent = cell;
        row.append(td);
      }
      epochsBody.append(row);
      showGridPredictions(msg.gridPredictions);
      break;
    }
    case 'finished':
      if (state.phase !== 'training') break;
      setPhase('trained');
      setStatus(msg.stopped ? `Stopped after ${state.step} steps.` : `Done: ${state.step} steps, test accuracy ${state.accuracies.at(-1)?.toFixed(1)}%. Draw a digit, or save the weights.`);
      break;
    case 'classified':
      showProbabilities(msg.probabilities);
      break;
    case 'saved': {
      const url = URL.createObjectURL(new Blob([msg.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = msg.fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus(`Saved ${msg.fileName} (${(msg.bytes.length / 1024).toFixed(0)} KiB).`);
      break;
    }
    case 'loaded':
      hasModel = true;
      resetRun(null, 0);
      modelSelect.value = msg.model;
      setPhase('trained');
      setStatus(`Loaded ${msg.fileName} into ${MODEL_NAMES[msg.model]}; its test accuracy is below.`);
      break;
    case 'error':
      state.error = msg.message;
      if (state.phase === 'loading') setPhase('error');
      else if (state.phase === 'training') setPhase('trained');
      else setPhase(state.phase);
      setStatus(`Error: ${msg.message}`, true);
      break;
  }
};
worker.onerror = (e) => {
  state.error = e.message || 'the worker failed to start';
  setPhase('error');
  setStatus(`Error: ${state.error}`, true);
};

window.addEventListener('resize', queueChart);
setPhase('loading'); // the worker asks for the digits once it listens
queueChart();

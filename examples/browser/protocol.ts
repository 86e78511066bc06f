// The messages between the page (main.ts, which only draws) and the worker
// (worker.ts, which runs wasmtorch).

export type ModelKind = 'mlp' | 'cnn';
export type OptimizerKind = 'adam' | 'sgd-fast' | 'sgd-course';

export interface TrainSettings {
  model: ModelKind;
  optimizer: OptimizerKind;
  epochs: number;
}

export type ToWorker =
  | { type: 'init'; dataUrl: string; gridSize: number }
  | { type: 'train'; settings: TrainSettings }
  | { type: 'stop' }
  | { type: 'classify'; pixels: Float32Array }
  | { type: 'save' }
  | { type: 'load'; bytes: ArrayBuffer; fileName: string };

export type FromWorker =
  /** the worker's module (the library with its wasm) has loaded and it listens: messages sent before would be lost */
  | { type: 'listening' }
  /** what the worker is doing while it loads */
  | { type: 'status'; text: string }
  /** the data is in: the grid's test digits (uint8 pixels, 784 each) and their true labels */
  | { type: 'ready'; trainSize: number; testSize: number; gridPixels: Uint8Array; gridLabels: number[]; threads: string }
  | { type: 'started'; settings: TrainSettings; stepsPerEpoch: number; parameters: number }
  /** the losses of the steps since the last progress message, in order */
  | { type: 'progress'; epoch: number; step: number; losses: number[]; samplesPerSec: number }
  | { type: 'evaluated'; epoch: number; accuracy: number; testLoss: number; gridPredictions: number[]; seconds: number }
  | { type: 'finished'; stopped: boolean }
  | { type: 'classified'; probabilities: number[] }
  | { type: 'saved'; bytes: Uint8Array; fileName: string }
  | { type: 'loaded'; model: ModelKind; fileName: string }
  | { type: 'error'; message: string };

/** The page's state, also read by the browser test (test/browser/demo.test.ts). */
export interface DemoState {
  phase: 'loading' | 'ready' | 'training' | 'trained' | 'error';
  settings: TrainSettings | null;
  stepsPerEpoch: number;
  step: number;
  epoch: number;
  losses: number[];
  /** test accuracy (%) after each epoch, in order */
  accuracies: number[];
  samplesPerSec: number;
  gridLabels: number[];
  gridPredictions: number[];
  prediction: number | null;
  error: string | null;
}

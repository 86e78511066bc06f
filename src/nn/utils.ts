// torch.nn.utils: gradient clipping, and rnn (packed sequences).
export * from './clip_grad.js';
export * as rnn from './packing.js';

// The packed MNIST file's magic (pack-mnist.ts writes it, worker.ts checks it).
export const MAGIC = 'MNU8';

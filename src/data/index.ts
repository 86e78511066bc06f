// torch.utils.data (browser-safe; file reading is in ./node.ts).
export { Dataset, TensorDataset, Subset, ConcatDataset, random_split, getItem, lengthOf, type DatasetLike } from './dataset.js';
export { Sampler, SequentialSampler, RandomSampler, SubsetRandomSampler, BatchSampler, randomInt64, type RandomSamplerOptions } from './sampler.js';
export { DataLoader, type DataLoaderOptions } from './dataloader.js';
export { default_collate, default_convert } from './collate.js';
export { parseCsv, type CsvOptions } from './csv.js';

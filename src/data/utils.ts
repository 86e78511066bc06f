// torch.utils: `export * as utils from './data/utils.js'` in src/index.ts gives torch.utils.data.
export * as data from './index.js';

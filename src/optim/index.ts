// torch.optim
export { Optimizer, type Params, type ParamGroup, type OptimizerStateDict } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, Adagrad, type RMSpropOptions, type AdagradOptions } from './rmsprop.js';
export * as lr_scheduler from './lr_scheduler.js';

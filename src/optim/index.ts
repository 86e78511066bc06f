// torch.optim
export { Optimizer, type Params, type ParamGroup, type OptimizerStateDict } from './optimizer.js';
export { SGD, type SGDOptions, type SGDDefaults } from './sgd.js';
export { Adam, AdamW, type AdamOptions, type AdamDefaults } from './adam.js';
export { Adadelta, Adamax, NAdam, RAdam, type AdadeltaDefaults, type AdamaxDefaults, type NAdamDefaults, type RAdamDefaults } from './adaptive.js';
export { RMSprop, Adagrad, type RMSpropOptions, type AdagradOptions, type RMSpropDefaults, type AdagradDefaults } from './rmsprop.js';
export * as lr_scheduler from './lr_scheduler.js';

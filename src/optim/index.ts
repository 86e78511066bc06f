// torch.optim
export { Optimizer, type Params, type ParamGroup, type OptimizerStateDict } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';

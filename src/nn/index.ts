// torch.nn
export { Module, Parameter, Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict, type StateDict } from './module.js';
export * from './layers.js';
export * as functional from './functional.js';
export * as init from './init.js';
export * as utils from './utils.js';
export * from './conv_layers.js';
export * from './functional_layers.js';
export { _BatchNorm, BatchNorm1d, BatchNorm2d, BatchNorm3d, LayerNorm, GroupNorm, _DropoutNd, Dropout, Dropout2d, Unflatten } from './normalization_layers.js';
export { RNNBase, RNN, LSTM, GRU, RNNCell, GRUCell, LSTMCell, Embedding, type RNNOptions } from './rnn.js';

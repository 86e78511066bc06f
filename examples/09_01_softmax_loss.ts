// Lecture 09-1: cross entropy by hand and with nn.CrossEntropyLoss.
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn } = torch;

// Cross entropy example
// One hot
// 0: 1 0 0
// 1: 0 1 0
// 2: 0 0 1
let Y_np = [1, 0, 0];
const Y_pred1_np = [0.7, 0.2, 0.1];
const Y_pred2_np = [0.1, 0.3, 0.6];
const npLoss = (y: number[], p: number[]) => y.reduce((s, yi, i) => s - yi * Math.log(p[i]), 0);
print(`Loss1: ${npLoss(Y_np, Y_pred1_np).toFixed(4)}`);
print(`Loss2: ${npLoss(Y_np, Y_pred2_np).toFixed(4)}`);
Y_np = [];

// Softmax + CrossEntropy (logSoftmax + NLLLoss)
const loss = new nn.CrossEntropyLoss();

// target is of size nBatch; each element in target has to have 0 <= value < nClasses (0-2).
// Input is class, not one-hot
let Y = torch.tensor([0], { dtype: torch.long });

// input is of size nBatch x nClasses = 1 x 3; Y_pred are logits (not softmax)
let Y_pred1 = torch.tensor([[2.0, 1.0, 0.1]]);
let Y_pred2 = torch.tensor([[0.5, 2.0, 0.3]]);

let l1 = loss.forward(Y_pred1, Y);
let l2 = loss.forward(Y_pred2, Y);

print(`PyTorch Loss1: ${l1.item().toFixed(4)} \nPyTorch Loss2: ${l2.item().toFixed(4)}`);
print(`Y_pred1: ${torch.max(Y_pred1.data, 1)[1].item()}`);
print(`Y_pred2: ${torch.max(Y_pred2.data, 1)[1].item()}`);

// target is of size nBatch; input is of size nBatch x nClasses = 3 x 3
Y = torch.tensor([2, 0, 1], { dtype: torch.long });
Y_pred1 = torch.tensor([[0.1, 0.2, 0.9],
                        [1.1, 0.1, 0.2],
                        [0.2, 2.1, 0.1]]);
Y_pred2 = torch.tensor([[0.8, 0.2, 0.3],
                        [0.2, 0.3, 0.5],
                        [0.2, 0.2, 0.5]]);

l1 = loss.forward(Y_pred1, Y);
l2 = loss.forward(Y_pred2, Y);
print(`Batch Loss1:  ${l1.item().toFixed(4)} \nBatch Loss2: ${l2.data.item().toFixed(4)}`);

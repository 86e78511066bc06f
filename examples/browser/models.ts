// The two networks of the course, as in examples/09_2_softmax_mnist.ts and
// examples/10_1_cnn_mnist.ts; both return log-probabilities here so one loss
// (nll_loss) serves both (the MLP's log_softmax + nll_loss is its cross_entropy).
import * as torch from '../../src/index.js';
import type { ModelKind } from './protocol.js';
const { nn } = torch;
const F = torch.nn.functional;

/** Lecture 09-2: 784-520-320-240-120-10 with ReLUs. */
export class MLP extends nn.Module {
  l1 = new nn.Linear(784, 520);
  l2 = new nn.Linear(520, 320);
  l3 = new nn.Linear(320, 240);
  l4 = new nn.Linear(240, 120);
  l5 = new nn.Linear(120, 10);

  forward(x: torch.Tensor): torch.Tensor {
    x = x.view(-1, 784);
    x = F.relu(this.l1.forward(x));
    x = F.relu(this.l2.forward(x));
    x = F.relu(this.l3.forward(x));
    x = F.relu(this.l4.forward(x));
    return F.log_softmax(this.l5.forward(x), 1);
  }
}

/** Lecture 10-1: conv 5x5 (10), max-pool, ReLU, conv 5x5 (20), max-pool, ReLU, linear 320 -> 10. */
export class CNN extends nn.Module {
  conv1 = new nn.Conv2d(1, 10, 5);
  conv2 = new nn.Conv2d(10, 20, 5);
  mp = new nn.MaxPool2d(2);
  fc = new nn.Linear(320, 10);

  forward(x: torch.Tensor): torch.Tensor {
    const in_size = x.size(0);
    x = F.relu(this.mp.forward(this.conv1.forward(x)) as torch.Tensor);
    x = F.relu(this.mp.forward(this.conv2.forward(x)) as torch.Tensor);
    x = x.view(in_size, -1);
    return F.log_softmax(this.fc.forward(x), 1);
  }
}

export function makeModel(kind: ModelKind): MLP | CNN {
  return kind === 'mlp' ? new MLP() : new CNN();
}

/** Which network a state dict belongs to, from its keys. */
export function modelOfStateDict(keys: string[]): ModelKind | null {
  if (keys.includes('l1.weight')) return 'mlp';
  if (keys.includes('conv1.weight')) return 'cnn';
  return null;
}

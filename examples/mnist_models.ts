// The course's two MNIST networks as modules to reuse (the benchmark, the
// browser demo); examples/09_2_softmax_mnist.ts and examples/10_1_cnn_mnist.ts
// write them out line by line, as the course does.
import * as torch from '../src/index.js';
const { nn } = torch;
const F = torch.nn.functional;

/** Lecture 09-2: 784-520-320-240-120-10 with ReLUs; returns logits (for CrossEntropyLoss). */
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
    return this.l5.forward(x);
  }
}

/** Lecture 10-1: conv 5x5 (10), max-pool, ReLU, conv 5x5 (20), max-pool, ReLU, linear 320 -> 10; returns log-probabilities. */
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

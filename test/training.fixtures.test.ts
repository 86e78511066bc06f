// The course's training runs of ../shared/fixtures/training.json, step for
// step from PyTorch's recorded weights, and the SGD optimizer trajectories.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture, toTensor, allclose, fixtureValues, expectClose, readData, type FixtureTensor } from './helpers/fixtures.js';

const { nn, optim } = torch;
const F = torch.nn.functional;

interface Trajectory {
  name: string;
  init_state_dict: Record<string, FixtureTensor>;
  data: Record<string, FixtureTensor | number[]>;
  hyper: Record<string, number>;
  losses: number[];
  grads?: number[];
  final_state_dict: Record<string, FixtureTensor> | null;
  final_w?: number;
  predict_4?: number;
}
interface OptimizerCase {
  optimizer: string;
  kwargs: Record<string, unknown>;
  param0: FixtureTensor;
  grads: FixtureTensor[];
  params_after_each_step: FixtureTensor[];
}

const fixture = loadFixture<{ trajectories: Trajectory[]; optimizers: OptimizerCase[] }>('training.json');
const trajectory = (name: string) => fixture.trajectories.find((t) => t.name === name)!;

function stateDict(sd: Record<string, FixtureTensor>): Record<string, torch.Tensor> {
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, toTensor(v)]));
}

/** `steps` optimizer steps on the loss `lossAt(step)` computes; returns the losses. */
function train(steps: number, optimizer: torch.optim.Optimizer<object>, lossAt: (step: number) => torch.Tensor): number[] {
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = lossAt(step);
    losses.push(loss.item());
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  return losses;
}

describe('training.json trajectories', () => {
  it('manual_gradient (lecture 03): loss and gradient per sample, final w, prediction', () => {
    const t = trajectory('manual_gradient');
    const xs = t.data.x as number[], ys = t.data.y as number[];
    const w = toTensor(t.init_state_dict.w, true);
    const losses: number[] = [], grads: number[] = [];
    for (let epoch = 0; epoch < t.hyper.epochs; epoch++) {
      for (let i = 0; i < xs.length; i++) {
        const l = w.mul(xs[i]).sub(ys[i]).pow(2);
        l.backward();
        losses.push(l.item());
        grads.push(w.grad!.item());
        w.data = w.data.sub(w.grad!.data.mul(t.hyper.lr));
        w.grad!.data.zero_();
      }
    }
    expect(allclose(losses, t.losses, 1e-5, 1e-6)).toBeNull();
    expect(allclose(grads, t.grads!, 1e-5, 1e-6)).toBeNull();
    expect(w.item()).toBeCloseTo(t.final_w!, 6);
    expect(w.mul(4).item()).toBeCloseTo(t.predict_4!, 5);
  });

  it('linear_regression (lecture 05): 500 losses, final weights, prediction', () => {
    const t = trajectory('linear_regression');
    const model = new nn.Linear(1, 1);
    model.load_state_dict(stateDict(t.init_state_dict));
    const criterion = new nn.MSELoss({ reduction: 'sum' });
    const optimizer = new optim.SGD(model.parameters(), { lr: t.hyper.lr });
    const x = toTensor(t.data.x as FixtureTensor), y = toTensor(t.data.y as FixtureTensor);
    const losses = train(t.hyper.epochs, optimizer, () => criterion.forward(model.forward(x), y));
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
    const sd = model.state_dict();
    for (const [k, v] of Object.entries(t.final_state_dict!)) expectClose(sd[k], v, 1e-5, 1e-6);
    expect(model.forward(torch.tensor([[4.0]])).item()).toBeCloseTo(t.predict_4!, 5);
  });
});

/** diabetes.csv.gz: 8 input columns and a 0/1 label, no header (numbers parsed as numpy's loadtxt does). */
function diabetes(): [torch.Tensor, torch.Tensor] {
  const rows = readData('diabetes.csv.gz').trim().split('\n').map((l) => l.split(',').map(Number));
  const x = torch.tensor(rows.map((r) => r.slice(0, 8)));
  const y = torch.tensor(rows.map((r) => [r[8]]));
  return [x, y];
}

class DiabetesNet extends nn.Module {
  l1 = new nn.Linear(8, 6);
  l2 = new nn.Linear(6, 4);
  l3 = new nn.Linear(4, 1);
  forward(x: torch.Tensor): torch.Tensor {
    return this.l3.forward(this.l2.forward(this.l1.forward(x).sigmoid()).sigmoid()).sigmoid();
  }
}

class MnistNet extends nn.Module {
  l1 = new nn.Linear(784, 520);
  l2 = new nn.Linear(520, 320);
  l3 = new nn.Linear(320, 240);
  l4 = new nn.Linear(240, 120);
  l5 = new nn.Linear(120, 10);
  forward(x: torch.Tensor): torch.Tensor {
    let h = x.view(-1, 784);
    for (const l of [this.l1, this.l2, this.l3, this.l4]) h = l.forward(h).relu();
    return this.l5.forward(h);
  }
}

function expectFinal(model: torch.nn.Module, t: Trajectory, rtol = 1e-4): void {
  const sd = model.state_dict();
  for (const [k, v] of Object.entries(t.final_state_dict!)) expectClose(sd[k], v, rtol, 1e-6);
}

describe('training.json trajectories (lectures 06-09)', () => {
  it('logistic_regression (lecture 06): 1000 BCE losses, final weights, predictions', () => {
    const t = trajectory('logistic_regression') as Trajectory & { predict_1: number; predict_7: number };
    const model = new nn.Linear(1, 1);
    model.load_state_dict(stateDict(t.init_state_dict));
    const criterion = new nn.BCELoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: t.hyper.lr });
    const x = toTensor(t.data.x as FixtureTensor), y = toTensor(t.data.y as FixtureTensor);
    const losses = train(t.hyper.epochs, optimizer, () => criterion.forward(model.forward(x).sigmoid(), y));
    expect(allclose(losses, t.losses, 1e-5, 1e-6)).toBeNull();
    expectFinal(model, t, 1e-5);
    expect(model.forward(torch.tensor([[1.0]])).sigmoid().item()).toBeCloseTo(t.predict_1, 5);
    expect(model.forward(torch.tensor([[7.0]])).sigmoid().item()).toBeCloseTo(t.predict_7, 5);
  });

  it('diabetes_full_batch (lecture 07): 100 losses over the whole file, final weights', () => {
    const t = trajectory('diabetes_full_batch');
    const [x, y] = diabetes();
    const model = new DiabetesNet();
    model.load_state_dict(stateDict(t.init_state_dict));
    const criterion = new nn.BCELoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: t.hyper.lr });
    const losses = train(t.hyper.epochs, optimizer, () => criterion.forward(model.forward(x), y));
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
    expectFinal(model, t);
  });

  it('diabetes_minibatch (lecture 08): batches of 32 in file order, the last one smaller', () => {
    const t = trajectory('diabetes_minibatch');
    const [x, y] = diabetes();
    const model = new DiabetesNet();
    model.load_state_dict(stateDict(t.init_state_dict));
    const criterion = new nn.BCELoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: t.hyper.lr });
    const n = x.size(0), bs = t.hyper.batch_size, batches = Math.ceil(n / bs);
    const losses = train(t.hyper.epochs * batches, optimizer, (step) => {
      const start = (step % batches) * bs, len = Math.min(bs, n - start);
      return criterion.forward(model.forward(x.narrow(0, start, len)), y.narrow(0, start, len));
    });
    expect(losses.length).toBe(t.losses.length);
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
    expectFinal(model, t);
  });

  it('mnist_mlp (lecture 09): 12 steps of the 784-520-320-240-120-10 MLP with momentum SGD', () => {
    const t = trajectory('mnist_mlp');
    const inputs = toTensor(t.data.inputs as FixtureTensor), labels = toTensor(t.data.labels as FixtureTensor);
    const model = new MnistNet();
    model.load_state_dict(stateDict(t.init_state_dict));
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: t.hyper.lr, momentum: t.hyper.momentum });
    const batches = inputs.size(0);
    const losses = train(t.hyper.epochs * batches, optimizer, (step) =>
      criterion.forward(model.forward(inputs.select(0, step % batches)), labels.select(0, step % batches)));
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
  });
});

class MnistCnn extends nn.Module {
  conv1 = new nn.Conv2d(1, 10, 5);
  conv2 = new nn.Conv2d(10, 20, 5);
  mp = new nn.MaxPool2d(2);
  fc = new nn.Linear(320, 10);
  forward(x: torch.Tensor): torch.Tensor {
    const in_size = x.size(0);
    x = F.relu(this.mp.forward(this.conv1.forward(x)) as torch.Tensor);
    x = F.relu(this.mp.forward(this.conv2.forward(x)) as torch.Tensor);
    return F.log_softmax(this.fc.forward(x.view(in_size, -1)), 1);
  }
}

describe('training.json trajectories (lectures 10-11)', () => {
  it('mnist_cnn (lecture 10): conv-pool-relu twice, fc, log_softmax + nll, momentum SGD', () => {
    const t = trajectory('mnist_cnn');
    const inputs = toTensor(t.data.inputs as FixtureTensor), labels = toTensor(t.data.labels as FixtureTensor);
    const model = new MnistCnn();
    model.load_state_dict(stateDict(t.init_state_dict));
    const optimizer = new optim.SGD(model.parameters(), { lr: t.hyper.lr, momentum: t.hyper.momentum });
    const batches = inputs.size(0);
    const losses = train(t.hyper.epochs * batches, optimizer, (step) =>
      F.nll_loss(model.forward(inputs.select(0, step % batches)), labels.select(0, step % batches)));
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
    expectFinal(model, t, 1e-4);
  });
});

describe('training.json trajectories (lectures 12-13)', () => {
  it('hello_rnn (lecture 12): RNN(5, 5) on one-hot "hihell", Adam; losses and the predicted strings', () => {
    const t = trajectory('hello_rnn') as Trajectory & { predictions: string[]; data: { chars: string[] } };
    class Model extends nn.Module {
      rnn = new nn.RNN(5, 5, { batch_first: true });
      forward(x: torch.Tensor): torch.Tensor {
        const [out] = this.rnn.forward(x);
        return out.reshape(-1, 5);
      }
    }
    const model = new Model();
    model.load_state_dict(stateDict(t.init_state_dict));
    const inputs = toTensor(t.data.inputs as unknown as FixtureTensor), labels = toTensor(t.data.labels as unknown as FixtureTensor);
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.Adam(model.parameters(), { lr: t.hyper.lr });
    const predictions: string[] = [];
    const losses = train(t.hyper.epochs, optimizer, () => {
      const outputs = model.forward(inputs);
      predictions.push((outputs.argmax(1).tolist() as number[]).map((i) => t.data.chars[i]).join(''));
      return criterion.forward(outputs, labels);
    });
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
    expect(predictions).toEqual(t.predictions);
    expectFinal(model, t, 1e-4);
  });

  it('names_gru (lecture 13): Embedding -> GRU -> Linear on the last hidden state, Adam', () => {
    const t = trajectory('names_gru');
    class Model extends nn.Module {
      embedding = new nn.Embedding(128, 16);
      gru = new nn.GRU(16, 24);
      fc = new nn.Linear(24, 18);
      forward(x: torch.Tensor): torch.Tensor {
        const [, hidden] = this.gru.forward(this.embedding.forward(x)) as [torch.Tensor, torch.Tensor];
        return this.fc.forward(hidden.select(0, -1));
      }
    }
    const model = new Model();
    model.load_state_dict(stateDict(t.init_state_dict));
    const inputs = toTensor(t.data.inputs as FixtureTensor), labels = toTensor(t.data.labels as FixtureTensor);
    const criterion = new nn.CrossEntropyLoss();
    const optimizer = new optim.Adam(model.parameters(), { lr: t.hyper.lr });
    const losses = train(t.hyper.steps, optimizer, () => criterion.forward(model.forward(inputs), labels));
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
    expectFinal(model, t, 1e-3);
  });
});

describe('training.json optimizer trajectories', () => {
  const optimizers: Record<string, new (params: torch.Tensor[], options: Record<string, unknown>) => torch.optim.Optimizer<object>> = {
    SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad,
  };
  const cases = fixture.optimizers;
  it('covers every optimizer in the fixture', () => {
    expect(cases.length).toBe(11);
    for (const c of cases) expect(optimizers[c.optimizer], c.optimizer).toBeDefined();
  });
  for (const c of cases) {
    it(`${c.optimizer} ${JSON.stringify(c.kwargs)}`, () => {
      const p = toTensor(c.param0, true);
      const opt = new optimizers[c.optimizer]([p], c.kwargs);
      c.grads.forEach((g, step) => {
        p.grad = toTensor(g);
        opt.step();
        const err = allclose(Array.from(p.dataSync()), fixtureValues(c.params_after_each_step[step]), 1e-5, 1e-6);
        expect(err, `step ${step}`).toBeNull();
      });
    });
  }
});

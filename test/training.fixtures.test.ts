// The course's training runs of ../shared/fixtures/training.json, step for
// step from PyTorch's recorded weights, and the SGD optimizer trajectories.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture, toTensor, allclose, fixtureValues, expectClose, type FixtureTensor } from './helpers/fixtures.js';

const { nn, optim } = torch;

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
    const losses: number[] = [];
    for (let epoch = 0; epoch < t.hyper.epochs; epoch++) {
      const loss = criterion.forward(model.forward(x), y);
      losses.push(loss.item());
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
    }
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
    const sd = model.state_dict();
    for (const [k, v] of Object.entries(t.final_state_dict!)) expectClose(sd[k], v, 1e-5, 1e-6);
    expect(model.forward(torch.tensor([[4.0]])).item()).toBeCloseTo(t.predict_4!, 5);
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

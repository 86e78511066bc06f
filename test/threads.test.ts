// Intra-op threads: large GEMMs split across worker threads on the shared
// memory must give exactly the single-threaded results.
import { describe, it, expect, afterEach } from 'vitest';
import * as torch from '../src/index.js';
import { threadsAvailable } from '../src/backend/threads.js';

const same = (a: torch.Tensor, b: torch.Tensor) => {
  const x = a.dataSync(), y = b.dataSync();
  return x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
};

/** f run with one thread, then with n. */
function both<T>(n: number, f: () => T): [T, T] {
  torch.set_num_threads(1);
  const one = f();
  torch.set_num_threads(n);
  return [one, f()];
}

describe('threads', () => {
  afterEach(() => torch.set_num_threads(1));

  it('Node runs the kernels on shared memory, so threads are available; the default is one', () => {
    expect(threadsAvailable()).toBe(true);
    expect(torch.get_num_threads()).toBe(1);
    torch.set_num_threads(2);
    expect(torch.get_num_threads()).toBe(2);
  });

  it('a GEMM split by columns, by rows, with transposed operands and batches equals the one-thread result bit for bit', () => {
    torch.manual_seed(0);
    const shapes: [number[], number[], boolean, boolean][] = [
      [[96, 300], [300, 517], false, false], // wide: split by columns, an odd last part
      [[701, 200], [200, 40], false, false], // tall: split by rows
      [[300, 96], [517, 300], true, true], // both operands read through transposed strides
      [[3, 70, 130], [130, 150], false, false], // a batch folded into one tall GEMM
      [[2, 64, 256], [2, 256, 96], false, false], // a batch of GEMMs
    ];
    for (const [sa, sb, ta, tb] of shapes) {
      let a = torch.randn(...sa), b = torch.randn(...sb);
      if (ta) a = a.t();
      if (tb) b = b.t();
      const [one, two] = both(2, () => a.matmul(b));
      expect(same(one, two), `${sa} @ ${sb}`).toBe(true);
    }
  });

  it('three threads split a GEMM three ways and still agree', () => {
    torch.manual_seed(1);
    const a = torch.randn(128, 384), b = torch.randn(384, 400);
    const [one, three] = both(3, () => a.matmul(b));
    expect(torch.get_num_threads()).toBe(3);
    expect(same(one, three)).toBe(true);
  });

  it('an MLP and a CNN train to the same weights on two threads as on one', () => {
    const train = () => {
      torch.manual_seed(2);
      const net = new torch.nn.Sequential(
        new torch.nn.Conv2d(1, 8, 5), new torch.nn.ReLU(), new torch.nn.Flatten(),
        new torch.nn.Linear(8 * 24 * 24, 256), new torch.nn.ReLU(), new torch.nn.Linear(256, 10));
      const opt = new torch.optim.SGD(net.parameters(), { lr: 0.01, momentum: 0.9 });
      const x = torch.randn(32, 1, 28, 28), y = torch.randint(0, 10, [32]);
      for (let step = 0; step < 3; step++) {
        opt.zero_grad();
        torch.nn.functional.cross_entropy(net.forward(x) as torch.Tensor, y).backward();
        opt.step();
      }
      return net.parameters().map((p) => p.detach().clone());
    };
    const [one, two] = both(2, train);
    one.forEach((p, i) => expect(same(p, two[i]), `parameter ${i}`).toBe(true));
  });

  it('a bad thread count is refused', () => {
    expect(() => torch.set_num_threads(0)).toThrow('set_num_threads expects a positive integer, but got 0');
    expect(() => torch.set_num_threads(1.5)).toThrow('set_num_threads expects a positive integer, but got 1.5');
  });
});

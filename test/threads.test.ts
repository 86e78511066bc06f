// Intra-op threads: large GEMMs split across worker threads on the shared
// memory must give exactly the single-threaded results.
import { describe, it, expect, afterEach } from 'vitest';
import * as torch from '../src/index.js';
import os from 'node:os';
import { threadsAvailable, threadStats, useThreads, workerCount, stopWorker, failWorkerMidJob } from '../src/backend/threads.js';

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
    const one = a.matmul(b);
    useThreads(3); // past the cores if need be: the split itself is under test
    const three = a.matmul(b);
    expect(torch.get_num_threads()).toBe(3);
    expect(same(one, three)).toBe(true);
  });

  it('a worker that dies does not hang the next threaded GEMM: its part is done elsewhere, and it is replaced', async () => {
    torch.manual_seed(3);
    const a = torch.randn(128, 384), b = torch.randn(384, 400);
    const one = a.matmul(b);
    useThreads(2);
    expect(same(a.matmul(b), one)).toBe(true);
    stopWorker(0); // killed while idle; the call below comes before its exit event can be seen
    expect(same(a.matmul(b), one)).toBe(true);
    await new Promise((r) => setTimeout(r, 50)); // the exit event
    expect(same(a.matmul(b), one)).toBe(true); // the dead worker is replaced first
    const jobs = threadStats().jobs;
    expect(same(a.matmul(b), one)).toBe(true);
    expect(threadStats().jobs).toBeGreaterThan(jobs); // and the new one takes part
  });

  it('a worker that dies in the middle of its part of a GEMM does not hang it: the part is run again, the worker replaced', () => {
    torch.manual_seed(4);
    const a = torch.randn(128, 384), b = torch.randn(384, 400);
    const one = a.matmul(b);
    useThreads(2);
    failWorkerMidJob(0); // it claims its next part, then its thread exits
    const t0 = performance.now();
    expect(same(a.matmul(b), one)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(same(a.matmul(b), one)).toBe(true); // the dead worker is replaced first
    const jobs = threadStats().jobs;
    expect(same(a.matmul(b), one)).toBe(true); // and the new one takes part
    expect(threadStats().jobs).toBeGreaterThan(jobs);
  });

  it('a worker that dies in the middle of an optimizer update (which cannot be run twice) fails the call clearly, and the next works', () => {
    torch.manual_seed(5);
    const p = torch.randn(512, 256).requires_grad_(), q = p.detach().clone().requires_grad_(), start = p.detach().clone();
    const step = (w: torch.Tensor, opt: torch.optim.SGD) => {
      opt.zero_grad();
      w.mul(w).sum().backward();
      opt.step();
    };
    const reference = new torch.optim.SGD([q], { lr: 0.1 });
    step(q, reference);
    useThreads(2);
    const opt = new torch.optim.SGD([p], { lr: 0.1 });
    failWorkerMidJob(0);
    expect(() => step(p, opt)).toThrow(/a worker thread died while running its part of sgd_step; the outputs of that part may be partly written/);
    torch.no_grad(() => p.copy_(start)); // the failed update may have written part of p: back to the start
    step(p, opt); // on two threads again, the same bits as on one
    expect(same(p.detach(), q.detach())).toBe(true);
  });

  it('set_num_threads uses at most the cores there are (256 on two cores had started 255 workers)', () => {
    torch.set_num_threads(256);
    expect(torch.get_num_threads()).toBe(Math.min(256, os.availableParallelism()));
    expect(workerCount()).toBeLessThanOrEqual(Math.max(2, os.availableParallelism() - 1));
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

  it('optimizer updates of large parameters split by rows across threads and give the one-thread bits', () => {
    const optimizers: [string, (ps: torch.Tensor[]) => torch.optim.Optimizer<object>][] = [
      ['SGD nesterov', (ps) => new torch.optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 })],
      ['Adam amsgrad', (ps) => new torch.optim.Adam(ps, { lr: 0.01, amsgrad: true, weight_decay: 0.01 })],
      ['AdamW', (ps) => new torch.optim.AdamW(ps, { lr: 0.01 })],
      ['RMSprop centered', (ps) => new torch.optim.RMSprop(ps, { lr: 0.01, centered: true, momentum: 0.5 })],
      ['Adagrad', (ps) => new torch.optim.Adagrad(ps, { lr: 0.1, lr_decay: 0.01 })],
    ];
    for (const [name, make] of optimizers) {
      let workerJobs = 0;
      const [one, two] = both(2, () => {
        torch.manual_seed(4);
        // 601 rows: parts of 304 and 297 rows; the bias stays on one thread
        const w = torch.randn(601, 200).requires_grad_(), bias = torch.randn(601).requires_grad_();
        const opt = make([w, bias]);
        const jobs = threadStats().jobs;
        for (let step = 0; step < 3; step++) {
          opt.zero_grad();
          w.mul(w).sum().add(bias.sin().sum()).backward();
          opt.step();
        }
        workerJobs = threadStats().jobs - jobs;
        return [w.detach().clone(), bias.detach().clone()];
      });
      expect(workerJobs, `${name}: a worker took part`).toBeGreaterThanOrEqual(3);
      one.forEach((p, i) => expect(same(p, two[i]), `${name} parameter ${i}`).toBe(true));
    }
  });

  it('a bad thread count is refused', () => {
    // PyTorch 2.13's words
    expect(() => torch.set_num_threads(0)).toThrow('set_num_threads expects a positive integer');
    expect(() => torch.set_num_threads(1.5)).toThrow('set_num_threads expects an int, but got float');
  });
});

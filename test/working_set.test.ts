// Resident memory follows the model's working set, not the budget (a file of its own: linear memory never
// shrinks, so these figures need a fresh module).
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

const { nn, optim } = torch;
const F = torch.nn.functional;
const MiB = 1024 * 1024;

function mlpLoop(steps: number, batchOf: (step: number) => number): { first: number; last: number; maxResident: number } {
  torch.manual_seed(0);
  const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.5 });
  const data = Array.from({ length: 4 }, () => [torch.rand(512, 784), torch.randint(0, 10, [512])] as const);
  let first = 0, last = 0, maxResident = 0;
  for (let step = 0; step < steps; step++) {
    const [x, y] = data[step % data.length];
    const b = batchOf(step);
    const loss = F.cross_entropy(model.forward(x.narrow(0, 0, b)) as torch.Tensor, y.narrow(0, 0, b));
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    const value = loss.item();
    if (step < 4) first += value / 4;
    if (step >= steps - 4) last += value / 4;
    maxResident = Math.max(maxResident, torch.memory().resident_bytes);
  }
  return { first, last, maxResident };
}

describe('memory follows the working set', () => {
  it('a synchronous MLP loop at the default budget stays within the 16 MiB working budget it starts with', () => {
    torch.set_memory_budget(256 * MiB);
    const { first, last, maxResident } = mlpLoop(1500, () => 64);
    const m = torch.memory();
    expect(m.budget).toBe(256 * MiB);
    expect(m.working_budget).toBe(16 * MiB); // its working set (1.2 MB of parameters and state, 6 MB of data) fits
    expect(maxResident).toBeLessThanOrEqual(16 * MiB);
    expect(m.linear_memory_bytes).toBeLessThan(32 * MiB); // was 80 MB of dead tensors by this step, 256 MiB later
    expect(last).toBeLessThan(first);
  });

  it('varying batch sizes keep linear memory within a quarter past the working budget (free blocks are split and merged)', () => {
    let seed = 7;
    const batch = () => 1 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 512);
    const { last, first } = mlpLoop(1500, batch);
    const m = torch.memory();
    expect(m.linear_memory_bytes).toBeLessThanOrEqual(m.working_budget * 1.25 + 8 * MiB);
    expect(last).toBeLessThan(first);
  });

  it('a working set larger than the working budget grows it until nothing used in a round is written back', () => {
    torch.set_memory_budget(256 * MiB);
    const live = Array.from({ length: 48 }, () => torch.zeros(256 * 1024)); // 48 MiB touched every round
    let writeBacksInRound = -1;
    for (let round = 1; round <= 12; round++) {
      const before = torch.memory().write_backs;
      for (const t of live) t.add_(1);
      writeBacksInRound = torch.memory().write_backs - before;
    }
    expect(torch.memory().working_budget).toBeGreaterThanOrEqual(64 * MiB);
    expect(writeBacksInRound).toBe(0);
    for (const t of [live[0], live[47]]) expect(t.sum().item()).toBe(12 * 256 * 1024);
  });

  it('the working budget grows to the user budget and no further', () => {
    torch.set_memory_budget(24 * MiB);
    expect(torch.memory().working_budget).toBe(16 * MiB);
    const live = Array.from({ length: 32 }, () => torch.ones(256 * 1024));
    for (let round = 0; round < 6; round++) for (const t of live) t.mul_(1);
    const m = torch.memory();
    expect(m.working_budget).toBe(24 * MiB);
    expect(m.resident_bytes).toBeLessThanOrEqual(24 * MiB);
    expect(live[31].sum().item()).toBe(256 * 1024);
    torch.set_memory_budget(256 * MiB);
  });

  it('a block larger than a quarter of the working budget raises it, so one op does not write back the rest', () => {
    torch.set_memory_budget(256 * MiB);
    const big = torch.ones(6 * 1024 * 1024); // 24 MiB
    expect(torch.memory().working_budget).toBeGreaterThanOrEqual(4 * 24 * MiB);
    expect(big.mul(2).sum().item()).toBe(12 * 1024 * 1024);
  });
});

// The memory model: linear memory is a bounded cache, host arrays the backing
// store; nothing in user code frees anything.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

const { nn, optim } = torch;
const F = torch.nn.functional;

describe('memory', () => {
  it('10,000 synchronous MLP training steps keep linear memory flat and resident bytes within the budget', () => {
    torch.manual_seed(0);
    const budget = 16 * 1024 * 1024;
    torch.set_memory_budget(budget);
    const model = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
    const batches = Array.from({ length: 4 }, () => [torch.rand(64, 784), torch.randint(0, 10, [64])] as const);
    let warmLinear = 0, maxResident = 0, firstLoss = 0, lastLoss = 0;
    const writeBacksBefore = torch.memory().write_backs;
    for (let step = 0; step < 10_000; step++) {
      const [x, y] = batches[step % batches.length];
      const loss = F.cross_entropy(model.forward(x) as torch.Tensor, y);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      const m = torch.memory();
      maxResident = Math.max(maxResident, m.resident_bytes);
      if (step === 1000) warmLinear = m.linear_memory_bytes;
      if (step > 1000) expect(m.linear_memory_bytes).toBe(warmLinear);
      if (step === 0) firstLoss = loss.item();
      if (step === 9999) lastLoss = loss.item();
    }
    expect(maxResident).toBeLessThanOrEqual(budget);
    expect(torch.memory().write_backs).toBeGreaterThan(writeBacksBefore); // the cache was exercised
    expect(lastLoss).toBeLessThan(firstLoss); // and training still worked through it
    torch.set_memory_budget(256 * 1024 * 1024);
  });

  it('a packed bidirectional GRU trained synchronously keeps linear memory flat; its internals write nothing back', () => {
    torch.manual_seed(0);
    const budget = 8 * 1024 * 1024;
    torch.set_memory_budget(budget);
    const gru = new nn.GRU(16, 32, 2, { bidirectional: true }), fc = new nn.Linear(32, 5);
    const optimizer = new optim.Adam([...gru.parameters(), ...fc.parameters()], { lr: 0.01 });
    const x = torch.nn.utils.rnn.pack_padded_sequence(torch.randn(12, 8, 16), [12, 11, 9, 9, 6, 4, 3, 1]);
    const y = torch.randint(0, 5, [8]);
    const writeBacks = () => torch.memory().write_backs;
    let warmLinear = 0, firstLoss = 0, lastLoss = 0, from = 0;
    for (let step = 0; step < 1500; step++) {
      const [, h] = gru.forward(x);
      const loss = F.cross_entropy(fc.forward(h.select(0, -1)), y);
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      if (step === 500) warmLinear = torch.memory().linear_memory_bytes;
      if (step > 500) expect(torch.memory().linear_memory_bytes).toBe(warmLinear);
      if (step === 999) from = writeBacks();
      if (step === 0) firstLoss = loss.item();
      if (step === 1499) lastLoss = loss.item();
    }
    // only what user code dropped (output, h_n, logits, loss) is ever written back, never the layers' own tensors
    expect((writeBacks() - from) / 500).toBeLessThanOrEqual(6);
    expect(lastLoss).toBeLessThan(firstLoss);
    torch.set_memory_budget(256 * 1024 * 1024);
  });

  it('a written-back tensor keeps its values and comes back on next use', () => {
    const a = torch.arange(0, 5000, { dtype: torch.float32 });
    const small = torch.tensor([1.5, -2.5, 3]);
    a.add(0); small.add(0); // make resident
    torch.set_memory_budget(64 * 1024);
    for (let i = 0; i < 50; i++) torch.ones(4096).mul(2); // pressure: evicts a and small
    expect(torch.memory().resident_bytes).toBeLessThanOrEqual(64 * 1024);
    expect(a.sum().item()).toBe((4999 * 5000) / 2);
    expect(small.mul(2).tolist()).toEqual([3, -5, 6]);
    torch.set_memory_budget(256 * 1024 * 1024);
  });

  it('item() reads an element where it is: resident, written back (small and large), host-made', () => {
    const big = torch.arange(0, 5000, { dtype: torch.float32 }), ints = torch.tensor([7, -3, 9], { dtype: torch.int32 });
    const small = torch.tensor([1.5, -2.5, 3]);
    big.add(0); ints.add(0); small.add(0); // make resident
    expect([big.select(0, 4321).item(), ints.select(0, 1).item(), small.select(0, 1).item()]).toEqual([4321, -3, -2.5]);
    torch.set_memory_budget(64 * 1024);
    for (let i = 0; i < 50; i++) torch.ones(4096).mul(2); // pressure: writes all three back
    const writtenBack = [big.select(0, 4321), ints.select(0, 1), small.select(0, 1)].map((t) => t.item());
    torch.set_memory_budget(256 * 1024 * 1024);
    expect(writtenBack).toEqual([4321, -3, -2.5]);
    expect(torch.from_numpy(new Float32Array([0.25, -8]), [2]).select(0, 1).item()).toBe(-8); // host storage, never resident
  });

  it('a tensor evicted and made resident again inside backward survives it', () => {
    const x = torch.rand(64, 8);
    const w = torch.rand(8, 4, { requires_grad: true });
    torch.set_memory_budget(32 * 1024);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 20; j++) torch.ones(1024).add(1); // evict x between forward and backward
      const loss = x.matmul(w).sum();
      for (let j = 0; j < 20; j++) torch.ones(1024).add(1);
      loss.backward();
    }
    expect(x.sum().item()).toBeGreaterThan(0);
    torch.set_memory_budget(256 * 1024 * 1024);
  });

  it('backward frees its intermediate gradients at once', () => {
    const w = torch.rand(256, 256, { requires_grad: true });
    const x = torch.rand(32, 256);
    const loss = () => x.matmul(w).tanh().matmul(w).sigmoid().sum();
    loss().backward(); // warm: leaf grad allocated
    const l = loss();
    const before = torch.memory().resident_blocks;
    l.backward();
    // leaf grads already exist, so backward leaves nothing new resident
    expect(torch.memory().resident_blocks).toBeLessThanOrEqual(before);
  });

  it('tidy frees everything it made except the result, parameters and their grads', () => {
    const w = new nn.Linear(16, 4);
    const before = torch.memory().resident_blocks;
    const out = torch.tidy(() => {
      const h = w.forward(torch.ones(8, 16)).relu();
      h.sum().backward();
      return h.sum(1);
    });
    expect(out.shape).toEqual([8]);
    expect(w.weight.grad!.shape).toEqual([4, 16]);
    // left resident: the result, the graph behind it (the input, linear's and relu's outputs) and the two gradients
    expect(torch.memory().resident_blocks - before).toBeLessThanOrEqual(6);
    expect(w.weight.grad!.sum().item()).not.toBeNaN();
  });

  it('training steps inside tidy keep parameters, momentum and host-made inputs usable', () => {
    torch.manual_seed(1);
    const model = new nn.Sequential(new nn.Linear(32, 16), new nn.ReLU(), new nn.Linear(16, 4));
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.5 });
    const x = torch.from_numpy(new Float32Array(8 * 32).map((_, i) => Math.sin(i)), [8, 32]);
    const y = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3], { dtype: torch.long });
    torch.set_memory_budget(64 * 1024); // evictions inside the scopes too
    const losses: number[] = [];
    for (let i = 0; i < 200; i++) {
      losses.push(torch.tidy(() => {
        const loss = F.cross_entropy(model.forward(x) as torch.Tensor, y);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        return loss.item();
      }));
    }
    torch.set_memory_budget(256 * 1024 * 1024);
    expect(losses[199]).toBeLessThan(losses[0] / 2);
    expect(x.sum().item()).toBeCloseTo(Array.from({ length: 256 }, (_, i) => Math.fround(Math.sin(i))).reduce((a, b) => a + b), 3);
  });

  it('host copies of dead tensors are garbage within a synchronous loop', () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    torch.set_memory_budget(8 * 1024 * 1024);
    const x = torch.rand(1 << 20); // 4 MiB
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const writeBacks = torch.memory().write_backs;
    for (let i = 0; i < 100; i++) x.add(1); // results dropped: each is written back when evicted
    gc(); // still the same job: no FinalizationRegistry callback has run
    expect(torch.memory().write_backs - writeBacks).toBeGreaterThan(50);
    // 100 dead 4 MiB results: their host copies must not be kept alive by the library
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    torch.set_memory_budget(256 * 1024 * 1024);
  });

  it('long synchronous loops of small and large ops do not grow the JS heap either', () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    const x = torch.tensor([1, 2, 3]);
    const loop = (n: number) => { for (let i = 0; i < n; i++) x.add(i); }; // results dropped, written back when evicted
    loop(100_000); // the cache is full: from here on every result is written back once
    gc();
    const before = process.memoryUsage().heapUsed, writeBacks = torch.memory().write_backs;
    loop(300_000);
    gc(); // the same job: no FinalizationRegistry callback has run
    expect(torch.memory().write_backs - writeBacks).toBeGreaterThan(200_000);
    // nothing per written-back small tensor may stay reachable (a registry cell each would be ~10 MB here)
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(3 * 1024 * 1024);
    // the same for blocks large enough to be copied out as ArrayBuffers (4 KiB results, a 1 MiB budget)
    torch.set_memory_budget(1 << 20);
    const big = torch.rand(1024);
    for (let i = 0; i < 20_000; i++) big.add(i);
    gc();
    const bigBefore = process.memoryUsage().heapUsed, bigWriteBacks = torch.memory().write_backs;
    for (let i = 0; i < 100_000; i++) big.add(i);
    gc();
    torch.set_memory_budget(256 * 1024 * 1024);
    expect(torch.memory().write_backs - bigWriteBacks).toBeGreaterThan(90_000);
    expect(process.memoryUsage().heapUsed - bigBefore).toBeLessThan(3 * 1024 * 1024);
  });

  it('tensors of ever-changing sizes do not grow linear memory past the budget\'s reach', () => {
    torch.set_memory_budget(4 * 1024 * 1024);
    for (let i = 0; i < 50; i++) torch.ones(1000 + 37 * i).mul(2); // warm up
    const before = torch.memory().linear_memory_bytes;
    for (let i = 0; i < 400; i++) torch.ones(1000 + 997 * i).mul(2); // 400 different sizes, up to 1.6 MB
    torch.set_memory_budget(256 * 1024 * 1024);
    expect(torch.memory().linear_memory_bytes - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('a tidy scope that throws still frees what it made', () => {
    const before = torch.memory().resident_blocks;
    expect(() => torch.tidy(() => {
      torch.ones(100).mul(2);
      throw new Error('boom');
    })).toThrow('boom');
    expect(torch.memory().resident_blocks).toBe(before);
  });

  it('dispose frees at once, and using the tensor afterwards is an error', () => {
    const t = torch.ones(1000).mul(2);
    const before = torch.memory().resident_bytes;
    t.dispose();
    expect(torch.memory().resident_bytes).toBeLessThan(before);
    expect(() => t.sum()).toThrow('this tensor was disposed');
  });

  it('FinalizationRegistry frees large blocks once the event loop runs', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'vitest runs with --expose-gc').toBeTypeOf('function');
    const before = torch.memory().resident_blocks;
    (() => {
      for (let i = 0; i < 200; i++) torch.ones(4096).mul(3);
    })();
    expect(torch.memory().resident_blocks).toBeGreaterThanOrEqual(before + 200);
    for (let i = 0; i < 10 && torch.memory().resident_blocks > before + 20; i++) {
      gc!();
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(torch.memory().resident_blocks).toBeLessThan(before + 20);
  });

  it("a loss kept after backward() does not keep its step's activations (the freed graph holds edges, not data)", async () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    const w = torch.randn(64, 256, { requires_grad: true });
    const losses: torch.Tensor[] = [];
    const step = (retain: boolean): WeakRef<torch.Tensor> => {
      const h = torch.randn(32, 64).matmul(w).relu(); // an activation the graph saved and depends on
      const loss = h.pow(2).sum();
      loss.backward({ retain_graph: retain });
      losses.push(loss);
      return new WeakRef(h);
    };
    const freed = step(false), kept = step(true);
    await new Promise((r) => setTimeout(r, 0)); // a WeakRef's target lives to the end of the job that made it
    gc();
    expect(freed.deref()).toBeUndefined();
    // with retain_graph the graph still needs it, as in PyTorch
    expect(kept.deref()).toBeDefined();
    // a second backward through the freed graph is PyTorch's error
    expect(() => losses[0].backward()).toThrow('Trying to backward through the graph a second time');
  });

  it('a tensor past 2 GiB is written back and read back, and the library keeps working', () => {
    // 2.2 GB: its byte count shifted with a signed >> had gone negative, and every later op threw
    // "RangeError: Invalid array length" (7 s and about 5 GB of memory at its peak)
    const budget = torch.memory().budget;
    let big: torch.Tensor | null = torch.full([5.5e8], 2);
    try {
      torch.set_memory_budget(64e6); // the next allocation writes it back to the JS heap
      expect(torch.ones(1e6).mul(3).sum().item()).toBe(3e6);
      expect(torch.memory().host_bytes).toBeGreaterThanOrEqual(2.2e9);
      expect(big.narrow(0, 5.5e8 - 3, 3).tolist()).toEqual([2, 2, 2]);
      expect(torch.tensor([[1, 2, 3], [4, 5, 6]]).sum().item()).toBe(21);
    } finally {
      big.dispose();
      big = null;
      torch.set_memory_budget(budget);
    }
    expect(() => torch.empty(1.2e9)).toThrow('wasmtorch: out of memory: a tensor of 1200000000 elements needs 4800000000 bytes');
  });

  it('memory() reports its fields', () => {
    const m = torch.memory();
    for (const k of ['resident_bytes', 'resident_blocks', 'host_bytes', 'write_backs', 'linear_memory_bytes', 'budget']) {
      expect(m).toHaveProperty(k);
    }
    expect(() => torch.set_memory_budget(0)).toThrow('set_memory_budget(): expected a positive number of bytes, got 0');
  });
});

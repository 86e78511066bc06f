// Memory soak: the course's training loops run as users write them (synchronous, no tidy, the loss read
// every step), reporting peak RSS, linear memory and time per step. Each loop in a process of its own, so
// peak RSS is that loop's. PyTorch's figures for the same loops come from bench/soak_torch.py.
//   npm run soak                 (all loops)
//   npm run soak -- mlp256 4000  (one loop, a number of steps)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/index.js';
import { MLP, CNN } from '../examples/mnist_models.js';

const { nn, optim } = torch;
const F = torch.nn.functional;
const BATCH = 64;

interface Loop { steps: number; model: () => torch.nn.Module; input: number[] }
const LOOPS: Record<string, Loop> = {
  mlp256: { steps: 4000, model: () => new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10)), input: [BATCH, 784] },
  lecture09_mlp: { steps: 3000, model: () => new MLP(), input: [BATCH, 1, 28, 28] },
  lecture10_cnn: { steps: 1500, model: () => new CNN(), input: [BATCH, 1, 28, 28] },
};

const MB = 1024 * 1024;
const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

function soak(name: string, steps: number): Record<string, number | string> {
  const loop = LOOPS[name];
  torch.manual_seed(0);
  const model = loop.model();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
  const batches = Array.from({ length: 8 }, () => [torch.rand(loop.input), torch.randint(0, 10, [BATCH])] as const);
  const rssBefore = process.memoryUsage().rss / MB;
  const windowMs: number[] = [];
  const losses: number[] = [];
  let t0 = performance.now();
  const wb0 = torch.memory().write_backs;
  for (let step = 0; step < steps; step++) {
    const [x, y] = batches[step % batches.length];
    const loss = F.nll_loss(F.log_softmax(model.forward(x) as torch.Tensor, 1), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
    if ((step + 1) % 100 === 0) {
      const t = performance.now();
      windowMs.push((t - t0) / 100);
      t0 = t;
    }
  }
  const m = torch.memory();
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
  return {
    loop: name, steps,
    ms_per_step: +median(windowMs).toFixed(3),
    ms_per_step_second_half: +median(windowMs.slice(windowMs.length >> 1)).toFixed(3), // the steady state
    peak_rss_mb: +peakRssMB().toFixed(1),
    rss_before_loop_mb: +rssBefore.toFixed(1),
    linear_memory_mb: +(m.linear_memory_bytes / MB).toFixed(1),
    resident_mb: +(m.resident_bytes / MB).toFixed(1),
    working_budget_mb: +(m.working_budget / MB).toFixed(1),
    write_backs_per_step: +((m.write_backs - wb0) / steps).toFixed(2),
    first_loss: +losses[0].toFixed(4), last_loss: +losses[losses.length - 1].toFixed(4),
  };
}

const [only, stepsArg] = process.argv.slice(2);
if (process.env.WASMTORCH_SOAK_CHILD) {
  console.log(JSON.stringify(soak(only, Number(stepsArg))));
} else {
  const self = fileURLToPath(import.meta.url);
  for (const name of Object.keys(LOOPS)) {
    if (only !== undefined && !name.includes(only)) continue;
    const steps = stepsArg !== undefined ? Number(stepsArg) : LOOPS[name].steps;
    const r = spawnSync(process.execPath, [...process.execArgv, self, name, String(steps)],
      { env: { ...process.env, WASMTORCH_SOAK_CHILD: '1' }, encoding: 'utf8' });
    process.stdout.write(r.status === 0 ? r.stdout : `${name}: failed\n${r.stderr}\n`);
  }
}

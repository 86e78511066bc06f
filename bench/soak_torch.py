# PyTorch's side of bench/soak.ts: the same three loops (eager, one thread), each in a process of its own,
# printing the same fields. Run: python3 bench/soak_torch.py [loop] [steps]
import json, os, resource, subprocess, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 64

# the course's models, as the fixture generator declares them
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'scripts', 'fixtures'))
from training import MnistMlp as MLP, MnistCnn as CNN  # noqa: E402

LOOPS = {
    'mlp256': (4000, lambda: nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)), [BATCH, 784]),
    'lecture09_mlp': (3000, MLP, [BATCH, 1, 28, 28]),
    'lecture10_cnn': (1500, CNN, [BATCH, 1, 28, 28]),
}

def rss_mb():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20

def soak(name, steps):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    _, make, shape = LOOPS[name]
    model = make()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    batches = [(torch.rand(shape), torch.randint(0, 10, [BATCH])) for _ in range(8)]
    before = rss_mb()
    windows, losses, t0 = [], [], time.perf_counter()
    for step in range(steps):
        x, y = batches[step % 8]
        loss = F.nll_loss(F.log_softmax(model(x), 1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if (step + 1) % 100 == 0:
            t = time.perf_counter()
            windows.append((t - t0) * 1000 / 100)
            t0 = t
    windows.sort()
    return {'loop': name, 'steps': steps, 'ms_per_step': round(windows[len(windows) // 2], 3),
            'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            'rss_before_loop_mb': round(before, 1), 'first_loss': round(losses[0], 4), 'last_loss': round(losses[-1], 4),
            'torch': torch.__version__}

if __name__ == '__main__':
    args = sys.argv[1:]
    if args and args[0] == '--child':
        print(json.dumps(soak(args[1], int(args[2]))))
    else:
        for name, (steps, _, _) in LOOPS.items():
            if args and args[0] not in name:
                continue
            n = int(args[1]) if len(args) > 1 else steps
            subprocess.run([sys.executable, __file__, '--child', name, str(n)], check=True)

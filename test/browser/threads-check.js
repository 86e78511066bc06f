// One large GEMM on one thread, then on two once the worker is ready: the
// same bits, and the worker must have run its part.
import * as torch from '/dist/src/index.js';
import { threadStats } from '/dist/src/backend/threads.js';

export async function threadsCheck() {
  torch.manual_seed(0);
  const a = torch.randn(300, 400), b = torch.randn(400, 500);
  torch.set_num_threads(1);
  const one = a.matmul(b).dataSync();
  torch.set_num_threads(2);
  // a Web Worker starts in the background; until it reports ready, GEMMs stay on this thread
  for (let i = 0; i < 500 && torch.get_num_threads() > 1 && threadStats().ready < 1; i++) await new Promise((r) => setTimeout(r, 10));
  const before = threadStats().jobs;
  const two = a.matmul(b).dataSync();
  const result = {
    isolated: globalThis.crossOriginIsolated === true,
    threads: torch.get_num_threads(),
    workerJobs: threadStats().jobs - before,
    same: one.length === two.length && one.every((v, i) => Object.is(v, two[i])),
  };
  torch.set_num_threads(1);
  return result;
}

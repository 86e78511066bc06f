// Runs in a module Web Worker (worker.html): the package entry imported as a
// worker would, then the seed program; the result goes back to the page.
import * as torch from '/dist/src/index.js';
import { runSeedProgram } from './seed-program.js';

try {
  const inWorker = typeof WorkerGlobalScope !== 'undefined' && self instanceof WorkerGlobalScope && typeof window === 'undefined';
  self.postMessage({ result: { ...runSeedProgram(torch), userAgent: navigator.userAgent, inWorker } });
} catch (e) {
  self.postMessage({ error: String((e && e.stack) || e) });
}

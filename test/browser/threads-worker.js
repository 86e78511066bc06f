// threads-check.js inside a module Web Worker (where Atomics.wait may block).
import { threadsCheck } from './threads-check.js';

threadsCheck()
  .then((result) => postMessage({ result }))
  .catch((e) => postMessage({ error: String(e && e.stack || e) }));

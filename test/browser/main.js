// Runs in the page: the package entry exactly as a web page would import it.
import * as torch from '/dist/src/index.js';
import { runSeedProgram } from './seed-program.js';

try {
  window.__result = { ...runSeedProgram(torch), userAgent: navigator.userAgent };
} catch (e) {
  window.__error = String((e && e.stack) || e);
}

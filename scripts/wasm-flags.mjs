// Prints the Node flag that lets this Node run the relaxed-SIMD kernels, if it needs one (Node 20:
// --experimental-wasm-relaxed-simd; later versions have relaxed SIMD on), or nothing. Used by
// `npm run bench` and the tests, so that they measure and test the build users of current engines get.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FLAG = '--experimental-wasm-relaxed-simd';

export function relaxedSimdFlags() {
  const wasm = fileURLToPath(new URL('../build/kernels.relaxed.wasm', import.meta.url));
  if (WebAssembly.validate(readFileSync(wasm))) return [];
  const check = `process.exit(WebAssembly.validate(require('fs').readFileSync(${JSON.stringify(wasm)})) ? 0 : 1)`;
  return spawnSync(process.execPath, [FLAG, '-e', check]).status === 0 ? [FLAG] : [];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(relaxedSimdFlags().join(' '));

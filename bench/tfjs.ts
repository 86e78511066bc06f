// tfjs in Node, set up for the comparison: the wasm backend on one thread, and
// the gradient definitions tf.train needs.
import path from 'node:path';
import { createRequire, register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Lib } from './cases/types.js';

// tfjs-core's Node bundle has no gradients (the @tensorflow/tfjs union package
// adds them). They ship only as ESM files with extensionless imports under
// tfjs-core/dist/, so let Node resolve those with '.js' and import the real
// register_all_gradients. That loads a second copy of tfjs-core's ops, which is
// harmless: the engine and the kernel/gradient registries live on globalThis.
// tfjs-layers' Node bundle requires the same tfjs-core package, so its layers
// run on the engine and backends set up here.
const hooks = `export async function resolve(spec, ctx, next) {
  if (spec.startsWith('.') && !spec.endsWith('.js') && ctx.parentURL?.includes('/@tensorflow/tfjs-core/dist/')) spec += '.js';
  return next(spec, ctx);
}`;

export async function setupTfjs(): Promise<void> {
  tf.enableProdMode(); // only silences warnings (the tfjs-node hint)
  register('data:text/javascript,' + encodeURIComponent(hooks));
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  // The chained tensor methods (t.flatten(), t.reshape(), ...) are missing from
  // that bundle too; tfjs-layers calls some (its orthogonal initializer does).
  await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  setThreadsCount(1); // before the wasm backend initialises
  setWasmPaths(path.join(pkg, 'dist') + path.sep); // a plain file path works in Node
  await useBackend('tfjs-wasm');
}

export async function useBackend(lib: Lib): Promise<void> {
  if (lib === 'wasmtorch') return;
  const name = lib === 'tfjs-wasm' ? 'wasm' : 'cpu';
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} failed to initialise`);
  await tf.ready();
}

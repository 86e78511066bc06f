// torch.save / torch.load: state dicts as safetensors bytes.
//
//   const bytes = torch.save(model.state_dict());          // Uint8Array
//   model.load_state_dict(torch.load(bytes));
//   torch.save(model.state_dict(), 'model.safetensors');   // Node: also writes the file (synchronously)
//   model.load_state_dict(torch.load('model.safetensors'));
//   opt.load_state_dict(torch.load(torch.save(opt.state_dict())));
//   torch.save(sd, undefined, { metadata: { epoch: '3' } });
//   const { state_dict, metadata } = torch.load(bytes, { with_metadata: true });
//
// A module state dict is written as plain safetensors (byte-identical to
// safetensors' save_file for the same tensors and metadata), readable by
// PyTorch. An optimizer state dict is flattened: its tensors as
// `state.<index>.<name>`, and its param_groups and numeric state (step) as
// JSON under the metadata key OPTIMIZER_KEY. With a path (Node only), save
// and load return Promises: node:fs is imported on first use, so browsers
// never load it.
import { Tensor } from '../tensor.js';
import type { OptimizerStateDict } from '../optim/optimizer.js';
import type { StateDict } from '../nn/module.js';
import { encodeSafetensors, decodeSafetensors, type SafetensorsMetadata } from './safetensors.js';

export type { StateDict };
export type Saveable = StateDict | Map<string, Tensor> | OptimizerStateDict;
export interface SaveOptions {
  /** string key/value pairs stored in the header's "__metadata__" */
  metadata?: SafetensorsMetadata;
}
export interface LoadOptions {
  /** return { state_dict, metadata } instead of the state dict alone */
  with_metadata?: boolean;
}
export interface Loaded<T> {
  state_dict: T;
  /** the user metadata saved with it ({} when none) */
  metadata: SafetensorsMetadata;
}
export const OPTIMIZER_KEY = 'wasmtorch.optimizer';

function isOptimizerStateDict(x: Saveable): x is OptimizerStateDict {
  return !(x instanceof Map) && Array.isArray((x as OptimizerStateDict).param_groups) && typeof x.state === 'object' && !(x.state instanceof Tensor);
}

function finiteJSON(value: unknown): string {
  return JSON.stringify(value, (k, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`torch.save: optimizer value '${k}' is ${v}, which JSON cannot hold`);
    return v;
  });
}

/** The safetensors bytes of a state dict; with a path (Node), also writes the file, synchronously as PyTorch does. */
export function save(obj: Saveable, path?: string | null, options: SaveOptions = {}): Uint8Array {
  const user = options.metadata ?? null;
  if (user && OPTIMIZER_KEY in user) throw new Error(`torch.save: metadata key '${OPTIMIZER_KEY}' is reserved`);
  let tensors: StateDict | Map<string, Tensor>;
  let metadata = user;
  if (isOptimizerStateDict(obj)) {
    tensors = {};
    const numbers: Record<string, Record<string, number>> = {};
    for (const [index, entry] of Object.entries(obj.state)) {
      for (const [name, v] of Object.entries(entry)) {
        if (v instanceof Tensor) tensors[`state.${index}.${name}`] = v;
        else if (typeof v === 'number') (numbers[index] ??= {})[name] = v;
        else throw new Error(`torch.save: optimizer state ${index}.${name} is neither a Tensor nor a number`);
      }
    }
    metadata = { ...user, [OPTIMIZER_KEY]: finiteJSON({ param_groups: obj.param_groups, state: numbers }) };
  } else {
    tensors = obj;
    for (const [k, v] of obj instanceof Map ? obj : Object.entries(obj)) {
      if (!(v instanceof Tensor)) {
        throw new Error(`torch.save: expected a state dict (name -> Tensor) or an optimizer state_dict(); '${k}' is ${v === null ? 'null' : typeof v}`);
      }
    }
  }
  const bytes = encodeSafetensors(tensors, metadata);
  if (path == null) return bytes;
  nodeFs().writeFileSync(path, bytes);
  return bytes;
}

function restore(bytes: Uint8Array | ArrayBuffer): Loaded<Saveable> {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const { [OPTIMIZER_KEY]: optimizer, ...user } = metadata ?? {};
  if (optimizer === undefined) return { state_dict: tensors, metadata: user };
  let parsed: { param_groups: OptimizerStateDict['param_groups']; state: Record<string, Record<string, number>> };
  try {
    parsed = JSON.parse(optimizer);
  } catch (e) {
    throw new Error(`torch.load: metadata '${OPTIMIZER_KEY}' is not valid JSON (${(e as Error).message})`);
  }
  const state: OptimizerStateDict['state'] = {};
  for (const [index, numbers] of Object.entries(parsed.state ?? {})) state[Number(index)] = { ...numbers };
  for (const [key, t] of Object.entries(tensors)) {
    const m = /^state\.(\d+)\.(.+)$/.exec(key);
    if (!m) throw new Error(`torch.load: unexpected tensor '${key}' in an optimizer state dict`);
    (state[Number(m[1])] ??= {})[m[2]] = t;
  }
  return { state_dict: { state, param_groups: parsed.param_groups }, metadata: user };
}

/**
 * A state dict from safetensors bytes, or (Node) from a file path, synchronously as PyTorch's torch.load, so
 * `model.load_state_dict(torch.load('m.safetensors'))` works. T is inferred from where the result goes (module or
 * optimizer load_state_dict); with { with_metadata: true } returns { state_dict, metadata }.
 */
export function load<T extends Saveable = StateDict>(src: Uint8Array | ArrayBuffer | string, options?: { with_metadata?: false }): T;
export function load<T extends Saveable = StateDict>(src: Uint8Array | ArrayBuffer | string, options: { with_metadata: true }): Loaded<T>;
export function load(src: Uint8Array | ArrayBuffer | string, options: LoadOptions = {}): unknown {
  const finish = (bytes: Uint8Array | ArrayBuffer) => {
    const loaded = restore(bytes);
    return options.with_metadata ? loaded : loaded.state_dict;
  };
  if (typeof src !== 'string') return finish(src);
  return finish(nodeFs().readFileSync(src));
}

/** node:fs, synchronously (Node 20.16+: process.getBuiltinModule); bundlers never see an import of it. */
function nodeFs(): typeof import('node:fs') {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
  if (!fs) throw new Error('torch.save/torch.load with a file path need Node 20.16 or later (node:fs); in a browser, pass or keep the bytes');
  return fs;
}

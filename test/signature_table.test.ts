// Generic suites over the signature table (PyTorch OpInfo's idea): every declared callable is found in the
// public API and refuses, with PyTorch's TypeError and without a trace, an unknown keyword, one positional
// argument too many, a missing required argument and a wrong type for each parameter; every PyTorch
// fixture case of a declared op gives PyTorch's values with its arguments by position, by name and mixed.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { registered, type Signature } from '../src/signature.js';
import { loadFixture } from './helpers/fixtures.js';
import { isCustom, decodeCase, type OpCase } from './fixtures/ops_cases.js';
import { toTensor, checkClose } from './fixtures/compare.js';
import { expectIntact } from './helpers/intact.js';

type AnyFn = (...args: unknown[]) => unknown;
const namespaces: Record<string, unknown>[] = [torch, torch.nn.functional, torch.nn, torch.nn.init, torch.nn.utils,
  torch.optim, torch.optim.lr_scheduler, torch.utils.data] as never;

const param = () => torch.ones(2, { requires_grad: true });
const instanceOf: Record<string, () => unknown> = {
  Optimizer: () => new torch.optim.SGD([param()], { lr: 0.1 }),
  Module: () => new torch.nn.Linear(2, 2),
  Tensor: () => torch.ones(2, 2),
  TensorBase: () => torch.ones(2, 2),
};

/** The public callable a signature declares: by its name in the namespaces, else a Tensor method. */
function callableOf(sig: Signature): AnyFn | null {
  const [owner, short] = sig.name.includes('.') ? sig.name.split('.') : [null, sig.name];
  const space = owner !== null ? (torch as unknown as Record<string, Record<string, unknown> | undefined>)[owner] : undefined;
  if (space !== undefined && typeof space[short] === 'function' && !instanceOf[owner!]) return space[short] as AnyFn; // torch.linalg.norm
  if (owner !== null) {
    // a method of a class (Optimizer.zero_grad), called on an instance
    const instance = instanceOf[owner]?.();
    const method = instance ? (instance as Record<string, unknown>)[short] : undefined;
    return typeof method === 'function' ? (...args) => (method as AnyFn).apply(instance, args) : null;
  }
  for (const ns of namespaces) {
    const f = ns[short];
    if (typeof f !== 'function') continue;
    if (sig.self) return (...args) => new (f as new (...a: unknown[]) => unknown)(...args);
    return f as AnyFn;
  }
  const method = (torch.Tensor.prototype as unknown as Record<string, unknown>)[short];
  if (typeof method === 'function' && sig.params[0]?.types.includes('Tensor')) {
    return (self, ...args) => (method as AnyFn).apply(self, args);
  }
  return null;
}

/** A value of a parameter's type, to fill the required parameters around the one under test; null if none. */
function filler(sig: Signature, i: number): unknown {
  const p = sig.params[i];
  const t = p.types[0];
  if (t === 'Tensor') return torch.ones(2, 2);
  if (t === 'Tensor[]') return [torch.ones(2, 2)];
  if (t === 'int' || t === 'Scalar' || t.startsWith('int')) return 1;
  if (t === 'float' || t.startsWith('float[')) return 0.5;
  if (t === 'bool') return false;
  if (t === 'str') return 'mean';
  if (p.name === 'params') return [param()];
  if (p.name === 'optimizer') return instanceOf.Optimizer();
  if (p.name === 'dataset' || p.name === 'data') return [1, 2, 3];
  if (p.name === 'input_size' || p.name === 'hidden_size') return 2;
  if (p.name === 'datasets') return [[1, 2]];
  if (p.name === 'batch') return [[1], [2]];
  return null;
}

/** Values of the wrong type for a parameter, each refused by PyTorch with a TypeError. */
function wrongValues(sig: Signature, i: number): unknown[] {
  const p = sig.params[i];
  if (p.types.includes('Any') || p.types.includes('Any...') || p.types.includes('Generator')) return [];
  // RNN and GRU refuse proj_size given by name whatever its value (PyTorch's ValueError, before any type)
  if ((sig.name === 'RNN' || sig.name === 'GRU') && p.name === 'proj_size') return [];
  const out: unknown[] = [];
  // a string is a device's name: where a form of the callable takes a device at this place, it is one
  const deviceHere = sigs.some((s) => s.name === sig.name && s.params[i]?.types.includes('Device'));
  if (!p.types.includes('str') && !deviceHere) out.push('not_a_value');
  else if (p.types.length === 1) out.push(7);
  if (p.types.every((t) => t === 'int' || t.startsWith('int['))) out.push(1.5, [1.5]);
  if (p.types.length === 1 && p.types[0] === 'bool') out.push(1);
  if (p.types.includes('ScalarType')) out.push('float64', 'banana');
  if (!p.nullable && p.required && !sigs.some((s) => s.name === sig.name && s.params[i]?.nullable)) out.push(null);
  return out;
}

const sigs = [...registered().values()];
const table = sigs.map((sig) => ({ sig, call: callableOf(sig) }));
// the signature of an overloaded callable is one of several forms; its messages are the "invalid combination" one
const overloaded = new Set(sigs.filter((s) => sigs.filter((o) => o.name === s.name).length > 1).map((s) => s.name));

describe('the signature table', () => {
  it('declares over a hundred callables, each found in the public API', () => {
    expect(new Set(sigs.map((s) => s.name)).size).toBeGreaterThanOrEqual(100);
    expect(table.filter((e) => e.call === null).map((e) => e.sig.schema).join('\n')).toBe('');
  });
});

describe('thousands of bad calls: PyTorch\'s TypeError, and no trace', () => {
  const bad: { name: string; call: () => unknown; message: string | RegExp }[] = [];
  const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const { sig, call } of table) {
    if (call === null) continue;
    const forms = sigs.filter((o) => o.name === sig.name);
    const combination = forms.length > 1 ? `${sig.label}() received an invalid combination of arguments` : null;
    const fill = sig.params.map((p, i) => (p.required ? filler(sig, i) : undefined));
    const fillable = !sig.params.some((p, i) => p.required && fill[i] === null);
    const required = fill.slice(0, sig.required);
    // a Tensor method taking no arguments says CPython's words
    const noArgs = sig.label.startsWith('TensorBase.');
    if (fillable) {
      bad.push({ name: `${sig.schema}: an unknown keyword`, call: () => call(...required, { not_a_parameter: 1 }),
        message: combination ?? (noArgs ? `${sig.label}() takes no keyword arguments` : `${sig.label}() got an unexpected keyword argument 'not_a_parameter'`) });
    }
    if (forms.every((f) => f.varargs < 0)) {
      const most = Math.max(...forms.map((f) => f.positional));
      const n = most + 1;
      bad.push({ name: `${sig.schema}: ${n} positional arguments`, call: () => call(...new Array(n).fill(0)),
        message: combination ?? (noArgs ? `${sig.label}() takes no arguments (${n} given)`
          : new RegExp(`^${esc(sig.label)}\\(\\) takes (from \\d+ to )?${most + sig.self} positional arguments? but ${n + sig.self} (was|were) given$`)) });
    }
    // a call another form takes is not a bad one (x.to() is to(device=None))
    if (sig.required > 0 && !forms.some((f) => f.required === 0)) {
      // C++ ops say PyTorch's parser's words, Python classes and methods the interpreter's
      bad.push({ name: `${sig.schema}: no arguments`, call: () => call(),
        message: combination ?? new RegExp(`^${esc(sig.label)}\\(\\) missing (\\d+ required positional arguments?: "${sig.params[0].name}"|\\d+ required positional arguments?: '${sig.params[0].name}')`) });
    }
    if (!fillable) continue;
    sig.params.forEach((p, i) => {
      for (const v of wrongValues(sig, i)) {
        const args = p.required && i < sig.required ? required.map((f, k) => (k === i ? v : f)) : [...required, { [p.name]: v }];
        const message = v === 'float64' ? new RegExp(`^${esc(sig.label)}\\(\\): argument 'dtype'( \\(position \\d\\))?: dtype 'float64' is not supported \\(float32, int64, int32, bool\\)$`)
          : combination ?? new RegExp(`^${esc(sig.label)}\\(\\): argument '${p.name}'`);
        bad.push({ name: `${sig.schema}: ${p.name} = ${JSON.stringify(v)}`, call: () => call(...args), message });
        if (!p.required && !p.keywordOnly && v !== null && combination === null) {
          // the same by position, the optional parameters before it at their defaults
          const byPosition = [...required, ...sig.params.slice(sig.required, i).map((q) => q.default), v];
          bad.push({ name: `${sig.schema}: ${p.name} = ${JSON.stringify(v)} by position`, call: () => call(...byPosition), message });
        }
      }
    });
  }

  it(`are thousands (${bad.length})`, () => expect(bad.length).toBeGreaterThanOrEqual(2000));

  it('each is refused with PyTorch\'s message before it allocates, and known results stay exact after each', () => {
    const failures: string[] = [];
    for (const b of bad) {
      let error: unknown = null;
      const before = torch.memory().resident_blocks;
      try {
        b.call();
      } catch (e) {
        error = e;
      }
      const leaked = torch.memory().resident_blocks - before;
      const message = error instanceof Error ? error.message : '';
      const ok = error instanceof TypeError && (typeof b.message === 'string' ? message.startsWith(b.message) : b.message.test(message));
      if (!ok) failures.push(`${b.name}: ${error === null ? 'accepted' : `${(error as Error).constructor?.name}: ${message}`}`);
      if (leaked !== 0) failures.push(`${b.name}: ${leaked} blocks left resident`);
      expectIntact();
    }
    expect(failures.join('\n')).toBe('');
  });
});

describe('PyTorch fixture cases by position, by name and mixed', () => {
  const cases = loadFixture<{ cases: OpCase[] }>('ops.json').cases.map(decodeCase);
  const F = torch.nn.functional as unknown as Record<string, unknown>;
  const T = torch as unknown as Record<string, unknown>;
  for (const c of cases) {
    const fn = (T[c.op] ?? F[c.op]) as (AnyFn & { signature?: Signature }) | undefined;
    const sig = fn?.signature;
    // the cases the shared runner calls in the "tensors, then the rest" order, of ops declared by one signature
    if (!fn || !sig || sig.varargs >= 0 || isCustom(torch, c)) continue;
    const given = c.inputs.length + c.args.length;
    if (given > sig.positional || Object.keys(c.kwargs).some((k) => !sig.byName.has(k))) continue;
    it(`${c.name}: every split of its arguments into positional and keyword ones`, () => {
      const make = () => c.inputs.map((t) => toTensor(torch, t));
      // every argument PyTorch received, by parameter name, with the later defaults made explicit
      const byName = (values: unknown[]): Record<string, unknown> => {
        const named: Record<string, unknown> = {};
        sig.params.forEach((p, i) => {
          if (i < values.length) named[p.name] = values[i];
          else if (p.name in c.kwargs) named[p.name] = c.kwargs[p.name];
        });
        return named;
      };
      let forms = 0;
      for (let k = 0; k <= sig.positional; k++) {
        const values = [...make(), ...c.args];
        const named = byName(values);
        // the first k parameters by position (their defaults written out where PyTorch was not given them)
        const names = sig.params.map((p) => p.name);
        if (names.slice(0, k).some((n, i) => !(n in named) && sig.params[i].required)) break;
        const positional = names.slice(0, k).map((n, i) => (n in named ? named[n] : sig.params[i].default));
        const rest: Record<string, unknown> = {};
        for (const n of names.slice(k)) if (n in named) rest[n] = named[n];
        const result = fn(...positional, ...(Object.keys(rest).length ? [rest] : []));
        const outs = result instanceof torch.Tensor ? [result] : Array.from(result as Iterable<torch.Tensor>);
        outs.forEach((o, i) => checkClose(o, c.outputs[i], 1e-4, 1e-5, `form ${k}: output ${i}`));
        forms++;
      }
      expect(forms).toBeGreaterThanOrEqual(2);
    });
  }
});

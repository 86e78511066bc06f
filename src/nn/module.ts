// Module and Parameter. Submodules and parameters register themselves by
// assignment (`this.l1 = new nn.Linear(...)`): they are found by walking the
// instance's own properties in assignment order, so state-dict keys come out
// as PyTorch's (`l1.weight`, `0.bias`).
import { Tensor, releaseGrad } from '../tensor.js';
import { no_grad } from '../autograd/engine.js';
import { shapeStr } from '../ops/core.js';
import { isDeviceSpec, checkDevice } from '../device.js';
import { parseDType } from '../dtype.js';

export class Parameter extends Tensor {
  constructor(data: Tensor, requires_grad = true) {
    super(data.storage, data.shape.slice(), data._strides.slice(), data.offset, data.dtype);
    this.requires_grad = requires_grad;
    this.storage.persistent = true;
  }
  toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

export type StateDict = Record<string, Tensor>;

/** What load_state_dict was given, when it is not a state dict (name -> Tensor, as an object or a Map). */
function checkStateDict(sd: unknown): void {
  const what = sd === null ? 'null' : sd === undefined ? 'undefined'
    : typeof (sd as { then?: unknown }).then === 'function' ? 'a Promise (torch.load is synchronous: pass its result, not a Promise)'
      : sd instanceof Tensor ? 'a Tensor' : Array.isArray(sd) ? 'an array' : typeof sd !== 'object' ? `a ${typeof sd}` : null;
  if (what !== null) throw new TypeError(`Expected state_dict to be dict-like (name -> Tensor), got ${what}.`);
  const entries = sd instanceof Map ? [...sd.entries()] : Object.entries(sd as object);
  for (const [k, v] of entries) {
    if (typeof k !== 'string') throw new TypeError(`Expected state_dict keys to be strings, got ${typeof k}.`);
    if (!(v instanceof Tensor)) throw new TypeError(`Expected state_dict['${k}'] to be a Tensor, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}.`);
  }
}

/** A module is callable, as in PyTorch: `model(x)` is `model.forward(x)`. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (...args: any[]): any;
}

export class Module {
  declare training: boolean;
  /** Tensors that are state but not parameters (BatchNorm's running stats). */
  declare _buffers: Map<string, Tensor | null>;

  constructor() {
    // The instance is a function whose prototype is the class's, so `model(x)` calls forward; subclass fields
    // (`l1 = new nn.Linear(...)`) are then defined on it in assignment order, as on any object.
    const self = ((...args: unknown[]) => self.forward(...args)) as unknown as Module;
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    self.training = true;
    self._buffers = new Map();
    return self;
  }

  forward(..._args: unknown[]): unknown {
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /** Same as forward (PyTorch's module(x)). */
  call(...args: unknown[]): unknown {
    return this.forward(...args);
  }

  /** A registered buffer is an attribute too: `this.register_buffer('tril', t)`, then `this.tril` (and `this.tril = u`). */
  register_buffer(name: string, tensor: Tensor | null, _options: { persistent?: boolean } = {}): void {
    if (tensor) tensor.storage.persistent = true;
    this._buffers.set(name, tensor);
    if (!Object.getOwnPropertyDescriptor(this, name)?.get) {
      Object.defineProperty(this, name, {
        configurable: true,
        enumerable: false, // not a parameter or child: _entries() walks enumerable own properties
        get: () => this._buffers.get(name) ?? null,
        set: (v: Tensor | null) => {
          if (v) v.storage.persistent = true;
          this._buffers.set(name, v);
        },
      });
    }
  }

  register_parameter(name: string, param: Parameter | null): void {
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  add_module(name: string, module: Module | null): void {
    (this as unknown as Record<string, unknown>)[name] = module;
  }

  /** Own entries in assignment order: [name, value] for parameters (incl. null) and children. */
  _entries(): [string, unknown][] {
    return Object.entries(this).filter(([k]) => k !== 'training' && k !== '_buffers');
  }

  named_children(): [string, Module][] {
    return this._entries().filter((e): e is [string, Module] => e[1] instanceof Module);
  }
  children(): Module[] {
    return this.named_children().map(([, m]) => m);
  }

  named_modules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.named_children()) out.push(...child.named_modules(prefix ? `${prefix}.${name}` : name));
    return out;
  }
  modules(): Module[] {
    return this.named_modules().map(([, m]) => m);
  }

  named_parameters(prefix = '', recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Tensor>();
    const walk = (m: Module, pre: string) => {
      for (const [k, v] of m._entries()) {
        if (v instanceof Parameter && !seen.has(v)) {
          seen.add(v);
          out.push([pre + k, v]);
        }
      }
      if (!recurse && m !== this) return;
      for (const [k, child] of m.named_children()) if (recurse) walk(child, `${pre}${k}.`);
    };
    walk(this, prefix ? `${prefix}.` : '');
    return out;
  }
  parameters(recurse = true): Parameter[] {
    return this.named_parameters('', recurse).map(([, p]) => p);
  }

  named_buffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, m] of this.named_modules(prefix)) {
      for (const [k, b] of m._buffers) if (b) out.push([name ? `${name}.${k}` : k, b]);
    }
    return out;
  }
  buffers(): Tensor[] {
    return this.named_buffers().map(([, b]) => b);
  }

  /**
   * model.to('cpu'), model.to(torch.device('cpu')), model.to(torch.float32), model.to({ device, dtype }): the one
   * device and the one floating dtype, so a no-op that returns the module; any other device or dtype is an error.
   */
  to(...args: unknown[]): this {
    for (const a of args) {
      if (a === undefined || a === null) continue;
      if (isDeviceSpec(a)) checkDevice(a);
      else if (typeof a === 'object' && !(a instanceof Tensor)) this.to(...Object.values(a as Record<string, unknown>));
      else if (a instanceof Tensor) this.to(a.dtype);
      else if (parseDType(a) !== 'float32') throw new Error(`wasmtorch modules hold float32 parameters: to(${String(a)}) is not supported`);
    }
    return this;
  }
  cpu(): this { return this; }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(): this {
    return this.train(false);
  }

  zero_grad(set_to_none = true): void {
    for (const p of this.parameters()) {
      if (set_to_none) releaseGrad(p);
      else if (p._grad) no_grad(() => p._grad!.zero_());
    }
  }

  requires_grad_(requires_grad = true): this {
    for (const p of this.parameters()) p.requires_grad_(requires_grad);
    return this;
  }

  apply(fn: (m: Module) => void): this {
    for (const m of this.children()) m.apply(fn);
    fn(this);
    return this;
  }

  /** Parameters and buffers by PyTorch's dotted names (detached, sharing storage). */
  state_dict(): StateDict {
    const out: StateDict = {};
    const walk = (m: Module, pre: string) => {
      for (const [k, v] of m._entries()) if (v instanceof Parameter) out[pre + k] = v.detach();
      for (const [k, b] of m._buffers) if (b) out[pre + k] = b.detach();
      for (const [k, child] of m.named_children()) walk(child, `${pre}${k}.`);
    };
    walk(this, '');
    return out;
  }

  load_state_dict(state_dict: StateDict | Map<string, Tensor>, strict = true): { missing_keys: string[]; unexpected_keys: string[] } {
    checkStateDict(state_dict);
    const given = state_dict instanceof Map ? Object.fromEntries(state_dict) : state_dict;
    const own = this.state_dict();
    const missing = Object.keys(own).filter((k) => !(k in given));
    const unexpected = Object.keys(given).filter((k) => !(k in own));
    const errors: string[] = [];
    if (strict) {
      if (unexpected.length) errors.push(`Unexpected key(s) in state_dict: ${unexpected.map((k) => `"${k}"`).join(', ')}. `);
      if (missing.length) errors.push(`Missing key(s) in state_dict: ${missing.map((k) => `"${k}"`).join(', ')}. `);
    }
    for (const [k, target] of Object.entries(own)) {
      const src = given[k];
      if (src === undefined) continue;
      if (src.shape.length !== target.shape.length || src.shape.some((s, i) => s !== target.shape[i])) {
        errors.push(`size mismatch for ${k}: copying a param with shape torch.Size(${shapeStr(src.shape)}) from checkpoint, ` +
          `the shape in current model is torch.Size(${shapeStr(target.shape)}).`);
      }
    }
    if (errors.length) {
      throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    }
    no_grad(() => {
      for (const [k, target] of Object.entries(own)) if (given[k] !== undefined) target.copy_(given[k]);
    });
    return { missing_keys: missing, unexpected_keys: unexpected };
  }

  /** The part of the repr inside the parentheses (PyTorch's extra_repr). */
  extra_repr(): string {
    return '';
  }

  toString(): string {
    const children = this.named_children();
    const name = this.constructor.name;
    if (children.length === 0) return `${name}(${this.extra_repr()})`;
    const lines = children.map(([k, m]) => `  (${k}): ${m.toString().split('\n').join('\n  ')}`);
    const extra = this.extra_repr();
    return `${name}(\n${extra ? `  ${extra}\n` : ''}${lines.join('\n')}\n)`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** nn.Sequential: children named 0, 1, ...; forward chains them. */
export class Sequential extends Module {
  [index: number]: Module;
  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => this.add_module(String(i), m));
  }
  get length(): number {
    return this.children().length;
  }
  forward(x: unknown): unknown {
    for (const m of this.children()) x = m.forward(x);
    return x;
  }
  append(m: Module): this {
    this.add_module(String(this.length), m);
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
}

/** nn.ModuleList: children named 0, 1, ...; no forward of its own. */
export class ModuleList extends Module {
  [index: number]: Module;
  constructor(modules: Module[] = []) {
    super();
    modules.forEach((m, i) => this.add_module(String(i), m));
  }
  get length(): number {
    return this.children().length;
  }
  append(m: Module): this {
    this.add_module(String(this.length), m);
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return this.children()[Symbol.iterator]();
  }
}

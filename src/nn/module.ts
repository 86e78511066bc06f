// Module and Parameter. Submodules and parameters register themselves by
// assignment (`this.l1 = new nn.Linear(...)`): they are found by walking the
// instance's own properties in assignment order, so state-dict keys come out
// as PyTorch's (`l1.weight`, `0.bias`).
import { Tensor, releaseGrad } from '../tensor.js';
import { no_grad } from '../autograd/engine.js';
import { shapeStr } from '../ops/core.js';
import { isDeviceSpec, checkDevice } from '../device.js';
import { parseDType, checkDType } from '../dtype.js';
import { signature, bind, pyType, typename, type CallArgs } from '../signature.js';
import { empty_ } from '../ops/creation.js';

/**
 * A module constructor's device and dtype (PyTorch's factory_kwargs): the CPU and float32 are the ones there are;
 * None is the default. Anything else is an error, never silently ignored.
 */
export function factoryKwargs(cls: string, device: unknown, dtype: unknown): void {
  if (device !== null && device !== undefined) checkDevice(device as string);
  if (dtype !== null && dtype !== undefined) {
    const d = checkDType(dtype);
    if (typeof d !== 'string') throw new TypeError(`empty(): argument 'dtype'${d.why.startsWith(':') ? '' : ' '}${d.why}`);
    if (d !== 'float32') throw new Error(`wasmtorch modules hold float32 parameters: dtype=torch.${d} is not supported`);
  }
}

// Module's methods that take arguments, as PyTorch declares them (Python's words: `Module.train()` counts self).
const SIG = {
  train: signature('Module.train(Any mode=True)'),
  eval: signature('Module.eval()'),
  zero_grad: signature('Module.zero_grad(bool set_to_none=True)'),
  parameters: signature('Module.parameters(bool recurse=True)'),
  named_parameters: signature("Module.named_parameters(str prefix='', bool recurse=True, bool remove_duplicate=True)"),
  buffers: signature('Module.buffers(bool recurse=True)'),
  named_buffers: signature("Module.named_buffers(str prefix='', bool recurse=True, bool remove_duplicate=True)"),
  children: signature('Module.children()'),
  named_children: signature('Module.named_children()'),
  modules: signature('Module.modules(bool remove_duplicate=True)'),
  named_modules: signature("Module.named_modules(Any memo=None, str prefix='', bool remove_duplicate=True)"),
  state_dict: signature("Module.state_dict(Any destination=None, str prefix='', bool keep_vars=False)"),
  load_state_dict: signature('Module.load_state_dict(Any state_dict, bool strict=True, bool assign=False)'),
  register_buffer: signature('Module.register_buffer(Any name, Any tensor, bool persistent=True)'),
  register_parameter: signature('Module.register_parameter(Any name, Any param)'),
  add_module: signature('Module.add_module(Any name, Any module)'),
  apply: signature('Module.apply(Any fn)'),
  requires_grad_: signature('Module.requires_grad_(Any requires_grad=True)'),
};

/** A name register_buffer / register_parameter / add_module may take, or PyTorch's error (a KeyError's text, or a TypeError). */
function checkName(m: Module, what: 'buffer' | 'parameter' | 'module', name: unknown, taken: (v: unknown) => boolean): string {
  if (typeof name !== 'string') throw new TypeError(`${what} name should be a string. Got ${pyType(name)}`);
  if (name.includes('.')) throw new Error(what === 'module' ? `module name can't contain ".", got: ${name}` : `${what} name can't contain "."`);
  if (name === '') throw new Error(`${what} name can't be empty string ""`);
  const own = Object.getOwnPropertyDescriptor(m, name);
  // an attribute of another kind (a class field not yet set is undefined, and free)
  const other = own !== undefined && (own.get ? !(what === 'buffer' && m._buffers.has(name)) : own.value !== undefined && !taken(own.value));
  if (other || (what !== 'buffer' && m._buffers.has(name))) throw new Error(`attribute '${name}' already exists`);
  return name;
}

// Parameter.__new__(cls, data=None, requires_grad=True) is Python code without annotations: PyTorch's checks are
// those of what it calls (data.detach(), Tensor._make_subclass), reproduced in their words.
const PARAMETER = signature('Parameter(Any data=None, Any requires_grad=True)');
PARAMETER.label = 'Parameter.__new__';

export class Parameter extends Tensor {
  /** Parameter(data=None, requires_grad=True): data's storage, as a leaf to optimise; no data is an empty tensor. */
  constructor(...args: CallArgs<[data: Tensor | null, requires_grad: boolean], { data?: Tensor | null; requires_grad?: boolean }>) {
    // the layers' plain calls need no parsing
    const [given, requires_grad] = args.length === 1 && args[0] instanceof Tensor ? [args[0], true]
      : args.length === 2 && args[0] instanceof Tensor && typeof args[1] === 'boolean' ? args : bind(PARAMETER, args);
    if (given !== null && !(given instanceof Tensor)) throw new TypeError(`'${pyType(given)}' object has no attribute 'detach'`);
    if (typeof requires_grad !== 'boolean') {
      throw new TypeError(`_make_subclass(): argument 'require_grad' (position 3) must be bool, not ${pyType(requires_grad)}`);
    }
    const data = given ?? empty_(0);
    if (requires_grad && !data.is_floating_point()) throw new Error('Only Tensors of floating point and complex dtype can require gradients');
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

  /**
   * register_buffer(name, tensor, persistent=True). A registered buffer is an attribute too:
   * `this.register_buffer('tril', t)`, then `this.tril` (and `this.tril = u`); a non-persistent one is left out of
   * state_dict().
   */
  register_buffer(...args: [name: string, tensor: Tensor | null, persistent?: boolean | { persistent?: boolean }]
    | [name: string, tensor: Tensor | null, options: { persistent?: boolean }] | [options: { name: string; tensor: Tensor | null; persistent?: boolean }]): void {
    const [rawName, tensor, persistent] = bind(SIG.register_buffer, args) as [unknown, unknown, boolean];
    const name = checkName(this, 'buffer', rawName, () => false);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new TypeError(`cannot assign '${typename(tensor)}' object to buffer '${name}' (torch Tensor or None required)`);
    }
    this._setBuffer(name, tensor, persistent);
  }

  /** The buffer itself (BatchNorm's running stats' setters come here, past the checks). */
  protected _setBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (!persistent) this._nonPersistent().add(name);
    else this._nonPersistentSet?.delete(name);
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

  /** The names of the buffers left out of state_dict (made when the first one is registered). */
  declare _nonPersistentSet?: Set<string>;
  private _nonPersistent(): Set<string> {
    if (!this._nonPersistentSet) Object.defineProperty(this, '_nonPersistentSet', { value: new Set<string>(), enumerable: false, configurable: true });
    return this._nonPersistentSet!;
  }

  /** register_parameter(name, param): a Parameter or null, an attribute by that name. */
  register_parameter(...args: [name: string, param: Parameter | null] | [options: { name: string; param: Parameter | null }]): void {
    const [rawName, param] = bind(SIG.register_parameter, args) as [unknown, unknown];
    const name = checkName(this, 'parameter', rawName, (v) => v instanceof Parameter || v === null);
    if (param !== null && !(param instanceof Parameter)) {
      throw new TypeError(`cannot assign '${typename(param)}' object to parameter '${name}' (torch.nn.Parameter or None required)`);
    }
    (this as unknown as Record<string, unknown>)[name] = param;
  }

  /** add_module(name, module): a child Module (or null), an attribute by that name. */
  add_module(...args: [name: string, module: Module | null] | [options: { name: string; module: Module | null }]): void {
    const [rawName, module] = args.length === 2 && typeof args[0] === 'string' && (args[1] instanceof Module || args[1] === null) &&
      /^[^.]+$/.test(args[0]) && !Object.prototype.hasOwnProperty.call(this, args[0]) ? args // Sequential's children: no parsing
      : bind(SIG.add_module, args) as [unknown, unknown];
    const value = child(module);
    const name = checkName(this, 'module', rawName, (v) => v instanceof Module || v === null);
    (this as unknown as Record<string, unknown>)[name] = value;
  }

  /** Own entries in assignment order: [name, value] for parameters (incl. null) and children. */
  _entries(): [string, unknown][] {
    return Object.entries(this).filter(([k]) => k !== 'training' && k !== '_buffers');
  }

  named_children(...args: []): [string, Module][] {
    if (args.length > 0) bind(SIG.named_children, args);
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    for (const e of this._entries()) {
      if (e[1] instanceof Module && !seen.has(e[1])) {
        seen.add(e[1]);
        out.push(e as [string, Module]);
      }
    }
    return out;
  }
  children(...args: []): Module[] {
    if (args.length > 0) bind(SIG.children, args);
    return this.named_children().map(([, m]) => m);
  }

  /** named_modules(memo=None, prefix='', remove_duplicate=True): this module and every descendant, pre-order. */
  named_modules(...args: CallArgs<[memo: Set<Module> | null, prefix: string, remove_duplicate: boolean],
    { memo?: Set<Module> | null; prefix?: string; remove_duplicate?: boolean }>): [string, Module][] {
    if (args.length === 0) return this._named_modules(new Set(), '', true);
    const [memo, prefix, remove_duplicate] = bind(SIG.named_modules, args) as [unknown, string, boolean];
    if (memo !== null && !(memo instanceof Set)) throw new TypeError(`'in <${pyType(memo)}>' requires a set as memo, not ${pyType(memo)}`);
    return this._named_modules((memo as Set<Module> | null) ?? new Set(), prefix, remove_duplicate);
  }
  private _named_modules(memo: Set<Module>, prefix: string, removeDuplicate: boolean, out: [string, Module][] = []): [string, Module][] {
    if (removeDuplicate) {
      if (memo.has(this)) return out;
      memo.add(this);
    }
    out.push([prefix, this]);
    for (const [name, child] of this._entries()) {
      if (child instanceof Module) child._named_modules(memo, prefix ? `${prefix}.${name}` : name, removeDuplicate, out);
    }
    return out;
  }
  /** modules(remove_duplicate=True). */
  modules(...args: CallArgs<[remove_duplicate: boolean], { remove_duplicate?: boolean }>): Module[] {
    const [removeDuplicate] = args.length === 0 ? [true] : bind(SIG.modules, args) as [boolean];
    return this._named_modules(new Set(), '', removeDuplicate).map(([, m]) => m);
  }

  /** The modules whose own members named_parameters / named_buffers list: all of them, or this one. */
  private _members(prefix: string, recurse: boolean, removeDuplicate: boolean): [string, Module][] {
    return recurse ? this._named_modules(new Set(), prefix, removeDuplicate) : [[prefix, this]];
  }

  /** named_parameters(prefix='', recurse=True, remove_duplicate=True): [dotted name, Parameter] pairs. */
  named_parameters(...args: CallArgs<[prefix: string, recurse: boolean, remove_duplicate: boolean],
    { prefix?: string; recurse?: boolean; remove_duplicate?: boolean }>): [string, Parameter][] {
    const [prefix, recurse, removeDuplicate] = args.length === 0 ? ['', true, true] : bind(SIG.named_parameters, args) as [string, boolean, boolean];
    return this._named_parameters(prefix, recurse, removeDuplicate);
  }
  private _named_parameters(prefix: string, recurse: boolean, removeDuplicate: boolean): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Tensor>();
    for (const [name, m] of this._members(prefix, recurse, removeDuplicate)) {
      for (const [k, v] of m._entries()) {
        if (!(v instanceof Parameter) || (removeDuplicate && seen.has(v))) continue;
        seen.add(v);
        out.push([name ? `${name}.${k}` : k, v]);
      }
    }
    return out;
  }
  /** parameters(recurse=True). */
  parameters(...args: CallArgs<[recurse: boolean], { recurse?: boolean }>): Parameter[] {
    // called every step (optimizers, clipping): a plain call or one bool skips the parser
    const recurse = args.length === 0 ? true : args.length === 1 && typeof args[0] === 'boolean' ? args[0] : bind(SIG.parameters, args)[0] as boolean;
    return this._named_parameters('', recurse, true).map(([, p]) => p);
  }

  /** named_buffers(prefix='', recurse=True, remove_duplicate=True). */
  named_buffers(...args: CallArgs<[prefix: string, recurse: boolean, remove_duplicate: boolean],
    { prefix?: string; recurse?: boolean; remove_duplicate?: boolean }>): [string, Tensor][] {
    const [prefix, recurse, removeDuplicate] = args.length === 0 ? ['', true, true] : bind(SIG.named_buffers, args) as [string, boolean, boolean];
    return this._named_buffers(prefix, recurse, removeDuplicate);
  }
  private _named_buffers(prefix: string, recurse: boolean, removeDuplicate: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [name, m] of this._members(prefix, recurse, removeDuplicate)) {
      for (const [k, b] of m._buffers) {
        if (!b || (removeDuplicate && seen.has(b))) continue;
        seen.add(b);
        out.push([name ? `${name}.${k}` : k, b]);
      }
    }
    return out;
  }
  /** buffers(recurse=True). */
  buffers(...args: CallArgs<[recurse: boolean], { recurse?: boolean }>): Tensor[] {
    const recurse = args.length === 0 ? true : bind(SIG.buffers, args)[0] as boolean;
    return this._named_buffers('', recurse, true).map(([, b]) => b);
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

  /** train(mode=True): this module and its descendants in training (or, false, evaluation) mode. */
  train(...args: CallArgs<[mode: boolean], { mode?: boolean }>): this {
    const mode = args.length === 0 ? true : args.length === 1 && typeof args[0] === 'boolean' ? args[0] : bind(SIG.train, args)[0];
    if (typeof mode !== 'boolean') throw new Error('training mode is expected to be boolean');
    for (const m of this.modules()) m.training = mode;
    return this;
  }
  eval(...args: []): this {
    if (args.length > 0) bind(SIG.eval, args);
    return this.train(false);
  }

  /** zero_grad(set_to_none=True): frees (or, false, zeroes) every parameter's gradient. */
  zero_grad(...args: CallArgs<[set_to_none: boolean], { set_to_none?: boolean }>): void {
    // called every step: a plain call or one bool skips the parser
    const set_to_none = args.length === 0 ? true : args.length === 1 && typeof args[0] === 'boolean' ? args[0] : bind(SIG.zero_grad, args)[0] as boolean;
    for (const p of this.parameters()) {
      if (set_to_none) releaseGrad(p);
      else if (p._grad) no_grad(() => p._grad!.zero_());
    }
  }

  /** requires_grad_(requires_grad=True): every parameter's requires_grad. */
  requires_grad_(...args: CallArgs<[requires_grad: boolean], { requires_grad?: boolean }>): this {
    const [requires_grad] = args.length === 0 ? [true] : bind(SIG.requires_grad_, args);
    const params = this.parameters();
    // PyTorch passes it on to each parameter's Tensor.requires_grad_, whose parser checks it
    if (params.length > 0 && typeof requires_grad !== 'boolean') {
      throw new TypeError(`requires_grad_(): argument 'requires_grad' (position 1) must be bool, not ${pyType(requires_grad)}`);
    }
    for (const p of params) p.requires_grad_(requires_grad as boolean);
    return this;
  }

  /** apply(fn): fn on every descendant (children first), then on this module. */
  apply(...args: [fn: (m: Module) => void] | [options: { fn: (m: Module) => void }]): this {
    const [fn] = (typeof args[0] === 'function' && args.length === 1 ? args : bind(SIG.apply, args)) as [unknown];
    if (typeof fn !== 'function') throw new TypeError(`'${pyType(fn)}' object is not callable`);
    for (const m of this.children()) m.apply(fn as (m: Module) => void);
    (fn as (m: Module) => void)(this);
    return this;
  }

  /** Every parameter and persistent buffer: [dotted name, module, attribute, is a parameter, tensor]. */
  private _stateEntries(): [string, Module, string, boolean, Tensor][] {
    const out: [string, Module, string, boolean, Tensor][] = [];
    const walk = (m: Module, pre: string) => {
      for (const [k, v] of m._entries()) if (v instanceof Parameter) out.push([pre + k, m, k, true, v]);
      for (const [k, b] of m._buffers) if (b && !m._nonPersistentSet?.has(k)) out.push([pre + k, m, k, false, b]);
      // every attribute, a module shared by two names under both (PyTorch's state_dict walks _modules, undeduplicated)
      for (const [k, child] of m._entries()) if (child instanceof Module) walk(child, `${pre}${k}.`);
    };
    walk(this, '');
    return out;
  }

  /**
   * state_dict(destination=None, prefix='', keep_vars=False): parameters and persistent buffers by PyTorch's dotted
   * names (detached, sharing storage; the Parameters themselves with keep_vars).
   */
  state_dict(...args: CallArgs<[destination: StateDict | Map<string, Tensor> | null, prefix: string, keep_vars: boolean],
    { destination?: StateDict | Map<string, Tensor> | null; prefix?: string; keep_vars?: boolean }>): StateDict {
    const [destination, prefix, keep_vars] = args.length === 0 ? [null, '', false]
      : bind(SIG.state_dict, args) as [StateDict | Map<string, Tensor> | null, string, boolean];
    if (destination !== null && typeof destination !== 'object') throw new TypeError(`'${pyType(destination)}' object does not support item assignment`);
    const out = (destination ?? {}) as StateDict;
    for (const [k, , , , t] of this._stateEntries()) {
      const v = keep_vars ? t : t.detach();
      if (out instanceof Map) (out as Map<string, Tensor>).set(prefix + k, v);
      else out[prefix + k] = v;
    }
    return out;
  }

  /**
   * load_state_dict(state_dict, strict=True, assign=False): copies each tensor into the parameter or buffer of its
   * name (with assign, the given tensors become them); returns the missing and unexpected keys.
   */
  load_state_dict(...args: [state_dict: StateDict | Map<string, Tensor> | object, strict?: boolean | { strict?: boolean; assign?: boolean },
    assign?: boolean | { assign?: boolean }]):
    { missing_keys: string[]; unexpected_keys: string[] } {
    const [state_dict, strict, assign] = bind(SIG.load_state_dict, args) as [StateDict | Map<string, Tensor>, boolean, boolean];
    checkStateDict(state_dict);
    const given = state_dict instanceof Map ? Object.fromEntries(state_dict) : state_dict;
    const entries = this._stateEntries();
    const own: StateDict = Object.fromEntries(entries.map(([k, , , , t]) => [k, t]));
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
    if (assign) {
      for (const [k, m, name, isParam, target] of entries) {
        const src = given[k];
        if (src === undefined) continue;
        if (isParam) (m as unknown as Record<string, unknown>)[name] = src instanceof Parameter ? src : new Parameter(src, target.requires_grad);
        else m._setBuffer(name, src, true);
      }
    } else {
      no_grad(() => {
        for (const [k, target] of Object.entries(own)) if (given[k] !== undefined) target.copy_(given[k]);
      });
    }
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

/** What a container holds, in order: each entry, shared modules as often as they were added (PyTorch's _modules). */
function items(m: Module): Module[] {
  const out: Module[] = [];
  for (const [, v] of m._entries()) if (v instanceof Module) out.push(v);
  return out;
}

/** A Module's class name, anything else's Python type name (Python's `type(x).__name__`). */
const pyClassName = (v: unknown): string => (v instanceof Module ? v.constructor.name : pyType(v));

/** A container's entry: a Module or None, else add_module's TypeError (checked here: a plain object would read as options). */
function child(m: unknown): Module | null {
  if (m === undefined) return null;
  if (m !== null && !(m instanceof Module)) throw new TypeError(`${typename(m)} is not a Module subclass`);
  return m;
}

const SEQUENTIAL = signature('Sequential(Any... args)');

/** nn.Sequential(*args) or nn.Sequential(OrderedDict): children named 0, 1, ... (or by the Map's keys); forward chains them. */
export class Sequential extends Module {
  [index: number]: Module;
  constructor(...args: (Module | null)[] | [modules: Map<string, Module | null>]) {
    super();
    const [modules] = bind(SEQUENTIAL, args) as [unknown[]];
    if (modules.length === 1 && modules[0] instanceof Map) for (const [k, m] of modules[0]) this.add_module(k, child(m));
    else modules.forEach((m, i) => this.add_module(String(i), child(m)));
  }
  get length(): number {
    return this._entries().length;
  }
  forward(x: unknown): unknown {
    for (const m of items(this)) x = m.forward(x);
    return x;
  }
  append(m: Module): this {
    this.add_module(String(this.length), m);
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return items(this)[Symbol.iterator]();
  }
}

const MODULE_LIST = signature('ModuleList(Any modules=None)');

/** nn.ModuleList(modules=None): children named 0, 1, ...; no forward of its own. */
export class ModuleList extends Module {
  [index: number]: Module;
  constructor(...args: CallArgs<[modules: Iterable<Module | null> | null], { modules?: Iterable<Module | null> | null }>) {
    super();
    const [modules] = args.length === 0 ? [null] : bind(MODULE_LIST, args);
    if (modules !== null) this.extend(modules as Iterable<Module | null>);
  }
  get length(): number {
    return this._entries().length;
  }
  append(m: Module): this {
    this.add_module(String(this.length), m);
    return this;
  }
  /** extend(modules): each module of an iterable appended, in order. */
  extend(modules: Iterable<Module | null>): this {
    if (modules === null || modules === undefined || typeof (modules as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError(`ModuleList.extend should be called with an iterable, but got ${pyClassName(modules)}`);
    }
    let n = this.length;
    for (const m of modules) this.add_module(String(n++), child(m));
    return this;
  }
  [Symbol.iterator](): Iterator<Module> {
    return items(this)[Symbol.iterator]();
  }
}

const MODULE_DICT = signature('ModuleDict(Any modules=None)');

/** The [key, value] pairs of a Map, a plain object, or an iterable of pairs (what PyTorch's dict containers take). */
function pairsOf(what: string, v: unknown): [string, unknown][] {
  if (v instanceof Map) return [...v.entries()];
  if (v !== null && typeof v === 'object' && !(Symbol.iterator in v) && !(v instanceof Module) && !(v instanceof Tensor)) return Object.entries(v);
  if (v !== null && typeof v === 'object' && Symbol.iterator in v) {
    return [...(v as Iterable<unknown>)].map((p, i) => {
      if (!Array.isArray(p) || p.length !== 2) throw new TypeError(`${what}.update should be called with an iterable of key/value pairs, but element #${i} is ${pyClassName(p)}`);
      return p as [string, unknown];
    });
  }
  throw new TypeError(`${what}.update should be called with an iterable of key/value pairs, but got ${pyClassName(v)}`);
}

/** nn.ModuleDict(modules=None): children by key (a Map, an object, or [key, module] pairs), in insertion order. */
export class ModuleDict extends Module {
  [key: string]: unknown;
  constructor(...args: CallArgs<[modules: Map<string, Module> | Record<string, Module> | Iterable<[string, Module]> | null], { modules?: unknown }>) {
    super();
    const [modules] = args.length === 0 ? [null] : bind(MODULE_DICT, args.length === 1 && !(args[0] instanceof Map) && isModulesObject(args[0]) ? [{ modules: args[0] }] : args);
    if (modules !== null) this.update(modules);
  }
  /** md[key] */
  get(key: string): Module {
    const v = Object.prototype.hasOwnProperty.call(this, key) ? (this as Record<string, unknown>)[key] : undefined;
    if (!(v instanceof Module)) throw new RangeError(`'${key}'`); // Python's KeyError
    return v;
  }
  /** md[key] = module */
  set(key: string, module: Module): void {
    this.add_module(key, module);
  }
  has(key: string): boolean {
    return this.keys().includes(key);
  }
  keys(): string[] {
    return this._entries().filter(([, v]) => v instanceof Module).map(([k]) => k);
  }
  values(): Module[] {
    return items(this);
  }
  items(): [string, Module][] {
    return this._entries().filter(([, v]) => v instanceof Module) as [string, Module][];
  }
  get length(): number {
    return this.keys().length;
  }
  /** Removes key and returns its module. */
  pop(key: string): Module {
    const m = this.get(key);
    delete (this as Record<string, unknown>)[key];
    return m;
  }
  clear(): void {
    for (const k of this.keys()) delete (this as Record<string, unknown>)[k];
  }
  update(modules: unknown): void {
    for (const [k, m] of pairsOf('ModuleDict', modules)) this.add_module(String(k), child(m));
  }
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}

/** A plain object of modules given to a dict container (not its options object). */
function isModulesObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !('modules' in v) && !('parameters' in v) && !('values' in v) &&
    Object.values(v).every((m) => m instanceof Module || m instanceof Tensor);
}

const PARAMETER_LIST = signature('ParameterList(Any values=None)');
const asParameter = (v: unknown): unknown => (v instanceof Tensor && !(v instanceof Parameter) ? new Parameter(v) : v);

/** nn.ParameterList(values=None): parameters named 0, 1, ... (tensors are made Parameters, as PyTorch's). */
export class ParameterList extends Module {
  [index: number]: Parameter;
  constructor(...args: CallArgs<[values: Iterable<Tensor> | null], { values?: Iterable<Tensor> | null }>) {
    super();
    const [values] = args.length === 0 ? [null] : bind(PARAMETER_LIST, args);
    if (values !== null) this.extend(values as Iterable<Tensor>);
  }
  get length(): number {
    return this._entries().length;
  }
  append(value: Tensor): this {
    (this as unknown as Record<string, unknown>)[String(this.length)] = asParameter(value);
    return this;
  }
  extend(values: Iterable<Tensor>): this {
    if (values === null || values === undefined || typeof (values as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError(`ParameterList.extend should be called with an iterable, but got ${pyClassName(values)}`);
    }
    for (const v of values) this.append(v);
    return this;
  }
  [Symbol.iterator](): Iterator<Parameter> {
    return (this._entries().map(([, v]) => v) as Parameter[])[Symbol.iterator]();
  }
}

const PARAMETER_DICT = signature('ParameterDict(Any parameters=None)');

/** nn.ParameterDict(parameters=None): parameters by key (tensors are made Parameters). */
export class ParameterDict extends Module {
  [key: string]: unknown;
  constructor(...args: CallArgs<[parameters: Map<string, Tensor> | Record<string, Tensor> | Iterable<[string, Tensor]> | null], { parameters?: unknown }>) {
    super();
    const [params] = args.length === 0 ? [null] : bind(PARAMETER_DICT, args.length === 1 && !(args[0] instanceof Map) && isModulesObject(args[0]) ? [{ parameters: args[0] }] : args);
    if (params !== null) this.update(params);
  }
  get(key: string): Parameter {
    const v = Object.prototype.hasOwnProperty.call(this, key) ? (this as Record<string, unknown>)[key] : undefined;
    if (!(v instanceof Parameter)) throw new RangeError(`'${key}'`);
    return v;
  }
  set(key: string, value: Tensor): void {
    checkName(this, 'parameter', key, (v) => v instanceof Parameter || v === null);
    (this as Record<string, unknown>)[key] = asParameter(value);
  }
  has(key: string): boolean {
    return this.keys().includes(key);
  }
  keys(): string[] {
    return this._entries().filter(([, v]) => v instanceof Parameter).map(([k]) => k);
  }
  values(): Parameter[] {
    return this.keys().map((k) => this.get(k));
  }
  items(): [string, Parameter][] {
    return this.keys().map((k) => [k, this.get(k)]);
  }
  get length(): number {
    return this.keys().length;
  }
  pop(key: string): Parameter {
    const p = this.get(key);
    delete (this as Record<string, unknown>)[key];
    return p;
  }
  update(parameters: unknown): void {
    for (const [k, v] of pairsOf('ParameterDict', parameters)) this.set(String(k), v as Tensor);
  }
  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }
}

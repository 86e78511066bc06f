// The one device: the CPU. torch.device, torch.cuda.is_available() (false), torch.get_default_device(), and the
// check that `.to(device)` calls pass: 'cpu' is a no-op, any other device a clear error, never a silent no-op.
const KNOWN = ['cpu', 'cuda', 'ipu', 'xpu', 'mkldnn', 'opengl', 'opencl', 'ideep', 'hip', 've', 'fpga', 'maia', 'xla',
  'lazy', 'vulkan', 'mps', 'meta', 'hpu', 'mtia', 'privateuseone'];

/** A device: torch.device('cpu'), torch.device('cpu', 0). */
export class Device {
  readonly type: string;
  readonly index: number | null;
  constructor(spec: string | Device, index?: number | null) {
    if (spec instanceof Device) {
      this.type = spec.type;
      this.index = spec.index;
      return;
    }
    if (typeof spec !== 'string') throw new TypeError(`device() received an invalid combination of arguments - got (${typeof spec})`);
    const m = /^([a-z_]+)(?::(\d+))?$/.exec(spec);
    if (!m || !KNOWN.includes(m[1])) {
      throw new Error(`Expected one of ${KNOWN.join(', ')} device type at start of device string: ${spec}`);
    }
    this.type = m[1];
    this.index = m[2] !== undefined ? Number(m[2]) : index ?? null;
  }
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
}

/** torch.device(...): callable as in PyTorch (no `new` needed), and `d instanceof torch.device` holds. */
export const device = Object.assign(function device(spec: string | Device, index?: number | null): Device {
  return new Device(spec, index);
}, { prototype: Device.prototype }) as unknown as { (spec: string | Device, index?: number | null): Device;
  new (spec: string | Device, index?: number | null): Device; prototype: Device };
export type device = Device;

/** Whether `spec` names a device (a torch.device, or a string like 'cpu' or 'cuda:0'). */
export function isDeviceSpec(spec: unknown): spec is string | Device {
  return spec instanceof Device || (typeof spec === 'string' && KNOWN.includes(spec.split(':')[0]));
}

/** Throws unless `spec` is the CPU; .to('cpu') and friends are no-ops. */
export function checkDevice(spec: string | Device): void {
  const d = new Device(spec);
  if (d.type === 'cpu') return;
  if (d.type === 'cuda') throw new Error('Torch not compiled with CUDA enabled (wasmtorch runs on the CPU only: torch.cuda.is_available() is false)');
  throw new Error(`wasmtorch runs on the CPU only: device '${d}' is not available`);
}

export const cuda = {
  is_available: (): boolean => false,
  device_count: (): number => 0,
};

export function get_default_device(): Device {
  return new Device('cpu');
}

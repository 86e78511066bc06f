// torch.backends: what the kernels were built for on this engine.
import { kernels } from './backend/wasm.js';

export const cpu = {
  /** PyTorch names the CPU's vector extension ("AVX2"); here, the WebAssembly SIMD the engine accepted. */
  get_cpu_capability(): string {
    return kernels.relaxed ? 'WASM_RELAXED_SIMD' : 'WASM_SIMD128';
  },
};

// A case builds, per library, a function to time and a teardown.
export type Lib = 'wasmtorch' | 'tfjs-wasm' | 'tfjs-cpu';
export const LIBS: Lib[] = ['wasmtorch', 'tfjs-wasm', 'tfjs-cpu'];

export interface Runner {
  run: () => void;
  dispose: () => void;
  /** A number summarising the result (e.g. a sum), compared across libraries as a sanity check. */
  check?: () => number;
}

export interface Case {
  name: string;
  /** Work per run for a throughput column: amount / median seconds, in `unit`. */
  rate?: { amount: number; unit: string };
  torch: () => Runner;
  /** Called once per tfjs backend, with that backend already active. */
  tf: () => Runner;
  /** Relative tolerance for the sanity check (default 1e-3). */
  tol?: number;
  /** Libraries to run (default all): a case too slow on tfjs-cpu can leave it out. */
  libs?: Lib[];
}

/** Deterministic pseudo-random floats in [lo, hi), so every library sees the same data. */
export function randomArray(n: number, seed = 1, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return a;
}

/** The case with wasmtorch on n threads (torch.set_num_threads), against the baselines as they are. */
export function withThreads(c: Case, n: number, torchApi: { set_num_threads(n: number): void }): Case {
  return {
    ...c,
    name: `${c.name} [${n} threads]`,
    libs: (c.libs ?? LIBS).filter((l) => l !== 'tfjs-cpu'), // tfjs-cpu is measured once, in the one-thread row
    torch: () => {
      torchApi.set_num_threads(n);
      const r = c.torch();
      return { ...r, dispose: () => { r.dispose(); torchApi.set_num_threads(1); } };
    },
  };
}

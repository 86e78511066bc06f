/** The Node flags this Node needs to run the relaxed-SIMD kernels (empty when none). */
export function relaxedSimdFlags(): string[];

// Runs a course program (examples/) as a test does: imports it with console.log
// captured and the given environment (EPOCHS=... shortens training).
import { vi } from 'vitest';

export async function runExample<M = unknown>(name: string, env: Record<string, string> = {}): Promise<{ lines: string[]; module: M }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  Object.assign(process.env, env);
  try {
    const module = (await import(`../../examples/${name}.ts`)) as M;
    return { lines, module };
  } finally {
    spy.mockRestore();
    for (const k of Object.keys(env)) delete process.env[k];
  }
}

// npm run bench's command line: --help lists the cases and flags without running anything; an unknown
// flag or a filter that matches nothing is an error. Runs the built driver (dist/bench/run.js).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './helpers/fixtures.js';

const bench = (...args: string[]) =>
  spawnSync(process.execPath, [join(repoRoot, 'dist', 'bench', 'run.js'), ...args], { encoding: 'utf8', timeout: 60_000 });

describe('npm run bench -- ...', () => {
  it('--help prints the usage, the flags and every case, and runs none', () => {
    for (const flag of ['--help', '-h']) {
      const r = bench(flag);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^usage: npm run bench -- \[FILTER\] \[--profile\]/);
      expect(r.stdout).toContain('--profile');
      expect(r.stdout).toContain('gemm 512x512');
      expect(r.stdout).not.toContain('...');
    }
  });

  it('an unknown flag is an error that names it', () => {
    const r = bench('--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bench: unknown flag --bogus');
    expect(r.stdout).toBe('');
  });

  it('a filter that matches no case is an error', () => {
    const r = bench('no-such-case');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bench: no case name contains "no-such-case"');
  });
});

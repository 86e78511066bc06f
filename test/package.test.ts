// The package a user installs: what `npm pack` puts in the tarball, the exports
// map (ESM only, with a clear message for require()), and the declarations.
// Runs against dist/ (npm test builds first).
import { describe, it, expect } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers/fixtures.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function packedFiles(): string[] {
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
}

/** Runs a Node program in the repository root, where 'wasmtorch' resolves to this package by its own name. */
function node(args: string[]) {
  return spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
}

describe('npm pack', () => {
  const files = packedFiles();

  it('holds the library, its declarations, the LICENSE and nothing of the development tree', () => {
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('LICENSE');
    expect(files).toContain('esm-only.cjs');
    const stray = files.filter((f) => /^(dist\/(bench|examples|test)|build|bench|examples|test|assembly|scripts|src)\//.test(f)
      || /\.debug\.|\.wasm$|\.map$/.test(f));
    expect(stray).toEqual([]);
  });

  it('holds each kernel build the loader can import once, and no other', () => {
    const builds = files.filter((f) => f.startsWith('dist/src/kernels/') && f.endsWith('.js')).sort();
    expect(builds).toEqual(['relaxed', 'release', 'threads-relaxed', 'threads']
      .map((b) => `dist/src/kernels/${b}.generated.js`).sort());
  });

  it('every file the exports map names is in the tarball', () => {
    const targets = Object.values(pkg.exports as Record<string, string | Record<string, string>>)
      .flatMap((e) => typeof e === 'string' ? [e] : Object.values(e)).map((p) => p.replace(/^\.\//, ''));
    expect(targets.filter((t) => !files.includes(t))).toEqual([]);
  });

  it('sets license, engines, repository and sideEffects', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(repoRoot, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.engines.node).toBe('>=20.16');
    expect(pkg.repository.type).toBe('git');
    // the modules with import-time effects (the wasm instance and its memory, static blocks, the default generator)
    expect(pkg.sideEffects).toContain('./dist/src/backend/*.js');
    expect(pkg.type).toBe('module');
  });

  it('the declarations of the embedded kernels are a string type, not the base64 text', () => {
    for (const b of ['release', 'threads', 'relaxed', 'threads-relaxed']) {
      const dts = join(repoRoot, 'dist', 'src', 'kernels', `${b}.generated.d.ts`);
      expect(statSync(dts).size).toBeLessThan(200);
      expect(readFileSync(dts, 'utf8')).toContain('WASM_BASE64: string');
    }
  });
});

describe('loading the package', () => {
  it('import works from an ES module', () => {
    const r = node(['--input-type=module', '-e',
      "const torch = await import('wasmtorch'); console.log(torch.tensor([1, 2, 3]).sum().item());"]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('6');
  });

  it('require() fails with a message that says the package is ESM only and how to load it', () => {
    for (const id of ['wasmtorch', 'wasmtorch/data/node']) {
      const r = node(['-e', `require(${JSON.stringify(id)})`]);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('wasmtorch is an ES module package and cannot be loaded with require()');
      expect(r.stderr).toContain("await import('wasmtorch')");
      expect(r.stderr).not.toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
    }
  });

  it('a CommonJS program loads it with await import()', () => {
    const r = node(['--input-type=commonjs', '-e',
      "(async () => { const torch = await import('wasmtorch'); console.log(torch.ones(2, 2).sum().item()); })()"]);
    expect(r.stdout.trim()).toBe('4');
  });
});

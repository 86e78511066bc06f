// The repository stands alone: no test, fixture runner or page reads a path
// outside it (a user's clone has no ../shared beside it). Scans the sources
// under test/ for paths that climb out of the repository root or name
// another checkout's folders.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { repoRoot } from './helpers/fixtures.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'artifacts' || name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|html)$/.test(name) ? [path] : [];
  });
}

/** Relative paths written in a file ('../x', "../../y") that resolve outside the repository. */
function climbsOut(file: string, text: string): string[] {
  const found: string[] = [];
  // string literals that start with ../
  for (const m of text.matchAll(/['"`]((?:\.\.\/)+[^'"`\s]*)['"`]/g)) {
    const target = resolve(dirname(file), m[1]);
    if (relative(repoRoot, target).startsWith('..')) found.push(m[1]);
  }
  // join(here, '..', '..', ...) chains: count the '..' segments against the file's depth
  for (const m of text.matchAll(/(?:join|resolve)\(\s*here((?:\s*,\s*'\.\.')+)/g)) {
    const ups = (m[1].match(/'\.\.'/g) ?? []).length;
    const depth = relative(repoRoot, dirname(file)).split(sep).length;
    if (ups > depth) found.push(`${ups} x '..' from ${relative(repoRoot, file)}`);
  }
  return found;
}

describe('the repository stands alone', () => {
  // this file's own examples of bad paths are not reads
  const files = sources(join(repoRoot, 'test')).filter((f) => !f.endsWith('standalone.test.ts'));

  it('scans every test source', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files.some((f) => f.endsWith('ops.fixtures.test.ts'))).toBe(true);
  });

  it('no test source reaches a path outside the repository root', () => {
    const offenders = files.flatMap((f) => climbsOut(f, readFileSync(f, 'utf8')).map((p) => `${relative(repoRoot, f)}: ${p}`));
    expect(offenders).toEqual([]);
  });

  it('no test source names the workplace\'s shared folder or an absolute checkout path', () => {
    const offenders = files.filter((f) => /sharedDir|['"`/]shared\/(fixtures|data)|\/work\//.test(readFileSync(f, 'utf8')))
      .map((f) => relative(repoRoot, f));
    expect(offenders).toEqual([]);
  });

  it('the detector finds a path that climbs out (so the scan can fail)', () => {
    const file = join(repoRoot, 'test', 'x.test.ts');
    expect(climbsOut(file, "readFileSync('../../shared/fixtures/ops.json')")).toEqual(['../../shared/fixtures/ops.json']);
    expect(climbsOut(join(repoRoot, 'test', 'helpers', 'f.ts'), "join(here, '..', '..', '..', 'shared')")).toHaveLength(1);
    expect(climbsOut(file, "import x from '../src/index.js'")).toEqual([]);
  });
});

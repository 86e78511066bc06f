// The README a user reads: its tour is docs/tour/tour.mjs and tour.ts word for word (the .mjs runs here, the
// .ts is type-checked by npm test's tsc), and what it says `npm start` prints is what it prints.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './helpers/fixtures.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const tour = (ext: string) => readFileSync(join(repoRoot, 'docs', 'tour', `tour.${ext}`), 'utf8');
const run = (file: string) => spawnSync(process.execPath, [join(repoRoot, file)], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

describe('README', () => {
  it('shows the two set-up commands', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test ');
  });

  it('its JavaScript tour is docs/tour/tour.mjs, which runs as a plain .mjs file and prints about 8', () => {
    expect(readme).toContain('```js\n' + tour('mjs') + '```');
    const r = run('docs/tour/tour.mjs');
    expect(r.stderr).toBe('');
    expect(Math.abs(Number(r.stdout.trim()) - 8)).toBeLessThan(0.05);
  });

  it('its TypeScript tour is docs/tour/tour.ts, the JavaScript one with types', () => {
    expect(readme).toContain('```ts\n' + tour('ts') + '```');
    expect(tour('ts').replace(': torch.Tensor): torch.Tensor {', ') {')).toBe(tour('mjs'));
  });

  it('npm start prints what the README says: 500 falling losses, then a prediction close to 8', () => {
    const r = run(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.start.replace(/^node /, ''));
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(501);
    expect(lines[0]).toMatch(/^Epoch: 0 \| Loss: /);
    expect(Number(lines[499].split('Loss: ')[1])).toBeLessThan(0.001);
    const last = lines[500];
    expect(last).toMatch(/^Prediction \(after training\) 4 7\.9\d+$/);
    expect(readme).toContain('Prediction (after training) 4 7.96...');
    expect(Number(last.split(' ').pop())).toBeGreaterThan(7.96);
  });
});

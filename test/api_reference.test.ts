// docs/api.md is generated from the signature table and must be current (npm run api rewrites it).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../src/index.js';
import { apiReference, registered } from '../src/signature.js';
import { repoRoot } from './helpers/fixtures.js';

describe('docs/api.md', () => {
  it('is what the signature table gives (run npm run api after changing a signature)', () => {
    expect(readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8')).toBe(apiReference());
  });
  it('lists every registered signature once, with its schema line', () => {
    const text = apiReference();
    expect(registered().size).toBeGreaterThanOrEqual(20);
    for (const schema of registered().keys()) expect(text.split('\n').filter((l) => l === `- \`${schema}\``)).toHaveLength(1);
    expect(text).toContain('- `conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2]|str padding=0, int[2] dilation=1, int groups=1) -> Tensor`');
  });
});

// Writes docs/api.md from the signature table of the built library (dist/), or with --check, fails when the
// committed file is not what the table gives.  npm run api  /  node scripts/api-reference.mjs --check
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import(join(root, 'dist', 'src', 'index.js'));
const { apiReference } = await import(join(root, 'dist', 'src', 'signature.js'));
const path = join(root, 'docs', 'api.md');
const text = apiReference();
if (process.argv.includes('--check')) {
  if (readFileSync(path, 'utf8') !== text) {
    console.error('docs/api.md is not current: run npm run api');
    process.exit(1);
  }
} else {
  writeFileSync(path, text);
  console.log(`wrote docs/api.md (${text.split('\n').filter((l) => l.startsWith('- ')).length} signatures)`);
}

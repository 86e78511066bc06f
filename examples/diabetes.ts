// data/diabetes.csv.gz as the course loads it with np.loadtxt: 8 input
// columns and the label column, float32.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as torch from '../src/index.js';
import { loadCsv } from '../src/data/node.js';

/** A file of examples/data, from the sources or from their build in dist/examples. */
export function dataPath(name: string): string {
  const candidates = [new URL(`./data/${name}`, import.meta.url), new URL(`../../examples/data/${name}`, import.meta.url)];
  const found = candidates.find((u) => existsSync(u));
  if (!found) throw new Error(`examples/data/${name} not found`);
  return fileURLToPath(found);
}

export function loadDiabetes(): { x_data: torch.Tensor; y_data: torch.Tensor } {
  const xy = loadCsv(dataPath('diabetes.csv.gz')).map((row) => row.map(Number));
  return {
    x_data: torch.tensor(xy.map((r) => r.slice(0, -1))),
    y_data: torch.tensor(xy.map((r) => [r[r.length - 1]])),
  };
}

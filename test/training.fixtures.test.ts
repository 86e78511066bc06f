// The course's training runs of test/fixtures/training.json, step for
// step from PyTorch's recorded weights, and the optimizer trajectories. The
// per-case logic lives in test/fixtures/training_cases.js, which the browser
// runner (test/browser/fixtures-runner.js) shares.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture, readData } from './helpers/fixtures.js';
import {
  trajectoryCases, optimizerClasses, optimizerCaseName, runOptimizerCase, type TrainingFixture, type TrainingData,
} from './fixtures/training_cases.js';

const fixture = loadFixture<TrainingFixture>('training.json');

/** The data files a case needs, read from examples/data. */
function dataFor(needs: string[] = []): TrainingData {
  const data: TrainingData = {};
  if (needs.includes('diabetes.csv.gz')) data.diabetesCsv = readData('diabetes.csv.gz');
  return data;
}

describe('training.json trajectories', () => {
  it('has a case for every trajectory in the fixture', () => {
    expect(trajectoryCases.map((c) => c.name).sort()).toEqual(fixture.trajectories.map((t) => t.name).sort());
  });

  for (const c of trajectoryCases) {
    it(c.title, () => c.run(torch, fixture, dataFor(c.needs)));
  }
});

describe('training.json optimizer trajectories', () => {
  const optimizers = optimizerClasses(torch);
  const cases = fixture.optimizers;
  it('covers every optimizer in the fixture', () => {
    expect(cases.length).toBe(21);
    for (const c of cases) expect(optimizers[c.optimizer], c.optimizer).toBeDefined();
  });
  for (const c of cases) {
    it(optimizerCaseName(c), () => runOptimizerCase(torch, c));
  }
});

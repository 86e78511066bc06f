// Lectures 13-2 (a GRU names which country a surname comes from) and 13-3 (a
// character-level GRU language model of Shakespeare), in short runs. Expected
// values come from the data files, read here independently of the examples.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { runExample } from './helpers/examples.js';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const data = (name: string) => gunzipSync(readFileSync(new URL(`../examples/data/${name}`, import.meta.url))).toString('utf8');

/** Rows "name","country" of a names file (every field is quoted; a name may hold a comma). */
function nameRows(name: string): [string, string][] {
  return data(name).split(/\r?\n/).filter((l) => l.length > 0).map((l) => {
    const m = /^"(.*)","(.*)"$/.exec(l);
    if (!m) throw new Error(`unexpected row ${l}`);
    return [m[1], m[2]];
  });
}

const run = async (name: string, env: Record<string, string>) => (await runExample(name, env)).lines;

afterEach(() => vi.restoreAllMocks());

describe('examples 13', () => {
  it('13_2_rnn_classification: an epoch, the test accuracy line and four predictions', async () => {
    const train = nameRows('names_train.csv.gz');
    const test = nameRows('names_test.csv.gz');
    const countries = [...new Set(train.map((r) => r[1]))];
    expect(countries.length).toBe(18);
    // always guessing the most common country of the training set
    const counts = new Map<string, number>();
    for (const [, c] of train) counts.set(c, (counts.get(c) ?? 0) + 1);
    const majority = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const baseline = test.filter((r) => r[1] === majority).length / test.length;

    const lines = (await run('13_2_rnn_classification', { EPOCHS: '1' })).join('\n').split('\n');
    expect(lines[0]).toBe('18 countries');
    expect(lines).toContain('Training for 1 epochs...');

    // the progress bar: the mean loss of the epoch's batches so far falls
    const batches = Math.ceil(train.length / 256);
    const bar = lines.filter((l) => l.startsWith('Train Epoch: 1 ['));
    const losses = bar.map((l) => Number(/Loss: (\d+\.\d+)$/.exec(l)![1]));
    expect(bar[bar.length - 1]).toMatch(new RegExp(`\\] 100% ${batches}/${batches} `));
    expect(losses.length).toBeGreaterThanOrEqual(2);
    expect(losses[0]).toBeLessThan(Math.log(18) + 0.5); // a fair start: ln(18) = 2.89 for a uniform guess
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);

    // the course's test line, over every row of the test file
    const acc = lines.map((l) => /^Test set: Accuracy: (\d+)\/(\d+) \((\d+)%\)$/.exec(l)).filter((m) => m !== null);
    expect(acc.length).toBe(1);
    const [, correct, total, pct] = acc[0]!.map(Number);
    expect(total).toBe(test.length);
    expect(pct).toBe(Math.round((100 * correct) / total));
    expect(correct / total).toBeGreaterThan(baseline);

    // the course's predictions, each naming one of the 18 countries
    const predictions = lines.filter((l) => / is /.test(l));
    expect(predictions.map((l) => l.split(' is ')[0])).toEqual(['Sung', 'Jungwoo', 'Soojin', 'Nako']);
    for (const l of predictions) expect(countries).toContain(l.split(' is ')[1]);
  });

  it('13_3_char_rnn: the loss per character falls from ln(128) below the entropy of the text\'s character frequencies', async () => {
    // the entropy (nats) of the characters to predict, every character of each non-empty line but its first
    const text = data('shakespeare.txt.gz').split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    const counts = new Map<string, number>();
    for (const l of text) for (const c of l.slice(1)) counts.set(c, (counts.get(c) ?? 0) + 1);
    const n = [...counts.values()].reduce((a, b) => a + b, 0);
    const unigram = -[...counts.values()].reduce((h, k) => h + (k / n) * Math.log(k / n), 0); // ~3.20
    const alphabet = new Set(text.join(''));

    const lines = await run('13_3_char_rnn', { LINES: '300', PRINT_EVERY: '100' });
    expect(lines[0]).toBe('Training for 1 epochs of 300 lines...');
    const reports = lines.map((l, i) => [/^\[\(1 (\d+)%\) loss: (\d+\.\d{4})\] \d+s$/.exec(l), i] as const).filter(([m]) => m !== null);
    expect(reports.map(([m]) => Number(m![1]))).toEqual([1, 101, 201, 300].map((k) => Math.floor((100 * k) / 300))); // after lines 1, 101, 201, 300
    const losses = reports.map(([m]) => Number(m![2]));
    expect(Math.abs(losses[0] - Math.log(128))).toBeLessThan(0.25); // untrained: about uniform over 128 codes
    expect(losses[losses.length - 1]).toBeLessThan(unigram); // uses the context, not just character frequencies
    expect(losses[losses.length - 1]).toBeLessThan(Math.log(128) - 1.5);

    // after each report, a sample of 100 characters primed with 'Wh' (printed with the course's trailing '\n')
    for (const [, i] of reports) {
      const sample = lines[i + 1];
      expect(sample.endsWith(' \n')).toBe(true);
      expect(sample.slice(0, -2)).toHaveLength(102);
      expect(sample.startsWith('Wh')).toBe(true);
    }
    // the trained model writes (almost only) characters of the text
    const last = lines[reports[reports.length - 1][1] + 1].slice(2, -2);
    expect([...last].filter((c) => alphabet.has(c)).length).toBeGreaterThanOrEqual(95);
  });
});

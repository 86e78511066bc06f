// The course's lecture 12 and 13 programs (examples/): what they print, checked
// against facts derived by hand or in plain JS from the programs' inputs.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { runExample } from './helpers/examples.js';
import * as torch from '../src/index.js';

const run = async (name: string) => (await runExample(name)).lines;

afterEach(() => vi.restoreAllMocks());

interface Epoch { epoch: number; loss: number; predicted: string }

/** The course's two lines per epoch: "epoch: N, loss: x.xxx" then "Predicted string:  xxxxxx". */
function epochs(lines: string[]): Epoch[] {
  const out: Epoch[] = [];
  lines.forEach((l, i) => {
    const m = /^epoch: (\d+), loss: (\d+\.\d{3})$/.exec(l);
    if (!m) return;
    const p = /^Predicted string: {2}([hielo]{6})$/.exec(lines[i + 1]);
    expect(p, `line after "${l}"`).not.toBeNull();
    out.push({ epoch: Number(m[1]), loss: Number(m[2]), predicted: p![1] });
  });
  return out;
}

/** The shape in a printed "torch.Size([a, b])", from the index-th one in the line. */
function sizeIn(line: string, index = 0): number[] {
  const all = [...line.matchAll(/torch\.Size\(\[([\d, ]*)\]\)/g)];
  return all[index][1].split(',').filter((s) => s.trim() !== '').map(Number);
}

/** The numbers of the printed tensor starting at "tensor(" after `from`, in row-major order. */
function numbersIn(line: string, from = 0): number[] {
  const start = line.indexOf('tensor(', from);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = line.indexOf(')', start);
  const body = line.slice(start + 'tensor('.length, end);
  return (body.match(/-?\d+(\.\d+)?(e[+-]\d+)?/g) ?? []).map(Number);
}

const lineStarting = (lines: string[], prefix: string) => {
  const found = lines.filter((l) => l.startsWith(prefix));
  expect(found.length, prefix).toBe(1);
  return found[0];
};

describe('lecture 12: hello RNN over the whole sequence', () => {
  it('12_3_hello_rnn_seq: prints the model, 100 epochs, and learns "hihell" -> "ihello"', async () => {
    const lines = await run('12_3_hello_rnn_seq');
    expect(lines[0]).toBe('RNN(\n  (rnn): RNN(5, 5, batch_first=True)\n)');
    expect(lines[lines.length - 1]).toBe('Learning finished!');
    const e = epochs(lines);
    expect(e.map((x) => x.epoch)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(lines.length).toBe(1 + 2 * 100 + 1);
    expect(e[99].predicted).toBe('ihello');
    expect(e[99].loss).toBeLessThan(e[0].loss);
    // The RNN's outputs are the logits and are tanh values in (-1, 1): the
    // cross entropy of 5 classes cannot go below -log(e / (e + 4/e)) = log(1 + 4/e^2).
    const floor = Math.log(1 + 4 / Math.E ** 2); // 0.4328
    for (const x of e) expect(x.loss).toBeGreaterThanOrEqual(floor - 0.0005);
    // the printed string follows the course's alphabet: index -> 'h', 'i', 'e', 'l', 'o'
    expect(e.every((x) => x.predicted.length === 'ihello'.length)).toBe(true);
  });

  it('12_4_hello_rnn_emb: Embedding -> RNN -> Linear learns "ihello"', async () => {
    const lines = await run('12_4_hello_rnn_emb');
    expect(lines[0]).toBe([
      'Model(',
      '  (embedding): Embedding(5, 10)',
      '  (rnn): RNN(10, 5, batch_first=True)',
      '  (fc): Linear(in_features=5, out_features=5, bias=True)',
      ')',
    ].join('\n'));
    expect(lines[lines.length - 1]).toBe('Learning finished!');
    const e = epochs(lines);
    expect(e.length).toBe(100);
    expect(e[99].epoch).toBe(100);
    expect(e[99].predicted).toBe('ihello');
    // With a Linear layer on top the logits are unbounded, so the loss can
    // fall well below 12_3's floor of log(1 + 4/e^2).
    expect(e[99].loss).toBeLessThan(Math.log(1 + 4 / Math.E ** 2));
    expect(e[99].loss).toBeLessThan(e[0].loss);
  });
});

describe('lecture 13: names as ASCII codes, padding and packing', () => {
  const names = ['adylov', 'solan', 'hard', 'san'];

  it('13_1_rnn_classification_basics: the shapes the course prints, one name and a padded batch', async () => {
    const lines = await run('13_1_rnn_classification_basics');
    const expected: string[] = [];
    for (const name of names) {
      const L = name.length;
      expected.push(
        `  input torch.Size([${L}, 1])`,
        `  embedding torch.Size([${L}, 1, 100])`,
        '  gru hidden output torch.Size([1, 1, 100])',
        '  fc output torch.Size([1, 1, 18])',
        `in torch.Size([1, ${L}]) out torch.Size([1, 1, 18])`,
      );
    }
    const S = Math.max(...names.map((n) => n.length)), B = names.length;
    expected.push(
      `  input torch.Size([${S}, ${B}])`,
      `  embedding torch.Size([${S}, ${B}, 100])`,
      `  gru hidden output torch.Size([1, ${B}, 100])`,
      `  fc output torch.Size([1, ${B}, 18])`,
      `batch in torch.Size([${B}, ${S}]) batch out torch.Size([1, ${B}, 18])`,
    );
    expect(lines).toEqual(expected);
  });

  it('13_1: make_variables zero-pads the ASCII codes; unpacked, only the longest name keeps its own output', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => {}); // the module and forward() print shapes
    const m = await import('../examples/13_1_rnn_classification_basics.js');
    expect(m.names).toEqual(names);
    const S = Math.max(...names.map((n) => n.length));
    const codes = names.map((n) => [...n].map((c) => c.charCodeAt(0)));
    const padded = codes.map((c) => [...c, ...new Array(S - c.length).fill(0)]);
    const inputs = m.make_variables(names);
    expect(inputs.dtype).toBe(torch.int64);
    expect(inputs.tolist()).toEqual(padded);

    const batch = m.classifier.forward(inputs).tolist() as number[][][]; // [1, B, 18]
    names.forEach((name, b) => {
      const alone = (m.classifier.forward(torch.LongTensor([codes[b]])).tolist() as number[][][])[0][0];
      const diff = Math.max(...alone.map((v, k) => Math.abs(v - batch[0][b][k])));
      // the batch feeds the shorter names extra NUL characters (code 0): what packing (13_2) avoids
      if (name.length === S) expect(diff).toBeLessThan(1e-5);
      else expect(diff).toBeGreaterThan(1e-4);
    });
  });

  it('13_4_pack_pad: padded, sorted, transposed, packed and unpacked as derived by hand', async () => {
    const lines = await run('13_4_pack_pad');
    const seqs = ['ghatmasala', 'nicela', 'chutpakodas'];
    const letters = [...new Set(seqs.join(''))].sort();
    const vocab = ['<pad>', ...letters];
    expect(vocab.length).toBe(17);
    const vec = seqs.map((s) => [...s].map((c) => vocab.indexOf(c)));
    expect(vec[0].slice(0, 3)).toEqual([5, 6, 1]); // g, h, a: a is 1 after <pad>, g the 5th letter (a c d e g)
    expect(lineStarting(lines, 'vectorized_seqs ')).toBe(`vectorized_seqs ${JSON.stringify(vec).replace(/,/g, ', ')}`);
    const lens = vec.map((v) => v.length);
    expect(lines).toContain('[10, 6, 11]');
    expect(lens).toEqual([10, 6, 11]);

    const T = Math.max(...lens), B = seqs.length;
    const pad = (v: number[]) => [...v, ...new Array(T - v.length).fill(0)];
    const seqTensor = lines.find((l) => l.startsWith('seq_tensor tensor('))!;
    expect(numbersIn(seqTensor)).toEqual(vec.flatMap(pad));
    expect(seqTensor.split('\n').length).toBe(B);

    // longest first (the sort is stable on ties; there are none here)
    const order = lens.map((_, i) => i).sort((a, b) => lens[b] - lens[a]);
    expect(order).toEqual([2, 0, 1]);
    const sortedLens = order.map((i) => lens[i]);
    const sorted = order.map((i) => pad(vec[i]));
    expect(numbersIn(lineStarting(lines, 'seq_tensor after sorting '))).toEqual(sorted.flat());

    const transposed = Array.from({ length: T }, (_, t) => sorted.map((row) => row[t]));
    const afterT = lineStarting(lines, 'seq_tensor after transposing ');
    expect(sizeIn(afterT)).toEqual([T, B]);
    expect(numbersIn(afterT)).toEqual(transposed.flat());
    expect(afterT.split('\n').length).toBe(T);

    const afterE = lineStarting(lines, 'seq_tensor after embeding ');
    expect(sizeIn(afterE)).toEqual([T, B, 3]); // embedding_size 3
    expect(numbersIn(afterE)).toEqual(transposed.flat()); // the course prints seq_tensor here

    // packed: the letters still running at step 0, then at step 1, ...
    const packedLetters: number[] = [];
    const batchSizes: number[] = [];
    for (let t = 0; t < T; t++) {
      const running = sortedLens.filter((l) => l > t).length;
      batchSizes.push(running);
      for (let b = 0; b < running; b++) packedLetters.push(sorted[b][t]);
    }
    expect(batchSizes).toEqual([3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1]);
    expect(numbersIn(lineStarting(lines, 'packed seq_tensor '))).toEqual(packedLetters);
    const packedLine = lineStarting(lines, 'packed_input data ');
    expect(sizeIn(packedLine)).toEqual([lens.reduce((a, b) => a + b, 0), 3]);
    expect(numbersIn(packedLine)).toEqual(batchSizes);

    // unpacked LSTM output: [T, B, 5], zero past each length, h = o * tanh(c) in (-1, 1)
    const lstmLine = lineStarting(lines, 'Lstm output ');
    expect(sizeIn(lstmLine)).toEqual([T, B, 5]);
    const out = numbersIn(lstmLine);
    expect(out.length).toBe(T * B * 5);
    const at = (t: number, b: number) => out.slice((t * B + b) * 5, (t * B + b + 1) * 5);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const v = at(t, b);
        if (t >= sortedLens[b]) expect(v).toEqual([0, 0, 0, 0, 0]);
        else {
          expect(v.some((x) => x !== 0)).toBe(true);
          for (const x of v) expect(Math.abs(x)).toBeLessThan(1);
        }
      }
    }
    expect(numbersIn(lineStarting(lines, 'lengths '))).toEqual(sortedLens);

    // ht[-1]: each sequence's output at its own last step
    const last = lineStarting(lines, 'Last output ');
    expect(sizeIn(last)).toEqual([B, 5]);
    const h = numbersIn(last);
    for (let b = 0; b < B; b++) {
      const want = at(sortedLens[b] - 1, b);
      h.slice(b * 5, b * 5 + 5).forEach((x, k) => expect(Math.abs(x - want[k])).toBeLessThanOrEqual(1e-4));
    }
  });
});

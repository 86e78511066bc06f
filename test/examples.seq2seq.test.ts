// The course's lecture 14 programs (examples/14_1_seq2seq.ts and
// examples/14_2_seq2seq_att.ts): training lowers the loss, translations are
// printed, generation stops at EOS, and the attention layer, whose scores are
// written one by one into a zeros tensor (attn_scores[i] = ... in Python,
// attn_scores.select(0, i).copy_(...) here), gets its gradient. Expected values
// come from the printed text, from the mathematics of softmax, or from finite
// differences.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { runExample } from './helpers/examples.js';
import * as torch from '../src/index.js';
import * as sm from '../examples/seq2seq_models.js';
const F = torch.nn.functional;

interface Seq2seqModule {
  encoder: sm.EncoderRNN;
  decoder: torch.nn.Module & { out: torch.nn.Linear };
  translate(enc_input?: string, predict_len?: number, temperature?: number): [unknown, unknown];
}

async function run(name: string, epochs: number): Promise<{ lines: string[]; m: Seq2seqModule }> {
  const { lines, module } = await runExample<Seq2seqModule>(name, { EPOCHS: String(epochs) });
  return { lines, m: module };
}

afterEach(() => vi.restoreAllMocks());

/** A Python string literal (as repr() prints it) at the start of s: its value and the rest of s. */
function pyString(s: string): [string, string] {
  const q = s[0];
  expect(q === "'" || q === '"', `a string literal at: ${s}`).toBe(true);
  let out = '';
  let i = 1;
  for (; s[i] !== q; i++) {
    expect(i < s.length, `unterminated literal: ${s}`).toBe(true);
    if (s[i] !== '\\') { out += s[i]; continue; }
    const e = s[++i];
    if (e === 'x') { out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; }
    else out += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  }
  return [out, s.slice(i + 1)];
}

/** "('src', 'translation')" -> [src, translation]. */
function pyPair(line: string): [string, string] {
  expect(line.startsWith('(') && line.endsWith(')'), line).toBe(true);
  const [a, rest] = pyString(line.slice(1));
  expect(rest.startsWith(', '), line).toBe(true);
  const [b, end] = pyString(rest.slice(2));
  expect(end).toBe(')');
  return [a, b];
}

/** The losses of the progress lines: "[(epoch ...%) loss]". */
function losses(lines: string[]): number[] {
  return lines.map((l) => /^\[\((\d+)(?:\/\d+)? \d+%\) (\d+\.\d{4})\]$/.exec(l)).filter((m) => m !== null).map((m) => Number(m![2]));
}

/** The 12 lines after "Translations after training:" (one per training line). */
function finalLines(lines: string[]): string[] {
  const at = lines.indexOf('Translations after training:');
  expect(at).toBeGreaterThan(0);
  return lines.slice(at + 1, at + 13);
}

/**
 * With the output layer's weight zeroed and its bias 50 at one class and 0
 * elsewhere, the scores are exactly that bias: sampling from exp(score / 0.9)
 * picks the class with probability 1 - 127 e^-55.6 (1 - 1e-22). Forcing EOS
 * gives '' (stop at the first step); forcing 'x' gives predict_len x's (never
 * stops early). `at`: where translate()'s result holds the translation (14-1
 * returns [input, translation], 14-2 [translation, attentions]).
 */
function checkEos(m: Seq2seqModule, at: 0 | 1): void {
  const translate = (...args: [string?, number?]) => m.translate(...args)[at];
  const { weight, bias } = m.decoder.out;
  const saved = [weight.detach().clone(), bias!.detach().clone()];
  const force = (k: number) => torch.no_grad(() => {
    weight.fill_(0);
    bias!.fill_(0);
    bias!.select(0, k).fill_(50);
  });
  try {
    force(sm.EOS_token);
    expect(translate('speak,speak.')).toBe('');
    force('x'.charCodeAt(0));
    expect(translate('speak,speak.', 7)).toBe('xxxxxxx');
    expect(translate()).toBe('x'.repeat(100));
  } finally {
    torch.no_grad(() => {
      weight.copy_(saved[0]);
      bias!.copy_(saved[1]);
    });
  }
}

describe('14_1_seq2seq', () => {
  it('trains (the loss falls), prints translations, and stops generating at EOS', async () => {
    const { lines, m } = await run('14_1_seq2seq', 30);
    expect(lines[0]).toMatch(/^EncoderRNN\(/);
    expect(lines).toContain('Training for 30 epochs...');
    // test(): 'pytorch' through the decoder, one character at a time
    expect(lines.filter((l) => l === 'torch.Size([1, 128]) torch.Size([1, 1, 100])').length).toBe(7);

    const ls = losses(lines);
    expect(ls.length).toBe(4); // epochs 1, 10, 20 and 30
    expect(ls[0]).toBeGreaterThan(Math.log(128) - 0.5); // untrained: about ln(128) per character
    expect(ls[ls.length - 1]).toBeLessThan(ls[0] / 10);

    // after each progress line, two translations as Python tuples
    lines.forEach((l, i) => {
      if (!/^\[\(/.test(l)) return;
      const [src] = pyPair(lines[i + 1].replace(/ \n$/, ''));
      expect(src).toMatch(/^[^ A-Z]+$/); // lower case, no spaces
      expect(pyPair(lines[i + 2].replace(/ \n$/, ''))[0]).toBe('thisissungkim.iloveyou.');
    });

    // the final translations: no EOS character in the text, and (nearly) all
    // stopped by EOS before the 100-character limit (checkEos below is exact)
    const finals = finalLines(lines).map(pyPair);
    expect(finals.length).toBe(12);
    for (const [src, out] of finals) {
      expect(src).toMatch(/^[^ A-Z]{1,16}$/);
      expect(out).not.toContain(String.fromCharCode(sm.EOS_token));
      expect(out.length).toBeLessThanOrEqual(100);
    }
    expect(finals.filter(([, out]) => out.length < 100).length).toBeGreaterThanOrEqual(9);
    expect(lines[lines.length - 1]).toMatch(/^\d+ of 12 lines restored exactly$/);
    checkEos(m, 1);
  });
});

describe('attention scores written into a zeros tensor (CopySlices)', () => {
  it('zeros(n); s.select(0, i).copy_(dot(w, e_i)); softmax; weighted sum: dL/dw is softmax\'s gradient', () => {
    // L = sum_i c_i p_i with p = softmax(s), s_i = w . e_i:
    // dL/dw = sum_i p_i (c_i - L) e_i   (computed here in float64)
    const e = [[0.5, -1, 2], [1.5, 0.25, -0.5], [-1, 1, 1], [0.3, 0.7, -1.2]];
    const c = [1, -2, 0.5, 3];
    const w0 = [0.2, -0.4, 0.3];
    const w = torch.tensor(w0, { requires_grad: true });
    const E = torch.tensor(e);
    const scores = torch.zeros(4);
    for (let i = 0; i < 4; i++) scores.select(0, i).copy_(torch.dot(w, E.select(0, i)));
    const loss = F.softmax(scores, 0).mul(torch.tensor(c)).sum();

    const s = e.map((ei) => ei.reduce((acc, v, k) => acc + v * w0[k], 0));
    const z = s.map((v) => Math.exp(v - Math.max(...s)));
    const p = z.map((v) => v / z.reduce((a, b) => a + b, 0));
    const L = p.reduce((acc, pi, i) => acc + pi * c[i], 0);
    expect(loss.item()).toBeCloseTo(L, 5);
    expect(scores.tolist()).toEqual(s.map((v) => expect.closeTo(v, 5)));

    loss.backward();
    expect(w.grad, 'w.grad after backward through the copies into the views').not.toBeNull();
    const expected = w0.map((_, k) => p.reduce((acc, pi, i) => acc + pi * (c[i] - L) * e[i][k], 0));
    (w.grad!.tolist() as number[]).forEach((g, k) => expect(g).toBeCloseTo(expected[k], 5));
  });

  it('AttnDecoderRNN: the attention layer\'s gradient matches central finite differences', () => {
    torch.manual_seed(3);
    const H = 10;
    const encoder = new sm.EncoderRNN(H, H, 1);
    const decoder = new sm.AttnDecoderRNN(H, H, 1);
    const src = torch.LongTensor([1, 2, 3, 4]);
    const target = torch.LongTensor([5, 6, 7]);
    const criterion = new torch.nn.CrossEntropyLoss();
    const lossOf = () => {
      const [outs, h0] = encoder.forward(src, encoder.init_hidden());
      let hidden = h0;
      let loss = torch.tensor(0);
      for (let c = 0; c < target.size(0); c++) {
        const token = c ? target.select(0, c - 1) : torch.LongTensor([0]);
        let output: torch.Tensor;
        [output, hidden] = decoder.forward(token, hidden, outs);
        loss = loss.add(criterion.forward(output, target.narrow(0, c, 1)));
      }
      return loss;
    };

    decoder.zero_grad();
    lossOf().backward();
    const W = decoder.attn.weight;
    const grad = W.grad;
    expect(grad, 'decoder.attn.weight.grad').not.toBeNull();
    expect(grad!.abs().max().item()).toBeGreaterThan(0);
    expect(decoder.attn.bias!.grad, 'decoder.attn.bias.grad').not.toBeNull();

    // the derivative along a fixed direction D (a pattern of +-1), by central differences
    const D = torch.tensor(Array.from({ length: H }, (_, i) => Array.from({ length: H }, (_, j) => ((i * 7 + j * 3) % 5) - 2)));
    const h = 1e-2;
    const W0 = W.detach().clone();
    const at = (t: number) => torch.no_grad(() => {
      W.copy_(W0.add(D.mul(t)));
      return lossOf().item();
    });
    const fd = (at(h) - at(-h)) / (2 * h);
    torch.no_grad(() => W.copy_(W0));
    const analytic = grad!.mul(D).sum().item();
    expect(Math.abs(fd)).toBeGreaterThan(1e-3); // the attention matters to the loss
    expect(Math.abs(analytic - fd)).toBeLessThan(2e-2 * Math.abs(fd) + 1e-4);
  });
});

describe('14_2_seq2seq_att', () => {
  it('trains (the loss falls, the attention layer gets a gradient), prints translations, stops at EOS', async () => {
    const { lines, m } = await run('14_2_seq2seq_att', 6);
    expect(lines[0]).toMatch(/^EncoderRNN\(/);
    expect(lines.join('\n')).toContain('(attn): Linear(in_features=128, out_features=128, bias=True)');
    expect(lines).toContain('Training for 6 epochs...');

    const ls = losses(lines);
    expect(ls.length).toBe(2); // epochs 1 and 6
    expect(ls[0]).toBeGreaterThan(Math.log(128) - 0.5);
    expect(ls[1]).toBeLessThan(ls[0] / 3);

    // after each progress line: "src 'translation' \n" and "thisissungkim.iloveyou. '...' \n"
    lines.forEach((l, i) => {
      if (!/^\[\(/.test(l)) return;
      expect(lines[i + 1]).toMatch(/^[^ A-Z]+ ['"].*['"] \n$/);
      expect(lines[i + 2].startsWith('thisissungkim.iloveyou. ')).toBe(true);
    });

    const at = lines.indexOf('Translations after training:');
    const finals = lines.slice(at + 1).filter((l) => !l.startsWith('attention argmax') && !/lines restored exactly$/.test(l));
    expect(finals.length).toBe(12);
    const outs = finals.map((l) => {
      const sp = l.indexOf(' ');
      const [out, rest] = pyString(l.slice(sp + 1));
      expect(rest).toBe('');
      expect(l.slice(0, sp)).toMatch(/^[^ A-Z]{1,16}$/);
      expect(out).not.toContain(String.fromCharCode(sm.EOS_token));
      expect(out.length).toBeLessThanOrEqual(100);
      return out;
    });
    expect(outs.filter((out) => out.length < 100).length).toBeGreaterThanOrEqual(9);
    checkEos(m, 0);

    // the last training step's gradients (zero_grad, backward, step) reached the attention layer
    const attn = (m.decoder as unknown as sm.AttnDecoderRNN).attn;
    expect(attn.weight.grad, 'decoder.attn.weight.grad after training').not.toBeNull();
    expect(attn.weight.grad!.abs().max().item()).toBeGreaterThan(0);
  });
});

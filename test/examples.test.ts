// The course's programs (examples/) print what the course prints.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { loadFixture } from './helpers/fixtures.js';
import { runExample } from './helpers/examples.js';
import * as torch from '../src/index.js';

interface Trajectory { name: string; losses: number[]; predict_4?: number }
const trajectories = loadFixture<{ trajectories: Trajectory[] }>('training.json').trajectories;
const fixture = (name: string) => trajectories.find((t) => t.name === name)!;

const run = async (name: string) => (await runExample(name)).lines;

afterEach(() => vi.restoreAllMocks());

describe('examples', () => {
  it('01_basics: the MSE for each w, lowest at w = 2', async () => {
    const lines = await run('01_basics');
    expect(lines.filter((l) => l.startsWith('w= ')).length).toBe(41);
    expect(lines).toContain('\t 1.0 2.0 2.0 0.0');
    expect(lines[lines.length - 1]).toBe('Lowest MSE 0.0 at w= 2.0');
  });

  it('02_manual_gradient: the course\'s progress lines and prediction', async () => {
    const lines = await run('02_manual_gradient');
    expect(lines[0]).toBe('Prediction (before training) 4 4.0');
    expect(lines).toContain('progress: 9 w= 1.95 loss= 0.02');
    const last = lines[lines.length - 1].split(' ');
    expect(Number(last[last.length - 1])).toBeCloseTo(7.804863933862125, 12);
  });

  it('03_auto_gradient: PyTorch\'s losses and "Prediction (after training) 4 7.804864..."', async () => {
    const lines = await run('03_auto_gradient');
    const t = fixture('manual_gradient');
    const epochLosses = lines.filter((l) => l.startsWith('Epoch: ')).map((l) => Number(l.split('Loss: ')[1]));
    // the course prints the loss of the last sample in each epoch
    const expected = t.losses.filter((_, i) => i % 3 === 2);
    epochLosses.forEach((l, i) => expect(l).toBeCloseTo(expected[i], 6));
    expect(lines[lines.length - 1]).toBe(`Prediction (after training) 4 ${t.predict_4}`);
  });

  it('05_linear_regression: 500 epochs, the loss falls, the prediction for 4 is near 8', async () => {
    const lines = await run('05_linear_regression');
    const losses = lines.filter((l) => l.startsWith('Epoch: ')).map((l) => Number(l.split('Loss: ')[1]));
    expect(losses.length).toBe(500);
    expect(losses[499]).toBeLessThan(losses[0] / 100);
    const prediction = Number(lines[lines.length - 1].split(' ').pop());
    expect(lines[lines.length - 1].startsWith('Prediction (after training) 4 ')).toBe(true);
    expect(Math.abs(prediction - 8)).toBeLessThan(0.1);
  });

  it('06_logistic_regression: 1000 epochs, then the course\'s two predictions', async () => {
    const lines = await run('06_logistic_regression');
    const losses = lines.filter((l) => l.startsWith('Epoch ')).map((l) => Number(l.split('Loss: ')[1]));
    expect(losses.length).toBe(1000);
    expect(losses[999]).toBeLessThan(losses[0]);
    expect(lines[lines.length - 2]).toMatch(/^Prediction after 1 hour of training: 0\.\d{4} \| Above 50%: False$/);
    expect(lines[lines.length - 1]).toMatch(/^Prediction after 7 hours of training: 0\.\d{4} \| Above 50%: True$/);
  });

  it('09_01_softmax_loss: the course\'s numbers', async () => {
    const lines = (await run('09_01_softmax_loss')).join('\n').split('\n');
    expect(lines).toEqual([
      'Loss1: 0.3567', 'Loss2: 2.3026',
      'PyTorch Loss1: 0.4170 ', 'PyTorch Loss2: 1.8406', 'Y_pred1: 0', 'Y_pred2: 1',
      'Batch Loss1:  0.4966 ', 'Batch Loss2: 1.2389',
    ]);
  });

  it('07_diabetes_logistic: shapes and 100 falling losses', async () => {
    const lines = await run('07_diabetes_logistic');
    expect(lines[0]).toBe("X's shape: torch.Size([759, 8]) | Y's shape: torch.Size([759, 1])");
    const losses = lines.filter((l) => l.startsWith('Epoch: ')).map((l) => Number(l.split('Loss: ')[1]));
    expect(losses.length).toBe(100);
    expect(losses[99]).toBeLessThan(losses[0]);
  });

  it('08_1 and 08_2: 24 shuffled batches of 32 (the last 23) per epoch, for 2 epochs', async () => {
    const batches = (await run('08_1_dataset_loader')).join('\n').split('Epoch: ').slice(1);
    expect(batches.length).toBe(48);
    const rowsIn = (b: string) => (b.split('Labels')[1].match(/\[[01]\.\]/g) ?? []).length;
    expect(rowsIn(batches[0])).toBe(32);
    expect(rowsIn(batches[23])).toBe(23);
    const lines = await run('08_2_dataset_loader_logistic');
    expect(lines.length).toBe(48);
    expect(lines[47]).toMatch(/^Epoch 2 \| Batch: 24 \| Loss: \d+\.\d{4}$/);
  });

  it('09_2_softmax_mnist: trains, prints the course\'s test line and saves a loadable model (1 epoch here)', async () => {
    process.env.EPOCHS = '1';
    const lines = (await run('09_2_softmax_mnist')).join('\n').split('\n');
    delete process.env.EPOCHS;
    expect(lines.some((l) => /^Test set: Average loss: \d+\.\d{4}, Accuracy: \d+\/2000 \(\d+%\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Train Epoch: 1 \[=+\] 100% 125\/125 \| Loss: /.test(l))).toBe(true);
    const sd = torch.load('out/09_2_softmax_mnist.safetensors');
    expect(Object.keys(sd).sort()).toEqual(['l1.bias', 'l1.weight', 'l2.bias', 'l2.weight', 'l3.bias', 'l3.weight', 'l4.bias', 'l4.weight', 'l5.bias', 'l5.weight']);
    expect(sd['l1.weight'].shape).toEqual([520, 784]);
  });

  for (const name of ['10_1_cnn_mnist', '11_1_toy_inception_mnist']) {
    it(`${name}: trains an epoch, prints the course's test line and saves a loadable model`, async () => {
      process.env.EPOCHS = '1';
      const lines = (await run(name)).join('\n').split('\n');
      delete process.env.EPOCHS;
      expect(lines.some((l) => /^Test set: Average loss: \d+\.\d{4}, Accuracy: \d+\/2000 \(\d+%\)$/.test(l))).toBe(true);
      const sd = torch.load(`out/${name}.safetensors`);
      expect(Object.keys(sd)).toContain('conv1.weight');
      expect(sd['fc.weight'].shape[0]).toBe(10);
    });
  }

  it('12_1_rnn_basics: the shapes the course prints', async () => {
    const lines = await run('12_1_rnn_basics');
    expect(lines).toEqual([
      ...new Array(5).fill('one input size torch.Size([1, 1, 4]) out size torch.Size([1, 1, 2])'),
      'sequence input size torch.Size([1, 5, 4]) out size torch.Size([1, 5, 2])',
      'batch input size torch.Size([3, 5, 4]) out size torch.Size([3, 5, 2])',
      'batch input size torch.Size([5, 3, 4]) out size torch.Size([5, 3, 2])',
    ]);
  });

  it('12_2_hello_rnn: learns to say "ihello"', async () => {
    const lines = await run('12_2_hello_rnn');
    expect(lines[lines.length - 1]).toBe('Learning finished!');
    expect(lines[lines.length - 2]).toMatch(/^predicted string: ihello, epoch: 100, loss: \d+\.\d{3}$/);
  });
});

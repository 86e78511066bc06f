// Bad input: every check raises PyTorch's message (shapes printed), never a
// wasm trap or garbage.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

const { nn } = torch;
const F = torch.nn.functional;
const z = (...shape: number[]) => torch.zeros(shape);
const long = (v: number[]) => torch.tensor(v, { dtype: torch.long });

const cases: [string, () => unknown, string][] = [
  ['broadcast mismatch', () => z(3, 4).add(z(5)), 'The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 1'],
  ['broadcast mismatch, leading dims', () => z(2, 3).mul(z(4, 3)), 'The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 0'],
  ['mm shapes', () => z(3, 4).matmul(z(5, 6)), 'mat1 and mat2 shapes cannot be multiplied (3x4 and 5x6)'],
  ['matmul nD @ 2D', () => z(2, 3, 4).matmul(z(5, 6)), 'mat1 and mat2 shapes cannot be multiplied (6x4 and 5x6)'],
  ['matmul vector', () => z(3, 4).matmul(z(5)), 'size mismatch, got input (3), mat (3x4), vec (5)'],
  ['matmul batched', () => z(2, 3, 4).matmul(z(2, 5, 6)), 'Expected size for first two dimensions of batch2 tensor to be: [2, 4] but got: [2, 5].'],
  ['dot sizes', () => torch.dot(z(3), z(4)), 'inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively'],
  ['dot dims', () => torch.dot(z(3, 1), z(3)), '1D tensors expected, but got 2D and 1D tensors'],
  ['matmul 0-d', () => torch.matmul(torch.tensor(1), z(3)), 'both arguments to matmul need to be at least 1D, but they are 0D and 1D'],
  ['linear in_features', () => new nn.Linear(4, 2).forward(z(3, 5)), 'mat1 and mat2 shapes cannot be multiplied (3x5 and 4x2)'],
  ['dim out of range', () => z(2, 3).sum(2), 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'],
  ['softmax dim out of range', () => z(2, 3).softmax(-3), 'Dimension out of range (expected to be in range of [-2, 1], but got -3)'],
  ['transpose dim', () => z(2, 3).transpose(0, 5), 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'],
  ['view size', () => z(3, 4).view(5, 2), "shape '[5, 2]' is invalid for input of size 12"],
  ['view two -1', () => z(3, 4).view(-1, -1), 'only one dimension can be inferred'],
  ['view of non-contiguous', () => z(3, 4).t().view(12), "view size is not compatible with input tensor's size and stride"],
  ['reshape size', () => z(3, 4).reshape(7), "shape '[7]' is invalid for input of size 12"],
  ['expand', () => z(3, 2).expand(3, 4), 'The expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 1.  Target sizes: [3, 4].  Tensor sizes: [3, 2]'],
  ['permute length', () => z(2, 3).permute(0), 'number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1'],
  ['narrow range', () => z(5, 4).narrow(0, 3, 3), 'start (3) + length (3) exceeds dimension size (5).'],
  ['select range', () => z(2, 3).select(1, 3), 'select(): index 3 out of range for tensor of size [2, 3] at dimension 1'],
  ['cat sizes', () => torch.cat([z(2, 3), z(2, 4)], 0), 'Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.'],
  ['cat ranks', () => torch.cat([z(2, 3), z(3)]), 'Tensors must have same number of dimensions: got 2 and 1'],
  ['stack sizes', () => torch.stack([z(2, 3), z(3, 2)]), 'stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1'],
  ['index_select out of range', () => torch.index_select(z(5, 4), 0, long([1, 5])), 'index out of range in self'],
  ['index_select float index', () => torch.index_select(z(5, 4), 0, torch.tensor([1])), 'index_select(): Expected dtype int32/int64 for index but got Float'],
  ['gather out of range', () => torch.gather(z(3, 4), 1, long([0, 4]).reshape(1, 2)), 'index 4 is out of bounds for dimension 1 with size 4'],
  ['gather ranks', () => torch.gather(z(3, 4), 1, long([0])), 'Index tensor must have the same number of dimensions as input tensor'],
  ['where condition dtype', () => torch.where(z(2), z(2), z(2)), 'where expected condition to be a boolean tensor, but got a tensor with dtype Float'],
  ['masked_fill mask dtype', () => z(2).masked_fill(z(2), 1), 'masked_fill_ only supports boolean masks, but got mask with dtype float32'],
  ['int tensor where float needed: mean', () => long([1, 2]).mean(), "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long"],
  ['int tensor where float needed: softmax', () => long([1, 2]).softmax(0), `"softmax_lastdim_kernel_impl" not implemented for 'Long'`],
  ['int tensor where float needed: matmul', () => long([1, 2]).matmul(long([1, 2])), `"addmm_impl_cpu_" not implemented for 'Long'`],
  ['item of many', () => z(2).item(), 'a Tensor with 2 elements cannot be converted to Scalar'],
  ['negative size', () => torch.zeros(2, -1), 'Trying to create tensor with negative dimension -1: [2, -1]'],
  ['cross_entropy target out of range', () => F.cross_entropy(z(2, 3), long([0, 3])), 'Target 3 is out of bounds.'],
  ['cross_entropy float target', () => F.nll_loss(z(2, 3), torch.tensor([0, 1])), 'expected scalar type Long but found Float'],
  ['cross_entropy batch mismatch', () => F.cross_entropy(z(2, 3), long([0, 1, 2])), 'Expected input batch_size (2) to match target batch_size (3).'],
  ['binary_cross_entropy sizes', () => F.binary_cross_entropy(z(3, 1), z(3)), 'Using a target size (torch.Size([3])) that is different to the input size (torch.Size([3, 1])) is deprecated. Please ensure they have the same size.'],
  ['loss reduction', () => F.mse_loss(z(2), z(2), { reduction: 'avg' as never }), 'avg is not a valid value for reduction'],
  ['SGD lr', () => new torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: -1 }), 'Invalid learning rate: -1'],
  ['SGD nesterov', () => new torch.optim.SGD([torch.zeros(1, { requires_grad: true })], { lr: 0.1, nesterov: true }), 'Nesterov momentum requires a momentum and zero dampening'],
  ['optimizer empty', () => new torch.optim.SGD([], { lr: 0.1 }), 'optimizer got an empty parameter list'],
  ['Adam betas', () => new torch.optim.Adam([torch.zeros(1, { requires_grad: true })], { betas: [0.9, 1] }), 'Invalid beta parameter at index 1: 1'],
  ['AdamW eps', () => new torch.optim.AdamW([torch.zeros(1, { requires_grad: true })], { eps: -1 }), 'Invalid epsilon value: -1'],
  ['RMSprop alpha', () => new torch.optim.RMSprop([torch.zeros(1, { requires_grad: true })], { alpha: -0.5 }), 'Invalid alpha value: -0.5'],
  ['Adagrad lr_decay', () => new torch.optim.Adagrad([torch.zeros(1, { requires_grad: true })], { lr_decay: -1 }), 'Invalid lr_decay value: -1'],
  ['conv2d input rank', () => F.conv2d(z(2, 3), z(4, 3, 3, 3)), 'Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [2, 3]'],
  ['conv2d channels', () => F.conv2d(z(2, 5, 7, 7), z(4, 3, 3, 3)), 'Given groups=1, weight of size [4, 3, 3, 3], expected input[2, 5, 7, 7] to have 3 channels, but got 5 channels instead'],
  ['conv2d kernel too large', () => F.conv2d(z(1, 1, 2, 2), z(1, 1, 3, 3)), "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size"],
  ['conv1d kernel too large', () => F.conv1d(z(1, 1, 4), z(1, 1, 5)), "Calculated padded input size per channel: (4). Kernel size: (5). Kernel size can't be greater than actual input size"],
  ['conv2d groups', () => F.conv2d(z(1, 4, 5, 5), z(5, 2, 3, 3), null, { groups: 2 }), 'Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [5, 2, 3, 3] instead'],
  ['conv2d same strided', () => F.conv2d(z(1, 1, 5, 5), z(1, 1, 3, 3), null, { padding: 'same', stride: 2 }), "padding='same' is not supported for strided convolutions"],
  ['max_pool2d padding', () => F.max_pool2d(z(1, 1, 5, 5), 3, { padding: 2 }), 'pad should be at most half of effective kernel size, but got pad=2, kernel_size=3 and dilation=1'],
  ['max_pool2d rank', () => F.max_pool2d(z(5, 5), 2), 'max_pool2d: non-empty 3D or 4D (batch mode) tensor expected for input, got input of size: [5, 5]'],
  ['RNN input size', () => new nn.RNN(4, 3).forward(z(5, 2, 6)), 'input.size(-1) must be equal to input_size. Expected 4, got 6'],
  ['GRU h0 shape', () => new nn.GRU(4, 3).forward(z(5, 2, 4), z(1, 3, 3)), 'Expected hidden size (1, 2, 3), got [1, 3, 3]'],
  ['RNN input size, packed', () => new nn.GRU(4, 3).forward(torch.nn.utils.rnn.pack_sequence([z(2, 6)])), 'input.size(-1) must be equal to input_size. Expected 4, got 6'],
  ['LSTM c0 shape', () => new nn.LSTM(4, 3).forward(z(5, 2, 4), [z(1, 2, 3), z(2, 2, 3)]), 'Expected hidden[1] size (1, 2, 3), got [2, 2, 3]'],
  ['LSTMCell input size', () => new nn.LSTMCell(4, 3).forward(z(2, 5)), 'input has inconsistent input_size: got 5 expected 4'],
  ['Embedding padding_idx', () => new nn.Embedding(5, 2, { padding_idx: 5 }), 'Padding_idx must be within num_embeddings'],
  ['use after dispose', () => { const t = torch.ones(3); t.dispose(); return t.add(1); }, 'this tensor was disposed'],
];

describe('error messages', () => {
  for (const [name, fn, message] of cases) {
    it(name, () => expect(fn).toThrow(message));
  }

  it('load_state_dict reports missing, unexpected and mismatched keys', () => {
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1));
    const sd = model.state_dict();
    delete sd['2.bias'];
    sd['extra.weight'] = torch.zeros(1);
    sd['0.weight'] = torch.zeros(4, 2);
    expect(() => model.load_state_dict(sd)).toThrow(
      'Error(s) in loading state_dict for Sequential:\n' +
      '\tUnexpected key(s) in state_dict: "extra.weight". \n' +
      '\tMissing key(s) in state_dict: "2.bias". \n' +
      '\tsize mismatch for 0.weight: copying a param with shape torch.Size([4, 2]) from checkpoint, the shape in current model is torch.Size([3, 2]).');
  });

  it('load_state_dict(strict=false) returns the key lists and still rejects size mismatches', () => {
    const model = new nn.Linear(2, 1);
    const res = model.load_state_dict({ weight: torch.ones(1, 2), junk: torch.zeros(1) }, false);
    expect(res).toEqual({ missing_keys: ['bias'], unexpected_keys: ['junk'] });
    expect(model.weight.tolist()).toEqual([[1, 1]]);
    expect(() => model.load_state_dict({ weight: torch.ones(2, 2) }, false)).toThrow('size mismatch for weight');
  });
});

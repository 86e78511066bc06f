// The two networks of the course (examples/mnist_models.ts), both returning
// log-probabilities here so one loss (nll_loss) serves both (the MLP's
// log_softmax + nll_loss is its cross_entropy).
import * as torch from '../../src/index.js';
import { MLP as LectureMLP, CNN } from '../mnist_models.js';
import type { ModelKind } from './protocol.js';
const F = torch.nn.functional;

export { CNN };

/** Lecture 09-2's MLP, its logits turned into log-probabilities. */
export class MLP extends LectureMLP {
  forward(x: torch.Tensor): torch.Tensor {
    return F.log_softmax(super.forward(x), 1);
  }
}

export function makeModel(kind: ModelKind): MLP | CNN {
  return kind === 'mlp' ? new MLP() : new CNN();
}

/** Which network a state dict belongs to, from its keys. */
export function modelOfStateDict(keys: string[]): ModelKind | null {
  if (keys.includes('l1.weight')) return 'mlp';
  if (keys.includes('conv1.weight')) return 'cnn';
  return null;
}

// The seed program (lecture 05, linear regression, 500 epochs), written once
// and run twice: by test/browser/main.js in Chromium against dist/, and by
// browser.test.ts in Node against src/. Plain JavaScript so the browser can
// load it as-is; types in seed-program.d.ts.

/** @param {typeof import('../../src/index.js')} torch */
export function runSeedProgram(torch) {
  const x = torch.tensor([[1.0], [2.0], [3.0]]);
  const y = torch.tensor([[2.0], [4.0], [6.0]]);
  const model = new torch.nn.Linear(1, 1);
  // PyTorch's initial weights for this trajectory (test/fixtures/training.json)
  model.load_state_dict({
    weight: torch.tensor([[0.5152631998062134]]),
    bias: torch.tensor([-0.44137823581695557]),
  });
  const criterion = new torch.nn.MSELoss({ reduction: 'sum' });
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
  /** @type {number[]} */
  const losses = [];
  for (let epoch = 0; epoch < 500; epoch++) {
    const loss = criterion.forward(model.forward(x), y);
    losses.push(loss.item());
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  const prediction = model.forward(torch.tensor([[4.0]])).item();
  return { losses, prediction };
}

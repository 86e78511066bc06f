import * as torch from 'wasmtorch';
const { nn, optim } = torch;

const x = torch.tensor([[1.0], [2.0], [3.0]]);
const y = torch.tensor([[2.0], [4.0], [6.0]]);

class Model extends nn.Module {
  linear = new nn.Linear(1, 1); // registered by assignment: state-dict key "linear.weight"
  forward(x: torch.Tensor): torch.Tensor {
    return this.linear(x);
  }
}
const model = new Model();
const criterion = new nn.MSELoss({ reduction: 'sum' });
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });

for (let epoch = 0; epoch < 500; epoch++) {
  const loss = criterion(model(x), y);
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
console.log(model(torch.tensor([[4.0]])).item()); // about 8

// The course's text_loader.py: each non-empty line of a (gzipped) text is a
// target, and the same line lower-cased with its spaces removed is its
// source, so a seq2seq model learns to restore capitals and spaces.
import * as torch from '../src/index.js';
import { readText } from '../src/data/node.js';
import { dataPath } from './diabetes.js';
const { Dataset } = torch.utils.data;

export class TextDataset extends Dataset<[string, string]> {
  readonly targetLines: string[];
  readonly srcLines: string[];
  private readonly length: number;

  // Initialize your data, download, etc.
  constructor(filename = 'shakespeare.txt.gz') {
    super();
    this.targetLines = readText(dataPath(filename)).split('\n').map((x) => x.trim()).filter((x) => x.length > 0);
    this.srcLines = this.targetLines.map((x) => x.toLowerCase().replaceAll(' ', ''));
    this.length = this.srcLines.length;
  }

  getitem(index: number): [string, string] {
    return [this.srcLines[index], this.targetLines[index]];
  }

  len(): number {
    return this.length;
  }
}

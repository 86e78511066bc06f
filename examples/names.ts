// The course's name_dataset.py: surnames and their country of origin, from
// data/names_train.csv.gz (13,374 rows) or data/names_test.csv.gz (6,700),
// rows "name","country" over 18 countries.
import * as torch from '../src/index.js';
import { loadCsv } from '../src/data/node.js';
import { dataPath } from './diabetes.js';

export class NameDataset extends torch.utils.data.Dataset<[string, string]> {
  readonly names: string[];
  readonly countries: string[];
  private readonly country_list: string[];

  // Initialize your data, download, etc.
  constructor(is_train_set = false) {
    super();
    const filename = dataPath(is_train_set ? 'names_train.csv.gz' : 'names_test.csv.gz');
    const rows = loadCsv(filename);
    this.names = rows.map((row) => row[0]);
    this.countries = rows.map((row) => row[1]);
    this.country_list = [...new Set(this.countries)].sort();
  }

  getitem(index: number): [string, string] {
    return [this.names[index], this.countries[index]];
  }

  len(): number {
    return this.countries.length;
  }

  get_countries(): string[] {
    return this.country_list;
  }

  get_country(id: number): string {
    return this.country_list[id];
  }

  get_country_id(country: string): number {
    const id = this.country_list.indexOf(country);
    if (id < 0) throw new Error(`'${country}' is not in list`);
    return id;
  }
}

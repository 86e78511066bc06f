export interface SeedResult {
  /** loss.item() of each of the 500 epochs */
  losses: number[];
  /** model.forward([[4.0]]).item() after training */
  prediction: number;
}
export function runSeedProgram(torch: typeof import('../../src/index.js')): SeedResult;

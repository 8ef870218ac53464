/**
 * Options of the small simulations the tests run: 50 nodes joining over 5 virtual seconds, 40
 * virtual seconds, recall measured at 20 and 40 s with 10 lookups each.
 * @module
 */
import { DEFAULT_SIM_OPTIONS, type SimOptions } from '../../src/sim/options.ts';

export const SMALL_SIM: SimOptions = {
  ...DEFAULT_SIM_OPTIONS,
  nodes: 50,
  durationMs: 40_000,
  joinMs: 5_000,
  recallAtMs: [20_000, 40_000],
  lookups: 10,
};

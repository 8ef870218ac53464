/**
 * `@ethp2p/chain/testing`: chains for tests and benchmarks, built by real execution.
 * @module
 */
export type { ExecutedChain, ExecutedChainOptions } from './executed-chain.ts';
export {
  executedGenesisJson,
  generateExecutedChain,
  LOG_CONTRACT,
  LOG_TOPIC,
} from './executed-chain.ts';

/**
 * The testnet's chain: a private genesis with no accounts, so the nodes agree on eth Status and
 * never match a public network.
 * @module
 */

/** The chain ID (and network ID) of the testnet genesis. */
export const TESTNET_CHAIN_ID = 31337;

/**
 * A genesis.json (geth format) for a genesis-only chain with every fork up to London at 0, past
 * the merge from the start (terminal total difficulty 0), so blocks carry no rewards.
 */
export function testnetGenesisJson(): string {
  return JSON.stringify({
    config: {
      chainId: TESTNET_CHAIN_ID,
      homesteadBlock: 0,
      eip150Block: 0,
      eip155Block: 0,
      eip158Block: 0,
      byzantiumBlock: 0,
      constantinopleBlock: 0,
      petersburgBlock: 0,
      istanbulBlock: 0,
      berlinBlock: 0,
      londonBlock: 0,
      terminalTotalDifficulty: 0,
      mergeNetsplitBlock: 0,
      terminalTotalDifficultyPassed: true,
    },
    nonce: '0x0',
    timestamp: '0x0',
    extraData: '0x',
    gasLimit: '0x1c9c380',
    difficulty: '0x1',
    alloc: {},
  });
}

/**
 * An `eth/68` stand-in for the interop tests: it sends a hand-encoded mainnet Status at once (so
 * an ethereumjs peer completes its Status exchange instead of dropping us after its 5 s Status
 * timeout) and then reads until the peer ends. The server package does not depend on
 * `@ethp2p/eth`, so the Status is built here from constants.
 * @see https://github.com/ethereum/devp2p/blob/master/caps/eth.md#status-0x00
 * @module
 */
import { RLP } from '@ethereumjs/rlp';
import { hexToBytes } from '@ethp2p/crypto';
import { EventQueue } from '../../../rlpx/test/helpers/ethereumjs.ts';
import type { Msg, MsgReadWriter, Protocol, ProtocolPeer, RunOptions } from '../../src/index.ts';

/** Mainnet's genesis block hash. */
export const MAINNET_GENESIS_HASH = hexToBytes(
  'd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3',
);
/** Mainnet's genesis difficulty (0x400000000), the total difficulty at block 0. */
const MAINNET_GENESIS_TD = hexToBytes('0400000000');
/**
 * The fork ID of a mainnet node at genesis (EIP-2124 test vectors: hash `0xfc64ec04`, next
 * 1150000 = Homestead). ethereumjs accepts it: a peer on an older fork whose next fork matches.
 */
const MAINNET_GENESIS_FORK_ID = [hexToBytes('fc64ec04'), 1_150_000] as const;

/** An `eth/68` Status at mainnet genesis: version, network 1, TD, head, genesis, fork ID. */
export function mainnetGenesisStatus(): Uint8Array {
  return RLP.encode([
    68,
    1,
    MAINNET_GENESIS_TD,
    MAINNET_GENESIS_HASH,
    MAINNET_GENESIS_HASH,
    [...MAINNET_GENESIS_FORK_ID],
  ]);
}

/** The stand-in and what it saw: every peer it ran with and every message it read. */
export interface EthStandIn extends Protocol {
  readonly peers: ProtocolPeer[];
  /** Messages read, in order, from every peer. */
  readonly received: EventQueue<Msg>;
}

/** Creates the `eth/68` stand-in (17 message codes, as eth/68 has). */
export function ethStandIn(): EthStandIn {
  const peers: ProtocolPeer[] = [];
  const received = new EventQueue<Msg>();
  return {
    name: 'eth',
    version: 68,
    length: 17,
    peers,
    received,
    async run(peer: ProtocolPeer, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
      peers.push(peer);
      try {
        await rw.writeMsg(0x00, mainnetGenesisStatus());
        while (!signal.aborted) received.push(await rw.readMsg());
      } catch {
        // The stream closes when the peer ends.
      }
    },
  };
}

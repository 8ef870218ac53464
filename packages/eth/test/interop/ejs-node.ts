/**
 * An `@ethereumjs/devp2p` node on the same network as one of our generated chains: its `Common`
 * is built from the chain's genesis.json (`createCommonFromGethGenesis`, with the genesis hash so
 * it knows every fork hash) and set to the fork of the chain's head, so its Status carries the
 * same network ID, genesis and fork ID as ours.
 * @module
 */
import { createRequire } from 'node:module';
import { ETH, type Peer, RLPx } from '@ethereumjs/devp2p';
import { type EjsCommon, EventQueue } from '../../../rlpx/test/helpers/ethereumjs.ts';

/** The part of `@ethereumjs/common` used here. */
interface CommonModule {
  createCommonFromGethGenesis(
    json: unknown,
    options: { readonly chain?: string; readonly genesisHash?: Uint8Array },
  ): EjsCommon & {
    setHardforkBy(opts: { blockNumber?: bigint; timestamp?: bigint }): string;
    forkHash(hardfork?: string): string;
    nextHardforkBlockOrTimestamp(hardfork?: string): bigint | null;
  };
}

/** An ejs `Common` for the chain of `genesisJson`, at the fork of `head`. */
export function commonFromGenesis(
  genesisJson: Record<string, unknown>,
  genesisHash: Uint8Array,
  head: { readonly number: bigint; readonly time: bigint },
): ReturnType<CommonModule['createCommonFromGethGenesis']> {
  // Under pnpm `@ethereumjs/common` resolves only from devp2p's own directory.
  const devp2pEntry = createRequire(import.meta.url).resolve('@ethereumjs/devp2p');
  const mod = createRequire(devp2pEntry)('@ethereumjs/common') as CommonModule;
  const common = mod.createCommonFromGethGenesis(genesisJson, {
    chain: 'ethp2p-test',
    genesisHash,
  });
  common.setHardforkBy({ blockNumber: head.number, timestamp: head.time });
  return common;
}

/** An ethereumjs RLPx node and what it reported. */
export interface EjsNode {
  readonly rlpx: RLPx;
  readonly privateKey: Uint8Array;
  /** Peers that completed the Hello exchange. */
  readonly added: EventQueue<Peer>;
  /** `peer:error` and `error` events. */
  readonly errors: unknown[];
}

/** An ethereumjs RLPx node with `eth/68` only, no discovery, on the network of `common`. */
export function ejsNode(privateKey: Uint8Array, common: EjsCommon): EjsNode {
  const rlpx = new RLPx(privateKey, {
    dpt: null,
    maxPeers: 4,
    capabilities: [ETH.eth68],
    common,
    listenPort: null,
  });
  const added = new EventQueue<Peer>();
  const errors: unknown[] = [];
  rlpx.events.on('peer:added', added.push);
  rlpx.events.on('peer:error', (_peer, err: unknown) => errors.push(err));
  rlpx.events.on('error', (err) => errors.push(err));
  return { rlpx, privateKey, added, errors };
}

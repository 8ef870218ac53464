/**
 * Driving `@ethereumjs/devp2p` RLPx nodes from the bench: a node with one `eth/68` capability,
 * mainnet `Common` and no discovery, its listener on 127.0.0.1:0, and the eth Status exchange
 * that stops its 5 s status timer.
 * @module
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:net';
import { ETH, type Peer, RLPx, type RLPxOptions } from '@ethereumjs/devp2p';
import { within } from './rlpx-target.ts';

/** The `Common` type as devp2p sees it (`@ethereumjs/common` is its dependency, not ours). */
type EjsCommon = RLPxOptions['common'];

/** The part of `@ethereumjs/common` used here. */
interface CommonModule {
  readonly Common: new (options: { readonly chain: unknown }) => EjsCommon;
  readonly Mainnet: unknown;
}

let common: EjsCommon | undefined;

/**
 * A mainnet `Common`, shared by every node, loaded through devp2p's own dependency: under pnpm
 * `@ethereumjs/common` only resolves from the devp2p package directory.
 */
function mainnetCommon(): EjsCommon {
  if (common === undefined) {
    const devp2pEntry = createRequire(import.meta.url).resolve('@ethereumjs/devp2p');
    const mod = createRequire(devp2pEntry)('@ethereumjs/common') as CommonModule;
    common = new mod.Common({ chain: mod.Mainnet });
  }
  return common;
}

/**
 * Creates a node with `eth/68` and no DPT; `maxPeers` must cover every connection it holds at
 * once. Its `peer:error` and `error` events go to `onError`.
 */
export function createEjsNode(
  privateKey: Uint8Array,
  maxPeers: number,
  onError: (err: unknown) => void,
): RLPx {
  const rlpx = new RLPx(privateKey, {
    dpt: null,
    maxPeers,
    capabilities: [ETH.eth68],
    common: mainnetCommon(),
    listenPort: null,
  });
  rlpx.events.on('peer:error', (_peer, err: unknown) => onError(err));
  rlpx.events.on('error', onError);
  return rlpx;
}

/**
 * Starts the node's listener on 127.0.0.1:0 and resolves to its port. RLPx keeps its server
 * private, but `listen(...args)` passes its arguments to `net.Server#listen`, whose callback runs
 * as a `'listening'` listener with `this` bound to the server: that is how the port is read.
 */
export function listenEjs(rlpx: RLPx, signal: AbortSignal): Promise<number> {
  const listening = new Promise<number>((resolve, reject) => {
    rlpx.listen(0, '127.0.0.1', function (this: Server) {
      const address = this.address();
      if (address === null || typeof address === 'string') reject(new Error('ejs: no port'));
      else resolve(address.port);
    });
  });
  return within(listening, signal);
}

/** The next `peer:added` of `rlpx`. */
export function nextPeer(rlpx: RLPx, signal: AbortSignal): Promise<Peer> {
  return within(new Promise<Peer>((resolve) => rlpx.events.once('peer:added', resolve)), signal);
}

/** The peer's `ETH` protocol object (the `eth/68` capability it negotiated). */
export function ethOf(peer: Peer): ETH {
  const eth = peer.getProtocols().find((p): p is ETH => p instanceof ETH);
  if (eth === undefined) throw new Error('ejs: peer has no eth protocol');
  return eth;
}

/** Both ends send an eth Status and resolve once each accepted the other's. */
export async function exchangeStatus(a: ETH, b: ETH, signal: AbortSignal): Promise<void> {
  const accepted = [a, b].map((eth) =>
    within(new Promise<void>((resolve) => eth.events.once('status', () => resolve())), signal),
  );
  const status = {
    td: Uint8Array.of(1),
    bestHash: new Uint8Array(32).fill(0x11),
    genesisHash: new Uint8Array(32).fill(0x22),
  };
  a.sendStatus(status);
  b.sendStatus(status);
  await Promise.all(accepted);
}

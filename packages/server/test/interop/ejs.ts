/**
 * The ethereumjs side of the server interop tests: an `@ethereumjs/devp2p` RLPx node (no
 * discovery) with a chosen capability set and peer limit, a matching mainnet Status, and a
 * teardown that is safe to run twice.
 * @module
 */
import { type Capabilities, ETH, type Peer, RLPx } from '@ethereumjs/devp2p';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
// The ethereumjs driver of the rlpx interop tests (test-only, read as is).
import {
  EventQueue,
  ethOf,
  listenEjs,
  mainnetCommon,
  within,
} from '../../../rlpx/test/helpers/ethereumjs.ts';
import type { Server } from '../../src/index.ts';
import { MAINNET_GENESIS_HASH } from './eth-stand-in.ts';

/** A `peer:removed` report of ethereumjs. */
export interface EjsRemoved {
  readonly peer: Peer;
  readonly reason: unknown;
  /** True when ethereumjs sent the Disconnect, false when it received it. */
  readonly disconnectWe: boolean | null;
}

/** An ethereumjs node and what it reported. */
export interface Ejs {
  readonly rlpx: RLPx;
  readonly publicKey: Uint8Array;
  readonly added: EventQueue<Peer>;
  readonly removed: EventQueue<EjsRemoved>;
  /** `peer:error` and `error` events. */
  readonly errors: unknown[];
  /** Starts listening on 127.0.0.1:0; resolves to the port. */
  listen(signal: AbortSignal): Promise<number>;
  /** Dials `port` (our server, or a relay in front of it) expecting `server`'s key. */
  dial(server: Server, port: number, signal: AbortSignal): Promise<void>;
  /** Destroys the node (idempotent). */
  destroy(): void;
}

/** Options of {@link createEjs}. */
export interface EjsOptions {
  /** Default `[ETH.eth68]`. */
  readonly capabilities?: Capabilities[];
  /** ethereumjs refuses inbound peers past it with TooManyPeers, after Hello (default 4). */
  readonly maxPeers?: number;
}

/** Creates an ethereumjs RLPx node with a fresh key. */
export function createEjs(options: EjsOptions = {}): Ejs {
  const privateKey = generatePrivateKey();
  const rlpx = new RLPx(privateKey, {
    dpt: null,
    maxPeers: options.maxPeers ?? 4,
    capabilities: options.capabilities ?? [ETH.eth68],
    common: mainnetCommon(),
    listenPort: null,
  });
  const added = new EventQueue<Peer>();
  const removed = new EventQueue<EjsRemoved>();
  const errors: unknown[] = [];
  rlpx.events.on('peer:added', added.push);
  rlpx.events.on('peer:removed', (peer: Peer, reason: unknown, disconnectWe: boolean | null) =>
    removed.push({ peer, reason, disconnectWe }),
  );
  rlpx.events.on('peer:error', (_peer, err: unknown) => errors.push(err));
  rlpx.events.on('error', (err: unknown) => errors.push(err));
  let destroyed = false;
  return {
    rlpx,
    publicKey: publicKey(privateKey),
    added,
    removed,
    errors,
    listen: (signal) => listenEjs(rlpx, signal),
    dial: (server, port, signal) =>
      within(rlpx.connect({ id: server.publicKey, address: '127.0.0.1', tcpPort: port }), signal),
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      rlpx.destroy();
    },
  };
}

/** The ethereumjs node as a `Node` our server can dial at `port`. */
export function ejsNode(ejs: Ejs, port: number): Node {
  return Node.fromPublicKey(ejs.publicKey, { ip: '127.0.0.1', tcp: port });
}

/**
 * Sends ethereumjs's mainnet Status to `peer` (the genesis it shares with our stand-in) and
 * resolves once ethereumjs accepted ours: it emits `status` only after both were checked
 * (version, network, genesis and fork ID).
 */
export function ejsStatusExchange(peer: Peer, signal: AbortSignal): Promise<unknown> {
  const eth = ethOf(peer);
  const accepted = new Promise<unknown>((resolve) => eth.events.once('status', resolve));
  eth.sendStatus({
    td: Uint8Array.of(0x04, 0, 0, 0, 0),
    bestHash: MAINNET_GENESIS_HASH,
    genesisHash: MAINNET_GENESIS_HASH,
  });
  return within(accepted, signal);
}

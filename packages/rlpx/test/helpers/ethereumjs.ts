/**
 * An `@ethereumjs/devp2p` RLPx node for the interop tests: no discovery, one `eth/68` capability,
 * mainnet `Common`, and the errors it reports collected for assertions.
 * @module
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:net';
import { ETH, type Peer, RLPx, type RLPxOptions } from '@ethereumjs/devp2p';

/** The `Common` type as devp2p sees it (`@ethereumjs/common` is its dependency, not ours). */
export type EjsCommon = RLPxOptions['common'];

/** The part of `@ethereumjs/common` used here. */
interface CommonModule {
  readonly Common: new (options: { readonly chain: unknown }) => EjsCommon;
  readonly Mainnet: unknown;
}

/**
 * A mainnet `Common`, loaded from devp2p's own dependency: under pnpm `@ethereumjs/common` only
 * resolves from the devp2p package directory, and adding it to our dependencies is out of scope.
 */
export function mainnetCommon(): EjsCommon {
  const devp2pEntry = createRequire(import.meta.url).resolve('@ethereumjs/devp2p');
  const mod = createRequire(devp2pEntry)('@ethereumjs/common') as CommonModule;
  return new mod.Common({ chain: mod.Mainnet });
}

/** Settles like `promise`, or rejects with the signal's reason if it aborts first. */
export function within<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A FIFO of values pushed by an event listener, taken one at a time under a signal. */
export class EventQueue<T> {
  readonly #values: T[] = [];
  readonly #waiters: ((v: T) => void)[] = [];

  readonly push = (value: T): void => {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(value);
    else this.#values.push(value);
  };

  next(signal: AbortSignal): Promise<T> {
    const v = this.#values.shift();
    if (v !== undefined) return Promise.resolve(v);
    return within(new Promise<T>((resolve) => this.#waiters.push(resolve)), signal);
  }

  get size(): number {
    return this.#values.length;
  }
}

/** An ethereumjs RLPx node and what it reported. */
export interface EjsNode {
  readonly rlpx: RLPx;
  readonly privateKey: Uint8Array;
  /** Peers that completed the Hello exchange (`peer:added`). */
  readonly added: EventQueue<Peer>;
  /** `peer:removed` events. */
  readonly removed: EventQueue<{ readonly reason: unknown; readonly disconnectWe: boolean | null }>;
  /** `peer:error` and `error` events. */
  readonly errors: unknown[];
}

/** Creates an ethereumjs RLPx node with `eth/68` and no DPT. */
export function createEjsNode(privateKey: Uint8Array): EjsNode {
  const rlpx = new RLPx(privateKey, {
    dpt: null,
    maxPeers: 4,
    capabilities: [ETH.eth68],
    common: mainnetCommon(),
    listenPort: null,
  });
  const added = new EventQueue<Peer>();
  const removed = new EventQueue<{ reason: unknown; disconnectWe: boolean | null }>();
  const errors: unknown[] = [];
  rlpx.events.on('peer:added', added.push);
  rlpx.events.on('peer:removed', (_peer, reason: unknown, disconnectWe) =>
    removed.push({ reason, disconnectWe }),
  );
  rlpx.events.on('peer:error', (_peer, err: unknown) => errors.push(err));
  rlpx.events.on('error', (err) => errors.push(err));
  return { rlpx, privateKey, added, removed, errors };
}

/**
 * Starts the node's listener on `127.0.0.1:0` and resolves to its port. RLPx keeps its server
 * private, but `listen(...args)` passes its arguments to `net.Server#listen`, whose callback runs
 * as a `'listening'` listener with `this` bound to the server: that is how the port is read.
 */
export function listenEjs(rlpx: RLPx, signal: AbortSignal): Promise<number> {
  const listening = new Promise<number>((resolve, reject) => {
    rlpx.listen(0, '127.0.0.1', function (this: Server) {
      const address = this.address();
      if (address === null || typeof address === 'string') reject(new Error('no port'));
      else resolve(address.port);
    });
  });
  return within(listening, signal);
}

/** The peer's `ETH` protocol object (the `eth/68` capability it negotiated). */
export function ethOf(peer: Peer): ETH {
  const eth = peer.getProtocols().find((p): p is ETH => p instanceof ETH);
  if (eth === undefined) throw new Error('peer has no eth protocol');
  return eth;
}

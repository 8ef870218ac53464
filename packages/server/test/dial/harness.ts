/**
 * Test harness for the dial scheduler: deterministic nodes, a recording dial function whose
 * calls the test settles one by one, and geth-style rounds (`p2p/dial_test.go` `dialTestRound`)
 * on a simulated clock.
 */
import { SimulatedClock, seededRandom } from '@ethp2p/base';
import { bytesToHex, publicKey } from '@ethp2p/crypto';
import type { NodeEndpoint } from '@ethp2p/enode';
import { Node, nodeIdToHex } from '@ethp2p/enode';
import { afterEach, expect } from 'vitest';
import { DialScheduler } from '../../src/dial/scheduler.ts';
import type {
  DialDoneEvent,
  DialFlags,
  DialSchedulerOptions,
  DialStartEvent,
  PeerDialFlag,
} from '../../src/dial/types.ts';
import { FakeNodeSource } from '../helpers/fake-source.ts';

const keyCache = new Map<number, Uint8Array>();

/** The public key of test node `n` (a fixed private key per `n`, so runs repeat). */
export function testKey(n: number): Uint8Array {
  let key = keyCache.get(n);
  if (key === undefined) {
    const priv = new Uint8Array(32);
    priv[28] = (n >>> 24) & 0xff;
    priv[29] = (n >>> 16) & 0xff;
    priv[30] = (n >>> 8) & 0xff;
    priv[31] = (n & 0xff) + 1;
    if (priv[31] === 0) priv[27] = 1;
    key = publicKey(priv);
    keyCache.set(n, key);
  }
  return key;
}

/** Test node `n` at 10.0.x.y:30303 unless `endpoint` says otherwise. */
export function testNode(n: number, endpoint?: NodeEndpoint): Node {
  const ip = `10.0.${(n >> 8) & 0xff}.${n & 0xff}`;
  return Node.fromPublicKey(testKey(n), endpoint ?? { ip, tcp: 30303, udp: 30303 });
}

/** Test nodes `from` … `from + count - 1`. */
export function testNodes(from: number, count: number): Node[] {
  return Array.from({ length: count }, (_, i) => testNode(from + i));
}

/** A short name for a node in failure messages: the first bytes of its ID. */
export function nodeName(node: Node): string {
  return bytesToHex(node.id.subarray(0, 4));
}

/** One call of the fake dial function. */
export interface DialCall {
  readonly node: Node;
  readonly flags: DialFlags;
  readonly signal: AbortSignal;
  /** Clock time of the call. */
  readonly at: number;
  settled: boolean;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * A dial function that records each call and leaves it pending until the test settles it. An
 * aborted call rejects with the signal's reason, unless `ignoreAbort` is set (a misbehaving
 * dialer).
 */
export class FakeDialer {
  readonly calls: DialCall[] = [];
  ignoreAbort = false;
  /** Resolve every call as soon as it is made (a dial that completes at once). */
  succeedAtOnce = false;
  readonly #clock: SimulatedClock;

  constructor(clock: SimulatedClock) {
    this.#clock = clock;
  }

  readonly dial = (node: Node, flags: DialFlags, signal: AbortSignal): Promise<void> => {
    return new Promise<void>((resolve, reject) => {
      const call: DialCall = {
        node,
        flags,
        signal,
        at: this.#clock.now(),
        settled: false,
        resolve: () => {
          call.settled = true;
          resolve();
        },
        reject: (err) => {
          call.settled = true;
          reject(err);
        },
      };
      this.calls.push(call);
      if (this.succeedAtOnce) call.resolve();
      signal.addEventListener('abort', () => {
        if (!this.ignoreAbort && !call.settled) call.reject(signal.reason);
      });
    });
  };

  /** The pending call for `node`. */
  pending(node: Node): DialCall {
    const id = nodeIdToHex(node.id);
    const call = this.calls.find((c) => !c.settled && nodeIdToHex(c.node.id) === id);
    if (call === undefined) throw new Error(`no pending dial to ${nodeName(node)}`);
    return call;
  }

  /** Pending calls. */
  get active(): DialCall[] {
    return this.calls.filter((c) => !c.settled);
  }
}

/** A scheduler with a simulated clock, a fake source and a fake dialer, recording events. */
export class DialEnv {
  readonly clock = new SimulatedClock(0);
  readonly source: FakeNodeSource;
  readonly dialer = new FakeDialer(this.clock);
  readonly self = testNode(0xffff);
  readonly scheduler: DialScheduler;
  readonly starts: DialStartEvent[] = [];
  readonly dones: DialDoneEvent[] = [];
  #seen = 0;

  constructor(
    options: Partial<Omit<DialSchedulerOptions, 'dial' | 'self'>> & {
      readonly finishLookups?: boolean;
      readonly noSource?: boolean;
    } = {},
  ) {
    const { finishLookups, noSource, ...rest } = options;
    this.source = new FakeNodeSource({ finishWhenEmpty: finishLookups ?? false });
    this.scheduler = new DialScheduler({
      self: this.self.id,
      maxDialedPeers: 10,
      clock: this.clock,
      random: seededRandom(1),
      ...(noSource === true ? {} : { source: this.source }),
      ...rest,
      dial: this.dialer.dial,
    });
    this.scheduler.events.on('dial:start', (e) => this.starts.push(e));
    this.scheduler.events.on('dial:done', (e) => this.dones.push(e));
  }

  /** Lets every queued microtask and promise continuation run. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Moves the clock forward by `ms` in steps of at most `stepMs`, settling after each. */
  async advance(ms: number, stepMs = ms): Promise<void> {
    let left = ms;
    while (left > 0) {
      const step = Math.min(stepMs, left);
      this.clock.advance(step);
      left -= step;
      await this.settle();
    }
    if (ms === 0) await this.settle();
  }

  /** Completes the pending dial to `node`: the peer is added (as the server does), then it resolves. */
  succeed(node: Node): void {
    const call = this.dialer.pending(node);
    this.scheduler.peerAdded(node, { dialed: call.flags.static ? 'static' : 'dynamic' });
    call.resolve();
  }

  /** Fails the pending dial to `node`. */
  fail(node: Node, err: unknown = new Error('connection refused')): void {
    this.dialer.pending(node).reject(err);
  }

  /** Dial calls since the last call of `newDials`. */
  newDials(): DialCall[] {
    const fresh = this.dialer.calls.slice(this.#seen);
    this.#seen = this.dialer.calls.length;
    return fresh;
  }
}

/** One round: changes applied in this order, then the dials that must have started. */
export interface DialRound {
  /** Clock time passed first, in steps of `stepMs` (default: one step). */
  readonly advanceMs?: number;
  readonly stepMs?: number;
  /** Peers that connected by other means (inbound by default). */
  readonly peersAdded?: readonly (Node | readonly [Node, PeerDialFlag])[];
  readonly peersRemoved?: readonly Node[];
  /** Pending dials that succeed (the peer is added) and that fail. */
  readonly succeeded?: readonly Node[];
  readonly failed?: readonly Node[];
  /** Nodes the running (or next) lookup yields. */
  readonly discovered?: readonly Node[];
  /** Exactly the dials that start in this round, in any order. */
  readonly wantNewDials: readonly Node[];
}

/** Runs `rounds` against `env` (started first if needed), checking each round's new dials. */
export async function runRounds(env: DialEnv, rounds: readonly DialRound[]): Promise<void> {
  env.scheduler.start();
  for (const [i, round] of rounds.entries()) {
    if (round.advanceMs !== undefined) await env.advance(round.advanceMs, round.stepMs);
    for (const entry of round.peersAdded ?? []) {
      const [node, flag] = entry instanceof Node ? [entry, 'inbound' as const] : entry;
      env.scheduler.peerAdded(node, { dialed: flag });
    }
    for (const node of round.peersRemoved ?? []) env.scheduler.peerRemoved(node);
    for (const node of round.succeeded ?? []) env.succeed(node);
    for (const node of round.failed ?? []) env.fail(node);
    if (round.discovered !== undefined) env.source.discover(...round.discovered);
    await env.settle();
    const got = env.newDials().map((c) => nodeName(c.node));
    const want = round.wantNewDials.map(nodeName);
    expect(got.sort(), `round ${i}: new dials`).toEqual([...want].sort());
  }
}

/**
 * A factory of {@link DialEnv}s for one test file: after each test it stops every env it made
 * and checks that no timer is left on its clock.
 */
export function dialEnvs(): (options?: ConstructorParameters<typeof DialEnv>[0]) => DialEnv {
  const envs: DialEnv[] = [];
  afterEach(async () => {
    for (const e of envs.splice(0)) {
      await e.scheduler.stop();
      expect(e.clock.pending, 'timers left after stop').toBe(0);
    }
  });
  return (options = {}) => {
    const e = new DialEnv(options);
    envs.push(e);
    return e;
  };
}

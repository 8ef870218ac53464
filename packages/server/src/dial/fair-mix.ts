/**
 * `FairMix`: many node sources as one for the dial scheduler, drawn from in turn (geth
 * `p2p/enode/iter.go` `FairMix`, composed in `eth/backend.go` over discv4, discv5 and DNS).
 * @module
 */
import { type Clock, checkPositiveMs, defaultLogger, type Logger, systemClock } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import type { NodeSource, SignalOptions } from '../node-source.ts';
import { FAIR_MIX_TIMEOUT_MS } from './constants.ts';
import { type MixEntry, MixRun, type MixRunDeps } from './mix-run.ts';

/** Options of a {@link FairMix}. */
export interface FairMixOptions {
  /**
   * How long a draw waits for the source whose turn it is before it takes a node from any
   * source (default {@link FAIR_MIX_TIMEOUT_MS}). Each timeout halves that source's next wait
   * until it delivers again. `Infinity` always waits: strictly fair (geth: a negative timeout).
   */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/**
 * A {@link NodeSource} over any number of sources, drawn from fairly: each stream of
 * `randomNodes()` or `lookup()` opens the same stream of every source, reads each one node ahead,
 * and takes turns between them. When the source whose turn it is has no node within the
 * timeout, the draw takes the first node any source has, so a stalled source delays the others
 * by at most the timeout, and less each time it stalls again; a source that floods gets only its
 * turns. A source whose stream ends or fails is dropped from that stream (failures are counted
 * in {@link FairMix.failures} and logged at debug); the stream ends when every source's has
 * ended, so the dial scheduler opens it again, with every source, after its interval.
 *
 * Ownership: each stream owns its state; sources added later join the open streams too.
 * Aborting a stream's signal, leaving it, or {@link FairMix.close} releases a pending draw at
 * once, cancels its timer, and ends the sources' streams (awaited before the stream ends).
 *
 * @example
 * ```ts
 * const mix = new FairMix();
 * mix.addSource(discoveryV4, 'discv4');
 * mix.addSource(dnsClient.nodeSource([url]), 'dns');
 * new Server({ ...options, nodeSource: mix });
 * ```
 */
export class FairMix implements NodeSource {
  readonly #deps: Omit<MixRunDeps, 'open'>;
  readonly #entries: MixEntry[] = [];
  readonly #runs = new Set<MixRun>();
  #failures = 0;
  #closed = false;

  /** @throws {RangeError} for a timeout that is not a positive number of ms or `Infinity` */
  constructor(options: FairMixOptions = {}) {
    const timeoutMs = options.timeoutMs ?? FAIR_MIX_TIMEOUT_MS;
    if (timeoutMs !== Number.POSITIVE_INFINITY) checkPositiveMs('timeoutMs', timeoutMs);
    const logger = options.logger ?? defaultLogger;
    this.#deps = {
      clock: options.clock ?? systemClock,
      logger,
      timeoutMs,
      failed: (name, err) => {
        this.#failures++;
        logger.debug('fair mix: source failed', { source: name, err: String(err) });
      },
    };
  }

  /** Source streams that failed (thrown on open, rejected a read, or a failed `resolve`). */
  get failures(): number {
    return this.#failures;
  }

  /**
   * Adds a source, named `name` in logs; open streams read it from now on (geth `AddSource`).
   * Ignored after {@link FairMix.close}.
   */
  addSource(source: NodeSource, name = `source ${this.#entries.length + 1}`): void {
    if (this.#closed) return;
    const entry = { name, source };
    this.#entries.push(entry);
    for (const run of this.#runs) run.add(entry);
  }

  /** The sources' random nodes, drawn in turn; see the class comment for when it ends. */
  randomNodes(options: SignalOptions = {}): AsyncIterable<Node> {
    return this.#stream((source, signal) => source.randomNodes({ signal }), options.signal);
  }

  /** Runs a lookup for `targetPublicKey` on every source and draws their nodes in turn. */
  lookup(targetPublicKey?: Uint8Array, options: SignalOptions = {}): AsyncIterable<Node> {
    return this.#stream(
      (source, signal) => source.lookup(targetPublicKey, { signal }),
      options.signal,
    );
  }

  /**
   * The first record a source knows for `node`, asking them in the order added; a source that
   * fails is counted and skipped. @throws `signal.reason` on abort
   */
  async resolve(node: Node, options: SignalOptions = {}): Promise<Node | undefined> {
    for (const { name, source } of [...this.#entries]) {
      options.signal?.throwIfAborted();
      try {
        const found = await source.resolve(node, options);
        if (found !== undefined) return found;
      } catch (err) {
        options.signal?.throwIfAborted();
        this.#deps.failed(name, err);
      }
    }
    return undefined;
  }

  /**
   * Ends every open stream and refuses new sources; later streams are empty (geth `Close`).
   * Safe to call twice; resolves once the sources' streams have ended.
   */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#runs].map((run) => run.dispose()));
  }

  async *#stream(open: MixRunDeps['open'], signal: AbortSignal | undefined): AsyncGenerator<Node> {
    if (this.#closed) return;
    const run = new MixRun({ ...this.#deps, open }, signal);
    this.#runs.add(run);
    try {
      for (const entry of this.#entries) run.add(entry);
      for (;;) {
        const node = await run.next();
        if (node === undefined) return;
        yield node;
      }
    } finally {
      this.#runs.delete(run);
      await run.dispose();
    }
  }
}

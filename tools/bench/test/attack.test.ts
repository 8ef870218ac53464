/**
 * Issue 15's "Done means" for attacks 1–3, against an in-process full node on loopback (each a
 * fresh node): while the attack runs, a legitimate peer completes its RLPx, Hello and eth Status
 * within 2 s every time it tries, every discv4 ping gets its pong, RSS stays under twice its
 * baseline and comes back near it afterwards. The attacking peers run in a child process from
 * the build (`pnpm build` first, as for the CLI tests), so the RSS measured here is the node's
 * and the probes' alone: in this process their bombs and queued frames were counted against the
 * node, and the bound failed on a loaded machine. They are sized for a loaded 2-core machine;
 * `pnpm bench attack` runs the sizes and prints the figures.
 */
import { waitFor } from '@ethp2p/base/testing';
import { describe, expect, it } from 'vitest';
import {
  type AttackSpec,
  bodiesAttack,
  bombAttack,
  headersAttack,
  runAttack,
  settle,
  slowlorisAttack,
  startTarget,
} from '../src/attack/scenario.ts';

/** geth's soft response limit: the body that crosses it is the last of a response. */
const SOFT_RESPONSE_LIMIT = 2 * 1024 * 1024;
/** A body of the attack chain, about 2 KiB. */
const BODY = 2048 + 16;

/** The bound on a legitimate handshake during an attack. */
const HANDSHAKE_LIMIT_MS = 2_000;

describe('attacks on a full node (issue 15)', () => {
  it.each([
    // 500k items: far past every eth list limit, so each bomb is refused at its list header as the
    // bench's 4.9M are.
    ['1: RLP bombs from 2 peers, reconnecting', bombAttack(2, 500_000)],
    ['2: GetBlockBodies from 4 peers', bodiesAttack(4, 20_000, 5)],
    ['2: GetBlockHeaders from 4 peers', headersAttack(4, 1024, 10)],
    ['3: slowloris, 50 stalled connections', slowlorisAttack(10, 5)],
  ] as [string, AttackSpec][])(
    'attack %s: a peer handshakes within 2 s, pings get pongs, RSS stays bounded',
    async (_name, spec) => {
      const f = await runAttack(spec, {
        worker: true,
        durationMs: 2_000,
        probeGapMs: 100,
        handshakeLimitMs: HANDSHAKE_LIMIT_MS,
        settleMs: 1_000,
      });
      expect(f.handshakeFailures, f.attack).toBe(0);
      expect(f.handshakesMs.length).toBeGreaterThanOrEqual(1);
      expect(f.pingFailures).toBe(0);
      expect(f.pingsMs.length).toBe(f.handshakesMs.length);
      expect(f.rss.peak).toBeLessThan(2 * f.rss.baseline);
      // The RSS after the attack is the vitest worker's, shared with other files and slow to
      // give pages back: held to the peak bound here; `pnpm bench attack` prints the exact figure.
      expect(f.rss.after).toBeLessThan(2 * f.rss.baseline);
      expect(f.afterHandshakeMs).toBeLessThan(HANDSHAKE_LIMIT_MS);
    },
    60_000,
  );

  it('2: GetBlockBodies from 6 peers against a small pool: received and unwritten bytes stay in it', async () => {
    // 20k hashes: 660 kB decompressed (under 200 kB on the wire), 2 MiB of bodies served each.
    const POOL = 3 * 1024 * 1024;
    const RESPONSES = 2 * 1024 * 1024;
    const f = await runAttack(bodiesAttack(6, 20_000, 4), {
      worker: false,
      durationMs: 2_000,
      probeGapMs: 100,
      handshakeLimitMs: HANDSHAKE_LIMIT_MS,
      settleMs: 1_000,
      target: {
        ingressBudget: { totalBytes: POOL },
        serveBudget: { maxTotalInFlightBytes: RESPONSES },
      },
    });
    expect(f.handshakeFailures, f.attack).toBe(0);
    expect(f.handshakesMs.length).toBeGreaterThanOrEqual(1);
    // The pool was full: requests waited for room at their decompressed size.
    expect(f.ingress.waits).toBeGreaterThan(0);
    expect(f.budget.handled).toBeGreaterThan(0);
    // Responses in flight: under their cap plus the one response that crossed it.
    expect(f.budget.peakInFlightBytes).toBeLessThanOrEqual(RESPONSES + SOFT_RESPONSE_LIMIT + BODY);
    // Messages waiting to be handled never pass the pool; responses come on top of them.
    expect(f.ingress.peakHeldBytes).toBeLessThanOrEqual(POOL + f.budget.peakInFlightBytes);
    expect(f.ingress.heldBytes).toBe(0);
    expect(f.afterHandshakeMs).toBeLessThan(HANDSHAKE_LIMIT_MS);
  }, 60_000);

  it('2: GetBlockBodies from 6 peers that then stay idle: no request stays in memory', async () => {
    // 100k hashes: 3.3 MB decompressed each. An idle peer used to keep its last request.
    const REQUEST = 3_300_009;
    const target = await startTarget({ maxPendingPerIp: 256 });
    try {
      await settle();
      const before = process.memoryUsage().arrayBuffers;
      const attack = await bodiesAttack(6, 100_000, 1).start(target, { worker: false });
      const budget = target.node.serveBudget;
      await waitFor(() => budget.metrics.handled === 6 && budget.metrics.inFlightBytes === 0, {
        what: 'every request served',
      });
      await settle();
      const grown = process.memoryUsage().arrayBuffers - before;
      await attack.stop();
      // The attackers' one shared request is all that may remain (not six more).
      expect(grown).toBeLessThan(2 * REQUEST);
    } finally {
      await target.close();
    }
  }, 60_000);
});

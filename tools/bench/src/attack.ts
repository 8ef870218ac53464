/**
 * `pnpm bench attack`: issue 15's attacks 1–3 against an in-process full node on loopback, each
 * against a fresh node, at the issue's sizes: a legitimate eth handshake and a discv4 ping are
 * timed throughout, RSS and event-loop delay are sampled, and the serve budget's counters are
 * read at the end. The attackers run in the same process (their own encoding and framing count
 * against the same event loop), so the figures are an upper bound of what the node alone costs.
 * @module
 */
import {
  type AttackFigures,
  type AttackSpec,
  bodiesAttack,
  bombAttack,
  headersAttack,
  runAttack,
  slowlorisAttack,
} from './attack/scenario.ts';
import { median } from './stats.ts';

/** The attacks at its sizes. */
const ATTACKS: readonly AttackSpec[] = [
  bombAttack(4, 4_900_000),
  bodiesAttack(20, 100_000, 10),
  bodiesAttack(34, 300_000, 1),
  headersAttack(20, 1024, 50),
  slowlorisAttack(10, 5),
];

const MIB = 1024 * 1024;

function report(f: AttackFigures): void {
  const ms = (v: number): string => `${v.toFixed(0)} ms`;
  const mib = (v: number): string => `${(v / MIB).toFixed(0)} MiB`;
  const { rss, loopDelayMs: loop, budget } = f;
  console.log(`\n${f.name} (${f.attack})`);
  console.log(
    `  eth handshake: ${f.handshakesMs.length} ok, median ${ms(median(f.handshakesMs))}, max ${ms(Math.max(...f.handshakesMs))}, ${f.handshakeFailures} over the limit; after: ${ms(f.afterHandshakeMs)}`,
  );
  console.log(
    `  discv4 ping:   ${f.pingsMs.length} pongs, median ${ms(median(f.pingsMs))}, max ${ms(Math.max(...f.pingsMs))}, ${f.pingFailures} lost; after: ${ms(f.afterPingMs)}`,
  );
  console.log(
    `  rss:           baseline ${mib(rss.baseline)}, peak ${mib(rss.peak)} (${(rss.peak / rss.baseline).toFixed(2)}x), after ${mib(rss.after)} (${(rss.after / rss.baseline).toFixed(2)}x)`,
  );
  console.log(
    `  memory:        at the peak ${mib(f.peakMemory.arrayBuffers)} in ArrayBuffers, ${mib(f.peakMemory.heapUsed)} heap; ingress budget held at most ${mib(f.ingress.peakHeldBytes)} (${f.ingress.grants} grants, ${f.ingress.waits} waits)`,
  );
  console.log(
    `  event loop:    delay p50 ${loop.p50.toFixed(1)} ms, p99 ${loop.p99.toFixed(1)} ms, max ${loop.max.toFixed(1)} ms`,
  );
  console.log(
    `  serve budget:  ${budget.handled} messages, ${budget.handlingMs} ms handling, ${mib(budget.responseBytes)} responses (at most ${mib(budget.peakInFlightBytes)} in flight), ${budget.deferred} deferred, ${budget.dropped} peers dropped`,
  );
}

/**
 * Runs every attack (or those whose name contains one of `filters`, ignoring case) and prints its
 * figures.
 */
export async function runAttackBench(filters: readonly string[] = []): Promise<void> {
  console.log('attacks on an in-process full node (loopback), each against a fresh node');
  const chosen = ATTACKS.filter(
    (a) =>
      filters.length === 0 || filters.some((f) => a.name.toLowerCase().includes(f.toLowerCase())),
  );
  for (const spec of chosen) {
    const figures = await runAttack(spec, {
      durationMs: Number(process.env.ATTACK_MS ?? 10_000),
      probeGapMs: 250,
      worker: true,
      handshakeLimitMs: 5_000,
      settleMs: 3_000,
    });
    report(figures);
  }
}

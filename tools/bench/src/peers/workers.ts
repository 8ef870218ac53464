/**
 * The host's side of the peer workers: forks them, asks them for their counts and adds these up.
 * One command is outstanding per worker at a time; each answer is one {@link PeerCounts}.
 * @module
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { PeerCounts } from './bench-peers.ts';
import type { PeerWorkerCommand, PeerWorkerData } from './protocol.ts';

/** Adds counts up field by field. */
export function sumCounts(all: readonly PeerCounts[]): PeerCounts {
  const total: Record<string, number> = {};
  for (const c of all) {
    for (const [k, v] of Object.entries(c)) total[k] = (total[k] ?? 0) + v;
  }
  return total as unknown as PeerCounts;
}

/** The difference `b - a`, field by field. */
export function countsSince(a: PeerCounts, b: PeerCounts): PeerCounts {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b))
    out[k] = v - ((a as unknown as Record<string, number>)[k] ?? 0);
  return out as unknown as PeerCounts;
}

/** Peer workers sharing `count` peers between them. */
export class PeerWorkers {
  readonly #children: ChildProcess[];
  readonly #exited: Promise<unknown>[];

  private constructor(children: ChildProcess[]) {
    this.#children = children;
    this.#exited = children.map((c) => once(c, 'exit'));
  }

  /** Forks `workers` processes, `count` peers in all, dialing `enode`. */
  static start(enode: string, count: number, workers: number, ethVersion: number): PeerWorkers {
    const script = fileURLToPath(new URL('./worker.js', import.meta.url));
    const children = Array.from({ length: workers }, (_, i) => {
      const share = Math.floor(count / workers) + (i < count % workers ? 1 : 0);
      const data: PeerWorkerData = { enode, count: share, ethVersion };
      return fork(script, [JSON.stringify(data)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
    });
    return new PeerWorkers(children);
  }

  /** Sends `command` to every worker and adds up their answers. */
  async command(command: PeerWorkerCommand): Promise<PeerCounts> {
    const answers = this.#children.map(async (child) => {
      const answer = once(child, 'message') as Promise<[PeerCounts]>;
      child.send(command);
      return (await answer)[0];
    });
    return sumCounts(await Promise.all(answers));
  }

  /** Polls until `enough(counts)` or `timeoutMs` passes; returns the last counts. */
  async until(enough: (c: PeerCounts) => boolean, timeoutMs: number): Promise<PeerCounts> {
    const end = performance.now() + timeoutMs;
    for (;;) {
      const counts = await this.command({ cmd: 'counts' });
      if (enough(counts) || performance.now() > end) return counts;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Stops the peers and waits for the workers to exit (killing what is left after 20 s). */
  async stop(): Promise<void> {
    const stopped = this.command({ cmd: 'stop' }).catch(() => undefined);
    const timer = setTimeout(() => {
      for (const c of this.#children) c.kill();
    }, 20_000);
    await stopped;
    for (const c of this.#children) c.kill();
    await Promise.all(this.#exited);
    clearTimeout(timer);
  }
}

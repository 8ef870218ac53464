import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { afterEach, describe, expect, it } from 'vitest';
import { DB_CLEANUP_CYCLE_MS, NODE_EXPIRATION_MS } from '../../src/db/constants.ts';
import { PeriodicTask } from '../../src/db/expirer.ts';
import { NodeDatabase } from '../../src/db/node-db.ts';
import { signedNode } from './helpers/nodes.ts';

const HOUR = DB_CLEANUP_CYCLE_MS;

/** A task whose runs finish only when the test says so. */
function gatedTask(clock: SimulatedClock, logger = new MemoryLogger()) {
  const gates: (() => void)[] = [];
  const task = new PeriodicTask({
    clock,
    intervalMs: HOUR,
    logger,
    name: 'test task',
    run: () => new Promise<void>((resolve) => gates.push(resolve)),
  });
  return { task, gates, logger };
}

describe('PeriodicTask', () => {
  it('schedules nothing until started, then one timer', () => {
    const clock = new SimulatedClock();
    const { task } = gatedTask(clock);
    expect(clock.pending).toBe(0);
    task.start();
    task.start();
    expect(clock.pending).toBe(1);
  });

  it('never overlaps: a tick during a run is skipped', async () => {
    const clock = new SimulatedClock();
    const { task, gates, logger } = gatedTask(clock);
    task.start();
    clock.advance(HOUR);
    expect(gates.length).toBe(1);
    clock.advance(HOUR); // fires while the first run is in progress
    expect(gates.length).toBe(1);
    expect(logger.lines).toMatchObject([
      { level: 'debug', msg: 'test task still running, skipping a cycle' },
    ]);
    gates[0]?.();
    await task.idle();
    clock.advance(HOUR);
    expect(gates.length).toBe(2);
    gates[1]?.();
    await task.stop();
  });

  it('stop cancels the timer and awaits the run in progress', async () => {
    const clock = new SimulatedClock();
    const { task, gates } = gatedTask(clock);
    task.start();
    clock.advance(HOUR);
    let stopped = false;
    const stopping = task.stop().then(() => {
      stopped = true;
    });
    expect(clock.pending).toBe(0);
    await Promise.resolve();
    expect(stopped).toBe(false);
    gates[0]?.();
    await stopping;
    expect(stopped).toBe(true);
    task.start();
    expect(clock.pending).toBe(0);
  });

  it('logs a failed run and keeps its schedule', async () => {
    const clock = new SimulatedClock();
    const logger = new MemoryLogger();
    let runs = 0;
    const task = new PeriodicTask({
      clock,
      intervalMs: HOUR,
      logger,
      name: 'test task',
      run: async () => {
        runs++;
        throw new Error('boom');
      },
    });
    task.start();
    clock.advance(HOUR);
    await task.idle();
    clock.advance(HOUR);
    await task.stop();
    expect(runs).toBe(2);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });
});

describe('NodeDatabase expirer', () => {
  const dbs: NodeDatabase[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close();
  });

  async function setup() {
    const clock = new SimulatedClock(1_700_000_000_000);
    const db = await NodeDatabase.open({ clock, logger: new MemoryLogger() });
    dbs.push(db);
    return { clock, db };
  }

  it('schedules nothing before the first pong', async () => {
    const { clock, db } = await setup();
    const n = signedNode('10.0.0.1');
    await db.updateNode(n);
    await db.updateLastPingReceived(n.id, '10.0.0.1', clock.now());
    await db.updateFindFails(n.id, '10.0.0.1', 1);
    await db.lastPongReceived(n.id, '10.0.0.1');
    expect(clock.pending).toBe(0);
    await db.updateLastPongReceived(n.id, '10.0.0.1', clock.now());
    expect(clock.pending).toBe(1);
    await db.close();
    expect(clock.pending).toBe(0);
  });

  it('removes nodes whose last pong, or (never ponged) last ping, is older than 24 h', async () => {
    const { clock, db } = await setup();
    const stale = signedNode('10.0.0.1');
    const fresh = signedNode('10.0.0.2');
    const neverPonged = signedNode('10.0.0.3');
    const recordOnly = signedNode('10.0.0.4');
    for (const n of [stale, fresh, neverPonged, recordOnly]) await db.updateNode(n);
    await db.updateLastPingReceived(neverPonged.id, '10.0.0.3', clock.now());
    await db.updateLastPongReceived(stale.id, '10.0.0.1', clock.now());
    await db.updateLastPongReceived(fresh.id, '10.0.0.9', clock.now()); // its other IP goes stale
    await db.updateLastPingReceived(fresh.id, '10.0.0.8', clock.now()); // never answered there

    clock.advance(NODE_EXPIRATION_MS);
    await db.idle();
    expect(await db.node(stale.id)).toBeDefined(); // exactly 24 h old: not yet expired
    expect(await db.node(neverPonged.id)).toBeDefined();
    await db.updateLastPongReceived(fresh.id, '10.0.0.2', clock.now());

    clock.advance(DB_CLEANUP_CYCLE_MS);
    await db.idle();
    expect(await db.node(stale.id)).toBeUndefined();
    expect(await db.lastPongReceived(stale.id, '10.0.0.1')).toBe(0);
    expect((await db.node(fresh.id))?.ip).toBe('10.0.0.2');
    expect(await db.lastPongReceived(fresh.id, '10.0.0.2')).toBe(clock.now() - HOUR);
    expect(await db.lastPongReceived(fresh.id, '10.0.0.9')).toBe(0); // stale per-IP fields go
    expect(await db.lastPingReceived(fresh.id, '10.0.0.8')).toBe(0); // and unanswered pings
    // A pinger that never answered is forgotten (geth keeps it forever); a bare record stays.
    expect(await db.node(neverPonged.id)).toBeUndefined();
    expect(await db.lastPingReceived(neverPonged.id, '10.0.0.3')).toBe(0);
    expect(await db.node(recordOnly.id)).toBeDefined();
    expect(clock.pending).toBe(1);
    await db.close();
    expect(clock.pending).toBe(0);
  });

  it('close waits for a pass in progress and leaves no timer', async () => {
    const { clock, db } = await setup();
    const n = signedNode('10.0.0.1');
    await db.updateNode(n);
    await db.updateLastPongReceived(n.id, '10.0.0.1', clock.now());
    clock.advance(NODE_EXPIRATION_MS + HOUR); // starts a pass; close must not cut it off
    await db.close();
    expect(clock.pending).toBe(0);
  });
});

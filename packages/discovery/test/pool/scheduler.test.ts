import { describe, expect, it } from 'vitest';
import { SignaturePoolError } from '../../src/pool/errors.ts';
import { type Job, type JobOutcome, Scheduler } from '../../src/pool/scheduler.ts';
import { WORK_CLASSES, type WorkClass } from '../../src/pool/types.ts';

/** A scheduler and the order in which callbacks ran, as `name:ok|code`. */
function setup(maxQueued = 100) {
  const delivered: string[] = [];
  const errors: unknown[] = [];
  const scheduler = new Scheduler({ maxQueued, onCallbackError: (err) => errors.push(err) });
  const submit = (
    name: string,
    workClass: WorkClass,
    key = name,
    done = (o: JobOutcome): unknown =>
      delivered.push(`${name}:${o.ok ? 'ok' : (o.error as SignaturePoolError).code}`),
  ): Job => {
    const job: Job = {
      kind: 0,
      bytes: new Uint8Array(1),
      key,
      workClass,
      rank: WORK_CLASSES.indexOf(workClass),
      state: 'queued',
      outcome: undefined,
      done,
    };
    scheduler.submit(job);
    return job;
  };
  return { scheduler, submit, delivered, errors };
}

const OK: JobOutcome = { ok: true, publicKey: new Uint8Array(64) };
const names = (jobs: readonly Job[]): string[] => jobs.map((j) => j.key);

describe('Scheduler: priorities', () => {
  it('hands out our own work first, then requests, then pings, oldest first in a class', () => {
    const { scheduler, submit } = setup();
    submit('p1', 'ping');
    submit('r1', 'request');
    submit('o1', 'own');
    submit('p2', 'ping');
    submit('o2', 'own');
    expect(names(scheduler.take(3))).toEqual(['o1', 'o2', 'r1']);
    expect(names(scheduler.take(10))).toEqual(['p1', 'p2']);
    expect(scheduler.take(10)).toEqual([]);
    expect(scheduler.running).toBe(5);
  });
});

describe('Scheduler: admission control', () => {
  it('when full, sheds the oldest ping for a request, and counts it by class', () => {
    const { scheduler, submit, delivered } = setup(2);
    submit('p1', 'ping');
    submit('p2', 'ping');
    submit('r1', 'request');
    expect(delivered).toEqual(['p1:SHED']);
    expect(scheduler.shed).toEqual({ ping: 1, request: 0, own: 0 });
    expect(scheduler.queued).toBe(2);
    expect(names(scheduler.take(10))).toEqual(['r1', 'p2']);
  });

  it('sheds a new job that is worth no more than anything queued', () => {
    const { scheduler, submit, delivered } = setup(2);
    submit('r1', 'request');
    submit('r2', 'request');
    submit('p1', 'ping');
    submit('r3', 'request');
    expect(delivered).toEqual(['p1:SHED', 'r3:SHED']);
    expect(scheduler.shed).toEqual({ ping: 1, request: 1, own: 0 });
  });

  it('never lets a flood of pings and requests starve replies to our own requests', () => {
    const { scheduler, submit, delivered } = setup(8);
    let own = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 20; i++) submit(`p${round}.${i}`, 'ping');
      for (let i = 0; i < 5; i++) submit(`r${round}.${i}`, 'request');
      submit(`o${round}`, 'own');
      const taken = scheduler.take(2);
      own += taken.filter((j) => j.workClass === 'own').length;
      for (const job of taken) scheduler.finish(job, OK);
    }
    expect(own).toBe(50);
    expect(delivered.filter((d) => d.startsWith('o'))).toEqual(
      Array.from({ length: 50 }, (_, i) => `o${i}:ok`),
    );
    const shed = scheduler.shed;
    expect(shed.own).toBe(0);
    expect(shed.ping).toBeGreaterThan(shed.request);
  });
});

describe('Scheduler: per-key order', () => {
  it('delivers the jobs of one key in submission order, whatever order they finish in', () => {
    const { scheduler, submit, delivered } = setup();
    submit('a', 'ping', 'k');
    submit('b', 'ping', 'k');
    submit('c', 'ping', 'other');
    const [a, b, c] = scheduler.take(3) as [Job, Job, Job];
    scheduler.finish(b, OK);
    scheduler.finish(c, OK);
    expect(delivered).toEqual(['c:ok']);
    scheduler.finish(a, OK);
    expect(delivered).toEqual(['c:ok', 'a:ok', 'b:ok']);
  });

  it('raises earlier work of a key to a later job’s class, so it is not held back', () => {
    const { scheduler, submit } = setup();
    submit('p1', 'ping', 'x');
    submit('p2', 'ping', 'y');
    submit('o1', 'own', 'x');
    expect(names(scheduler.take(2))).toEqual(['x', 'x']);
    expect(names(scheduler.take(2))).toEqual(['y']);
  });

  it('delivers a shed job of a key in its place in the order', () => {
    const { scheduler, submit, delivered } = setup(2);
    submit('p1', 'ping', 'k');
    submit('p2', 'ping', 'k');
    const [p1] = scheduler.take(1) as [Job];
    submit('p3', 'ping', 'j');
    submit('r1', 'request', 'j'); // full: sheds p2 (queued), p1 is running
    expect(delivered).toEqual([]);
    scheduler.finish(p1, OK);
    expect(delivered).toEqual(['p1:ok', 'p2:SHED']);
  });

  it('fails queued and running work on failAll, each key in order, and ignores late results', () => {
    const { scheduler, submit, delivered } = setup();
    submit('a', 'own', 'k');
    submit('b', 'ping', 'k');
    const [a] = scheduler.take(1) as [Job];
    scheduler.failAll(new SignaturePoolError('CLOSED', 'closed'));
    expect(delivered).toEqual(['a:CLOSED', 'b:CLOSED']);
    scheduler.finish(a, OK);
    expect(delivered).toHaveLength(2);
    expect(scheduler.queued + scheduler.running).toBe(0);
  });

  it('reports a throwing callback and goes on', () => {
    const { scheduler, errors, delivered, submit } = setup();
    submit('bad', 'ping', 'k', () => {
      throw new Error('boom');
    });
    submit('good', 'ping', 'k');
    for (const job of scheduler.take(2)) scheduler.finish(job, OK);
    expect(errors).toEqual([new Error('boom')]);
    expect(delivered).toEqual(['good:ok']);
  });
});

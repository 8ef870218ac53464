import { seededRandom } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/transport/deadline-queue.ts';

interface Entry {
  deadline: number;
  seq: number;
  live: boolean;
}

describe('DeadlineQueue', () => {
  it('pops live entries by deadline, then registration order, skipping dead ones', () => {
    const random = seededRandom(42);
    const queue = new DeadlineQueue<Entry>();
    const entries: Entry[] = Array.from({ length: 500 }, (_, seq) => ({
      deadline: random.intn(50),
      seq,
      live: true,
    }));
    for (const e of entries) queue.push(e);
    for (const e of entries) if (random.intn(3) === 0) e.live = false;
    const expected = entries
      .filter((e) => e.live)
      .sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
    const popped: Entry[] = [];
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(e);
    expect(popped).toEqual(expected);
    expect(queue.size).toBe(0);
  });

  it('compacts once dead entries far outnumber live ones', () => {
    const queue = new DeadlineQueue<Entry>();
    const entries = Array.from({ length: 1000 }, (_, seq) => ({ deadline: seq, seq, live: true }));
    for (const e of entries) queue.push(e);
    for (const e of entries.slice(0, 990)) e.live = false;
    queue.compact(10);
    expect(queue.size).toBe(10);
    expect(queue.peek()?.seq).toBe(990);
  });
});

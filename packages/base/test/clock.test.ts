import { describe, expect, it } from 'vitest';
import { SimulatedClock, seededRandom } from '../src/index.ts';

describe('SimulatedClock', () => {
  it('runs due timers in order and skips cancelled ones', () => {
    const clock = new SimulatedClock(1000);
    const ran: string[] = [];
    clock.schedule(30, () => ran.push('c'));
    clock.schedule(10, () => {
      ran.push('a');
      clock.schedule(5, () => ran.push('b'));
    });
    const cancelled = clock.schedule(20, () => ran.push('x'));
    cancelled.cancel();
    clock.advance(25);
    expect(ran).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1025);
    clock.advance(5);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(clock.pending).toBe(0);
  });
  it('runs timers due at the same instant in scheduling order', () => {
    const clock = new SimulatedClock(0);
    const ran: number[] = [];
    for (let i = 0; i < 20; i++) clock.schedule(i % 2 === 0 ? 10 : 5, () => ran.push(i));
    clock.schedule(5, () => clock.schedule(0, () => ran.push(99)));
    clock.advance(10);
    expect(ran).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 99, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('reports the next due time and jumps to it with runNext', () => {
    const clock = new SimulatedClock(100);
    expect(clock.nextAt()).toBeUndefined();
    expect(clock.runNext()).toBe(false);
    expect(clock.now()).toBe(100);
    const ran: string[] = [];
    clock.schedule(50, () => ran.push('b'));
    const a = clock.schedule(20, () => ran.push('a'));
    clock.schedule(20, () => ran.push('a2'));
    expect(clock.nextAt()).toBe(120);
    a.cancel();
    expect(clock.nextAt()).toBe(120);
    expect(clock.runNext(119)).toBe(false);
    expect(clock.now()).toBe(100);
    expect(clock.runNext(120)).toBe(true);
    expect(ran).toEqual(['a2']);
    expect(clock.now()).toBe(120);
    expect(clock.nextAt()).toBe(150);
    expect(clock.runNext()).toBe(true);
    expect(ran).toEqual(['a2', 'b']);
    expect(clock.now()).toBe(150);
    expect(clock.nextAt()).toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('ignores a cancel after the timer ran, a second cancel, and a timer cancelling itself', () => {
    const clock = new SimulatedClock(0);
    const ran: string[] = [];
    const self: { timer?: { cancel(): void } } = {};
    self.timer = clock.schedule(1, () => {
      ran.push('self');
      self.timer?.cancel();
    });
    const other = clock.schedule(2, () => ran.push('other'));
    const later = clock.schedule(3, () => ran.push('later'));
    clock.schedule(1, () => other.cancel());
    clock.advance(1);
    self.timer.cancel();
    later.cancel();
    later.cancel();
    expect(clock.pending).toBe(0);
    clock.advance(10);
    expect(ran).toEqual(['self']);
  });

  it('matches a sorted reference under random schedule, cancel and advance churn', () => {
    const random = seededRandom(18);
    const clock = new SimulatedClock(0);
    const model = new Map<number, { at: number; seq: number }>();
    const timers = new Map<number, { cancel(): void }>();
    const ran: number[] = [];
    const expected: number[] = [];
    let seq = 0;
    for (let round = 0; round < 2000; round++) {
      const op = random.intn(10);
      if (op < 6) {
        const id = seq++;
        const ms = random.intn(4) === 0 ? 0 : random.intn(500);
        model.set(id, { at: clock.now() + ms, seq: id });
        timers.set(
          id,
          clock.schedule(ms, () => {
            ran.push(id);
            timers.delete(id);
          }),
        );
      } else if (op < 8 && timers.size > 0) {
        const ids = [...timers.keys()];
        const id = ids[random.intn(ids.length)] as number;
        timers.get(id)?.cancel();
        timers.delete(id);
        model.delete(id);
      } else {
        const target = clock.now() + random.intn(200);
        const due = [...model.entries()]
          .filter(([, t]) => t.at <= target)
          .sort(([, x], [, y]) => x.at - y.at || x.seq - y.seq);
        for (const [id] of due) {
          expected.push(id);
          model.delete(id);
        }
        clock.advance(target - clock.now());
      }
      expect(clock.pending).toBe(model.size);
    }
    expect(ran).toEqual(expected);
    expect(expected.length).toBeGreaterThan(100);
  });

  it('holds nothing for cancelled timers after heavy churn', () => {
    const clock = new SimulatedClock(0);
    const keep = clock.schedule(1_000_000, () => {});
    for (let i = 0; i < 100_000; i++) clock.schedule(1 + (i % 977), () => {}).cancel();
    const batch = Array.from({ length: 100_000 }, (_, i) => clock.schedule(i % 1013, () => {}));
    expect(clock.pending).toBe(100_001);
    for (const t of batch) t.cancel();
    expect(clock.pending).toBe(1);
    expect(clock.nextAt()).toBe(1_000_000);
    keep.cancel();
    expect(clock.pending).toBe(0);
    expect(clock.nextAt()).toBeUndefined();
  });
});

describe('seededRandom', () => {
  it('repeats for the same seed and differs for another', () => {
    expect(seededRandom(7).bytes(16)).toEqual(seededRandom(7).bytes(16));
    expect(seededRandom(7).bytes(16)).not.toEqual(seededRandom(8).bytes(16));
    const r = seededRandom(1);
    for (let i = 0; i < 100; i++) expect(r.intn(10)).toBeLessThan(10);
  });
});

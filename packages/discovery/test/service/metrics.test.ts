import { describe, expect, it } from 'vitest';
import { MetricsCounters } from '../../src/service/metrics.ts';

describe('MetricsCounters', () => {
  it('counts through its methods and hands out snapshots later counting does not change', () => {
    const counters = new MetricsCounters();
    counters.countIn('ping');
    counters.countOut('pong');
    counters.countOut('pong');
    counters.countDropped('expired');
    counters.count('timeouts');
    counters.count('neighborsRejected');
    counters.count('handlerErrors');
    counters.count('pingBacksSkipped');
    const snap = counters.snapshot();
    counters.countIn('ping');
    counters.countDropped('expired');
    expect(snap.packetsIn.ping).toBe(1);
    expect(snap.packetsOut.pong).toBe(2);
    expect(snap.dropped.expired).toBe(1);
    expect(snap.dropped.unbonded).toBe(0);
    expect([
      snap.timeouts,
      snap.neighborsRejected,
      snap.handlerErrors,
      snap.pingBacksSkipped,
    ]).toEqual([1, 1, 1, 1]);
    expect(counters.snapshot().packetsIn.ping).toBe(2);
  });
});

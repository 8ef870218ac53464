import { describe, expect, it } from 'vitest';
import { RttTracker } from '../../src/peer/rtt.ts';

describe('RttTracker', () => {
  it('has no figure before the first Pong', () => {
    const t = new RttTracker();
    expect(t.rtt).toBeUndefined();
    t.pingSent(100);
    expect(t.rtt).toBeUndefined();
  });

  it('takes the first sample as is, then smooths new samples with weight 1/8', () => {
    const t = new RttTracker();
    t.pingSent(1000);
    t.pongReceived(1080);
    expect(t.rtt).toEqual({ lastMs: 80, smoothedMs: 80, samples: 1 });
    t.pingSent(16_000);
    t.pongReceived(16_016);
    expect(t.rtt).toEqual({ lastMs: 16, smoothedMs: 72, samples: 2 });
  });

  it('pairs Pongs with Pings in order and ignores a Pong nobody asked for', () => {
    const t = new RttTracker();
    t.pongReceived(50); // unsolicited
    expect(t.rtt).toBeUndefined();
    t.pingSent(0);
    t.pingSent(15_000);
    t.pongReceived(15_010); // answers the first Ping
    expect(t.rtt?.lastMs).toBe(15_010);
    t.pongReceived(15_020); // answers the second
    expect(t.rtt?.lastMs).toBe(20);
    t.pongReceived(15_030); // nothing outstanding
    expect(t.rtt?.samples).toBe(2);
  });

  it('keeps at most four send times, however many Pings go unanswered', () => {
    const t = new RttTracker();
    for (let i = 0; i < 10; i++) t.pingSent(i * 1000);
    for (let i = 0; i < 10; i++) t.pongReceived(20_000);
    expect(t.rtt?.samples).toBe(4);
    expect(t.rtt?.lastMs).toBe(20_000 - 3000);
  });

  it('never reports a negative round trip when the clock steps back', () => {
    const t = new RttTracker();
    t.pingSent(5000);
    t.pongReceived(4000);
    expect(t.rtt?.lastMs).toBe(0);
  });
});

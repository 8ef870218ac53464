import { SimulatedClock, seededRandom } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { IPTRACK_MIN_STATEMENTS, IPTRACK_WINDOW_MS, IpTracker } from '../src/ip-tracker.ts';

const A = { ip: '203.0.113.7', port: 30303 };
const B = { ip: '198.51.100.9', port: 30303 };

function tracker(clock = new SimulatedClock(1_000_000)) {
  return { clock, t: new IpTracker({ clock }) };
}

describe('IpTracker', () => {
  it('predicts nothing until enough distinct hosts agree', () => {
    const { t } = tracker();
    for (let i = 0; i < IPTRACK_MIN_STATEMENTS - 1; i++) t.addStatement(`10.0.0.${i}`, A);
    expect(t.predictEndpoint()).toBeUndefined();
    t.addStatement('10.0.1.1', A);
    expect(t.predictEndpoint()).toEqual(A);
  });

  it('counts each host once, by its latest statement', () => {
    const { t } = tracker();
    for (let i = 0; i < 50; i++) t.addStatement('10.0.0.1', A);
    expect(t.predictEndpoint()).toBeUndefined();
    for (let i = 0; i < 12; i++) t.addStatement(`10.0.0.${i}`, A);
    for (let i = 0; i < 12; i++) t.addStatement(`10.0.0.${i}`, B);
    expect(t.predictEndpoint()).toEqual(B);
  });

  it('picks the endpoint named by the most hosts', () => {
    const { t } = tracker();
    for (let i = 0; i < 11; i++) t.addStatement(`10.0.0.${i}`, A);
    for (let i = 0; i < 13; i++) t.addStatement(`10.0.1.${i}`, B);
    expect(t.predictEndpoint()).toEqual(B);
  });

  it('forgets statements older than the window', () => {
    const { t, clock } = tracker();
    for (let i = 0; i < 10; i++) t.addStatement(`10.0.0.${i}`, A);
    clock.advance(IPTRACK_WINDOW_MS);
    expect(t.predictEndpoint()).toBeUndefined();
  });

  it('bounds memory under a flood of hosts', () => {
    const clock = new SimulatedClock(0);
    const t = new IpTracker({ clock, maxHosts: 100 });
    for (let i = 0; i < 10_000; i++) t.addStatement(`h${i}`, i < 9_950 ? B : A);
    // Only the newest 100 hosts remain: 50 say B, 50 say A; ties go to the first counted.
    expect(t.predictEndpoint()).toEqual(B);
    for (let i = 0; i < 60; i++) t.addStatement(`x${i}`, A);
    expect(t.predictEndpoint()).toEqual(A);
  });

  it('keeps its counts true through restatements, expiry and eviction', () => {
    const clock = new SimulatedClock(0);
    const maxHosts = 40;
    const t = new IpTracker({ clock, maxHosts, minStatements: 5 });
    const endpoints = [A, B, { ip: '192.0.2.1', port: 30304 }];
    // The statements the tracker should hold, oldest first, kept by brute force.
    const live = new Map<string, { ep: number; at: number }>();
    const random = seededRandom(7);
    for (let step = 0; step < 5_000; step++) {
      clock.advance(random.intn(2_000));
      const host = `h${random.intn(120)}`;
      const ep = random.intn(10) < 6 ? 0 : 1 + random.intn(2);
      t.addStatement(host, endpoints[ep] as typeof A);
      for (const [h, v] of live) if (v.at <= clock.now() - IPTRACK_WINDOW_MS) live.delete(h);
      live.delete(host);
      live.set(host, { ep, at: clock.now() });
      while (live.size > maxHosts) live.delete(live.keys().next().value as string);
      const n = [0, 0, 0];
      for (const v of live.values()) n[v.ep] = (n[v.ep] as number) + 1;
      const most = Math.max(...n);
      const predicted = t.predictEndpoint();
      if (most < 5) expect(predicted).toBeUndefined();
      else expect(n[endpoints.indexOf(predicted as typeof A)]).toBe(most);
    }
  });

  it('predicts full-cone NAT only from uncontacted hosts', () => {
    const { t, clock } = tracker();
    t.addContact('10.0.0.1');
    t.addStatement('10.0.0.1', A);
    expect(t.predictFullConeNat()).toBe(false);
    t.addStatement('10.0.0.2', A);
    expect(t.predictFullConeNat()).toBe(true);
    clock.advance(IPTRACK_WINDOW_MS + 1);
    expect(t.predictFullConeNat()).toBe(false);
  });
});

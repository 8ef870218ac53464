import { SimulatedClock } from '@ethp2p/base';
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

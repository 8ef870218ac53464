import { SimulatedClock } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { InboundThrottle, isLanIp } from '../../src/server/inbound-throttle.ts';

describe('InboundThrottle', () => {
  const make = (maxEntries?: number) => {
    const clock = new SimulatedClock(1_000);
    const throttle = new InboundThrottle({
      clock,
      windowMs: 30_000,
      ...(maxEntries === undefined ? {} : { maxEntries }),
    });
    return { clock, throttle };
  };

  it('refuses a second attempt from the same public IP within 30 s', () => {
    const { clock, throttle } = make();
    expect(throttle.allow('8.8.8.8')).toBe(true);
    clock.advance(29_999);
    expect(throttle.allow('8.8.8.8')).toBe(false);
    // A refused attempt does not extend the window.
    clock.advance(1);
    expect(throttle.allow('8.8.8.8')).toBe(true);
  });

  it('tracks IPs independently', () => {
    const { throttle } = make();
    expect(throttle.allow('8.8.8.8')).toBe(true);
    expect(throttle.allow('8.8.4.4')).toBe(true);
    expect(throttle.allow('2001:db8::1')).toBe(true);
    expect(throttle.allow('8.8.8.8')).toBe(false);
    expect(throttle.allow('2001:db8:0::1')).toBe(false);
    expect(throttle.allow('::ffff:8.8.4.4')).toBe(false);
  });

  it('exempts LAN addresses', () => {
    const { throttle } = make();
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.1.1', '172.16.5.5', '::1', 'fd00::1']) {
      expect(throttle.allow(ip)).toBe(true);
      expect(throttle.allow(ip)).toBe(true);
    }
    expect(throttle.size).toBe(0);
  });

  it('forgets expired entries and stays bounded', () => {
    const { clock, throttle } = make(3);
    for (const ip of ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'])
      expect(throttle.allow(ip)).toBe(true);
    expect(throttle.size).toBe(3);
    // The oldest was evicted early, so it may try again.
    expect(throttle.allow('1.1.1.1')).toBe(true);
    clock.advance(30_000);
    expect(throttle.size).toBe(0);
  });

  it('rejects bad options', () => {
    const clock = new SimulatedClock();
    expect(() => new InboundThrottle({ clock, windowMs: -1 })).toThrow(RangeError);
    expect(() => new InboundThrottle({ clock, windowMs: 1, maxEntries: 0 })).toThrow(RangeError);
  });
});

describe('isLanIp', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.0.1', true],
    ['169.254.1.1', true],
    ['8.8.8.8', false],
    ['::1', true],
    ['fe80::1', true],
    ['fc00::1', true],
    ['2001:db8::1', false],
    ['not an ip', false],
  ])('%s → %s', (ip, lan) => {
    expect(isLanIp(ip)).toBe(lan);
  });
});

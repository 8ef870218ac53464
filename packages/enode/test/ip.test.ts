import { describe, expect, it } from 'vitest';
import { checkPort } from '../src/ip.ts';

describe('checkPort', () => {
  it.each([0, 1, 30303, 65535])('accepts %s', (port) => {
    expect(checkPort('tcp', port)).toBe(port);
  });

  it.each([-1, 65536, 1.5, Number.NaN, '30303', 30303n, undefined, null])('rejects %s', (port) => {
    const message = `entries.udp: expected a port number in 0-65535, got ${String(port)}`;
    expect(() => checkPort('entries.udp', port)).toThrow(RangeError);
    expect(() => checkPort('entries.udp', port)).toThrow(message);
  });
});

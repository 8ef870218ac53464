import { describe, expect, it } from 'vitest';
import { checkPort, checkPositiveInt, checkPositiveMs } from '../src/index.ts';

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

describe('checkPositiveMs', () => {
  it.each([1, 0.5, 5000, 2 ** 40])('accepts %s', (ms) => {
    expect(checkPositiveMs('timeoutMs', ms)).toBe(ms);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s', (ms) => {
    expect(() => checkPositiveMs('timeoutMs', ms)).toThrow(
      `timeoutMs: expected a positive number of milliseconds, got ${ms}`,
    );
  });
});

describe('checkPositiveInt', () => {
  it.each([1, 16, Number.MAX_SAFE_INTEGER])('accepts %s', (n) => {
    expect(checkPositiveInt('capacity', n)).toBe(n);
  });

  it.each([0, -3, 1.5, Number.NaN, 2 ** 53])('rejects %s', (n) => {
    expect(() => checkPositiveInt('capacity', n)).toThrow(RangeError);
    expect(() => checkPositiveInt('capacity', n)).toThrow(
      `capacity: expected a positive integer, got ${n}`,
    );
  });
});

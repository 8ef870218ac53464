import { thrownError } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey, hexToBytes, publicKey } from '@ethp2p/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEnodeUrl, parseEnodeUrl } from '../src/enode-url.ts';
import { EnodeUrlError } from '../src/errors.ts';
import { Node } from '../src/node.ts';
import { INVALID_URLS, URL_ID, VALID_URLS } from './vectors/enode-url-vectors.ts';

function expectUrlError(fn: () => unknown, code: string, message?: string): void {
  const err = thrownError(fn, EnodeUrlError, code);
  if (message !== undefined) expect(err.message).toBe(message);
}

describe('enode URL vectors (spec-vectors §8)', () => {
  it.each(VALID_URLS)('parses $input', ({ input, ...want }) => {
    const url = parseEnodeUrl(input);
    expect(bytesToHex(url.publicKey)).toBe(URL_ID);
    expect({ ip: url.ip, hostname: url.hostname, tcp: url.tcp, udp: url.udp }).toEqual({
      ip: want.ip,
      hostname: want.hostname,
      tcp: want.tcp,
      udp: want.udp,
    });
    expect(formatEnodeUrl(url)).toBe(input);
    const node = Node.fromEnodeUrl(input);
    expect(node.toString()).toBe(input);
    expect(node.hostname).toBe(want.hostname);
  });

  it.each(INVALID_URLS)('rejects "$input" ($code)', ({ input, code, message }) => {
    expectUrlError(() => Node.parse(input), code, message);
    expectUrlError(() => parseEnodeUrl(input), code, message);
  });

  it("says missing 'enr:' prefix from Node.parse, like geth", () => {
    expectUrlError(
      () => Node.parse(''),
      'MISSING_PREFIX',
      "missing 'enr:' prefix for base64-encoded record",
    );
  });
});

describe('enode URL parsing', () => {
  const key = `enode://${URL_ID}`;

  it.each([
    [`${key}@1.2.3.4:65536`, 'INVALID_PORT', 'invalid port'],
    [`${key}@1.2.3.4`, 'INVALID_PORT', 'invalid port'],
    [`${key}@1.2.3.4:`, 'INVALID_PORT', 'invalid port'],
    [`${key}@1.2.3.4:-1`, 'INVALID_PORT', 'invalid port'],
    [`${key}@1.2.3.4:3?discport=70000`, 'INVALID_DISCPORT', 'invalid discport in query'],
    [`${key}@::1:3`, 'INVALID_HOST', undefined],
    [`${key}@[1.2.3.4]:3`, 'INVALID_HOST', undefined],
    [`${key}@bad host:3`, 'INVALID_HOST', undefined],
    [`${key}@:3`, 'INVALID_HOST', undefined],
    [
      `enode://${'zz'.repeat(64)}@1.2.3.4:3`,
      'INVALID_PUBLIC_KEY',
      'invalid public key (invalid hex)',
    ],
    [
      `enode://${'00'.repeat(64)}`,
      'INVALID_PUBLIC_KEY',
      'invalid public key (invalid secp256k1 public key)',
    ],
  ])('rejects %s', (input, code, message) => {
    expectUrlError(() => parseEnodeUrl(input), code, message);
  });

  it('accepts upper-case hex and normalizes addresses', () => {
    const url = parseEnodeUrl(`enode://${URL_ID.toUpperCase()}@[::ffff:1.2.3.4]:3?discport=3`);
    expect(bytesToHex(url.publicKey)).toBe(URL_ID);
    expect(url.ip).toBe('1.2.3.4');
    expect(formatEnodeUrl(url)).toBe(`${key}@1.2.3.4:3`);
    expect(parseEnodeUrl(`${key}@[2001:DB8:0:0:0:0:0:1]:3`).ip).toBe('2001:db8::1');
    expect(parseEnodeUrl(`${key}@127.0.0.1:3?foo=bar`).udp).toBe(3);
  });

  it('rejects misuse when formatting', () => {
    const publicKey = hexToBytes(URL_ID);
    expect(() => formatEnodeUrl({ publicKey: new Uint8Array(63) })).toThrow(RangeError);
    expect(() => formatEnodeUrl({ publicKey, ip: 'nope' })).toThrow(TypeError);
    expect(() => formatEnodeUrl({ publicKey, hostname: 'a b', tcp: 1 })).toThrow(TypeError);
    expect(() => formatEnodeUrl({ publicKey, ip: '1.2.3.4', tcp: 65536 })).toThrow(RangeError);
    expect(parseEnodeUrl(formatEnodeUrl({ publicKey, ip: '1.2.3.4' })).tcp).toBe(0);
  });

  it('round-trips random URLs (property)', () => {
    const keys = Array.from({ length: 4 }, () => publicKey(generatePrivateKey()));
    const host = fc.oneof(
      fc.ipV4().map((ip) => ({ ip })),
      fc.ipV6().map((ip) => ({ ip })),
      fc.domain().map((hostname) => ({ hostname })),
    );
    const port = fc.integer({ min: 0, max: 65535 });
    fc.assert(
      fc.property(fc.constantFrom(...keys), host, port, port, (pub, h, tcp, udp) => {
        const text = formatEnodeUrl({ publicKey: pub, ...h, tcp, udp });
        const parsed = parseEnodeUrl(text);
        expect(parsed.tcp).toBe(tcp);
        expect(parsed.udp).toBe(udp);
        expect(formatEnodeUrl(parsed)).toBe(text);
      }),
    );
  });

  it('throws only EnodeUrlError on arbitrary input (fuzz)', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string().map((s) => `enode://${s}`),
      fc.string().map((s) => `enode://${URL_ID}@${s}`),
      fc.string().map((s) => `enode://${URL_ID}@1.2.3.4:${s}`),
    );
    fc.assert(
      fc.property(text, (input) => {
        try {
          parseEnodeUrl(input);
        } catch (err) {
          expect(err).toBeInstanceOf(EnodeUrlError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

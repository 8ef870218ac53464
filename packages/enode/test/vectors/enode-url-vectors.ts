/**
 * enode URL vectors, copied as data from /work/shared/spec-vectors.md §8, which took them from
 * go-ethereum `p2p/enode/urlv4_test.go` `parseNodeTests`.
 */

/** The public key used by every row. */
export const URL_ID =
  '1dd9d65c4552b5eb43d5ad55a2ee3f56c6cbc1c64a5c8d659f51fcd51bace24351232b8d7821617d2b29b54b81cdefb9b3e9c37d7fd5f63270bcc9e1a6f6a439';

/** Inputs that parse, with what they must give. */
export const VALID_URLS: ReadonlyArray<{
  input: string;
  ip?: string;
  hostname?: string;
  tcp?: number;
  udp?: number;
}> = [
  { input: `enode://${URL_ID}@127.0.0.1:52150`, ip: '127.0.0.1', tcp: 52150, udp: 52150 },
  { input: `enode://${URL_ID}@valid.:3`, hostname: 'valid.', tcp: 3, udp: 3 },
  { input: `enode://${URL_ID}@[::]:52150`, ip: '::', tcp: 52150, udp: 52150 },
  {
    input: `enode://${URL_ID}@[2001:db8:3c4d:15::abcd:ef12]:52150`,
    ip: '2001:db8:3c4d:15::abcd:ef12',
    tcp: 52150,
    udp: 52150,
  },
  {
    input: `enode://${URL_ID}@127.0.0.1:52150?discport=22334`,
    ip: '127.0.0.1',
    tcp: 52150,
    udp: 22334,
  },
  { input: `enode://${URL_ID}` },
];

/** Inputs that must be rejected, with geth's message (or our code where geth's is generic). */
export const INVALID_URLS: ReadonlyArray<{ input: string; code: string; message?: string }> = [
  { input: `enode://${URL_ID}@127.0.0.1:foo`, code: 'INVALID_PORT', message: 'invalid port' },
  {
    input: `enode://${URL_ID}@127.0.0.1:3?discport=foo`,
    code: 'INVALID_DISCPORT',
    message: 'invalid discport in query',
  },
  { input: '', code: 'MISSING_PREFIX' },
  { input: URL_ID, code: 'MISSING_PREFIX' },
  { input: '01010101', code: 'MISSING_PREFIX' },
  {
    input: 'enode://01010101@123.124.125.126:3',
    code: 'INVALID_PUBLIC_KEY',
    message: 'invalid public key (wrong length, want 128 hex chars)',
  },
  {
    input: 'enode://01010101',
    code: 'INVALID_PUBLIC_KEY',
    message: 'invalid public key (wrong length, want 128 hex chars)',
  },
  { input: 'http://foobar', code: 'MISSING_PREFIX' },
  { input: '://foo', code: 'MISSING_PREFIX' },
];

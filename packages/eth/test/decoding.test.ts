import { RlpError } from '@ethp2p/base/rlp';
import { hexToBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { EthError } from '../src/errors.ts';
import { decodeEthEnrEntry, decodeForkId } from '../src/forkid/codec.ts';
import { decodeMessage, ETH69 } from '../src/messages/versions.ts';

/** The error `fn` throws. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return expect.unreachable('expected a throw');
}

/** Asserts an EthError MALFORMED that wraps the reader's RlpError `code`, keeping its message. */
function expectWrapped(err: unknown, code: RlpError['code']): void {
  expect(err).toBeInstanceOf(EthError);
  expect((err as EthError).code).toBe('MALFORMED');
  const cause = (err as EthError).cause;
  expect(cause).toBeInstanceOf(RlpError);
  expect((cause as RlpError).code).toBe(code);
  expect((err as EthError).message).toBe((cause as RlpError).message);
}

describe('the decoding boundary', () => {
  it.each([
    [
      'decodeMessage',
      () => decodeMessage(ETH69, { code: 0x03, data: Uint8Array.of(0x83), size: 1 }),
    ],
    ['decodeForkId', () => decodeForkId(Uint8Array.of(0xb8))],
    ['decodeEthEnrEntry', () => decodeEthEnrEntry(Uint8Array.of())],
  ])('%s wraps a truncated input in EthError MALFORMED', (_, fn) => {
    expectWrapped(thrown(fn), 'TRUNCATED');
  });

  it('wraps a non-canonical integer with the field it was read for', () => {
    const data = hexToBytes('c7820001c3010180');
    const err = thrown(() => decodeMessage(ETH69, { code: 0x03, data, size: data.length }));
    expectWrapped(err, 'NON_CANONICAL');
    expect((err as EthError).message).toMatch(/GetBlockHeaders request-id/);
    expectWrapped(
      thrown(() => decodeForkId(hexToBytes('c884deadbeef820001'))),
      'NON_CANONICAL',
    );
  });
});

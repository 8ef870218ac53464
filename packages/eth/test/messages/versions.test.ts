import { RLP } from '@ethereumjs/rlp';
import { describe, expect, it } from 'vitest';
import { EthError } from '../../src/errors.ts';
import { blockRangeUpdate, newBlockHashes } from '../../src/messages/blocks.ts';
// The public `@ethp2p/eth/messages` entry: a new version is built from it alone.
import {
  decodeMessage,
  defineCodec,
  defineVersion,
  ETH_VERSIONS,
  ETH68,
  ETH69,
  encodeMessage,
  MAX_MESSAGE_SIZE,
} from '../../src/messages/index.ts';
import { receipts68, receipts69 } from '../../src/messages/receipts.ts';
import { status68, status69 } from '../../src/messages/status.ts';
import { expectEthError } from './helpers.ts';

const codes = (v: { messages: Readonly<Record<number, unknown>> }): number[] =>
  Object.keys(v.messages)
    .map(Number)
    .sort((a, b) => a - b);

describe('version tables', () => {
  it('eth/68 has 17 codes and the messages of EIP-5793', () => {
    expect(ETH68.version).toBe(68);
    expect(ETH68.length).toBe(17);
    expect(codes(ETH68)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16]);
    expect(ETH68.messages[0x01]?.name).toBe('NewBlockHashes');
    expect(ETH68.messages[0x07]?.name).toBe('NewBlock');
  });

  it('eth/69 has 18 codes: no block announcements, and BlockRangeUpdate', () => {
    expect(ETH69.version).toBe(69);
    expect(ETH69.length).toBe(18);
    expect(codes(ETH69)).toEqual([0, 2, 3, 4, 5, 6, 8, 9, 10, 15, 16, 17]);
    expect(ETH69.messages[0x11]).toBe(blockRangeUpdate);
    expect(ETH68.messages[0x11]).toBeUndefined();
  });

  it('neither has GetNodeData / NodeData (0x0d, 0x0e, removed in eth/67)', () => {
    for (const v of ETH_VERSIONS) {
      expect(v.messages[0x0d]).toBeUndefined();
      expect(v.messages[0x0e]).toBeUndefined();
    }
  });

  it('Status and Receipts differ between versions; the rest is shared', () => {
    expect(ETH68.codecs.Status).toBe(status68);
    expect(ETH69.codecs.Status).toBe(status69);
    expect(ETH68.codecs.Receipts).toBe(receipts68);
    expect(ETH69.codecs.Receipts).toBe(receipts69);
    for (const name of Object.keys(ETH69.codecs) as (keyof typeof ETH69.codecs)[]) {
      if (name === 'Status' || name === 'Receipts' || name === 'BlockRangeUpdate') continue;
      expect(ETH68.codecs[name as keyof typeof ETH68.codecs]).toBe(ETH69.codecs[name]);
    }
  });

  it('every codec sits under its own name and code', () => {
    for (const v of ETH_VERSIONS) {
      for (const [code, codec] of Object.entries(v.messages)) {
        expect(codec?.code).toBe(Number(code));
        expect((v.codecs as Record<string, unknown>)[codec?.name as string]).toBe(codec);
      }
    }
  });

  it('lists the versions highest first', () => {
    expect(ETH_VERSIONS.map((v) => v.version)).toEqual([72, 71, 70, 69, 68]);
  });

  it('defineVersion rejects codes outside the code space, clashes and misfiled codecs', () => {
    const a = defineCodec(
      'A',
      3,
      () => new Uint8Array(),
      () => 0,
    );
    const b = defineCodec(
      'B',
      3,
      () => new Uint8Array(),
      () => 0,
    );
    expect(() => defineVersion(70, 3, { A: a })).toThrow(RangeError);
    expect(() => defineVersion(70, 4, { A: a, B: b })).toThrow(RangeError);
    expect(() => defineVersion(70, 4, { B: a } as never)).toThrow(RangeError);
    expect(defineVersion(70, 4, { A: a }).messages[3]).toBe(a);
  });

  it('a new version is one new table over the previous codecs', () => {
    const receipts70 = defineCodec(
      'Receipts',
      0x10,
      (v: { requestId: bigint }) => RLP.encode([v.requestId, 0n, []]),
      () => ({ requestId: 0n }),
    );
    const eth70 = defineVersion(70, 18, { ...ETH69.codecs, Receipts: receipts70 });
    expect(codes(eth70)).toEqual(codes(ETH69));
    expect(eth70.messages[0x10]).toBe(receipts70);
    expect(eth70.messages[0x03]).toBe(ETH69.messages[0x03]);
  });
});

describe('decodeMessage', () => {
  const range = { earliest: 1n, latest: 2n, latestHash: new Uint8Array(32).fill(7) };
  const data = blockRangeUpdate.encode(range);

  it('decodes by the negotiated version and narrows by name', () => {
    const m = decodeMessage(ETH69, { code: 0x11, data, size: data.length });
    expect(m.name).toBe('BlockRangeUpdate');
    if (m.name !== 'BlockRangeUpdate') throw new Error('unreachable');
    expect(m.value).toEqual(range);
    expect(m.code).toBe(0x11);
  });

  it('rejects a code the version does not define with UNKNOWN_CODE', () => {
    expectEthError(
      () => decodeMessage(ETH68, { code: 0x11, data, size: data.length }),
      'UNKNOWN_CODE',
    );
    const hashes = newBlockHashes.encode([]);
    expectEthError(
      () => decodeMessage(ETH69, { code: 0x01, data: hashes, size: 1 }),
      'UNKNOWN_CODE',
    );
    expectEthError(
      () => decodeMessage(ETH69, { code: 0x07, data: hashes, size: 1 }),
      'UNKNOWN_CODE',
    );
    for (const code of [0x0d, 0x0e, 0x12, 0x40, -1, 1.5]) {
      expectEthError(() => decodeMessage(ETH69, { code, data, size: data.length }), 'UNKNOWN_CODE');
    }
  });

  it('rejects a message above 10 MiB with TOO_LARGE before looking at it', () => {
    expect(MAX_MESSAGE_SIZE).toBe(10 * 1024 * 1024);
    const msg = { code: 0x42, data: new Uint8Array(0), size: MAX_MESSAGE_SIZE + 1 };
    expectEthError(() => decodeMessage(ETH69, msg), 'TOO_LARGE');
    const big = RLP.encode([new Uint8Array(MAX_MESSAGE_SIZE + 1)]);
    expectEthError(() => decodeMessage(ETH69, { code: 2, data: big, size: 1 }), 'TOO_LARGE');
  });

  it('accepts a message of exactly 10 MiB', () => {
    // One typed transaction (type 2) whose message is exactly MAX_MESSAGE_SIZE bytes.
    const payload = RLP.encode([new Uint8Array(MAX_MESSAGE_SIZE - 8).fill(2)]);
    expect(payload.length).toBe(MAX_MESSAGE_SIZE);
    const m = decodeMessage(ETH69, { code: 2, data: payload, size: payload.length });
    expect(m.name).toBe('Transactions');
  });

  it('rejects a malformed payload with MALFORMED', () => {
    const bad = Uint8Array.of(0xc1);
    expectEthError(() => decodeMessage(ETH69, { code: 0x11, data: bad, size: 1 }), 'MALFORMED');
  });

  it('throws EthError, which names itself', () => {
    try {
      decodeMessage(ETH68, { code: 0x11, data, size: data.length });
    } catch (err) {
      expect(err).toBeInstanceOf(EthError);
      expect((err as EthError).name).toBe('EthError');
    }
  });
});

describe('encodeMessage', () => {
  it('returns the code and payload of a message of the version', () => {
    const range = { earliest: 1n, latest: 2n, latestHash: new Uint8Array(32) };
    const out = encodeMessage(ETH69, 'BlockRangeUpdate', range);
    expect(out.code).toBe(0x11);
    expect(decodeMessage(ETH69, { ...out, size: out.data.length }).value).toEqual(range);
  });

  it('refuses a message the version does not have', () => {
    expect(() => encodeMessage(ETH69, 'NewBlockHashes' as never, [] as never)).toThrow(RangeError);
  });
});

import { ETH } from '@ethereumjs/devp2p';
import { RLP } from '@ethereumjs/rlp';
import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Status68, type Status69, status68, status69 } from '../../src/messages/status.ts';
import { expectEthError } from './helpers.ts';

/** Mainnet genesis hash and its Frontier fork ID (EIP-2124: fc64ec04, next 1150000). */
const GENESIS = 'd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3';
const FORK_HASH = 'fc64ec04';
/** Mainnet block 1, as the head. */
const HEAD = '88e96d4537bea4d9c05d12549907b32561d3bf31f45aae734cdc119f13406cb6';

const STATUS_68: Status68 = {
  version: 68,
  networkId: 1n,
  td: 0x400000000n,
  head: hexToBytes(HEAD),
  genesis: hexToBytes(GENESIS),
  forkId: { hash: hexToBytes(FORK_HASH), next: 1_150_000n },
};

/**
 * `[version, networkid, td, blockhash, genesis, forkid]` written out by hand from caps/eth.md:
 * a 0x54-byte list of 0x44, 0x01, the 5-byte td, two 32-byte hashes and the fork ID list.
 */
const STATUS_68_HEX = `f8544401850400000000a0${HEAD}a0${GENESIS}c984${FORK_HASH}83118c30`;

const STATUS_69: Status69 = {
  version: 69,
  networkId: 1n,
  genesis: hexToBytes(GENESIS),
  forkId: { hash: hexToBytes(FORK_HASH), next: 1_150_000n },
  earliest: 0n,
  latest: 0x1234n,
  latestHash: hexToBytes('ab'.repeat(32)),
};

/** `[version, networkid, genesis, forkid, earliest, latest, latestHash]` (EIP-7642). */
const STATUS_69_HEX = `f8524501a0${GENESIS}c984${FORK_HASH}83118c3080821234a0${'ab'.repeat(32)}`;

describe('Status', () => {
  it('encodes eth/68 Status as caps/eth.md lays it out', () => {
    expect(bytesToHex(status68.encode(STATUS_68))).toBe(STATUS_68_HEX);
    expect(status68.decode(hexToBytes(STATUS_68_HEX))).toEqual(STATUS_68);
  });

  it('encodes eth/69 Status as EIP-7642 lays it out', () => {
    expect(bytesToHex(status69.encode(STATUS_69))).toBe(STATUS_69_HEX);
    expect(status69.decode(hexToBytes(STATUS_69_HEX))).toEqual(STATUS_69);
  });

  it.each([
    // EIP-2124 TestEncoding (spec-vectors §9): the fork ID element of Status.
    ['c6840000000080', { hash: hexToBytes('00000000'), next: 0n }],
    ['ca84deadbeef84baddcafe', { hash: hexToBytes('deadbeef'), next: 0xbaddcafen }],
    ['ce84ffffffff88ffffffffffffffff', { hash: hexToBytes('ffffffff'), next: 2n ** 64n - 1n }],
  ])('carries the EIP-2124 fork ID vector %s', (hex, forkId) => {
    const enc = status69.encode({ ...STATUS_69, forkId });
    expect(bytesToHex(enc)).toContain(hex);
    expect(status69.decode(enc).forkId).toEqual(forkId);
  });

  it('keeps a total difficulty up to 256 bits and rejects more', () => {
    const td = 2n ** 256n - 1n;
    expect(status68.decode(status68.encode({ ...STATUS_68, td })).td).toBe(td);
    expect(() => status68.encode({ ...STATUS_68, td: td + 1n })).toThrow(RangeError);
    const list = RLP.decode(hexToBytes(STATUS_68_HEX)) as Uint8Array[];
    list[2] = new Uint8Array(33).fill(1);
    expectEthError(() => status68.decode(RLP.encode(list)), 'MALFORMED');
  });

  const s68 = (): unknown[] => RLP.decode(hexToBytes(STATUS_68_HEX)) as unknown[];
  const s69 = (): unknown[] => RLP.decode(hexToBytes(STATUS_69_HEX)) as unknown[];
  const mutate = (list: unknown[], i: number, v: unknown): unknown[] => {
    list[i] = v;
    return list;
  };
  it.each([
    ['eth/68 with a missing field', status68, s68().slice(0, 5)],
    ['eth/68 with an extra field', status68, [...s68(), new Uint8Array(0)]],
    ['eth/68 read as eth/69', status69, s68()],
    ['eth/69 read as eth/68', status68, s69()],
    ['a version above u32', status68, mutate(s68(), 0, hexToBytes('0100000000'))],
    ['a network id with a leading zero', status68, mutate(s68(), 1, hexToBytes('0001'))],
    ['a 31-byte head hash', status68, mutate(s68(), 3, new Uint8Array(31))],
    ['a genesis hash given as a list', status68, mutate(s68(), 4, [])],
    ['a 3-byte fork hash', status68, mutate(s68(), 5, [hexToBytes('fc64ec'), 0n])],
    ['a fork next of 9 bytes', status69, mutate(s69(), 3, [hexToBytes('fc64ec04'), 2n ** 64n])],
    ['a fork id with 3 elements', status69, mutate(s69(), 3, [hexToBytes('fc64ec04'), 0n, 0n])],
    ['an earliest block above u64', status69, mutate(s69(), 4, 2n ** 64n)],
    ['a 33-byte latest hash', status69, mutate(s69(), 6, new Uint8Array(33))],
  ])('rejects %s as MALFORMED', (_, codec, list) => {
    expectEthError(() => codec.decode(RLP.encode(list as never)), 'MALFORMED');
  });

  it('rejects bad arguments with TypeError or RangeError', () => {
    expect(() => status68.encode({ ...STATUS_68, head: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => status68.encode({ ...STATUS_68, networkId: 1 as never })).toThrow(TypeError);
    expect(() => status68.encode({ ...STATUS_68, version: -1 })).toThrow(RangeError);
    expect(() => status69.encode({ ...STATUS_69, latest: 2n ** 64n })).toThrow(RangeError);
    expect(() =>
      status69.encode({ ...STATUS_69, forkId: { hash: new Uint8Array(5), next: 0n } }),
    ).toThrow(RangeError);
  });
});

/**
 * The eth/68 Status of @ethereumjs/devp2p's ETH protocol, driven without a socket: a stand-in
 * Peer gives it a Common-like object for mainnet at Frontier and records what it sends.
 */
describe('Status interop with @ethereumjs/devp2p eth/68', () => {
  const fakeCommon = {
    hardfork: () => 'chainstart',
    hardforkBlock: () => 0n,
    forkHash: () => `0x${FORK_HASH}`,
    nextHardforkBlockOrTimestamp: () => 1_150_000n,
    chainId: () => 1n,
    hardforkForForkHash: () => ({ name: 'chainstart' }),
    hardforkGteHardfork: () => true,
  };
  const fakePeer = {
    common: fakeCommon,
    _socket: {},
    _hello: null,
    disconnect: () => {},
    _addFirstPeerDebugger: () => {},
  };

  // ETH arms a 5 s status timer on construction; fake timers keep it from outliving the test.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function ethereumjsEth(): { eth: ETH; sent: { code: number; data: Uint8Array }[] } {
    const sent: { code: number; data: Uint8Array }[] = [];
    const eth = new ETH(68, fakePeer as never, (code: number, data: Uint8Array) => {
      sent.push({ code, data });
    });
    return { eth, sent };
  }

  it('decodes the Status that @ethereumjs/devp2p sends, byte for byte as we encode it', () => {
    const { eth, sent } = ethereumjsEth();
    eth.sendStatus({
      td: hexToBytes('0400000000'),
      bestHash: hexToBytes(HEAD),
      genesisHash: hexToBytes(GENESIS),
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.code).toBe(0x00);
    const data = sent[0]?.data as Uint8Array;
    expect(status68.decode(data)).toEqual(STATUS_68);
    expect(bytesToHex(data)).toBe(bytesToHex(status68.encode(STATUS_68)));
  });

  it('is accepted by @ethereumjs/devp2p when we send it', () => {
    const { eth } = ethereumjsEth();
    const seen: unknown[] = [];
    eth.events.on('status', (s: unknown) => seen.push(s));
    eth.sendStatus({
      td: hexToBytes('01'),
      bestHash: hexToBytes(GENESIS),
      genesisHash: hexToBytes(GENESIS),
    });
    const ours = status68.encode({ ...STATUS_68, td: 12345n, head: hexToBytes('cd'.repeat(32)) });
    eth._handleMessage(0x00, ours);
    expect(seen).toHaveLength(1);
    const s = seen[0] as {
      chainId: Uint8Array;
      td: Uint8Array;
      bestHash: Uint8Array;
      genesisHash: Uint8Array;
      forkId: Uint8Array[];
    };
    expect(bytesToHex(s.chainId)).toBe('01');
    expect(bytesToHex(s.td)).toBe('3039');
    expect(bytesToHex(s.bestHash)).toBe('cd'.repeat(32));
    expect(bytesToHex(s.genesisHash)).toBe(GENESIS);
    expect(s.forkId.map(bytesToHex)).toEqual([FORK_HASH, '118c30']);
  });
});

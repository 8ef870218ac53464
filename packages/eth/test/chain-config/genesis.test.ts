import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import {
  chainConfigFromGenesis,
  parseGenesisJson,
  readGenesis,
} from '../../src/chain-config/genesis.ts';
import { EthError } from '../../src/errors.ts';
import { forkId } from '../../src/forkid/fork-id.ts';

/** A small geth-style genesis.json mixing the number forms geth accepts. */
const GENESIS_TEXT = `{
  "config": {
    "chainId": 1337,
    "homesteadBlock": 0,
    "eip150Block": 0,
    "eip155Block": 0,
    "eip158Block": 0,
    "byzantiumBlock": 0,
    "constantinopleBlock": 0,
    "petersburgBlock": 0,
    "istanbulBlock": 0,
    "berlinBlock": 0,
    "londonBlock": 0,
    "mergeNetsplitBlock": 0,
    "shanghaiTime": 0,
    "cancunTime": 60,
    "pragueTime": 120,
    "terminalTotalDifficulty": 58750000000000000000000,
    "daoForkSupport": true,
    "depositContractAddress": "0x00000000219ab540356cBB839Cbe05303d7705Fa",
    "ethash": {},
    "blobSchedule": {
      "cancun": { "target": 3, "max": 6, "baseFeeUpdateFraction": 3338477 },
      "prague": { "target": 6, "max": 9, "baseFeeUpdateFraction": 5007716 }
    }
  },
  "nonce": "0x42",
  "timestamp": "1700000000",
  "extraData": "0x68697665",
  "gasLimit": "0x11e1a300",
  "difficulty": 131072,
  "mixhash": "0x0000000000000000000000000000000000000000000000000000000000000001",
  "coinbase": "0x000000000000000000000000000000000000c0de",
  "alloc": {
    "0x00000000000000000000000000000000000000aa": { "balance": "0xde0b6b3a7640000" },
    "00000000000000000000000000000000000000BB": {
      "balance": "1000000000000000000000000000",
      "nonce": "0x1",
      "code": "0x6000",
      "storage": {
        "0x01": "0x02",
        "0000000000000000000000000000000000000000000000000000000000000003": "04"
      }
    }
  },
  "number": "0x0",
  "gasUsed": "0",
  "parentHash": "0x0000000000000000000000000000000000000000000000000000000000000000",
  "baseFeePerGas": "0x3b9aca00",
  "excessBlobGas": null
}`;

function expectInvalid(fn: () => unknown, path: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EthError);
    expect((err as EthError).code).toBe('INVALID_GENESIS');
    expect((err as EthError).message).toContain(path);
    return;
  }
  expect.unreachable(`expected EthError INVALID_GENESIS about ${path}`);
}

/** A minimal valid genesis object with `patch` applied (undefined deletes a key). */
function genesisWith(patch: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = {
    config: { chainId: 5 },
    gasLimit: '0x1000',
    difficulty: '0x1',
    alloc: {},
  };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

describe('parseGenesisJson', () => {
  const g = parseGenesisJson(GENESIS_TEXT);

  it('reads the config object', () => {
    expect(g.config.chainId).toBe(1337n);
    expect(g.config.homesteadBlock).toBe(0n);
    expect(g.config.cancunTime).toBe(60n);
    expect(g.config.pragueTime).toBe(120n);
    expect(g.config.osakaTime).toBeUndefined();
    expect(g.config.daoForkBlock).toBeUndefined();
    expect(g.config.daoForkSupport).toBe(true);
    expect(g.config.terminalTotalDifficulty).toBe(58_750_000_000_000_000_000_000n);
    expect(bytesToHex(g.config.depositContractAddress as Uint8Array)).toBe(
      '00000000219ab540356cbb839cbe05303d7705fa',
    );
    expect(g.config.blobSchedule?.prague).toEqual({
      target: 6,
      max: 9,
      baseFeeUpdateFraction: 5007716n,
    });
  });

  it('reads the header fields in hex and decimal forms', () => {
    expect(g.nonce).toBe(0x42n);
    expect(g.timestamp).toBe(1_700_000_000n);
    expect(bytesToHex(g.extraData)).toBe('68697665');
    expect(g.gasLimit).toBe(0x11e1a300n);
    expect(g.difficulty).toBe(131072n);
    expect(g.mixHash[31]).toBe(1); // "mixhash": keys match regardless of case, as in Go
    expect(bytesToHex(g.coinbase)).toBe('000000000000000000000000000000000000c0de');
    expect(g.number).toBe(0n);
    expect(g.gasUsed).toBe(0n);
    expect(g.parentHash).toEqual(new Uint8Array(32));
    expect(g.baseFeePerGas).toBe(1_000_000_000n);
    expect('excessBlobGas' in g).toBe(false); // null counts as absent
    expect('blobGasUsed' in g).toBe(false);
  });

  it('reads the alloc, with or without 0x and in any case', () => {
    expect([...g.alloc.keys()]).toEqual([
      '0x00000000000000000000000000000000000000aa',
      '0x00000000000000000000000000000000000000bb',
    ]);
    const a = g.alloc.get('0x00000000000000000000000000000000000000aa');
    expect(a?.balance).toBe(10n ** 18n);
    expect(a?.nonce).toBe(0n);
    expect(a?.code).toEqual(new Uint8Array(0));
    expect(a?.storage.size).toBe(0);
    const b = g.alloc.get('0x00000000000000000000000000000000000000bb');
    expect(b?.address).toEqual(hexToBytes('00000000000000000000000000000000000000bb'));
    expect(b?.balance).toBe(10n ** 27n);
    expect(b?.nonce).toBe(1n);
    expect(bytesToHex(b?.code as Uint8Array)).toBe('6000');
    const slot = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
    expect(b?.storage.get(slot(1))).toEqual(hexToBytes(slot(2)));
    expect(b?.storage.get(slot(3))).toEqual(hexToBytes(slot(4)));
  });

  it('gives a chain config whose fork ID follows the file', () => {
    const genesisHash = new Uint8Array(32).fill(7);
    const config = chainConfigFromGenesis(g, genesisHash);
    expect(config.networkId).toBe(1337n);
    expect(config.genesisTime).toBe(1_700_000_000n);
    expect(config.genesisHash).toEqual(genesisHash);
    // Every time fork is at or before the genesis time: the checksum is the genesis hash alone.
    const atGenesis = forkId(config, { number: 0n, time: 1_700_000_000n });
    const plain = forkId(
      { ...config, cancunTime: undefined, pragueTime: undefined },
      {
        number: 0n,
        time: 0n,
      },
    );
    expect(atGenesis).toEqual(plain);
    expect(atGenesis.next).toBe(0n);
    const withNet = chainConfigFromGenesis(g, genesisHash, { networkId: 9n, name: 'dev' });
    expect(withNet.networkId).toBe(9n);
    expect(withNet.name).toBe('dev');
    expect(() => chainConfigFromGenesis(g, new Uint8Array(31))).toThrow(RangeError);
  });

  it('rejects text that is not JSON', () => {
    expectInvalid(() => parseGenesisJson('{"config": '), 'not valid JSON');
    expectInvalid(() => parseGenesisJson(''), 'not valid JSON');
  });

  it('keeps big integers exact, also inside strings and arrays', () => {
    const text = JSON.stringify(genesisWith({})).replace(
      '"alloc":{}',
      '"alloc":{"aa00000000000000000000000000000000000000":{"balance":123456789012345678901234567890}},"x":["9007199254740993 in a string \\" ",-9007199254740993,1e400]',
    );
    const g2 = parseGenesisJson(text);
    expect(g2.alloc.get('0xaa00000000000000000000000000000000000000')?.balance).toBe(
      123456789012345678901234567890n,
    );
  });
});

describe('readGenesis', () => {
  it('fills geth defaults for absent fields', () => {
    const g = readGenesis(genesisWith({}));
    expect(g.config).toEqual({ chainId: 5n });
    expect(g.nonce).toBe(0n);
    expect(g.timestamp).toBe(0n);
    expect(g.extraData).toEqual(new Uint8Array(0));
    expect(g.mixHash).toEqual(new Uint8Array(32));
    expect(g.coinbase).toEqual(new Uint8Array(20));
    expect(g.alloc.size).toBe(0);
    expect(g.baseFeePerGas).toBeUndefined();
  });

  it('accepts the integer forms of geth HexOrDecimal: number, decimal, hex, "" and leading zeros', () => {
    for (const [input, want] of [
      [4096, 4096n],
      ['4096', 4096n],
      ['0x1000', 4096n],
      ['0X1000', 4096n],
      ['0x0001000', 4096n],
      ['004096', 4096n],
      ['', 0n],
      ['0xffffffffffffffff', 2n ** 64n - 1n],
    ] as const) {
      expect(readGenesis(genesisWith({ gasLimit: input })).gasLimit).toBe(want);
    }
  });

  it.each([
    ['not an object', [], 'genesis'],
    ['a missing config', genesisWith({ config: undefined }), 'config'],
    ['a config that is not an object', genesisWith({ config: 'mainnet' }), 'config'],
    ['a missing chainId', genesisWith({ config: { homesteadBlock: 0 } }), 'config.chainId'],
    ['a missing gasLimit', genesisWith({ gasLimit: undefined }), 'gasLimit'],
    ['a missing difficulty', genesisWith({ difficulty: undefined }), 'difficulty'],
    ['a missing alloc', genesisWith({ alloc: undefined }), 'alloc'],
    ['a negative number', genesisWith({ gasLimit: -1 }), 'gasLimit'],
    ['a fraction', genesisWith({ gasLimit: 1.5 }), 'gasLimit'],
    ['an unsafe JSON number', genesisWith({ gasLimit: 2 ** 60 }), 'precision lost'],
    ['a u64 overflow', genesisWith({ nonce: '0x10000000000000000' }), 'nonce'],
    ['a 257-bit difficulty', genesisWith({ difficulty: `0x1${'0'.repeat(64)}` }), 'difficulty'],
    ['bad hex digits', genesisWith({ timestamp: '0xzz' }), 'timestamp'],
    ['a bare 0x', genesisWith({ timestamp: '0x' }), 'timestamp'],
    ['a sign', genesisWith({ timestamp: '+5' }), 'timestamp'],
    ['a boolean number', genesisWith({ timestamp: true }), 'timestamp'],
    ['extraData without 0x', genesisWith({ extraData: '1234' }), 'extraData'],
    ['extraData of odd length', genesisWith({ extraData: '0x123' }), 'extraData'],
    ['a short mixHash', genesisWith({ mixHash: '0x00' }), 'mixHash'],
    ['a coinbase without 0x', genesisWith({ coinbase: '00'.repeat(20) }), 'coinbase'],
    ['a bad fork value', genesisWith({ config: { chainId: 1, cancunTime: 'soon' } }), 'cancunTime'],
    ['a bad daoForkSupport', genesisWith({ config: { chainId: 1, daoForkSupport: 1 } }), 'dao'],
    ['a bad blob config', genesisWith({ config: { chainId: 1, blobSchedule: { x: 3 } } }), 'blob'],
    ['a short alloc address', genesisWith({ alloc: { '0x12': { balance: 1 } } }), 'alloc.0x12'],
    ['an account that is not an object', genesisWith({ alloc: { ['11'.repeat(20)]: 5 } }), 'alloc'],
    ['an account without balance', genesisWith({ alloc: { ['11'.repeat(20)]: {} } }), 'balance'],
    [
      'an address given twice',
      genesisWith({
        alloc: { ['aa'.repeat(20)]: { balance: 1 }, [`0x${'AA'.repeat(20)}`]: { balance: 2 } },
      }),
      'given twice',
    ],
    [
      'a storage value above 32 bytes',
      genesisWith({
        alloc: { ['11'.repeat(20)]: { balance: 1, storage: { '0x01': `0x${'11'.repeat(33)}` } } },
      }),
      'storage',
    ],
    [
      'code without 0x',
      genesisWith({ alloc: { ['11'.repeat(20)]: { balance: 1, code: '6000' } } }),
      'code',
    ],
  ])('rejects %s with EthError INVALID_GENESIS', (_, json, path) => {
    expectInvalid(() => readGenesis(json), path);
  });

  it('never throws anything but EthError on odd JSON values', () => {
    const odd: unknown[] = [null, 0, 'x', [], {}, { config: null }, genesisWith({ alloc: [] })];
    for (const json of odd) expect(() => readGenesis(json)).toThrow(EthError);
  });
});

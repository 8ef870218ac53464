import { RLP } from '@ethereumjs/rlp';
import { bytesToHex, hexToBytes, keccak256 } from '@ethp2p/crypto';
import type { Genesis, GenesisAccount } from '@ethp2p/eth';
import { readGenesis } from '@ethp2p/eth';
import { describe, expect, it } from 'vitest';
import {
  type GeneratedFork,
  generatedGenesisJson,
  independentGenesisHeader,
  independentStateRoot,
} from '../../eth/test/helpers/chain-generator.ts';
import { EMPTY_ROOT_HASH } from '../src/constants.ts';
import { genesisBlock, genesisStateRoot } from '../src/genesis.ts';

function account(address: string, fields: Partial<GenesisAccount> = {}): GenesisAccount {
  return {
    address: hexToBytes(address),
    balance: 0n,
    nonce: 0n,
    code: new Uint8Array(0),
    storage: new Map(),
    ...fields,
  };
}

function word(hex: string): Uint8Array {
  return hexToBytes(hex.replace(/^0x/, '').padStart(64, '0'));
}

function genesisOf(fields: Partial<Genesis>): Genesis {
  return {
    config: { chainId: 1n },
    nonce: 0n,
    timestamp: 0n,
    extraData: new Uint8Array(0),
    gasLimit: 0n,
    difficulty: 0n,
    mixHash: new Uint8Array(32),
    coinbase: new Uint8Array(20),
    alloc: new Map(),
    number: 0n,
    gasUsed: 0n,
    parentHash: new Uint8Array(32),
    ...fields,
  };
}

describe('genesisBlock', () => {
  it('hashes geth’s custom genesis to the hash geth’s tests expect', async () => {
    // go-ethereum core/genesis_test.go testSetupGenesis `customg` / `customghash`: Homestead at
    // block 3 (ethash), one account {1} with balance 1 and storage {1}: {1}; no difficulty and
    // no gas limit given, so geth uses 131072 and 4712388.
    const address = `01${'00'.repeat(19)}`;
    const slot = `01${'00'.repeat(31)}`;
    const genesis = genesisOf({
      config: { chainId: 1n, homesteadBlock: 3n },
      difficulty: 131_072n,
      alloc: new Map([
        [
          `0x${address}`,
          account(address, { balance: 1n, storage: new Map([[`0x${slot}`, hexToBytes(slot)]]) }),
        ],
      ]),
    });
    const block = await genesisBlock(genesis);
    expect(bytesToHex(block.header.hash)).toBe(
      '89c99d90b79719238d2645c7642f2c9295246e80775b38cfd162b696817fbd50',
    );
    expect(block.body).toEqual(RLP.encode([[], []]));
  });

  it.each<GeneratedFork>(['london', 'shanghai', 'cancun', 'prague'])(
    'builds the %s genesis header field by field',
    async (fork) => {
      const genesis = readGenesis(generatedGenesisJson(fork));
      const block = await genesisBlock(genesis);
      const stateRoot = await independentStateRoot(genesis);
      const expected = independentGenesisHeader(genesis, fork, stateRoot);
      expect(bytesToHex(block.header.rlp)).toBe(bytesToHex(expected));
      expect(block.header.hash).toEqual(keccak256(expected));
      expect(block.header.number).toBe(0n);
      expect(block.body).toEqual(RLP.encode(fork === 'london' ? [[], []] : [[], [], []]));
    },
  );

  it('leaves time forks after genesis out and keeps a pre-Cancun excessBlobGas, like geth', async () => {
    const genesis = genesisOf({
      config: { chainId: 1n, londonBlock: 0n, shanghaiTime: 10n, cancunTime: 20n },
      timestamp: 5n,
      gasLimit: 1000n,
      excessBlobGas: 3n,
      baseFeePerGas: 9n,
    });
    const fields = RLP.decode((await genesisBlock(genesis)).header.rlp) as Uint8Array[];
    // base fee 9, then empty withdrawals root and blob gas used, then excess blob gas 3.
    expect(fields).toHaveLength(19);
    expect(fields[15]).toEqual(Uint8Array.of(9));
    expect(fields[16]).toEqual(new Uint8Array(0));
    expect(fields[17]).toEqual(new Uint8Array(0));
    expect(fields[18]).toEqual(Uint8Array.of(3));
  });

  it('has no base fee before London and the default one when London is at 0', async () => {
    const before = RLP.decode(
      (await genesisBlock(genesisOf({ config: { chainId: 1n, londonBlock: 5n } }))).header.rlp,
    ) as Uint8Array[];
    expect(before).toHaveLength(15);
    const london = RLP.decode(
      (await genesisBlock(genesisOf({ config: { chainId: 1n, londonBlock: 0n } }))).header.rlp,
    ) as Uint8Array[];
    expect(london).toHaveLength(16);
    expect(london[15]).toEqual(RLP.encode(1_000_000_000n).subarray(1));
    expect(london[9]).toEqual(RLP.encode(4_712_388n).subarray(1));
  });

  it('adds the Amsterdam fields when Amsterdam is active at genesis', async () => {
    const config = {
      chainId: 1n,
      londonBlock: 0n,
      shanghaiTime: 0n,
      cancunTime: 0n,
      pragueTime: 0n,
      amsterdamTime: 0n,
    };
    const fields = RLP.decode(
      (await genesisBlock(genesisOf({ config, slotNumber: 4n }))).header.rlp,
    ) as Uint8Array[];
    expect(fields).toHaveLength(23);
    expect(fields[21]).toEqual(keccak256(RLP.encode([])));
    expect(fields[22]).toEqual(Uint8Array.of(4));
  });
});

describe('genesisStateRoot', () => {
  it('is the empty trie root for an empty allocation', async () => {
    expect(await genesisStateRoot([])).toEqual(EMPTY_ROOT_HASH);
  });

  it('matches @ethereumjs/mpt for balances, nonces, code and storage', async () => {
    const genesis = readGenesis(generatedGenesisJson('prague'));
    expect(await genesisStateRoot(genesis.alloc.values())).toEqual(
      await independentStateRoot(genesis),
    );
  });

  it('leaves zero storage values out but keeps empty accounts', async () => {
    const a = `aa${'00'.repeat(19)}`;
    const withZero = account(a, {
      balance: 1n,
      storage: new Map([
        [`0x${'00'.repeat(31)}01`, word('0')],
        [`0x${'00'.repeat(31)}02`, word('07')],
      ]),
    });
    const without = account(a, {
      balance: 1n,
      storage: new Map([[`0x${'00'.repeat(31)}02`, word('07')]]),
    });
    expect(await genesisStateRoot([withZero])).toEqual(await genesisStateRoot([without]));
    const empty = account(`bb${'00'.repeat(19)}`);
    expect(await genesisStateRoot([without, empty])).not.toEqual(await genesisStateRoot([without]));
  });
});

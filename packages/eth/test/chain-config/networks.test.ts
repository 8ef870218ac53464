import { bytesToHex } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { V5_BOOTNODES } from '../../src/chain-config/bootnodes.ts';
import { BLOCK_FORKS, TIME_FORKS } from '../../src/chain-config/chain-config.ts';
import { HOLESKY, HOODI, MAINNET, NETWORKS, SEPOLIA } from '../../src/chain-config/networks.ts';

// Facts from go-ethereum params/config.go and core/genesis.go (master, Aug 2026).
const FACTS = [
  [MAINNET, 'mainnet', 1n, 'd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3', 0n],
  [
    SEPOLIA,
    'sepolia',
    11155111n,
    '25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9',
    1633267481n,
  ],
  [
    HOLESKY,
    'holesky',
    17000n,
    'b5f7f912443c940f21fd611f12828d75b534364ed9e95ca4e307729a4661bde4',
    1695902100n,
  ],
  [
    HOODI,
    'hoodi',
    560048n,
    'bbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b',
    1742212800n,
  ],
] as const;

describe('built-in networks', () => {
  it.each(FACTS)(
    '%#: network and chain ID, genesis hash and time',
    (config, name, id, hash, time) => {
      expect(config.name).toBe(name);
      expect(NETWORKS[name]).toBe(config);
      expect(config.networkId).toBe(id);
      expect(config.chainId).toBe(id);
      expect(bytesToHex(config.genesisHash)).toBe(hash);
      expect(config.genesisTime).toBe(time);
      expect(Object.isFrozen(config)).toBe(true);
    },
  );

  it.each(FACTS)('%#: bootnodes are valid enode URLs', (config) => {
    expect(config.bootnodes?.length).toBeGreaterThan(0);
    for (const url of config.bootnodes ?? []) expect(Node.parse(url).tcp).toBe(30303);
  });

  it.each(FACTS)(
    '%#: v5 bootnodes are valid signed records with an IP and a UDP port',
    (config) => {
      // geth V5Bootnodes: 15 records, used whatever the network.
      expect(config.v5Bootnodes).toBe(V5_BOOTNODES);
      expect(V5_BOOTNODES).toHaveLength(15);
      const ids = new Set<string>();
      for (const text of V5_BOOTNODES) {
        // Node.parse verifies the record's v4 identity signature.
        const node = Node.parse(text);
        expect(node.record?.encodeText()).toBe(text);
        expect(node.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        expect(node.udp).toBeGreaterThan(0);
        ids.add(bytesToHex(node.id));
      }
      expect(ids.size).toBe(15);
    },
  );

  it('rejects a v5 bootnode whose signature does not match its content', () => {
    const text = V5_BOOTNODES[0] ?? '';
    // Flip one character of the signature (after the "enr:-" prefix and the list header).
    const i = 12;
    const flipped = `${text.slice(0, i)}${text[i] === 'A' ? 'B' : 'A'}${text.slice(i + 1)}`;
    expect(() => Node.parse(flipped)).toThrow();
  });

  it('uses only known fork names', () => {
    const known = new Set<string>([...BLOCK_FORKS, ...TIME_FORKS]);
    for (const [config] of FACTS) {
      for (const key of Object.keys(config)) {
        if (key === 'genesisTime') continue;
        if (key.endsWith('Block') || key.endsWith('Time')) expect(known.has(key), key).toBe(true);
      }
    }
  });
});

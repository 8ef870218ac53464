import { generatePrivateKey, hexToBytes, publicKey } from '@ethp2p/crypto';
import { Enr, Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { MAINNET } from '../../src/chain-config/networks.ts';
import { decodeEthEnrEntry, ETH_ENR_KEY, ethEnrEntry } from '../../src/forkid/codec.ts';
import { newForkFilter } from '../../src/forkid/filter.ts';
import type { ForkHead, ForkId } from '../../src/forkid/fork-id.ts';
import { forkId } from '../../src/forkid/fork-id.ts';
import { compatibleNodeFilter } from '../../src/forkid/node-filter.ts';

const HEAD: ForkHead = { number: 22_000_000n, time: 1_750_000_000n }; // mainnet, Prague
const KEY = generatePrivateKey();

function nodeWith(
  entries: Record<string, Parameters<typeof Enr.sign>[0]['entries']>[string],
): Node {
  const record = Enr.sign({ seq: 1n, entries: { ip: '127.0.0.1', tcp: 30303, ...entries } }, KEY);
  // Through the wire form, as discovery would deliver it.
  return Node.fromEnr(Enr.decode(record.encode()));
}

const ethNode = (id: ForkId) => nodeWith({ [ETH_ENR_KEY]: { rlp: ethEnrEntry(id) } });

describe('the eth ENR entry in a record', () => {
  it('round-trips through a signed record', () => {
    const id = forkId(MAINNET, HEAD);
    const node = ethNode(id);
    const raw = node.record?.get(ETH_ENR_KEY);
    expect(raw).toBeDefined();
    expect(decodeEthEnrEntry(raw as Uint8Array)).toEqual(id);
  });

  it('can be written as a plain ENR list value too', () => {
    const id = forkId(MAINNET, HEAD);
    const node = nodeWith({ eth: [[id.hash, id.next]] });
    expect(node.record?.get('eth')).toEqual(ethEnrEntry(id));
  });
});

describe('compatibleNodeFilter', () => {
  const keep = compatibleNodeFilter(newForkFilter(MAINNET, () => HEAD));

  it('keeps a node on the same fork', () => {
    expect(keep(ethNode(forkId(MAINNET, HEAD)))).toBe(true);
  });

  it('keeps a node that is still syncing (an earlier fork announcing the right next one)', () => {
    expect(keep(ethNode(forkId(MAINNET, { number: 15_050_000n, time: 0n })))).toBe(true);
  });

  it('drops a node of another chain', () => {
    expect(keep(ethNode({ hash: hexToBytes('12345678'), next: 0n }))).toBe(false);
  });

  it('drops a stale node (an earlier fork without the next one)', () => {
    expect(keep(ethNode({ hash: hexToBytes('dce96c2d'), next: 0n }))).toBe(false);
  });

  it('drops nodes without a record or without an eth entry', () => {
    expect(keep(Node.fromPublicKey(publicKey(KEY), { ip: '127.0.0.1', tcp: 30303 }))).toBe(false);
    expect(keep(nodeWith({}))).toBe(false);
    expect(keep(nodeWith({ snap: [] }))).toBe(false);
  });

  it('drops nodes with a malformed eth entry', () => {
    expect(keep(nodeWith({ eth: 5 }))).toBe(false);
    expect(keep(nodeWith({ eth: [] }))).toBe(false);
    expect(keep(nodeWith({ eth: [[hexToBytes('010203'), 0n]] }))).toBe(false);
  });

  it('lets an error of the head callback through', () => {
    const broken = compatibleNodeFilter(
      newForkFilter(MAINNET, () => {
        throw new Error('no head');
      }),
    );
    expect(() => broken(ethNode(forkId(MAINNET, HEAD)))).toThrow('no head');
  });
});

/**
 * Records between ethp2p and `@chainsafe/discv5` (an independent implementation): our ENR decoder
 * reads a live chainsafe node's record, and chainsafe's decoder reads ours, with the same node
 * ID, endpoint and seq and a verified signature on both sides.
 */
import { ENR } from '@chainsafe/enr';
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { Enr, LocalNode, Node, NodeDatabase } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainsafeNode } from './chainsafe.ts';
import { startChainsafe } from './chainsafe.ts';

describe('ENR interop with @chainsafe/discv5', () => {
  let theirs: ChainsafeNode;

  beforeAll(async () => {
    theirs = await startChainsafe();
  });

  afterAll(async () => {
    await theirs?.close();
  });

  it('decodes the record of a running chainsafe node', () => {
    const text = theirs.discv5.enr.encodeTxt();
    const record = Enr.decodeText(text);
    const node = Node.fromEnr(record);
    expect(bytesToHex(node.id)).toBe(theirs.discv5.enr.nodeId);
    expect(node.ip).toBe('127.0.0.1');
    expect(node.udp).toBe(theirs.port);
    expect(node.seq).toBe(theirs.discv5.enr.seq);
    expect(record.encodeText()).toBe(text);
  });

  it('chainsafe decodes and verifies our record', async () => {
    const db = await NodeDatabase.open();
    const localNode = await LocalNode.create({ privateKey: generatePrivateKey(), db });
    try {
      localNode.setFallbackIp('127.0.0.1');
      localNode.setFallbackUdpPort(30303);
      localNode.set('tcp', 30304);
      const ours = localNode.node();
      const text = ours.record?.encodeText() ?? '';
      const decoded = ENR.decodeTxt(text);
      expect(decoded.nodeId).toBe(bytesToHex(ours.id));
      expect(decoded.ip).toBe('127.0.0.1');
      expect(decoded.udp).toBe(30303);
      expect(decoded.tcp).toBe(30304);
      expect(decoded.seq).toBe(ours.seq);
      expect(decoded.encodeTxt()).toBe(text);
    } finally {
      await localNode.close();
      await db.close();
    }
  });

  it('a record with a bad signature is refused by both decoders', async () => {
    const text = theirs.discv5.enr.encodeTxt();
    const bytes = Enr.decodeText(text).encode();
    const bad = Uint8Array.from(bytes);
    // The signature is the first list item: flip a byte of it (after the list and item headers).
    bad[5] = (bad[5] ?? 0) ^ 0xff;
    expect(() => Enr.decode(bad)).toThrow();
    expect(() => ENR.decode(bad)).toThrow();
  });
});

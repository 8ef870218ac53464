/**
 * The memo simulated nodes share (issue 18): each derivation is done once and then shared,
 * failures are never remembered, and the memo forgets its oldest entries past its limit.
 */
import { thrownError } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey, keccak256, publicKey } from '@ethp2p/crypto';
import { Enr, EnrError, Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { SimulatedSignatures } from '../../src/pool/simulated.ts';
import { SimulationMemo, sharedSimulationMemo } from '../../src/service/simulation-memo.ts';

const PRIV = generatePrivateKey();
const PUB = publicKey(PRIV);

describe('SimulationMemo', () => {
  it('derives a node ID once and hands out the same bytes after', () => {
    const memo = new SimulationMemo();
    const id = memo.nodeId(PUB);
    expect(id).toEqual(keccak256(PUB));
    expect(memo.nodeId(Uint8Array.from(PUB))).toBe(id);
    expect(memo.size.ids).toBe(1);
    const identity = memo.identity(Uint8Array.from(PUB));
    expect(identity.id).toBe(id);
    expect(identity.hex).toBe(bytesToHex(id));
    expect(memo.identity(PUB)).toBe(identity);
  });

  it('verifies a record once; a record that fails is refused every time and never kept', () => {
    const memo = new SimulationMemo();
    const record = Enr.sign({ seq: 2n, entries: { ip: '10.0.0.1', udp: 30303 } }, PRIV);
    const raw = record.encode();
    const got = memo.record(raw);
    expect(got.encode()).toEqual(raw);
    expect(memo.record(Uint8Array.from(raw))).toBe(got);
    const forged = Uint8Array.from(raw);
    forged[5] = (forged[5] as number) ^ 1; // inside the signature
    thrownError(() => memo.record(forged), EnrError);
    thrownError(() => memo.record(forged), EnrError);
    expect(memo.size.records).toBe(1);
  });

  it('builds one node per key and endpoint, checking the key as Node.fromPublicKey does', () => {
    const memo = new SimulationMemo();
    const a = memo.node(PUB, { ip: '10.0.0.1', udp: 30303, tcp: 0 });
    expect(a).toBeInstanceOf(Node);
    expect(a.id).toEqual(keccak256(PUB));
    expect([a.ip, a.udp, a.tcp]).toEqual(['10.0.0.1', 30303, undefined]);
    expect(memo.node(PUB, { ip: '10.0.0.1', udp: 30303 })).toBe(a);
    const b = memo.node(PUB, { ip: '10.0.0.1', udp: 30303, tcp: 30304 });
    expect(b).not.toBe(a);
    expect(b.tcp).toBe(30304);
    const offCurve = new Uint8Array(64).fill(7);
    thrownError(() => memo.node(offCurve, { ip: '10.0.0.1', udp: 30303 }), TypeError);
    expect(memo.size.nodes).toBe(1); // one key, two endpoints
    expect(memo.node(PUB, { ip: '10.0.0.1', udp: 30303, tcp: 30304 })).toBe(b);
  });

  it('compares the whole key on a hit: keys sharing a prefix get their own IDs', () => {
    const memo = new SimulationMemo();
    const a = new Uint8Array(64).fill(1);
    const b = Uint8Array.from(a);
    b[63] = 2;
    expect(memo.nodeId(a)).toEqual(keccak256(a));
    expect(memo.nodeId(b)).toEqual(keccak256(b));
    expect(memo.nodeId(a)).toEqual(keccak256(a));
  });

  it('forgets the oldest entry past its limit', () => {
    const memo = new SimulationMemo(2);
    const keys = [1, 2, 3].map(() => publicKey(generatePrivateKey()));
    const first = memo.nodeId(keys[0] as Uint8Array);
    memo.nodeId(keys[1] as Uint8Array);
    memo.nodeId(keys[2] as Uint8Array);
    expect(memo.size.ids).toBe(2);
    const again = memo.nodeId(keys[0] as Uint8Array);
    expect(again).toEqual(first);
    expect(again).not.toBe(first); // derived again
    thrownError(() => new SimulationMemo(0), RangeError);
  });

  it('is shared by every simulated runner unless one is given', () => {
    expect(new SimulatedSignatures(PUB).memo).toBe(sharedSimulationMemo);
    const own = new SimulationMemo();
    expect(new SimulatedSignatures(PUB, own).memo).toBe(own);
  });
});

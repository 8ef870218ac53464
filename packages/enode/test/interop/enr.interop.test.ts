/**
 * Interop with @ethereumjs/devp2p: `ENR.parseAndVerifyRecord(text)` decodes an `enr:` record,
 * verifies its signature against the record's own `secp256k1` key and returns
 * `{ address, tcpPort, udpPort }` (it does not return the public key).
 *
 * Limits of @ethereumjs/devp2p 10.0.0 found here: it reads ports with `DataView.getUint16`, so it
 * crashes (RangeError/TypeError) on records without `tcp` or with a port below 256 (encoded in
 * one byte). Its signature check runs before that, so for such records we assert that it got
 * past verification.
 */

import { ENR } from '@ethereumjs/devp2p';
import { bytesToHex, generatePrivateKey, hexToBytes, keccak256, publicKey } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { Enr } from '../../src/enr/record.ts';
import { EIP778_EXAMPLE, KEY_B } from '../vectors/enr-vectors.ts';

describe('ENR interop with @ethereumjs/devp2p', () => {
  it.each([
    { ip: '127.0.0.1', tcp: 30303, udp: 30301 },
    { ip: '203.0.113.9', tcp: 256, udp: 65535 },
    { ip: '10.1.2.3', tcp: 30303, udp: 30303 },
  ])('accepts records we sign: %o', ({ ip, tcp, udp }) => {
    const priv = generatePrivateKey();
    const enr = Enr.sign({ seq: 7n, entries: { ip, tcp, udp } }, priv);
    const info = ENR.parseAndVerifyRecord(enr.encodeText());
    expect(info).toEqual({ address: ip, tcpPort: tcp, udpPort: udp });
    expect(enr.publicKey).toEqual(publicKey(priv));
  });

  it('verifies our signature against our secp256k1 entry (tampering is caught)', () => {
    const entries = { ip: '127.0.0.1', tcp: 30303, udp: 30301 };
    const enr = Enr.sign({ seq: 1n, entries }, generatePrivateKey());
    const other = Enr.sign({ seq: 1n, entries }, hexToBytes(KEY_B.priv));
    // Swap in another key's secp256k1 entry: the signature no longer matches it.
    const mixed = enr.encode();
    mixed.set(other.secp256k1, bytesToHex(mixed).indexOf(bytesToHex(enr.secp256k1)) / 2);
    const text = `enr:${Buffer.from(mixed).toString('base64url')}`;
    expect(() => Enr.decodeText(text)).toThrow(/invalid signature/);
    expect(() => ENR.parseAndVerifyRecord(text)).toThrow(/Unable to verify ENR signature/);
  });

  it('verifies the EIP-778 example, as we do, with the same key and endpoint', () => {
    const ours = Enr.decodeText(EIP778_EXAMPLE.text);
    expect(ours.tcp).toBeUndefined();
    // The example has no tcp entry, so ethereumjs fails after verifying, while building PeerInfo.
    let thrown: unknown;
    try {
      ENR.parseAndVerifyRecord(EIP778_EXAMPLE.text);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TypeError);
    expect(String(thrown)).not.toMatch(/verify/);
    // The same entries with a tcp port, signed by the same key: ethereumjs returns the endpoint.
    const withTcp = Enr.sign(
      { seq: 2n, entries: { ip: ours.ip, udp: ours.udp, tcp: 30303 } },
      hexToBytes(KEY_B.priv),
    );
    const info = ENR.parseAndVerifyRecord(withTcp.encodeText());
    expect(info).toEqual({ address: '127.0.0.1', tcpPort: 30303, udpPort: 30303 });
    expect(bytesToHex(ours.publicKey)).toBe(KEY_B.pub);
    expect(bytesToHex(keccak256(ours.publicKey))).toBe(EIP778_EXAMPLE.nodeId);
  });

  it('rejects a tampered EIP-778 example as we do', () => {
    const bytes = hexToBytes(EIP778_EXAMPLE.rlp);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1; // udp port
    const text = `enr:${Buffer.from(bytes).toString('base64url')}`;
    expect(() => Enr.decodeText(text)).toThrow(/invalid signature/);
    expect(() => ENR.parseAndVerifyRecord(text)).toThrow(/Unable to verify ENR signature/);
  });
});

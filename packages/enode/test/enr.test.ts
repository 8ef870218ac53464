import { bytesToHex, generatePrivateKey, hexToBytes, publicKey } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { Enr } from '../src/enr/record.ts';
import { expectEnrError } from './helpers/enr.ts';
import { EIP778_EXAMPLE, INVALID_RECORDS, KEY_B, SEQ99_RECORD } from './vectors/enr-vectors.ts';

describe('Enr vectors (spec-vectors §7)', () => {
  it('decodes, verifies and re-encodes the EIP-778 example from text', () => {
    const enr = Enr.decodeText(EIP778_EXAMPLE.text);
    expect(bytesToHex(enr.nodeId)).toBe(EIP778_EXAMPLE.nodeId);
    expect(enr.seq).toBe(1n);
    expect(enr.id).toBe('v4');
    expect(enr.ip).toBe('127.0.0.1');
    expect(enr.udp).toBe(30303);
    expect(enr.tcp).toBeUndefined();
    expect(enr.ip6).toBeUndefined();
    expect(bytesToHex(enr.signature)).toBe(EIP778_EXAMPLE.signature);
    expect(bytesToHex(enr.secp256k1)).toBe(EIP778_EXAMPLE.secp256k1);
    expect(bytesToHex(enr.publicKey)).toBe(KEY_B.pub);
    expect(bytesToHex(enr.encode())).toBe(EIP778_EXAMPLE.rlp);
    expect(enr.encodeText()).toBe(EIP778_EXAMPLE.text);
    expect(enr.encode().length).toBe(134);
  });

  it('decodes the EIP-778 example from RLP and re-encodes it byte for byte', () => {
    const enr = Enr.decode(hexToBytes(EIP778_EXAMPLE.rlp));
    expect(bytesToHex(enr.encode())).toBe(EIP778_EXAMPLE.rlp);
    expect(enr.encodeText()).toBe(EIP778_EXAMPLE.text);
    expect(enr.keys()).toEqual(['id', 'ip', 'secp256k1', 'udp']);
    expect(bytesToHex(enr.get('udp') ?? new Uint8Array())).toBe('82765f');
    expect(bytesToHex(enr.getBytes('ip') ?? new Uint8Array())).toBe('7f000001');
  });

  it('hands out copies: changing what get or getBytes returned leaves the record as signed', () => {
    const enr = Enr.decode(hexToBytes(EIP778_EXAMPLE.rlp));
    (enr.getBytes('ip') as Uint8Array)[0] = 99;
    (enr.get('ip') as Uint8Array)[1] = 99;
    expect(enr.ip).toBe('127.0.0.1');
    expect(bytesToHex(enr.getBytes('ip') ?? new Uint8Array())).toBe('7f000001');
    expect(bytesToHex(enr.encode())).toBe(EIP778_EXAMPLE.rlp);
  });

  it('re-signs the EIP-778 example to the same bytes (deterministic signatures)', () => {
    const enr = Enr.sign(
      { seq: 1n, entries: { ip: '127.0.0.1', udp: 30303 } },
      hexToBytes(KEY_B.priv),
    );
    expect(bytesToHex(enr.encode())).toBe(EIP778_EXAMPLE.rlp);
  });

  it('decodes the seq-99 record', () => {
    const enr = Enr.decodeText(SEQ99_RECORD.text);
    expect(enr.seq).toBe(99n);
    expect(bytesToHex(enr.nodeId)).toBe(SEQ99_RECORD.nodeId);
    expect(bytesToHex(enr.publicKey)).toBe(SEQ99_RECORD.pub);
    expect(bytesToHex(enr.encode())).toBe(SEQ99_RECORD.rlp);
    expect(enr.encodeText()).toBe(SEQ99_RECORD.text);
    const resigned = Enr.sign(
      { seq: 99n, entries: { ip: '127.0.0.1', udp: 30303 } },
      hexToBytes(SEQ99_RECORD.priv),
    );
    expect(resigned.encodeText()).toBe(SEQ99_RECORD.text);
  });

  it.each(INVALID_RECORDS)('rejects $text ($why)', ({ text, code }) => {
    expectEnrError(() => Enr.decodeText(text), code);
  });
});

describe('Enr signing', () => {
  it('signs, encodes and decodes arbitrary entries', () => {
    const priv = generatePrivateKey();
    const forkId = [[hexToBytes('fc64ec04'), hexToBytes('118c30')]];
    const enr = Enr.sign(
      { seq: 5n, entries: { ip: '10.0.0.1', tcp: 30303, udp: 30301, eth: forkId, snap: [] } },
      priv,
    );
    const back = Enr.decode(enr.encode());
    expect(back.equals(enr)).toBe(true);
    expect(back.publicKey).toEqual(publicKey(priv));
    expect(back.tcp).toBe(30303);
    expect(bytesToHex(back.get('eth') ?? new Uint8Array())).toBe('cac984fc64ec0483118c30');
    expect(bytesToHex(back.get('snap') ?? new Uint8Array())).toBe('c0');
    expectEnrError(() => back.getBytes('eth'), 'INVALID_ENTRY');
  });

  it('refuses to sign a record over 300 bytes', () => {
    expectEnrError(
      () => Enr.sign({ seq: 1n, entries: { big: new Uint8Array(200) } }, generatePrivateKey()),
      'TOO_LARGE',
    );
  });

  it('rejects misuse with TypeError and RangeError', () => {
    const priv = generatePrivateKey();
    expect(() => Enr.sign({ seq: -1n }, priv)).toThrow(RangeError);
    expect(() => Enr.sign({ seq: 2n ** 64n }, priv)).toThrow(RangeError);
    expect(() => Enr.sign({ seq: 1n, entries: { udp: 70000 } }, priv)).toThrow(RangeError);
    expect(() => Enr.sign({ seq: 1n, entries: { ip: '::1' } }, priv)).toThrow(TypeError);
    expect(() => Enr.sign({ seq: 1n, entries: { id: 'v5' } }, priv)).toThrow(RangeError);
    expect(() => Enr.sign({ seq: 1n }, new Uint8Array(31))).toThrow(RangeError);
  });
});

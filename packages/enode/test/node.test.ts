import { RLP } from '@ethereumjs/rlp';
import {
  bytesToHex,
  compressPublicKey,
  generatePrivateKey,
  hexToBytes,
  publicKey,
} from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { Enr } from '../src/enr/record.ts';
import { EnodeUrlError, EnrError } from '../src/errors.ts';
import { Node } from '../src/node.ts';
import { URL_ID } from './vectors/enode-url-vectors.ts';
import { EIP778_EXAMPLE, KEY_B, SEQ99_RECORD } from './vectors/enr-vectors.ts';

function signed(entries: Record<string, string | number>): Node {
  return Node.fromEnr(Enr.sign({ seq: 3n, entries }, hexToBytes(KEY_B.priv)));
}

describe('Node', () => {
  it('wraps a signed record', () => {
    const node = Node.fromEnr(Enr.decodeText(EIP778_EXAMPLE.text));
    expect(bytesToHex(node.id)).toBe(EIP778_EXAMPLE.nodeId);
    expect(bytesToHex(node.publicKey)).toBe(KEY_B.pub);
    expect(node.seq).toBe(1n);
    expect(node.ip).toBe('127.0.0.1');
    expect(node.udp).toBe(30303);
    expect(node.tcp).toBeUndefined();
    expect(node.hostname).toBeUndefined();
    expect(node.toString()).toBe(EIP778_EXAMPLE.text);
    expect(node.enodeUrl()).toBe(`enode://${KEY_B.pub}@127.0.0.1:0?discport=30303`);
  });

  it('ignores multicast addresses and reads an IPv4-mapped ip6 as IPv4, like geth', () => {
    const key = generatePrivateKey();
    const multicast = Node.fromEnr(
      Enr.sign({ seq: 1n, entries: { ip: '224.0.0.1', udp: 1 } }, key),
    );
    expect(multicast.ip).toBeUndefined();
    const mcast6 = Node.fromEnr(Enr.sign({ seq: 1n, entries: { ip6: 'ff02::1', udp: 1 } }, key));
    expect(mcast6.ip).toBeUndefined();
    const mapped = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100, 4]);
    const entries = { ip6: mapped, udp: 30303, tcp: 30304, udp6: 40000, tcp6: 40001 };
    const node = Node.fromEnr(Enr.sign({ seq: 1n, entries }, key));
    expect([node.ip, node.udp, node.tcp]).toEqual(['198.51.100.4', 30303, 30304]);
  });

  it('is made from an enode URL, without a record', () => {
    const url = `enode://${URL_ID}@127.0.0.1:52150?discport=22334`;
    const node = Node.fromEnodeUrl(url);
    expect(node.record).toBeUndefined();
    expect(node.seq).toBe(0n);
    expect(node.ip).toBe('127.0.0.1');
    expect(node.tcp).toBe(52150);
    expect(node.udp).toBe(22334);
    expect(node.toString()).toBe(url);
    expect(node.incomplete).toBe(false);
    expect(Node.fromEnodeUrl(`enode://${URL_ID}`).incomplete).toBe(true);
  });

  it('is made from a public key and endpoint', () => {
    const pub = publicKey(generatePrivateKey());
    const node = Node.fromPublicKey(pub, { ip: '::ffff:10.0.0.2', udp: 30301, tcp: 30303 });
    expect(node.ip).toBe('10.0.0.2');
    expect(node.enodeUrl()).toBe(`enode://${bytesToHex(pub)}@10.0.0.2:30303?discport=30301`);
    expect(() => Node.fromPublicKey(new Uint8Array(64))).toThrow(TypeError);
    expect(() => Node.fromPublicKey(pub, { ip: 'nope' })).toThrow(TypeError);
    expect(() => Node.fromPublicKey(pub, { udp: 65536 })).toThrow(RangeError);
  });

  it('gives its ID as hex, the same string on every call', () => {
    const node = Node.fromPublicKey(publicKey(generatePrivateKey()));
    expect(node.idHex).toBe(bytesToHex(node.id));
    expect(node.idHex).toHaveLength(64);
    expect(node.idHex).toBe(node.idHex);
  });

  it('parses enode:// and enr: text like geth enode.Parse', () => {
    expect(Node.parse(SEQ99_RECORD.text).seq).toBe(99n);
    expect(Node.parse(`enode://${URL_ID}@[::1]:3`).ip).toBe('::1');
    expect(() => Node.parse(URL_ID)).toThrow(EnodeUrlError);
    expect(() => Node.parse('enr:x')).toThrow(EnrError);
  });

  describe('endpoint choice', () => {
    it.each([
      [{ ip: '127.0.0.1', ip6: '2001:db8::1' }, '2001:db8::1'],
      [{ ip: '8.8.8.8', ip6: '2001:db8::1' }, '8.8.8.8'],
      [{ ip: '192.168.0.1', ip6: 'fe80::1' }, '192.168.0.1'],
      [{ ip: '0.0.0.0', ip6: '::1' }, '::1'],
      [{ ip: '169.254.1.1', ip6: 'fd00::1' }, 'fd00::1'],
      [{ ip: '10.0.0.1', ip6: 'fd00::1' }, '10.0.0.1'],
      [{ ip6: '2001:db8::1' }, '2001:db8::1'],
    ])('%o -> %s', (entries, want) => {
      expect(signed(entries).ip).toBe(want);
    });

    it('uses udp6/tcp6 for IPv6, falling back to udp/tcp', () => {
      const both = signed({ ip6: '2001:db8::1', udp: 1, tcp: 2, udp6: 3, tcp6: 4 });
      expect([both.udp, both.tcp]).toEqual([3, 4]);
      const fallback = signed({ ip6: '2001:db8::1', udp: 1, tcp: 2 });
      expect([fallback.udp, fallback.tcp]).toEqual([1, 2]);
      const v4 = signed({ ip: '8.8.8.8', ip6: '2001:db8::1', udp: 1, tcp: 2, udp6: 3, tcp6: 4 });
      expect([v4.ip, v4.udp, v4.tcp]).toEqual(['8.8.8.8', 1, 2]);
    });

    it('treats malformed endpoint entries as absent', () => {
      const enr = Enr.sign(
        { seq: 1n, entries: { ip: { rlp: RLP.encode(hexToBytes('7f0000')) }, udp: 5 } },
        hexToBytes(KEY_B.priv),
      );
      expect(() => enr.ip).toThrow(EnrError);
      const node = Node.fromEnr(enr);
      expect(node.ip).toBeUndefined();
    });
  });

  describe('storage', () => {
    it('round-trips signed nodes as their record', () => {
      const node = Node.fromEnr(Enr.decodeText(SEQ99_RECORD.text));
      expect(bytesToHex(node.toStorage())).toBe(SEQ99_RECORD.rlp);
      const back = Node.fromStorage(node.toStorage());
      expect(back.record?.encodeText()).toBe(SEQ99_RECORD.text);
      expect(back.id).toEqual(node.id);
    });

    it.each([
      `enode://${URL_ID}@127.0.0.1:52150?discport=22334`,
      `enode://${URL_ID}@[2001:db8::5]:30303`,
      `enode://${URL_ID}`,
    ])('round-trips unsigned %s with an empty signature', (url) => {
      const node = Node.fromEnodeUrl(url);
      const bytes = node.toStorage();
      const list = RLP.decode(bytes) as Uint8Array[];
      expect(list[0]).toEqual(new Uint8Array(0));
      const keys = list.map((item) => new TextDecoder().decode(item));
      expect(list[keys.indexOf('secp256k1') + 1]).toEqual(compressPublicKey(node.publicKey));
      const back = Node.fromStorage(bytes);
      expect(back.record).toBeUndefined();
      expect(back.enodeUrl()).toBe(url);
      expect(back.id).toEqual(node.id);
    });

    it('accepts empty signatures only from storage', () => {
      const bytes = Node.fromEnodeUrl(`enode://${URL_ID}@1.2.3.4:5`).toStorage();
      expect(() => Enr.decode(bytes)).toThrow(EnrError);
      const tampered = Node.fromEnr(Enr.decodeText(SEQ99_RECORD.text)).toStorage();
      tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 1;
      expect(() => Node.fromStorage(tampered)).toThrow(EnrError);
    });
  });
});

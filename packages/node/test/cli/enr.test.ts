import { encodeBytes, encodeList, encodeUint } from '@ethp2p/base/rlp';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr } from '@ethp2p/enode';
import { ethEnrEntry } from '@ethp2p/eth';
import { encodeForkId } from '@ethp2p/eth/messages';
import { describe, expect, it } from 'vitest';
import { describeEntry } from '../../src/cli/enr.ts';
import { run } from './helpers/run.ts';

// The EIP-778 example record: devp2p `enr.md` "Test Vectors" (also `pyRecord` in go-ethereum
// `p2p/enode/node_test.go`), signed with the spec's key B, seq 1.
const EIP778_RECORD =
  'enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8';
const EIP778_RLP =
  'f884b8407098ad865b00a582051940cb9cf36836572411a47278783077011599ed5cd16b76f2635f4e234738f30813a8' +
  '9eb9137e3e3df5266e3a1f11df72ecf1145ccb9c01826964827634826970847f00000189736563703235366b31a103ca' +
  '634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31388375647082765f';
const EIP778_NODE_ID = 'a448f24c6d18e575453db13171562b71999873db5b286df957af199ec94617f7';
const EIP778_SIGNATURE =
  '7098ad865b00a582051940cb9cf36836572411a47278783077011599ed5cd16b76f2635f4e234738f30813a89eb9137e3e3df5266e3a1f11df72ecf1145ccb9c';
// go-ethereum `p2p/enode/urlv4_test.go`: a record whose signature does not verify.
const BAD_SIGNATURE_RECORD =
  'enr:-EmGZm9vYmFyY4JpZIJ2NIJpcIR_AAABiXNlY3AyNTZrMaEDOlFBdkZvqBXtSB_60JEQotNE9sm3jB0Ur8NRw6Ub4z2DdWRwgnZf';

/** The value printed after `label:` on its own line. */
function field(out: readonly string[], label: string): string | undefined {
  return out
    .find((l) => l.startsWith(`${label}:`))
    ?.slice(label.length + 1)
    .trim();
}

/** The value of entry `key` in the `entries:` block. */
function entry(out: readonly string[], key: string): string | undefined {
  const line = out.find((l) => l.startsWith(`  ${key} `));
  return line?.slice(key.length + 2).trim();
}

describe('enr decode', () => {
  it('prints every field of the EIP-778 example record', async () => {
    const { code, out, stderr } = await run(['enr', 'decode', EIP778_RECORD]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(field(out, 'node id')).toBe(EIP778_NODE_ID);
    expect(field(out, 'seq')).toBe('1');
    expect(field(out, 'signature')).toBe(EIP778_SIGNATURE);
    expect(field(out, 'size')).toBe('134 bytes');
    const pub = field(out, 'public key') ?? '';
    expect(field(out, 'enode')).toBe(`enode://${pub}@127.0.0.1:0?discport=30303`);
    expect(entry(out, 'id')).toBe('"v4"');
    expect(entry(out, 'ip')).toBe('127.0.0.1');
    expect(entry(out, 'secp256k1')).toBe(
      '03ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138 (compressed public key)',
    );
    expect(entry(out, 'udp')).toBe('30303');
    expect(out.filter((l) => l.startsWith('  '))).toHaveLength(4);
  });

  it('takes the record as RLP hex too', async () => {
    const text = await run(['enr', 'decode', EIP778_RECORD]);
    const hex = await run(['enr', 'decode', `0x${EIP778_RLP}`]);
    expect(hex.code).toBe(0);
    expect(hex.out).toEqual(text.out);
  });

  it('prints ip6, tcp, unknown keys and list values readably', async () => {
    const key = generatePrivateKey();
    const record = Enr.sign(
      {
        seq: 5n,
        entries: {
          ip6: '2001:db8::1',
          tcp: 30303,
          udp6: 30301,
          eth: [[new Uint8Array([0xfc, 0x64, 0xec, 0x04]), 0]],
          note: 'hello',
          zz: new Uint8Array([0, 1, 2]),
        },
      },
      key,
    ).encodeText();
    const { code, out } = await run(['enr', 'decode', record]);
    expect(code).toBe(0);
    expect(field(out, 'public key')).toBe(bytesToHex(publicKey(key)));
    expect(field(out, 'enode')).toBe(
      `enode://${bytesToHex(publicKey(key))}@[2001:db8::1]:30303?discport=30301`,
    );
    expect(entry(out, 'ip6')).toBe('2001:db8::1');
    expect(entry(out, 'tcp')).toBe('30303');
    expect(entry(out, 'udp6')).toBe('30301');
    expect(entry(out, 'eth')).toBe('fork ID hash 0xfc64ec04, next 0');
    expect(entry(out, 'note')).toBe('0x68656c6c6f ("hello")');
    expect(entry(out, 'zz')).toBe('0x000102');
  });

  it('shows malformed standard entries as hex instead of failing', async () => {
    const record = Enr.sign(
      {
        seq: 1n,
        entries: { ip: { rlp: Uint8Array.of(0x83, 1, 2, 3) }, udp: { rlp: Uint8Array.of(0xc0) } },
      },
      generatePrivateKey(),
    ).encodeText();
    const { code, out } = await run(['enr', 'decode', record]);
    expect(code).toBe(0);
    expect(entry(out, 'ip')).toBe('0x83010203 (invalid: ip entry is 3 bytes, want 4)');
    expect(entry(out, 'udp')).toBe('0xc0 (invalid: udp entry is a list)');
    expect(field(out, 'enode')).toMatch(/^enode:\/\/[0-9a-f]{128}$/);
  });

  it('decodes the eth entry as a fork ID, and shows a malformed one as hex', () => {
    const record = Enr.sign({ seq: 1n, entries: {} }, generatePrivateKey());
    const id = { hash: Uint8Array.of(0xfc, 0x64, 0xec, 0x04), next: 1_150_000n };
    expect(describeEntry(record, 'eth', ethEnrEntry(id))).toBe(
      'fork ID hash 0xfc64ec04, next 1150000',
    );
    // geth ignores elements after the fork ID, for forward compatibility.
    const extra = encodeList([encodeForkId(id), encodeBytes(Uint8Array.of(1))]);
    expect(describeEntry(record, 'eth', extra)).toBe('fork ID hash 0xfc64ec04, next 1150000');
    expect(describeEntry(record, 'eth', Uint8Array.of(0xc0))).toMatch(/^0xc0 \(invalid: .+\)$/);
    const shortHash = encodeList([encodeList([encodeBytes(Uint8Array.of(1, 2)), encodeUint(0n)])]);
    expect(describeEntry(record, 'eth', shortHash)).toMatch(
      /^0xc5c482010280 \(invalid: eth ENR entry fork ID hash.*\)$/,
    );
  });

  it('shows an entry holding non-canonical RLP as hex with the reason', () => {
    // Records verify their entries, so this takes the raw value directly: a list wrapping the
    // single byte 0x05 as 0x8105, which a strict reader refuses.
    const record = Enr.sign({ seq: 1n, entries: {} }, generatePrivateKey());
    expect(describeEntry(record, 'odd', Uint8Array.of(0xc2, 0x81, 0x05))).toMatch(
      /^0xc28105 \(invalid: .+\)$/,
    );
    expect(describeEntry(record, 'odd', Uint8Array.of(0xc2, 0x05, 0x80))).toBe('[0x05, 0x]');
  });

  it('decodes an enode URL, saying it has no record', async () => {
    const pub = bytesToHex(publicKey(generatePrivateKey()));
    const { code, out } = await run([
      'enr',
      'decode',
      `enode://${pub}@10.0.0.2:30303?discport=30301`,
    ]);
    expect(code).toBe(0);
    expect(field(out, 'ip')).toBe('10.0.0.2');
    expect(field(out, 'tcp')).toBe('30303');
    expect(field(out, 'udp')).toBe('30301');
    expect(out).toContain('(no record: enode URLs are not signed)');
  });

  it.each([
    ['enr:', /^ethp2p: invalid record 'enr:': /],
    ['enr:x', /^ethp2p: invalid record 'enr:x': /],
    [BAD_SIGNATURE_RECORD, /^ethp2p: invalid record 'enr:-EmGZ.*signature/],
    ['hello', /^ethp2p: invalid record 'hello': expected an enode:\/\/ URL or an enr: record\n/],
    [
      'enode://1234@127.0.0.1:1',
      /^ethp2p: invalid record 'enode:\/\/1234@127.0.0.1:1': invalid public key/,
    ],
    ['deadbeef', /^ethp2p: invalid record: /],
  ])('rejects %s with one line and exit code 1', async (input, message) => {
    const { code, stdout, stderr } = await run(['enr', 'decode', input]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.split('\n')).toHaveLength(2);
  });
});

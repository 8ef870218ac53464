import { bytesToHex, hexToBytes, publicKey } from '@ethp2p/crypto';
import { Enr } from '@ethp2p/enode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../src/base32.ts';
import { MAX_BRANCH_CHILDREN, MAX_ENTRY_CHARS } from '../src/constants.ts';
import {
  entryHash,
  formatEntry,
  formatRoot,
  hashMatches,
  makeLink,
  parseEntry,
  parseLink,
  parseRoot,
  verifyRoot,
} from '../src/entries.ts';
import { DnsDiscError } from '../src/errors.ts';
import {
  ENTRY_CASES,
  EXAMPLE_TXT,
  EXAMPLE_URL,
  ROOT_CASES,
  SIGNING_KEY_HEX,
} from './vectors/geth.ts';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (err) {
    expect(err).toBeInstanceOf(DnsDiscError);
    return (err as DnsDiscError).code;
  }
  return undefined;
}

describe('root entries (geth TestParseRoot)', () => {
  it.each(ROOT_CASES)('$input', (test) => {
    if ('code' in test) {
      expect(codeOf(() => parseRoot(test.input))).toBe(test.code);
      return;
    }
    const root = parseRoot(test.input);
    expect({ ...root, signature: bytesToHex(root.signature) }).toEqual({
      enrRoot: test.root.enrRoot,
      linkRoot: test.root.linkRoot,
      seq: test.root.seq,
      signature: test.root.signatureHex,
    });
    expect(formatRoot(root)).toBe(test.input);
  });

  it('refuses a seq past 2^53 and padding in the signature', () => {
    const good = EXAMPLE_TXT.n ?? '';
    expect(codeOf(() => parseRoot(good.replace('seq=1', 'seq=99999999999999999')))).toBe(
      'INVALID_SYNTAX',
    );
    expect(codeOf(() => parseRoot(`${good}=`))).toBe('INVALID_SIGNATURE');
    expect(codeOf(() => parseRoot(good.replace('l=C7HRFPF3', 'l=C7HRFPF1')))).toBe('INVALID_CHILD');
  });

  it('verifies the example root with the signing key and refuses another seq', () => {
    const root = parseRoot(EXAMPLE_TXT.n ?? '');
    const pub = publicKey(hexToBytes(SIGNING_KEY_HEX));
    expect(verifyRoot(root, pub)).toBe(true);
    expect(verifyRoot({ ...root, seq: 2 }, pub)).toBe(false);
  });
});

describe('tree entries (geth TestParseEntry)', () => {
  it.each(ENTRY_CASES)('$input', (test) => {
    if ('code' in test) {
      expect(codeOf(() => parseEntry(test.input))).toBe(test.code);
      return;
    }
    const entry = parseEntry(test.input);
    if ('children' in test) expect(entry).toEqual({ kind: 'branch', children: test.children });
    if ('domain' in test) {
      expect(entry.kind === 'link' && entry.link.domain).toBe(test.domain);
      const pub = publicKey(hexToBytes(SIGNING_KEY_HEX));
      expect(entry.kind === 'link' && bytesToHex(entry.link.publicKey)).toBe(bytesToHex(pub));
    }
    if ('record' in test) {
      expect(entry.kind === 'enr' && entry.node.record?.equals(Enr.decodeText(test.input))).toBe(
        true,
      );
    }
    expect(formatEntry(entry)).toBe(test.input);
  });

  it('every example entry hashes to its subdomain', () => {
    for (const [name, text] of Object.entries(EXAMPLE_TXT)) {
      if (name === 'n') continue;
      const hash = name.slice(0, -2);
      expect(entryHash(text)).toBe(hash);
      expect(hashMatches(hash, text)).toBe(true);
      expect(hashMatches(hash.slice(0, 20), text)).toBe(true);
      expect(hashMatches(hash, `${text} `)).toBe(false);
    }
  });

  it('refuses oversize entries and branches before parsing them', () => {
    expect(codeOf(() => parseEntry(`enr:${'A'.repeat(MAX_ENTRY_CHARS)}`))).toBe('TOO_LARGE');
    const many = Array.from({ length: MAX_BRANCH_CHILDREN + 1 }, () => 'AAAAAAAAAAAAAAAAAAAA');
    expect(codeOf(() => parseEntry(`enrtree-branch:${many.join(',')}`))).toBe('TOO_LARGE');
  });

  it('refuses a link with a bad domain or scheme', () => {
    const key = EXAMPLE_URL.slice('enrtree://'.length, EXAMPLE_URL.indexOf('@'));
    expect(codeOf(() => parseLink(`enrtree://${key}@`))).toBe('INVALID_URL');
    expect(codeOf(() => parseLink(`enrtree://${key}@a b`))).toBe('INVALID_URL');
    expect(codeOf(() => parseLink(`https://${key}@n`))).toBe('INVALID_URL');
  });

  it('makes the example URL from the signing key', () => {
    const link = makeLink('n', publicKey(hexToBytes(SIGNING_KEY_HEX)));
    expect(`enrtree://${link.text}`).toBe(EXAMPLE_URL);
    expect(parseLink(EXAMPLE_URL)).toEqual(link);
  });
});

describe('base32', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
      }),
    );
  });

  it('refuses impossible lengths and foreign characters, as Go does', () => {
    expect(base32Decode('A')).toBeUndefined();
    expect(base32Decode('AAA')).toBeUndefined();
    expect(base32Decode('AAAAAA')).toBeUndefined();
    expect(base32Decode('AAAAAAA1')).toBeUndefined();
    expect(base32Decode('AAAAAAA=')).toBeUndefined();
    expect(base32Decode('aaaaaaaa')).toBeUndefined();
    expect(base32Decode('BB')).toEqual(Uint8Array.of(0x08));
  });
});

describe('untrusted text', () => {
  const prefixes = ['', 'enr:', 'enrtree://', 'enrtree-branch:', 'enrtree-root:v1 e='];
  const texts = fc
    .tuple(fc.constantFrom(...prefixes), fc.string({ maxLength: 600 }))
    .map(([p, s]) => p + s);

  it('parseEntry, parseRoot and parseLink throw only DnsDiscError', () => {
    fc.assert(
      fc.property(texts, (text) => {
        for (const parse of [parseEntry, parseRoot, parseLink]) {
          try {
            parse(text);
          } catch (err) {
            expect(err).toBeInstanceOf(DnsDiscError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a link key of the wrong length or off the curve is BAD_PUBKEY, with no built-in error as cause', () => {
    // found by pnpm fuzz: the length check threw a RangeError that became the cause
    const short = 'enrtree://AP62DT7WOTEQZGQZOU474PP3KMEGVTTE7A7NPRXKX3DUD57@nodes.example.org';
    const offCurve = `enrtree://${base32Encode(Uint8Array.of(2, ...new Uint8Array(32).fill(0xff)))}@nodes.example.org`;
    for (const url of [short, offCurve]) {
      const err = (() => {
        try {
          parseLink(url);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(DnsDiscError);
      expect((err as DnsDiscError).code).toBe('BAD_PUBKEY');
      const cause = (err as DnsDiscError).cause;
      expect(cause instanceof TypeError || cause instanceof RangeError).toBe(false);
    }
  });

  it('parsed entries format back to the same text', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 12, maxLength: 32 }), { maxLength: 20 }),
        (hashes) => {
          const text = `enrtree-branch:${hashes.map(base32Encode).join(',')}`;
          expect(formatEntry(parseEntry(text))).toBe(text);
        },
      ),
    );
  });
});

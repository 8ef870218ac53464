import { encodeUint } from '@ethp2p/base/rlp';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr, Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { MAX_BUILD_CHILDREN } from '../src/constants.ts';
import { entryHash, parseEntry, parseRoot, verifyRoot } from '../src/entries.ts';
import { DnsDiscError } from '../src/errors.ts';
import { Tree } from '../src/tree.ts';
import { testNodes } from './helpers/nodes.ts';
import { EXAMPLE, signingKey } from './vectors/geth.ts';

describe('Tree', () => {
  it('rebuilds and signs the EIP-1459 example tree byte for byte', () => {
    const nodes = EXAMPLE.nodes.map((text) => Node.parse(text));
    const { tree, url } = Tree.make(1, nodes, [EXAMPLE.link]).sign(signingKey, 'n');
    expect(url).toBe(EXAMPLE.url);
    expect(Object.fromEntries(tree.toTxt('n'))).toEqual(EXAMPLE.txt);
    expect(tree.links()).toEqual([EXAMPLE.link]);
    expect(tree.nodes().map((n) => n.toString())).toEqual(
      [...nodes].sort((a, b) => Buffer.compare(a.id, b.id)).map((n) => n.toString()),
    );
  });

  it('splits big trees into branches of 13 whose hashes all check out (geth TestMakeTree)', () => {
    const nodes = testNodes(50);
    const { tree } = Tree.make(2, nodes).sign(signingKey, 'n');
    const txt = tree.toTxt('');
    expect(txt.size).toBeGreaterThan(nodes.length + 1);
    const root = parseRoot(txt.get('') ?? '');
    expect(verifyRoot(root, publicKey(signingKey))).toBe(true);
    for (const [name, text] of txt) {
      if (name === '') continue;
      expect(entryHash(text)).toBe(name);
      const entry = parseEntry(text);
      if (entry.kind === 'branch')
        expect(entry.children.length).toBeLessThanOrEqual(MAX_BUILD_CHILDREN);
    }
    expect(tree.nodes().length).toBe(50);
  });

  it('makes an empty tree of empty branches', () => {
    const txt = Tree.make(0, []).toTxt('x');
    expect([...txt.values()].filter((t) => t === 'enrtree-branch:')).toHaveLength(1);
    expect(txt.size).toBe(2);
  });

  it('refuses nodes without a record and records with a bad port (geth TestMakeTreeRejectsUndecodablePort)', () => {
    const keyOnly = Node.fromPublicKey(publicKey(generatePrivateKey()));
    expect(() => Tree.make(1, [keyOnly])).toThrow(DnsDiscError);
    const badPort = Enr.sign(
      { seq: 1n, entries: { udp: { rlp: encodeUint(70_000) } } },
      generatePrivateKey(),
    );
    expect(() => Tree.make(1, [Node.fromEnr(badPort)])).toThrow(/can't add node/);
    expect(() => Tree.make(1, [], ['enrtree://bad'])).toThrow(DnsDiscError);
  });

  it('takes a signature only from the tree key (geth SetSignature)', () => {
    const nodes = testNodes(3);
    const { tree } = Tree.make(5, nodes).sign(signingKey, 'n');
    const unsigned = Tree.make(5, nodes);
    const pub = publicKey(signingKey);
    expect(unsigned.withSignature(pub, tree.signature).signature).toBe(tree.signature);
    const other = publicKey(generatePrivateKey());
    expect(() => unsigned.withSignature(other, tree.signature)).toThrow(DnsDiscError);
    expect(() => unsigned.withSignature(pub, `${tree.signature}A`)).toThrow(/invalid base64/);
  });
});

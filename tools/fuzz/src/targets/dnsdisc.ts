/**
 * EIP-1459 tree entries of `@ethp2p/dnsdisc/codec`: the TXT text of a root, branch, `enr:` or
 * link entry through `parseRoot`, `parseEntry` and `parseLink` (every input goes to all three,
 * as a resolver may return any text at any name), and `verifyRoot` on a parsed root.
 * @module
 */
import { DnsDiscError, Tree } from '@ethp2p/dnsdisc';
import { parseEntry, parseLink, parseRoot, verifyRoot } from '@ethp2p/dnsdisc/codec';
import { type Enr, Node } from '@ethp2p/enode';
import { typedErrors } from '../errors.ts';
import type { FuzzTarget, TargetSpec } from '../target.ts';
import { attempt, bytesText, fixedKey, sampleRecords, textBytes } from './fixtures.ts';

/** The `dnsdisc` target. */
export const dnsdiscTarget: TargetSpec = {
  name: 'dnsdisc',
  decoders: '@ethp2p/dnsdisc/codec parseRoot (+ verifyRoot), parseEntry, parseLink',
  create(): FuzzTarget {
    // 20 nodes (more than a branch holds) and one link to another tree
    const nodes = Array.from({ length: 20 }, (_, i) =>
      Node.fromEnr(sampleRecords(fixedKey(`dnsdisc node ${i}`).privateKey)[0] as Enr),
    );
    const link = Tree.make(1, []).sign(fixedKey('dnsdisc linked').privateKey, 'linked.org').url;
    const signer = fixedKey('dnsdisc signer');
    const { tree } = Tree.make(42, nodes, [link]).sign(signer.privateKey, 'nodes.example.org');
    const texts = [...tree.toTxt('nodes.example.org').values()];
    const expected = typedErrors(DnsDiscError);
    return {
      modes: [{ name: 'txt', seeds: texts.map(textBytes) }],
      maxInputBytes: 4096,
      dictionary: [
        'enrtree-root:v1',
        ' e=',
        ' l=',
        ' seq=',
        ' sig=',
        'enrtree-branch:',
        'enrtree://',
        'enr:',
        '@',
        ',',
        '.',
        '=',
      ].map(textBytes),
      expected,
      run(input) {
        const text = bytesText(input);
        attempt(() => verifyRoot(parseRoot(text), signer.publicKey), expected);
        attempt(() => parseEntry(text), expected);
        attempt(() => parseLink(text), expected);
      },
    };
  },
};

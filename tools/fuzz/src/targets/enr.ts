/**
 * Node records of `@ethp2p/enode`: `Enr.decode` (and the verification it includes), then every
 * entry getter and `Node.fromEnr` on what decodes; the `enr:` text form; enode URLs; and the
 * node database's record decoder `Node.fromStorage`. Record contents are mutated and signed
 * again one mode in two, so mutated entries pass the signature check and reach the readers.
 * @module
 */
import {
  EnodeUrlError,
  Enr,
  EnrError,
  type Enr as EnrRecord,
  formatEnodeUrl,
  Node,
  parseEnodeUrl,
} from '@ethp2p/enode';
import { typedErrors } from '../errors.ts';
import type { FuzzTarget, TargetSpec } from '../target.ts';
import {
  attempt,
  bytesText,
  expectSameBytes,
  fixedKey,
  recordContent,
  sampleRecords,
  signContent,
  textBytes,
} from './fixtures.ts';

const expected = typedErrors(EnrError);

/** Reads every standard entry and the node of a verified record. */
function readRecord(enr: EnrRecord): void {
  for (const read of [
    () => enr.id,
    () => enr.secp256k1,
    () => enr.ip,
    () => enr.ip6,
    () => enr.tcp,
    () => enr.udp,
    () => enr.tcp6,
    () => enr.udp6,
    () => enr.entries(),
    () => Node.fromEnr(enr).toString(),
  ]) {
    attempt(read, expected);
  }
}

/** The `enr` target. */
export const enrTarget: TargetSpec = {
  name: 'enr',
  decoders:
    '@ethp2p/enode Enr.decode (RLP, key order, "v4" signature), the entry getters, ' +
    'Node.fromEnr; a decoded record must re-encode to its input',
  create(): FuzzTarget {
    const key = fixedKey('enr');
    const records = sampleRecords(key.privateKey).map((r) => r.encode());
    return {
      modes: [
        { name: 'record', seeds: records },
        {
          name: 'signed-content',
          seeds: records.map(recordContent),
          prepare: (content) => signContent(content, key.privateKey),
        },
      ],
      maxInputBytes: 1024,
      expected,
      run(input) {
        const enr = Enr.decode(input);
        expectSameBytes('record', input, enr.encode());
        readRecord(enr);
      },
    };
  },
};

/** The `enr-text` target. */
export const enrTextTarget: TargetSpec = {
  name: 'enr-text',
  decoders: '@ethp2p/enode Enr.decodeText (`enr:` + unpadded base64url)',
  create(): FuzzTarget {
    const key = fixedKey('enr');
    return {
      modes: [
        {
          name: 'text',
          seeds: sampleRecords(key.privateKey).map((r) => textBytes(r.encodeText())),
        },
      ],
      maxInputBytes: 1024,
      dictionary: ['enr:', '=', '-', '_', '+', '/', ' ', '\n'].map(textBytes),
      expected,
      run(input) {
        readRecord(Enr.decodeText(bytesText(input)));
      },
    };
  },
};

/** The `enode-url` target. */
export const enodeUrlTarget: TargetSpec = {
  name: 'enode-url',
  decoders: '@ethp2p/enode parseEnodeUrl (a parsed URL must format back to a parseable URL)',
  create(): FuzzTarget {
    const { publicKey } = fixedKey('enode');
    const urls = [
      formatEnodeUrl({ publicKey, ip: '127.0.0.1', tcp: 30303 }),
      formatEnodeUrl({ publicKey, ip: '::1', tcp: 30303, udp: 30301 }),
      formatEnodeUrl({ publicKey, hostname: 'boot.example.org', tcp: 1 }),
      formatEnodeUrl({ publicKey }),
    ];
    const enodeError = typedErrors(EnodeUrlError);
    return {
      modes: [{ name: 'url', seeds: urls.map(textBytes) }],
      maxInputBytes: 1024,
      dictionary: ['enode://', '@', ':', '?discport=', '[', ']', '%', '.', '&', '#', '0x'].map(
        textBytes,
      ),
      expected: enodeError,
      run(input) {
        parseEnodeUrl(formatEnodeUrl(parseEnodeUrl(bytesText(input))));
      },
    };
  },
};

/** The `node-db` target. */
export const nodeDbTarget: TargetSpec = {
  name: 'node-db',
  decoders:
    '@ethp2p/enode Node.fromStorage (what the node database reads back: signed records and ' +
    'unsigned `[sig="", seq, k, v, ...]` nodes), then the node\'s enode URL',
  create(): FuzzTarget {
    const key = fixedKey('node-db');
    const nodes = sampleRecords(key.privateKey).map((r) => Node.fromEnr(r));
    nodes.push(Node.fromPublicKey(key.publicKey, { ip: '10.1.2.3', tcp: 30303, udp: 30301 }));
    nodes.push(Node.fromPublicKey(key.publicKey, {}));
    const stored = nodes.map((n) => n.toStorage());
    const contents = stored.map(recordContent);
    return {
      modes: [
        { name: 'stored', seeds: stored },
        {
          name: 'signed-content',
          seeds: contents,
          prepare: (content) => signContent(content, key.privateKey),
        },
        {
          name: 'unsigned-content',
          seeds: contents,
          prepare: (content) => signContent(content),
        },
      ],
      maxInputBytes: 1024,
      expected,
      run(input) {
        const node = Node.fromStorage(input);
        void node.toString();
      },
    };
  },
};

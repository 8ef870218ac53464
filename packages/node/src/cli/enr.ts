/**
 * `ethp2p enr decode`: decode and verify a node record (EIP-778) or an enode URL and print
 * every field (geth `cmd/devp2p` `enrdump`). The printers are shared with the discv4 commands.
 * @see https://eips.ethereum.org/EIPS/eip-778
 * @module
 */
import { decodeRlp, type RlpDecoded, RlpError } from '@ethp2p/base/rlp';
import { bytesToHex, hexToBytes } from '@ethp2p/crypto';
import { Enr, EnrError, Node, nodeIdToHex } from '@ethp2p/enode';
import { ETH_ENR_KEY, EthError } from '@ethp2p/eth';
import { decodeEthEnrEntry } from '@ethp2p/eth/messages';
import type { CommandSpec } from './command.ts';
import { failure } from './errors.ts';
import { parseNodeArg } from './node-arg.ts';

/** Keys whose value is text. */
const TEXT_KEYS: ReadonlySet<string> = new Set(['id']);
/** Keys whose value is a port number. */
const PORT_KEYS: ReadonlySet<string> = new Set(['tcp', 'udp', 'tcp6', 'udp6', 'quic', 'quic6']);

/**
 * The lines describing a node: its ID, public key and endpoint, its enode URL, and for a node
 * with a record the seq, signature, size and every entry.
 */
export function describeNode(node: Node): string[] {
  const lines: string[] = [];
  const row = (label: string, value: string): void => {
    lines.push(`${`${label}:`.padEnd(12)}${value}`);
  };
  row('node id', nodeIdToHex(node.id));
  row('public key', bytesToHex(node.publicKey));
  row('enode', node.enodeUrl());
  const { record } = node;
  if (record === undefined) {
    row('ip', node.ip ?? node.hostname ?? '(none)');
    row('tcp', String(node.tcp ?? '(none)'));
    row('udp', String(node.udp ?? '(none)'));
    lines.push('(no record: enode URLs are not signed)');
    return lines;
  }
  row('seq', String(record.seq));
  row('signature', bytesToHex(record.signature));
  row('size', `${record.encode().length} bytes`);
  lines.push('entries:');
  const entries = record.entries();
  const width = Math.max(...entries.map(([k]) => printableKey(k).length));
  for (const [key, raw] of entries) {
    lines.push(`  ${printableKey(key).padEnd(width)}  ${describeEntry(record, key, raw)}`);
  }
  return lines;
}

/**
 * One entry's value, readable: text, IP address, port, key, the `eth` entry's fork ID (EIP-2124;
 * `next` 0 when no fork is scheduled), or the RLP as hex; an entry that is
 * not valid for its key (or not canonical RLP) as its raw hex and why.
 */
export function describeEntry(record: Enr, key: string, raw: Uint8Array): string {
  try {
    if (key === 'ip') return record.ip ?? '';
    if (key === 'ip6') return record.ip6 ?? '';
    if (PORT_KEYS.has(key)) return String(readPortEntry(record, key));
    if (key === 'secp256k1') return `${bytesToHex(record.secp256k1)} (compressed public key)`;
    if (TEXT_KEYS.has(key)) return JSON.stringify(new TextDecoder().decode(record.getBytes(key)));
    if (key === ETH_ENR_KEY) {
      const { hash, next } = decodeEthEnrEntry(raw);
      return `fork ID hash 0x${bytesToHex(hash)}, next ${next}`;
    }
    return describeRlp(decodeRlp(raw));
  } catch (err) {
    if (!(err instanceof EnrError || err instanceof RlpError || err instanceof EthError)) throw err;
    return `0x${bytesToHex(raw)} (invalid: ${err.message})`;
  }
}

function readPortEntry(record: Enr, key: string): number | undefined {
  switch (key) {
    case 'tcp':
      return record.tcp;
    case 'udp':
      return record.udp;
    case 'tcp6':
      return record.tcp6;
    case 'udp6':
      return record.udp6;
    default: {
      const bytes = record.getBytes(key) ?? new Uint8Array(0);
      if (bytes.length > 2)
        throw new EnrError('INVALID_ENTRY', `${key} entry is not a 16-bit port`);
      return bytes.reduce((n, b) => n * 256 + b, 0);
    }
  }
}

/** RLP as text: byte strings as 0x-hex (plus the text when printable), lists in brackets. */
function describeRlp(item: RlpDecoded): string {
  if (Array.isArray(item)) return `[${item.map(describeRlp).join(', ')}]`;
  const hex = `0x${bytesToHex(item)}`;
  const printable = item.length > 0 && item.every((b) => b >= 0x20 && b < 0x7f);
  return printable ? `${hex} (${JSON.stringify(new TextDecoder().decode(item))})` : hex;
}

function printableKey(key: string): string {
  return /^[\x21-\x7e]+$/.test(key) ? key : JSON.stringify(key);
}

/**
 * Parses `enr:` text, an `enode://` URL or the record's RLP as hex (`0x` optional).
 * @throws {CliError} `FAILED` for anything else, or a record that does not verify
 */
export function parseNodeOrRecord(text: string): Node {
  const trimmed = text.trim();
  if (/^(0x)?([0-9a-fA-F]{2})+$/.test(trimmed)) {
    try {
      return Node.fromEnr(Enr.decode(hexToBytes(trimmed)));
    } catch (err) {
      if (err instanceof EnrError) throw failure(`invalid record: ${err.message}`, { cause: err });
      throw err;
    }
  }
  return parseNodeArg(trimmed, 'record');
}

const decode: CommandSpec = {
  path: ['enr', 'decode'],
  summary: 'Decode and verify a node record or enode URL and print its fields',
  description:
    "Accepts enr: text, an enode:// URL, or the record's RLP in hex. A record is printed only\n" +
    'if its signature verifies.',
  args: [{ name: 'enr|enode', required: true, description: 'the record or URL to decode' }],
  options: {},
  examples: [
    'ethp2p enr decode enr:-IS4QHCYrYZbAKWCBRlAy5zzaDZXJBGkcnh4MHcBFZntXNFrdvJjX04jRzjzCBOonrkTfj499SZuOh8R33Ls8RRcy5wBgmlkgnY0gmlwhH8AAAGJc2VjcDI1NmsxoQPKY0yuDUmstAHYpMa2_oxVtw0RW_QAdpzBQA8yWM0xOIN1ZHCCdl8',
    'ethp2p enr decode "$(ethp2p key to-enr nodekey)"',
  ],
  async run(ctx) {
    for (const line of describeNode(parseNodeOrRecord(ctx.args[0] ?? ''))) ctx.out(line);
  },
};

/** The `enr` commands. */
export const ENR_COMMANDS: readonly CommandSpec[] = [decode];

/**
 * `ethp2p key ...`: node key files in go-ethereum's `nodekey` format (64 hex characters) and
 * the identities derived from them: node ID, enode URL and signed record (geth `cmd/devp2p`
 * `keycmd.go`).
 * @module
 */
import { stat } from 'node:fs/promises';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import {
  Enr,
  formatEnodeUrl,
  loadNodeKey,
  nodeIdFromPublicKey,
  nodeIdToHex,
  normalizeIp,
  saveNodeKey,
} from '@ethp2p/enode';
import type { OptionSpecs, OptionValues } from './args.ts';
import type { CommandSpec, GroupSpec } from './command.ts';
import { failure, usageError } from './errors.ts';

/** The `key` group. */
export const KEY_GROUP: GroupSpec = {
  path: ['key'],
  summary: 'Create node keys and derive node IDs, enode URLs and records from them',
  examples: [
    'ethp2p key generate nodekey',
    'ethp2p key to-enode nodekey --ip 10.0.0.1 --tcp 30303',
  ],
};

const KEY_FILE = { name: 'file', required: true, description: 'node key file (64 hex characters)' };

const ENDPOINT_OPTIONS: OptionSpecs = {
  ip: {
    type: 'string',
    valueName: 'ip',
    default: '127.0.0.1',
    description: 'IP address (v4 or v6)',
  },
  tcp: { type: 'string', valueName: 'port', default: '30303', description: 'RLPx (TCP) port' },
  udp: { type: 'string', valueName: 'port', default: '30303', description: 'discovery (UDP) port' },
};

const generate: CommandSpec = {
  path: ['key', 'generate'],
  summary: 'Create a node key; write it to <file> with mode 0600, or print it',
  description:
    "The file holds the key as 64 hex characters, like go-ethereum's nodekey. An existing file\n" +
    'is never overwritten.',
  args: [
    { name: 'file', required: false, description: 'where to write the key (default: print it)' },
  ],
  options: {},
  examples: ['ethp2p key generate nodekey', 'ethp2p key generate > nodekey.hex'],
  async run(ctx) {
    const key = generatePrivateKey();
    const [file] = ctx.args;
    if (file === undefined) {
      ctx.out(bytesToHex(key));
      return;
    }
    if (await exists(file))
      throw failure(`${file} already exists; remove it or choose another path`);
    await saveNodeKey(file, key);
  },
};

const toId: CommandSpec = {
  path: ['key', 'to-id'],
  summary: 'Print the node ID of a node key',
  args: [KEY_FILE],
  options: {},
  examples: ['ethp2p key to-id nodekey'],
  async run(ctx) {
    const key = await loadNodeKey(ctx.args[0] ?? '');
    ctx.out(nodeIdToHex(nodeIdFromPublicKey(publicKey(key))));
  },
};

const toEnode: CommandSpec = {
  path: ['key', 'to-enode'],
  summary: 'Print the enode URL of a node key',
  args: [KEY_FILE],
  options: ENDPOINT_OPTIONS,
  examples: [
    'ethp2p key to-enode nodekey',
    'ethp2p key to-enode nodekey --ip 10.0.0.1 --tcp 30303 --udp 30301',
  ],
  async run(ctx) {
    const key = await loadNodeKey(ctx.args[0] ?? '');
    const ep = endpoint(ctx.options);
    ctx.out(formatEnodeUrl({ publicKey: publicKey(key), ip: ep.ip, tcp: ep.tcp, udp: ep.udp }));
  },
};

const toEnr: CommandSpec = {
  path: ['key', 'to-enr'],
  summary: 'Print a signed node record (enr:...) for a node key',
  description: 'The record holds ip (or ip6), tcp and udp; a port of 0 leaves its entry out.',
  args: [KEY_FILE],
  options: {
    ...ENDPOINT_OPTIONS,
    seq: {
      type: 'string',
      valueName: 'n',
      default: '1',
      description: 'sequence number of the record',
    },
  },
  examples: [
    'ethp2p key to-enr nodekey --ip 10.0.0.1',
    'ethp2p key to-enr nodekey --seq 7 --udp 30301',
  ],
  async run(ctx) {
    const key = await loadNodeKey(ctx.args[0] ?? '');
    const ep = endpoint(ctx.options);
    const seq = ctx.options.integer('seq', 0, Number.MAX_SAFE_INTEGER) ?? 1;
    const entries = {
      [ep.ip.includes(':') ? 'ip6' : 'ip']: ep.ip,
      tcp: ep.tcp === 0 ? undefined : ep.tcp,
      udp: ep.udp === 0 ? undefined : ep.udp,
    };
    ctx.out(Enr.sign({ seq: BigInt(seq), entries }, key).encodeText());
  },
};

/** The `key` commands. */
export const KEY_COMMANDS: readonly CommandSpec[] = [generate, toId, toEnode, toEnr];

function endpoint(options: OptionValues): { ip: string; tcp: number; udp: number } {
  const text = options.string('ip') ?? '127.0.0.1';
  const ip = normalizeIp(text);
  if (ip === undefined)
    throw usageError(`${options.origin('ip')}: expected an IP address, got '${text}'`);
  return { ip, tcp: options.port('tcp') ?? 30303, udp: options.port('udp') ?? 30303 };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw failure(`cannot check ${path}: ${(err as Error).message}`, { cause: err });
  }
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedError } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { formatEnodeUrl, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.ts';
import { CliError } from '../../src/cli/errors.ts';
import { NODE_OPTIONS, nodeCommandConfig } from '../../src/cli/node-options.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-geth-config-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const enode = (port: number): string =>
  formatEnodeUrl({ publicKey: publicKey(generatePrivateKey()), ip: '127.0.0.1', tcp: port });

async function configFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

function resolve(args: readonly string[], env: Record<string, string> = {}) {
  return nodeCommandConfig(parseCommandArgs(args, NODE_OPTIONS, env).options);
}

describe('ethp2p node --config (geth TOML)', () => {
  it('maps the geth settings it knows onto the node', async () => {
    const boot = enode(30301);
    const stat = enode(30302);
    const trust = enode(30303);
    const file = await configFile(
      'full.toml',
      `# as written by geth dumpconfig
[Eth]
NetworkId = 1337
SyncMode = "snap"

[Node]
DataDir = "${join(dir, 'from-config')}"
UserIdent = "box1"
HTTPPort = 8545

[Node.P2P]
MaxPeers = 7
MaxPendingPeers = 3
NoDiscovery = false
NoDial = true
BootstrapNodes = ["${boot}"]
StaticNodes = ["${stat}"]
TrustedNodes = ["${trust}"]
ListenAddr = "127.0.0.1:30399"
NetRestrict = "127.0.0.0/8"
`,
    );
    const { node } = await resolve(['--config', file]);
    expect(node.datadir).toBe(join(dir, 'from-config'));
    expect(node.networkId).toBe(1337n);
    expect(node.name).toMatch(/^ethp2p\/box1\//);
    expect(node.maxPeers).toBe(7);
    expect(node.maxPendingPeers).toBe(3);
    expect(node.discovery).toBe(true);
    expect(node.noDial).toBe(true);
    expect(node.port).toBe(30399);
    expect(node.listenIp).toBe('127.0.0.1');
    expect(node.bootnodes?.map((n) => n.enodeUrl())).toEqual([boot]);
    expect(node.staticNodes?.map((n) => nodeIdToHex(n.id))).toHaveLength(1);
    expect(node.trustedNodes?.map((n) => n.enodeUrl())).toEqual([trust]);
    expect(node.netRestrict).toEqual(['127.0.0.0/8']);
  });

  it('lets command-line flags and ETHP2P_* variables win over the file', async () => {
    const file = await configFile(
      'override.toml',
      `[Node]\nDataDir = "${join(dir, 'x')}"\n[Node.P2P]\nMaxPeers = 7\nListenAddr = ":30398"\n`,
    );
    const { node } = await resolve(
      ['--config', file, '--maxpeers', '9', '--datadir', join(dir, 'y')],
      { ETHP2P_PORT: '30397' },
    );
    expect(node.maxPeers).toBe(9);
    expect(node.datadir).toBe(join(dir, 'y'));
    expect(node.port).toBe(30397);
  });

  it('names the file, section and key of a bad setting', async () => {
    const file = await configFile('bad.toml', '[Node.P2P]\nMaxPeers = "many"\n');
    const err = await rejectedError(resolve(['--config', file]), CliError);
    expect(err).toMatchObject({
      code: 'USAGE',
      message: `${file} [Node.P2P] MaxPeers: expected an integer, got "many"`,
    });
    const range = await configFile('range.toml', '[Node.P2P]\nMaxPeers = -1\n');
    const out = await rejectedError(resolve(['--config', range]), CliError);
    expect(out.message).toBe(
      `${range} [Node.P2P] MaxPeers: expected an integer in 0-100000, got '-1'`,
    );
  });

  it('refuses a file that is missing or not TOML', async () => {
    const missing = join(dir, 'missing.toml');
    const err = await rejectedError(resolve(['--config', missing]), CliError);
    expect(err).toMatchObject({
      code: 'FAILED',
      message: `--config ${missing}: cannot read (ENOENT)`,
    });
    const broken = await configFile('broken.toml', '[Node.P2P\nMaxPeers = 1\n');
    const parse = await rejectedError(resolve(['--config', broken]), CliError);
    expect(parse.code).toBe('USAGE');
    expect(parse.message).toMatch(new RegExp(`^--config ${broken}: not TOML \\(line 1: `));
  });
});

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedError } from '@ethp2p/base/testing';
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { V5_BOOTNODES } from '@ethp2p/eth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../src/cli/args.ts';
import { CliError } from '../../src/cli/errors.ts';
import { NODE_OPTIONS, nodeCommandConfig } from '../../src/cli/node-options.ts';
import { CLIENT_VERSION } from '../../src/node/config.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ethp2p-geth-flags-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The resolved config of `ethp2p node <args>` (mainnet, no discovery, a temp datadir). */
function config(args: readonly string[], env: Record<string, string> = {}) {
  const argv = ['--nodiscover', '--datadir', join(dir, 'data'), ...args];
  return nodeCommandConfig(parseCommandArgs(argv, NODE_OPTIONS, env).options);
}

describe('geth flags of ethp2p node', () => {
  it('--nodekeyhex gives the key itself', async () => {
    const key = generatePrivateKey();
    const { node } = await config(['--nodekeyhex', bytesToHex(key)]);
    expect(node.privateKey).toEqual(key);
  });

  it('--nodekey reads the key file and leaves it as it was', async () => {
    const key = generatePrivateKey();
    const file = join(dir, 'key-file');
    await writeFile(file, `${bytesToHex(key)}\n`);
    const { node } = await config(['--nodekey', file]);
    expect(node.privateKey).toEqual(key);
    expect(await readFile(file, 'utf8')).toBe(`${bytesToHex(key)}\n`);
  });

  it('uses the datadir key without --nodekey or --nodekeyhex', async () => {
    const { node } = await config([]);
    expect(node.privateKey).toBeUndefined();
  });

  it('refuses a missing or invalid --nodekey file', async () => {
    const missing = join(dir, 'missing');
    const err = await rejectedError(config(['--nodekey', missing]), CliError);
    expect(err).toMatchObject({ code: 'FAILED', message: `--nodekey ${missing}: no such file` });
    const bad = join(dir, 'bad-key');
    await writeFile(bad, 'zz');
    const invalid = await rejectedError(config(['--nodekey', bad]), CliError);
    expect(invalid).toMatchObject({
      code: 'FAILED',
      message: `--nodekey ${bad}: expected 64 hex characters`,
    });
  });

  it('refuses a bad --nodekeyhex without echoing it, and both key flags', async () => {
    const err = await rejectedError(config(['--nodekeyhex', '00'.repeat(32)]), CliError);
    expect(err).toMatchObject({ code: 'USAGE' });
    expect(err.message).toBe(
      '--nodekeyhex: expected 64 hex characters of a valid secp256k1 private key',
    );
    const both = await rejectedError(
      config(['--nodekey', 'f', '--nodekeyhex', bytesToHex(generatePrivateKey())]),
      CliError,
    );
    expect(both.message).toBe('--nodekey and --nodekeyhex exclude each other');
  });

  it('--identity goes into the client name after the client', async () => {
    const { node } = await config(['--identity', 'my-box']);
    expect(node.name).toMatch(new RegExp(`^ethp2p/my-box/v${CLIENT_VERSION}/`));
    expect((await config([])).node.name).toBeUndefined();
    const err = await rejectedError(config(['--identity', 'two words']), CliError);
    expect(err.message).toMatch(/^--identity: expected 1-64 printable characters without spaces/);
  });

  it('--maxpendpeers sets the handshake limit; 0 is the default', async () => {
    expect((await config(['--maxpendpeers', '7'])).node.maxPendingPeers).toBe(7);
    expect((await config(['--maxpendpeers', '0'])).node.maxPendingPeers).toBeUndefined();
    expect((await config([], { ETHP2P_MAXPENDPEERS: '3' })).node.maxPendingPeers).toBe(3);
    const err = await rejectedError(config(['--maxpendpeers', 'x']), CliError);
    expect(err.message).toBe("--maxpendpeers: expected an integer in 0-100000, got 'x'");
  });

  it('--maxpendpeers.perip sets the per-IP handshake limit; 0 is the default', async () => {
    expect((await config(['--maxpendpeers.perip', '4'])).node.maxPendingPerIp).toBe(4);
    expect((await config(['--maxpendpeers.perip', '0'])).node.maxPendingPerIp).toBeUndefined();
    const env = { ETHP2P_MAXPENDPEERS_PERIP: '2' };
    expect((await config([], env)).node.maxPendingPerIp).toBe(2);
    const err = await rejectedError(config(['--maxpendpeers.perip', '-1']), CliError);
    expect(err.message).toBe("--maxpendpeers.perip: expected an integer in 0-100000, got '-1'");
  });

  it('--handshake.idletimeout sets the handshake idle-read timeout; 0 is the default', async () => {
    expect((await config(['--handshake.idletimeout', '750ms'])).node.handshakeIdleTimeoutMs).toBe(
      750,
    );
    expect((await config(['--handshake.idletimeout', '1.5s'])).node.handshakeIdleTimeoutMs).toBe(
      1_500,
    );
    expect((await config(['--handshake.idletimeout', '0.5ms'])).node.handshakeIdleTimeoutMs).toBe(
      1,
    );
    expect(
      (await config(['--handshake.idletimeout', '0'])).node.handshakeIdleTimeoutMs,
    ).toBeUndefined();
    let err = await rejectedError(config(['--handshake.idletimeout', 'soon']), CliError);
    expect(err.message).toMatch(/^--handshake.idletimeout: expected a duration/);
    err = await rejectedError(config(['--handshake.idletimeout', '2h']), CliError);
    expect(err.message).toBe("--handshake.idletimeout: expected at most 1h, got '2h'");
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['3', 3],
    ['5', 5],
  ])('--verbosity %s is geth level %i', async (text, level) => {
    expect((await config(['--verbosity', text])).verbosity).toBe(level);
  });

  it('--discovery.workers sizes the discv4 signature pool: auto by default, 0 inline', async () => {
    const parse = (args: string[]) =>
      nodeCommandConfig(
        parseCommandArgs(['--datadir', join(dir, 'dw'), ...args], NODE_OPTIONS, {}).options,
      );
    expect((await parse([])).node.discoveryWorkers).toBe('auto');
    expect((await parse(['--discovery.workers', '0'])).node.discoveryWorkers).toBe(0);
    expect((await parse(['--discovery.workers=2'])).node.discoveryWorkers).toBe(2);
    expect((await parse(['--discovery.workers', 'auto'])).node.discoveryWorkers).toBe('auto');
    const err = await rejectedError(parse(['--discovery.workers', 'many']), CliError);
    expect(err.message).toMatch(/--discovery\.workers: expected an integer in 0-64, got 'many'/);
  });

  it('--discovery.v4 and --discovery.v5 turn either version off; --v5disc is accepted', async () => {
    const both = await nodeCommandConfig(
      parseCommandArgs(['--datadir', join(dir, 'd5')], NODE_OPTIONS, {}).options,
    );
    expect(both.node).toMatchObject({ discovery: true, discoveryV4: true, discoveryV5: true });
    const parse = (args: string[]) =>
      nodeCommandConfig(
        parseCommandArgs(['--datadir', join(dir, 'd5'), ...args], NODE_OPTIONS, {}).options,
      );
    expect((await parse(['--discovery.v5', 'false'])).node).toMatchObject({
      discovery: true,
      discoveryV4: true,
      discoveryV5: false,
    });
    expect((await parse(['--discovery.v4=false'])).node).toMatchObject({
      discoveryV4: false,
      discoveryV5: true,
    });
    expect((await parse(['--discovery.v4=false', '--discovery.v5=false'])).node.discovery).toBe(
      false,
    );
    expect((await parse(['--discovery.v5=false', '--v5disc'])).node.discoveryV5).toBe(true);
    const err = await rejectedError(parse(['--discovery.v5', 'maybe']), CliError);
    expect(err.message).toMatch(/--discovery\.v5: expected true or false, got 'maybe'/);
  });

  it("uses geth's V5Bootnodes for discv5 unless --bootnodes replaces them (none is contacted)", async () => {
    const parse = (args: string[]) =>
      nodeCommandConfig(
        parseCommandArgs(['--datadir', join(dir, 'd5b'), ...args], NODE_OPTIONS, {}).options,
      );
    for (const network of ['mainnet', 'sepolia', 'hoodi']) {
      const { node } = await parse(['--network', network]);
      expect(node.v5Bootnodes?.map((n) => n.record?.encodeText())).toEqual(V5_BOOTNODES);
      expect(node.bootnodes?.every((n) => n.record === undefined)).toBe(true);
    }
    const enr = Node.parse(V5_BOOTNODES[0] ?? '');
    const given = await parse(['--bootnodes', enr.record?.encodeText() ?? '']);
    expect(given.node.v5Bootnodes).toEqual([]);
    expect(given.node.bootnodes?.map((n) => n.record?.encodeText())).toEqual([V5_BOOTNODES[0]]);
    expect((await parse(['--discovery.v5=false'])).node.v5Bootnodes).toEqual([]);
    expect((await parse(['--nodiscover'])).node.v5Bootnodes).toEqual([]);
  });
});

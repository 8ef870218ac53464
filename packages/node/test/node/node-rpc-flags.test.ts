import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OptionValues, parseCommandArgs } from '../../src/cli/args.ts';
import { main } from '../../src/cli/main.ts';
import { NODE_OPTIONS, nodeCommandConfig } from '../../src/cli/node-options.ts';
import { servesAdminBeyondLoopback } from '../../src/node/rpc-servers.ts';
import { run, testIo } from '../cli/helpers/run.ts';
import { httpCall, openWs } from '../rpc/helpers/clients.ts';
import { type ChainFilesOnDisk, tempDir, writeChain } from './helpers.ts';

let dir: string;
let files: ChainFilesOnDisk;

beforeAll(async () => {
  dir = await tempDir();
  files = await writeChain(dir, 2);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function chainFlags(datadir: string): string[] {
  return ['--genesis', files.genesisPath, '--chain', files.chainPath, '--datadir', datadir];
}

async function config(args: readonly string[]) {
  const { options } = parseCommandArgs(args, NODE_OPTIONS, {});
  return (await nodeCommandConfig(options as OptionValues)).node;
}

describe('ethp2p node RPC flags', () => {
  it('are off by default and loopback with geth ports when on', async () => {
    const off = await config(chainFlags(join(dir, 'off')));
    expect(off.http).toBeUndefined();
    expect(off.ws).toBeUndefined();
    const on = await config([...chainFlags(join(dir, 'on')), '--http', '--ws']);
    expect(on.http).toEqual({
      host: '127.0.0.1',
      port: 8545,
      api: ['admin', 'eth', 'ethp2p', 'net', 'web3'],
      vhosts: ['localhost'],
    });
    expect(on.ws).toEqual({
      host: '127.0.0.1',
      port: 8546,
      api: ['admin', 'eth', 'ethp2p', 'net', 'web3'],
    });
    const custom = await config([
      ...chainFlags(join(dir, 'custom')),
      '--http',
      '--http.addr',
      '::1',
      '--http.port',
      '0',
      '--http.api',
      'net,web3',
      '--http.vhosts',
      '*',
      '--http.corsdomain',
      'http://a.example',
      '--ws',
      '--ws.origins',
      '*',
    ]);
    expect(custom.http).toEqual({
      host: '::1',
      port: 0,
      api: ['net', 'web3'],
      vhosts: ['*'],
      corsDomains: ['http://a.example'],
    });
    expect(custom.ws).toMatchObject({ origins: ['*'] });
  });

  it('knows when the admin API would be served beyond loopback (it logs a warning then)', () => {
    expect(servesAdminBeyondLoopback('127.0.0.1', undefined)).toBe(false);
    expect(servesAdminBeyondLoopback('::1', ['admin'])).toBe(false);
    expect(servesAdminBeyondLoopback('localhost', undefined)).toBe(false);
    expect(servesAdminBeyondLoopback('0.0.0.0', undefined)).toBe(true);
    expect(servesAdminBeyondLoopback('10.0.0.1', ['net', 'admin'])).toBe(true);
    expect(servesAdminBeyondLoopback('0.0.0.0', ['net', 'web3'])).toBe(false);
  });

  it.each([
    ['--http', '--http.addr', 'nope', "--http.addr: expected an IP address, got 'nope'"],
    ['--ws', '--ws.addr', '1.2.3', "--ws.addr: expected an IP address, got '1.2.3'"],
    ['--ws', '--ws.port', '70000', "--ws.port: expected a port number in 0-65535, got '70000'"],
  ])('refuses %s %s %s as a usage error', async (on, flag, value, message) => {
    const result = await run(['node', ...chainFlags(join(dir, 'bad')), on, flag, value]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('shows every flag of ethp2p node in --help, one line each', async () => {
    const help = await run(['node', '--help']);
    const lines = help.stdout.split('\n');
    for (const name of Object.keys(NODE_OPTIONS)) {
      const flag = new RegExp(`^  --${name.replaceAll('.', '\\.')}(?= )`);
      expect(
        lines.filter((l) => flag.test(l)),
        name,
      ).toHaveLength(1);
    }
    for (const flag of ['--http ', '--ws ', '--metrics ', '--dashboard ']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('serves JSON-RPC on the ports it logs (port 0) and stops them on the signal', async () => {
    const controller = new AbortController();
    const io = testIo({}, controller.signal);
    const args = [
      'node',
      ...chainFlags(join(dir, 'run')),
      '--listen.ip',
      '127.0.0.1',
      '--port',
      '0',
      '--nodiscover',
      '--http',
      '--http.port',
      '0',
      '--ws',
      '--ws.port',
      '0',
    ];
    const exit = main(args, io);
    await io.stderr.waitFor((t) => t.includes('WebSocket enabled'), AbortSignal.timeout(15_000));
    const endpoint = /HTTP server started.*endpoint=(\S+)/.exec(io.stderr.text)?.[1];
    const wsUrl = /WebSocket enabled.*url=(\S+)/.exec(io.stderr.text)?.[1];
    expect(endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await httpCall(`http://${endpoint}`, 'eth_blockNumber')).toMatchObject({
      result: '0x2',
    });
    const client = await openWs(wsUrl ?? '');
    expect(await client.call({ jsonrpc: '2.0', id: 7, method: 'net_listening' })).toEqual({
      jsonrpc: '2.0',
      id: 7,
      result: true,
    });
    const closed = new Promise<void>((resolve) => client.ws.once('close', () => resolve()));
    controller.abort(new Error('received SIGINT'));
    expect(await exit).toBe(0);
    await closed;
    await expect(httpCall(`http://${endpoint}`, 'net_version')).rejects.toThrow();
  });
});

import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeIdToHex } from '@ethp2p/enode';
import type { MemoryChain } from '@ethp2p/eth/chain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcHttpServer } from '../../src/http/http-server.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { RpcHandler } from '../../src/rpc/handler.ts';
import { RpcRegistry, rpcMethod } from '../../src/rpc/registry.ts';
import { loadChain, loopbackNode, tempDir, writeChain } from '../node/helpers.ts';
import { run } from './helpers/run.ts';

let dir: string;
let chain: MemoryChain;
let node: FullNode;

beforeAll(async () => {
  dir = await tempDir();
  chain = await loadChain(await writeChain(dir, 4));
  node = loopbackNode({
    datadir: join(dir, 'n'),
    chain,
    discovery: false,
    http: { host: '127.0.0.1', port: 0 },
    ws: { host: '127.0.0.1', port: 0 },
  });
  await node.start();
});

afterAll(async () => {
  await node.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('ethp2p rpc', () => {
  it.each(['http', 'ws'] as const)(
    'calls a method over %s and prints the result as JSON',
    async (kind) => {
      const url = kind === 'http' ? node.httpUrl : node.wsUrl;
      const info = await run(['rpc', url ?? '', 'admin_nodeInfo']);
      expect(info.code).toBe(0);
      expect(JSON.parse(info.stdout)).toMatchObject({ id: nodeIdToHex(node.self().id) });
      const count = await run(['rpc', url ?? '', 'eth_blockNumber']);
      expect(count).toMatchObject({ code: 0, stdout: '"0x4"\n', stderr: '' });
    },
  );

  it('sends params as JSON values, or as strings when they are not JSON', async () => {
    const enode = node.self().enodeUrl();
    const added = await run(['rpc', node.httpUrl ?? '', 'admin_addTrustedPeer', enode]);
    expect(added).toMatchObject({ code: 0, stdout: 'true\n' });
    const quoted = await run([
      'rpc',
      node.httpUrl ?? '',
      'admin_removeTrustedPeer',
      JSON.stringify(enode),
    ]);
    expect(quoted).toMatchObject({ code: 0, stdout: 'true\n' });
  });

  it('prints the JSON-RPC error and exits with 1', async () => {
    const missing = await run(['rpc', node.httpUrl ?? '', 'nope_nope']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      'ethp2p: {"code":-32601,"message":"the method nope_nope does not exist/is not available"}\n',
    );
    const bad = await run(['rpc', node.wsUrl ?? '', 'admin_addPeer', '1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"code":-32602');
  });

  it('refuses a bad URL as a usage error, and fails on an unreachable one', async () => {
    const usage = await run(['rpc', 'ftp://x', 'net_version']);
    expect(usage.code).toBe(2);
    const missing = await run(['rpc', node.httpUrl ?? '']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing argument <method>');
    const server = await RpcHttpServer.listen({ host: '127.0.0.1', port: 0 });
    const port = server.port;
    await server.close();
    const gone = await run(['rpc', `http://127.0.0.1:${port}`, 'net_version']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^ethp2p: http:\/\/127\.0\.0\.1:\d+: /);
  });

  it('gives up after --timeout', async () => {
    const slow = new RpcRegistry().method(
      'test',
      'slow',
      rpcMethod([], () => new Promise(() => {})),
    );
    const server = await RpcHttpServer.listen({
      host: '127.0.0.1',
      port: 0,
      rpc: new RpcHandler({ registry: slow }),
    });
    try {
      const result = await run([
        'rpc',
        `http://127.0.0.1:${server.port}`,
        'test_slow',
        '--timeout',
        '100ms',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no answer from');
    } finally {
      await server.close();
    }
  });

  it('shows its usage in --help', async () => {
    const help = await run(['rpc', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('ethp2p rpc <url> <method> [params...] [options]');
  });
});

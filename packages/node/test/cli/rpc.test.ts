import { nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { RpcHttpServer } from '../../src/http/http-server.ts';
import { RpcHandler } from '../../src/rpc/handler.ts';
import { RpcRegistry, rpcMethod } from '../../src/rpc/registry.ts';
import { chainFixture, runningRpcNode } from '../rpc/helpers/nodes.ts';
import { run } from './helpers/run.ts';

const f = chainFixture(4);
const running = runningRpcNode(f, 'n', { discovery: false });

describe('ethp2p rpc', () => {
  it.each(['http', 'ws'] as const)(
    'calls a method over %s and prints the result as JSON',
    async (kind) => {
      const url = kind === 'http' ? running.node.httpUrl : running.node.wsUrl;
      const info = await run(['rpc', url ?? '', 'admin_nodeInfo']);
      expect(info.code).toBe(0);
      expect(JSON.parse(info.stdout)).toMatchObject({ id: nodeIdToHex(running.node.self().id) });
      const count = await run(['rpc', url ?? '', 'eth_blockNumber']);
      expect(count).toMatchObject({ code: 0, stdout: '"0x4"\n', stderr: '' });
    },
  );

  it('sends params as JSON values, or as strings when they are not JSON', async () => {
    const enode = running.node.self().enodeUrl();
    const added = await run(['rpc', running.node.httpUrl ?? '', 'admin_addTrustedPeer', enode]);
    expect(added).toMatchObject({ code: 0, stdout: 'true\n' });
    const quoted = await run([
      'rpc',
      running.node.httpUrl ?? '',
      'admin_removeTrustedPeer',
      JSON.stringify(enode),
    ]);
    expect(quoted).toMatchObject({ code: 0, stdout: 'true\n' });
  });

  it('prints the JSON-RPC error and exits with 1', async () => {
    const missing = await run(['rpc', running.node.httpUrl ?? '', 'nope_nope']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      'ethp2p: {"code":-32601,"message":"the method nope_nope does not exist/is not available"}\n',
    );
    const bad = await run(['rpc', running.node.wsUrl ?? '', 'admin_addPeer', '1']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"code":-32602');
  });

  it('refuses a bad URL as a usage error, and fails on an unreachable one', async () => {
    const usage = await run(['rpc', 'ftp://x', 'net_version']);
    expect(usage.code).toBe(2);
    const missing = await run(['rpc', running.node.httpUrl ?? '']);
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

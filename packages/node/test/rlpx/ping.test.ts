import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import { bytesToHex, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Enr } from '@ethp2p/enode';
import { type Protocol, Server } from '@ethp2p/server';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../cli/helpers/run.ts';

const idle: Protocol = {
  name: 'idle',
  version: 1,
  length: 1,
  run: (_peer, rw) =>
    new Promise<void>((resolve) => {
      rw.readMsg().then(
        () => resolve(),
        () => resolve(),
      );
    }),
};

const servers: Server[] = [];

async function startServer(maxPeers: number, privateKey = generatePrivateKey()): Promise<Server> {
  const server = new Server({
    privateKey,
    listenAddress: '127.0.0.1:0',
    maxPeers,
    noDial: true,
    protocols: [idle],
    logger: silentLogger,
  });
  servers.push(server);
  await server.start();
  return server;
}

function enodeOf(server: Server): string {
  return `enode://${bytesToHex(server.publicKey)}@127.0.0.1:${server.listenPort}`;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('rlpx ping', () => {
  it('prints the remote hello: name, version, caps, port, id and rtt', async () => {
    const server = await startServer(10);
    const r = await run(['rlpx', 'ping', enodeOf(server)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^name +ethp2p/m);
    expect(r.stdout).toMatch(/^p2p version +5$/m);
    expect(r.stdout).toMatch(/^caps +idle\/1$/m);
    expect(r.stdout).toMatch(/^listen port +\d+$/m);
    expect(r.stdout).toContain(`id           ${bytesToHex(server.publicKey)}`);
    expect(r.stdout).toMatch(/^rtt +\d+\.\d\d ms$/m);
  });

  it('prints the disconnect reason of a full server and exits with 1', async () => {
    const server = await startServer(0);
    const r = await run(['rlpx', 'ping', enodeOf(server)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/disconnected: too many peers \(0x04\)/);
  });

  it('prints the Disconnect of a server that refuses its own key', async () => {
    const key = generatePrivateKey();
    const server = await startServer(10, key);
    const dir = await mkdtemp(join(tmpdir(), 'ethp2p-rlpx-'));
    try {
      const file = join(dir, 'nodekey');
      await writeFile(file, bytesToHex(key));
      const r = await run(['rlpx', 'ping', enodeOf(server), '--nodekey', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/disconnected: .+ \(0x0a\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails on a closed port and on a node without a TCP port', async () => {
    const server = await startServer(1);
    const url = enodeOf(server);
    await server.stop();
    const closed = await run(['rlpx', 'ping', url, '--timeout', '5s']);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^ethp2p: /);
  });

  it('says a discovery-only node has no TCP port', async () => {
    const key = generatePrivateKey();
    const pub = bytesToHex(publicKey(key));
    const record = Enr.sign({ seq: 1n, entries: { ip: '127.0.0.1', udp: 30301 } }, key);
    const noIp = Enr.sign({ seq: 1n, entries: { tcp: 30303 } }, key);
    const cases: [string, string][] = [
      [
        `enode://${pub}@127.0.0.1:0?discport=30301`,
        "the node's enode URL has no TCP port (a discovery-only node): nothing to connect to",
      ],
      [
        record.encodeText(),
        "the node's record has no TCP port (a discovery-only node): nothing to connect to",
      ],
      [noIp.encodeText(), "the node's record has no IP address: nothing to connect to"],
    ];
    for (const [node, line] of cases) {
      const r = await run(['rlpx', 'ping', node]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`ethp2p: ${line}\n`);
    }
  });

  it('rejects a malformed node and a bad timeout', async () => {
    expect((await run(['rlpx', 'ping', 'enode://zz'])).code).toBe(1);
    const server = await startServer(1);
    expect((await run(['rlpx', 'ping', enodeOf(server), '--timeout', 'x'])).code).toBe(2);
  });
});

import { SimulatedClock } from '@ethp2p/base';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { LocalNode, Node, nodeIdToHex } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../../src/server/config.ts';
import { ServerError } from '../../src/server/errors.ts';
import { Server } from '../../src/server/server.ts';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function make(options: Partial<ServerOptions> = {}): Server {
  const server = new Server({
    privateKey: generatePrivateKey(),
    listenAddress: '127.0.0.1:0',
    clock: new SimulatedClock(1_700_000_000_000),
    ...options,
  });
  servers.push(server);
  return server;
}

const memoryStore = () => {
  let seq = 0n;
  return {
    localSeq: async () => seq,
    storeLocalSeq: async (_id: Uint8Array, s: bigint) => {
      seq = s;
    },
  };
};

describe('Server API', () => {
  it('rejects invalid options in the constructor', () => {
    expect(() => new Server({ privateKey: new Uint8Array(3) })).toThrow(TypeError);
    expect(() => new Server({ privateKey: generatePrivateKey(), maxPeers: -1 })).toThrow(
      RangeError,
    );
  });

  it('rejects non-Node arguments', () => {
    const server = make();
    const notNode = 'enode://x' as unknown as Node;
    expect(() => server.addPeer(notNode)).toThrow(TypeError);
    expect(() => server.removePeer(notNode)).toThrow(TypeError);
    expect(() => server.addTrustedPeer(notNode)).toThrow(TypeError);
    expect(() => server.removeTrustedPeer(notNode)).toThrow(TypeError);
  });

  it('describes itself before start', () => {
    const key = generatePrivateKey();
    const server = make({ privateKey: key, listenAddress: '0.0.0.0:30303' });
    expect(server.running).toBe(false);
    expect(server.listenPort).toBeUndefined();
    expect(server.peerCount()).toBe(0);
    expect(server.peers()).toEqual([]);
    expect(server.peersInfo()).toEqual([]);
    const info = server.nodeInfo();
    expect(info.id).toBe(nodeIdToHex(server.id));
    expect(info.enode).toBe(
      Node.fromPublicKey(publicKey(key), { ip: '127.0.0.1', tcp: 30303 }).enodeUrl(),
    );
    expect(info.listenAddr).toBe('');
  });

  it('advertises the external IP', async () => {
    const server = make({ nat: 'extip:203.0.113.7' });
    await server.start();
    const info = server.nodeInfo();
    expect(info.ip).toBe('203.0.113.7');
    expect(info.enode).toContain(`@203.0.113.7:${server.listenPort}`);
    expect(server.self().record?.get('ip')).toBeDefined();
  });

  it('runs without a listener', async () => {
    const server = make({ listenAddress: null });
    await server.start();
    expect(server.running).toBe(true);
    expect(server.listenPort).toBeUndefined();
    expect(server.nodeInfo()).toMatchObject({ listenAddr: '', ports: { listener: 0 } });
    expect(server.self().tcp).toBeUndefined();
  });

  it('shares a LocalNode: adds its tcp port and keeps its other entries', async () => {
    const key = generatePrivateKey();
    const localNode = await LocalNode.create({ privateKey: key, db: memoryStore() });
    localNode.setFallbackIp('10.1.2.3');
    localNode.setFallbackUdpPort(30301);
    const server = make({ privateKey: key, localNode });
    await server.start();
    const info = server.nodeInfo();
    expect(info.ip).toBe('10.1.2.3');
    expect(info.ports).toEqual({ discovery: 30301, listener: server.listenPort });
    expect(localNode.node().tcp).toBe(server.listenPort);
  });

  it('refuses a LocalNode of another key', async () => {
    const localNode = await LocalNode.create({
      privateKey: generatePrivateKey(),
      db: memoryStore(),
    });
    const server = make({ localNode });
    await expect(server.start()).rejects.toThrow(TypeError);
    expect(server.running).toBe(false);
  });

  it('reports a listen failure as LISTEN_FAILED', async () => {
    const first = make();
    await first.start();
    const second = make({ listenAddress: `127.0.0.1:${first.listenPort}` });
    const err = await second.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ code: 'LISTEN_FAILED', cause: { code: 'EADDRINUSE' } });
    expect(second.running).toBe(false);
  });

  it('stop() during start() wins: start rejects with CLOSED and nothing stays open', async () => {
    const server = make();
    const starting = server.start();
    const stopping = server.stop();
    await expect(starting).rejects.toMatchObject({ code: 'CLOSED' });
    await stopping;
    expect(server.running).toBe(false);
    expect(server.listenPort).toBeUndefined();
  });

  it('start() twice is harmless; stop() twice too; no timer is left', async () => {
    const clock = new SimulatedClock(1_700_000_000_000);
    const server = make({ clock });
    const [first, second] = [server.start(), server.start()];
    expect(first).toBe(second);
    await first;
    await server.start();
    expect(server.running).toBe(true);
    await Promise.all([server.stop(), server.stop()]);
    expect(server.running).toBe(false);
    expect(clock.pending).toBe(0);
    await expect(server.start()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import type { MemoryChain } from '@ethp2p/chain';
import { bytesToHex, generatePrivateKey } from '@ethp2p/crypto';
import { DiscoveryV5 } from '@ethp2p/discovery';
import { NodeDatabase, nodeIdToHex } from '@ethp2p/enode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeError } from '../../src/node/errors.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { loadChain, loopbackNode, tempDir, writeChain } from './helpers.ts';

let dir: string;
let chain: MemoryChain;

beforeAll(async () => {
  dir = await tempDir();
  chain = await loadChain(await writeChain(dir, 16));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Waits until both nodes have one eth peer, the other one. */
async function connected(a: FullNode, b: FullNode): Promise<void> {
  await waitFor(() => a.peerSet.len === 1 && b.peerSet.len === 1, {
    on: { emitters: [a.peerSet.events, b.peerSet.events], events: ['peer:registered'] },
    what: 'both nodes have an eth peer',
    signal: AbortSignal.timeout(15_000),
  });
}

describe('FullNode', () => {
  it('finds a bootnode through discovery, connects and agrees on eth Status', async () => {
    // A only accepts, so the connection is B's dial of a node it found through discovery.
    const a = loopbackNode({ datadir: join(dir, 'a'), chain, noDial: true });
    await a.start();
    const b = loopbackNode({ datadir: join(dir, 'b'), chain, bootnodes: [a.self()] });
    try {
      await b.start();
      await connected(a, b);
      expect(a.server?.peerCount()).toBe(1);
      expect(b.server?.peerCount()).toBe(1);
      const [info] = b.server?.peersInfo() ?? [];
      expect(info?.id).toBe(nodeIdToHex(a.self().id));
      expect(info?.network.inbound).toBe(false);
      expect(info?.caps).toContain('eth/69');
      expect(info?.protocols.eth).toMatchObject({ version: 72, latestBlock: 16 });
      const [fromA] = a.server?.peersInfo() ?? [];
      expect(fromA?.network.inbound).toBe(true);
      expect(a.status()).toMatchObject({ peers: 1, inbound: 1, outbound: 0 });
      expect(b.status()).toMatchObject({ peers: 1, inbound: 0, outbound: 1 });
      expect(b.status().clients).toEqual([['ethp2p', 1]]);
      expect(b.status().dialsSucceeded).toBe(1);
      expect(b.status().table).toBeGreaterThanOrEqual(1);
      expect(b.status().bytesIn).toBeGreaterThan(0);
      expect(b.status().bytesOut).toBeGreaterThan(0);
    } finally {
      await b.stop();
      await a.stop();
    }
  });

  it('reports its last failed dial in the status', async () => {
    const gone = loopbackNode({ datadir: join(dir, 'dial-gone'), chain, noDial: true });
    await gone.start();
    const target = gone.self();
    await gone.stop();
    const node = loopbackNode({
      datadir: join(dir, 'dial-from'),
      chain,
      discovery: false,
      staticNodes: [target],
    });
    await node.start();
    try {
      expect(node.status().lastDialError).toBeUndefined();
      const server = node.server;
      if (server === undefined) throw new Error('no server');
      await waitFor(() => node.status().lastDialError !== undefined, {
        on: { emitters: [server.events], events: ['dial:failed'] },
        what: 'a failed dial',
        signal: AbortSignal.timeout(15_000),
      });
      expect(node.status().lastDialError).toEqual({
        node: target.enodeUrl(),
        error: expect.stringMatching(/ECONNREFUSED/),
      });
    } finally {
      await node.stop();
    }
  });

  it('advertises the fork ID and the bound ports in its record', async () => {
    const node = loopbackNode({ datadir: join(dir, 'record'), chain });
    await node.start();
    try {
      const self = node.self();
      expect(self.ip).toBe('127.0.0.1');
      expect(self.tcp).toBe(node.server?.listenPort);
      expect(self.udp).toBe(node.discovery?.self().udp);
      expect(self.record?.get('eth')).toBeDefined();
    } finally {
      await node.stop();
    }
  });

  it('keeps its key across restarts and reloads known nodes from the database', async () => {
    const aDir = join(dir, 'restart-a');
    const bDir = join(dir, 'restart-b');
    const a = loopbackNode({ datadir: aDir, chain, noDial: true });
    await a.start();
    const aId = nodeIdToHex(a.self().id);
    let b = loopbackNode({ datadir: bDir, chain, bootnodes: [a.self()] });
    await b.start();
    const bId = nodeIdToHex(b.self().id);
    const key = await readFile(join(bDir, 'nodekey'), 'utf8');
    expect((await stat(join(bDir, 'nodekey'))).mode & 0o777).toBe(0o600);
    try {
      await connected(a, b);
      // A node becomes a seed after a few answered revalidation pings (50 ms apart here). No
      // event tells of a pong, so this re-checks the count after each turn of the event loop.
      const disc = b.discovery;
      if (disc === undefined) throw new Error('discovery is off');
      await waitFor(() => disc.metrics.packetsIn.pong >= 12, {
        what: 'b has a dozen pongs from a',
      });
    } finally {
      await b.stop();
    }
    const db = await NodeDatabase.open({ path: join(bDir, 'nodes'), logger: silentLogger });
    try {
      const seeds = await db.querySeeds(10, 3_600_000);
      expect(seeds.map((n) => nodeIdToHex(n.id))).toContain(aId);
    } finally {
      await db.close();
    }

    b = loopbackNode({ datadir: bDir, chain });
    try {
      await b.start();
      expect(nodeIdToHex(b.self().id)).toBe(bId);
      expect(await readFile(join(bDir, 'nodekey'), 'utf8')).toBe(key);
      const disc = b.discovery;
      if (disc === undefined) throw new Error('discovery is off');
      await waitFor(() => disc.nodes().some((n) => nodeIdToHex(n.id) === aId), {
        on: { emitters: [disc.events], events: ['node:added'] },
        what: 'the restarted node has its seed in the table',
      });
      await connected(a, b);
    } finally {
      await b.stop();
      await a.stop();
    }
  });

  it('refuses a datadir locked by another node and writes nothing to it', async () => {
    const datadir = join(dir, 'locked');
    const first = loopbackNode({ datadir, chain, discovery: false });
    await first.start();
    try {
      const before = await snapshot(datadir);
      const second = loopbackNode({ datadir, chain, discovery: false });
      const err = await second.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeError);
      expect((err as NodeError).code).toBe('DATADIR_LOCKED');
      expect((err as NodeError).message).toBe(
        `datadir ${datadir} is in use by another ethp2p (pid ${process.pid}); stop it or pick another --datadir`,
      );
      expect(await snapshot(datadir)).toEqual(before);
      expect(first.running).toBe(true);
      await expect(second.start()).rejects.toMatchObject({ code: 'CLOSED' });
    } finally {
      await first.stop();
    }
    // Released: the next node gets the datadir.
    const third = loopbackNode({ datadir, chain, discovery: false });
    await third.start();
    await third.stop();
  });

  it('refuses a nodes/ it cannot open (not a directory), leaving it and releasing the lock', async () => {
    const datadir = join(dir, 'bad-nodes');
    await mkdir(datadir);
    await writeFile(join(datadir, 'nodes'), 'not a database');
    const node = loopbackNode({ datadir, chain, discovery: false });
    const err = await node.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect((err as NodeError).code).toBe('DATADIR');
    expect((err as NodeError).message).toMatch(
      /^node database .*bad-nodes\/nodes: cannot open it \(EEXIST: .*\); it was left as it was; free disk space or fix the permissions of --datadir/,
    );
    expect(await readFile(join(datadir, 'nodes'), 'utf8')).toBe('not a database');
    // The nodekey this start created is gone again, and so is the lock.
    expect(await readdir(datadir)).toEqual(['nodes']);
  });

  it('disconnects its peers with ClientQuitting when it stops', async () => {
    const a = loopbackNode({ datadir: join(dir, 'quit-a'), chain, discovery: false });
    await a.start();
    const b = loopbackNode({
      datadir: join(dir, 'quit-b'),
      chain,
      discovery: false,
      staticNodes: [a.self()],
    });
    try {
      await b.start();
      await connected(a, b);
      const removed = new Promise<{ reason: number; remoteRequested: boolean }>((resolve) =>
        b.server?.events.once('peer:removed', resolve),
      );
      await a.stop();
      expect(await removed).toMatchObject({ reason: 0x08, remoteRequested: true });
      expect(await readdir(join(dir, 'quit-a'))).not.toContain('LOCK');
    } finally {
      await b.stop();
      await a.stop();
    }
  });
  it('runs discovery v4 and v5 on one UDP port with one record, or v4 alone', async () => {
    const a = loopbackNode({ datadir: join(dir, 'disc-both'), chain, noDial: true });
    const b = loopbackNode({ datadir: join(dir, 'disc-v4'), chain, discoveryV5: false });
    await a.start();
    try {
      await b.start();
      const v4 = a.discovery;
      const v5 = a.discoveryV5;
      if (v4 === undefined || v5 === undefined) throw new Error('expected both versions');
      expect(v5.self().record?.encodeText()).toBe(v4.self().record?.encodeText());
      expect(b.discoveryV5).toBeUndefined();
      const v5Peer = await DiscoveryV5.listen({
        privateKey: generatePrivateKey(),
        logger: silentLogger,
      });
      try {
        const signal = AbortSignal.timeout(10_000);
        const [v5Pong, v4Pong] = await Promise.all([
          v5Peer.ping(v5.self(), { signal }),
          b.discovery?.ping(v4.self(), { signal }),
        ]);
        expect(v5Pong.enrSeq).toBe(v5.self().seq);
        expect(v4Pong?.seq).toBe(v4.self().seq);
        expect(v4.metrics.unhandled).toBeGreaterThan(0);
      } finally {
        await v5Peer.stop();
      }
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});

/** Every file under `root` with its size, mtime and content hash. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
        continue;
      }
      const s = await stat(path);
      out[path] = `${s.size} ${s.mtimeMs} ${bytesToHex((await readFile(path)).subarray(0, 64))}`;
    }
  };
  await walk(root);
  return out;
}

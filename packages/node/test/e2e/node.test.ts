import { join } from 'node:path';
import { Node, NodeDatabase } from '@ethp2p/enode';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeChain } from '../node/helpers.ts';
import {
  assertBuilt,
  type Ethp2p,
  e2eDir,
  enodeOf,
  ethp2p,
  isGone,
  nodeArgs,
  stopAll,
} from './helpers.ts';

/** The first JSON status line (after `from` in stdout) that `test` accepts. */
function statusWhere(
  p: Ethp2p,
  test: (s: Record<string, unknown>) => boolean,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return p.waitUntil(
    () => p.json().find((s) => s.msg === 'status' && test(s)),
    timeoutMs,
    'a matching status line',
  );
}

beforeAll(() => assertBuilt());
afterEach(() => stopAll());

describe('ethp2p node (real processes)', () => {
  it('two nodes find each other through discovery and agree on eth Status', async () => {
    const dir = await e2eDir();
    const { genesisPath, chainPath } = await writeChain(dir, 8);
    const a = ethp2p(nodeArgs(join(dir, 'a'), genesisPath, ['--chain', chainPath]));
    const enodeA = await enodeOf(a);
    const b = ethp2p(
      nodeArgs(join(dir, 'b'), genesisPath, ['--chain', chainPath, '--bootnodes', enodeA]),
    );
    await enodeOf(b);
    // Both sides count the other as an ethp2p peer and have exchanged eth messages (Status).
    for (const p of [a, b]) {
      const s = await statusWhere(
        p,
        (s) => s.peers === 1 && (s.bytesIn as number) > 0 && (s.bytesOut as number) > 0,
        30_000,
      );
      expect(s.clients).toEqual({ ethp2p: 1 });
    }
    // B learned A from discovery (A is its bootnode) and A's table holds B.
    await statusWhere(a, (s) => (s.table as number) >= 1, 20_000);
    await statusWhere(b, (s) => (s.table as number) >= 1, 20_000);
    // The peering holds: a later status line still shows the peer.
    const count = b.json().length;
    await b.waitUntil(
      () =>
        b
          .json()
          .slice(count)
          .find((s) => s.msg === 'status' && s.peers === 1),
      10_000,
      'a later status line with the peer',
    );
  }, 60_000);

  it('keeps its key and reloads known nodes from its database after a restart', async () => {
    const dir = await e2eDir();
    const { genesisPath } = await writeChain(dir, 2);
    const a = ethp2p(nodeArgs(join(dir, 'a'), genesisPath));
    const enodeA = await enodeOf(a);
    const enrA = (await a.waitFor(/"enr":"(enr:[A-Za-z0-9_-]+)"/))[1] as string;
    const datadirB = join(dir, 'b');
    const b1 = ethp2p(nodeArgs(datadirB, genesisPath, ['--bootnodes', enodeA]));
    const enodeB = await enodeOf(b1);
    await statusWhere(b1, (s) => s.peers === 1, 30_000);
    expect(await b1.stop('SIGTERM')).toBe(0);

    // The table stores a node as a seed only after several liveness checks (minutes, as in
    // geth), so record A in B's database as such a seed, as a longer run would have.
    const db = await NodeDatabase.open({ path: join(datadirB, 'nodes') });
    const nodeA = Node.parse(enrA);
    await db.updateNode(nodeA);
    await db.updateLastPongReceived(nodeA.id, '127.0.0.1', Date.now());
    await db.close();

    // No bootnodes this time: only the database can tell B where A is.
    const b2 = ethp2p(nodeArgs(datadirB, genesisPath));
    const enodeB2 = await enodeOf(b2);
    const key = (url: string): string => url.slice(0, url.indexOf('@'));
    expect(key(enodeB2)).toBe(key(enodeB));
    expect(b2.stdout + b2.stderr).not.toMatch(/created a new node key/);
    await statusWhere(b2, (s) => (s.table as number) >= 1 && s.peers === 1, 20_000);
  }, 60_000);

  it('exits 0 on SIGTERM and leaves no process behind', async () => {
    const dir = await e2eDir();
    const { genesisPath } = await writeChain(dir, 2);
    const a = ethp2p(nodeArgs(join(dir, 'a'), genesisPath));
    await enodeOf(a);
    await a.waitFor(/"msg":"status"/);
    expect(await a.stop('SIGTERM')).toBe(0);
    expect(a.stdout).toMatch(/"msg":"stopped"/);
    expect(isGone(a.pid)).toBe(true);
  }, 60_000);
});

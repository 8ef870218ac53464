import { join } from 'node:path';
import { waitFor } from '@ethp2p/base/testing';
import { Node, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import type { FullNode } from '../../src/node/full-node.ts';
import { chainFixture, loopbackNode } from './helpers.ts';

const fixture = chainFixture(8);

/** The node's record as `ethp2p node --bootnodes enr:...` would give it. */
function byEnr(node: FullNode): Node {
  const text = node.discoveryV5?.self().record?.encodeText();
  if (text === undefined) throw new Error('expected discovery v5 to run');
  expect(text.startsWith('enr:')).toBe(true);
  return Node.parse(text);
}

function peersOf(node: FullNode): string[] {
  return (node.server?.peersInfo() ?? []).map((p) => p.id).sort();
}

describe('FullNode with discovery v4 off', () => {
  it('finds and dials nodes it learns only through discv5 (bootnode given by its enr:)', async () => {
    const { dir, chain } = fixture;
    const v5Only = { chain, discoveryV4: false } as const;
    // A only accepts: every connection is a dial of a node found through discv5.
    const a = loopbackNode({ ...v5Only, datadir: join(dir, 'v5-a'), noDial: true });
    await a.start();
    const nodes: FullNode[] = [a];
    try {
      const boot = byEnr(a);
      // B takes it as --bootnodes would give it, C as a network's v5 bootnode.
      const b = loopbackNode({ ...v5Only, datadir: join(dir, 'v5-b'), bootnodes: [boot] });
      nodes.push(b);
      const c = loopbackNode({ ...v5Only, datadir: join(dir, 'v5-c'), v5Bootnodes: [boot] });
      nodes.push(c);
      await Promise.all([b.start(), c.start()]);
      for (const n of nodes) {
        expect(n.discovery).toBeUndefined();
        expect(n.discoveryV5).toBeDefined();
      }
      const ids = nodes.map((n) => nodeIdToHex(n.self().id));
      const others = (i: number) => ids.filter((_, j) => j !== i).sort();
      // Every pair connects: B and C know each other only from a discv5 lookup through A.
      await waitFor(() => nodes.every((n, i) => peersOf(n).join() === others(i).join()), {
        on: {
          emitters: nodes.map((n) => n.peerSet.events),
          events: ['peer:registered', 'peer:unregistered'],
        },
        what: 'three eth peers, each connected to the other two',
        signal: AbortSignal.timeout(15_000),
      });
      expect(a.status()).toMatchObject({ peers: 2, inbound: 2, outbound: 0 });
      expect(a.peerSet.len).toBe(2);
      // Whichever of B and C dialed the other found it in its discv5 table (neither was given the
      // other); the other side may only have accepted the connection.
      const tableOf = (n: FullNode) => n.discoveryV5?.nodes().map((x) => nodeIdToHex(x.id)) ?? [];
      expect(tableOf(b).includes(ids[2] ?? '') || tableOf(c).includes(ids[1] ?? '')).toBe(true);
      expect(b.discoveryV5?.metrics.rpc.handshakesInitiated).toBeGreaterThanOrEqual(1);
    } finally {
      for (const n of nodes.reverse()) await n.stop();
    }
  });
});

import { join } from 'node:path';
import { silentLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { DiscoveryV5 } from '@ethp2p/discovery';
import { Tree } from '@ethp2p/dnsdisc';
import { logDistance, Node, nodeIdFromPublicKey, nodeIdToHex } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { serveTxt } from '../../../dnsdisc/test/helpers/dns-server.ts';
import type { FullNode } from '../../src/node/full-node.ts';
import { chainFixture, loopbackNode } from './helpers.ts';

const fixture = chainFixture(4);

/**
 * A bare discv5 node that knows `peer`, at log distance 256 from it: a random lookup asks for
 * that distance three times in four (a closer peer would be found only by rare targets).
 */
async function farBootnode(peer: Node): Promise<DiscoveryV5> {
  let key = generatePrivateKey();
  while (logDistance(nodeIdFromPublicKey(publicKey(key)), peer.id) !== 256) {
    key = generatePrivateKey();
  }
  const boot = await DiscoveryV5.listen({
    privateKey: key,
    bootnodes: [peer],
    logger: silentLogger,
  });
  const known = nodeIdToHex(peer.id);
  await waitFor(() => boot.nodes().some((n) => nodeIdToHex(n.id) === known), {
    what: 'the bootnode knows the v5 peer',
    signal: AbortSignal.timeout(10_000),
  });
  return boot;
}

describe('the dial sources of a full node', () => {
  it('dials peers that only discv4, only discv5 and only a DNS tree know', async () => {
    const { dir, chain } = fixture;
    // The peers only accept, so every connection is the node's dial, and each is known to one
    // source: the v4 peer is a bootnode without a record (which v5 cannot use); the v5 peer is
    // known to a bare discv5 bootnode (no eth entry, so v4 drops it: it cannot answer v4's ENR
    // request); the third runs no discovery and is listed in a DNS tree served on loopback.
    const peers: FullNode[] = [
      loopbackNode({ datadir: join(dir, 'v4'), chain, noDial: true, discoveryV5: false }),
      loopbackNode({ datadir: join(dir, 'v5'), chain, noDial: true, discoveryV4: false }),
      loopbackNode({ datadir: join(dir, 'dns'), chain, noDial: true, discovery: false }),
    ];
    const server = await serveTxt(new Map());
    const started: FullNode[] = [];
    let bootV5: DiscoveryV5 | undefined;
    try {
      for (const p of peers) {
        await p.start();
        started.push(p);
      }
      const [v4Peer, v5Peer, dnsPeer] = peers.map((p) => p.self());
      if (v4Peer === undefined || v5Peer === undefined || dnsPeer === undefined) throw new Error();
      bootV5 = await farBootnode(v5Peer);
      const { tree, url } = Tree.make(1, [dnsPeer]).sign(generatePrivateKey(), 'nodes.test');
      for (const [name, text] of tree.toTxt('nodes.test')) server.records.set(name, text);
      const bareV4 = Node.fromPublicKey(v4Peer.publicKey, {
        ip: '127.0.0.1',
        ...(v4Peer.udp === undefined ? {} : { udp: v4Peer.udp }),
        ...(v4Peer.tcp === undefined ? {} : { tcp: v4Peer.tcp }),
      });
      const node = loopbackNode({
        datadir: join(dir, 'mixed'),
        chain,
        bootnodes: [bareV4, bootV5.self()],
        dnsDiscovery: [url],
        dnsServers: [server.address],
      });
      await node.start();
      started.push(node);
      const srv = node.server;
      await waitFor(() => (srv?.peerCount() ?? 0) === 3, {
        what: 'the node dials the peers of all three sources',
        on: { emitters: srv === undefined ? [] : [srv.events], events: ['peer:added'] },
        signal: AbortSignal.timeout(20_000),
      });
      const dialed = srv?.peersInfo().filter((p) => !p.network.inbound);
      expect(dialed?.map((p) => p.id).sort()).toEqual(
        [v4Peer, v5Peer, dnsPeer].map((n) => nodeIdToHex(n.id)).sort(),
      );
    } finally {
      for (const p of started.reverse()) await p.stop();
      await bootV5?.stop();
      await server.close();
    }
  }, 30_000);
});

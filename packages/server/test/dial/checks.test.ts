import { Node } from '@ethp2p/enode';
import { describe, expect, it } from 'vitest';
import { NetRestrict } from '../../src/netrestrict.ts';
import { dialEnvs, runRounds, testKey, testNode, testNodes } from './harness.ts';

const env = dialEnvs();

describe('DialScheduler: what is never dialed', () => {
  it('skips self, nodes without a TCP endpoint, connected, dialing and outside NetRestrict', async () => {
    const e = env({ maxDialedPeers: 10, netRestrict: NetRestrict.parse('10.0.0.0/8') });
    const [good, connected, dup] = testNodes(200, 3) as [Node, Node, Node];
    const selfAtAddress = Node.fromPublicKey(e.self.publicKey, { ip: '10.0.0.1', tcp: 30303 });
    const noTcp = Node.fromPublicKey(testKey(210), { ip: '10.0.0.2', udp: 30303 });
    const tcpZero = Node.fromPublicKey(testKey(211), { ip: '10.0.0.3', tcp: 0 });
    const noIp = Node.fromPublicKey(testKey(212));
    const outside = Node.fromPublicKey(testKey(213), { ip: '192.168.1.1', tcp: 30303 });
    const hostnameOnly = Node.parse(`enode://${hex(testKey(214))}@example.org:30303`);
    await runRounds(e, [
      { peersAdded: [connected], wantNewDials: [] },
      {
        discovered: [
          selfAtAddress,
          noTcp,
          tcpZero,
          noIp,
          outside,
          hostnameOnly,
          connected,
          dup,
          good,
          dup,
        ],
        wantNewDials: [dup, good],
      },
    ]);
    expect(e.scheduler.metrics.skipped).toEqual({
      self: 1,
      banned: 0,
      'low-reputation': 0,
      'no-endpoint': 3,
      dialing: 1,
      connected: 1,
      'pending-inbound': 0,
      netrestrict: 2,
      'recently-dialed': 0,
    });
  });

  it('dials a node with only a hostname when there is no NetRestrict', async () => {
    const e = env();
    const named = Node.parse(`enode://${hex(testKey(214))}@example.org:30303`);
    await runRounds(e, [{ discovered: [named], wantNewDials: [named] }]);
  });

  it('does not dial a node whose inbound handshake is pending', async () => {
    const e = env();
    const [a, b] = testNodes(200, 2) as [Node, Node];
    e.scheduler.inboundPending(a.id);
    e.scheduler.inboundPending(b.id);
    await runRounds(e, [
      { discovered: [a, b], wantNewDials: [] },
      // a's handshake failed: it may be dialed when seen again; b became a peer.
      { wantNewDials: [] },
    ]);
    e.scheduler.inboundDone(a.id);
    e.scheduler.peerAdded(b, { dialed: 'inbound' });
    await runRounds(e, [{ discovered: [a, b], wantNewDials: [a] }]);
    expect(e.scheduler.metrics.skipped['pending-inbound']).toBe(2);
  });

  it('never dials a static node that is ourselves or outside NetRestrict', async () => {
    const e = env({
      maxDialedPeers: 0,
      netRestrict: NetRestrict.parse('10.0.0.0/8'),
      staticNodes: [
        Node.fromPublicKey(testKey(0xffff), { ip: '10.0.0.1', tcp: 1 }),
        Node.fromPublicKey(testKey(1), { ip: '172.16.0.1', tcp: 1 }),
      ],
    });
    await runRounds(e, [{ wantNewDials: [] }, { advanceMs: 60_000, wantNewDials: [] }]);
  });

  it('dials a static node offered by the source only as a static node', async () => {
    const s = testNode(1);
    const e = env({ maxDialedPeers: 5, staticNodes: [s] });
    await runRounds(e, [{ wantNewDials: [s] }, { failed: [s], discovered: [s], wantNewDials: [] }]);
    expect(e.dialer.calls.every((c) => c.flags.static)).toBe(true);
  });
});

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** DiscV5Rpc over real UDP on loopback (port 0): the handshake, ping, findNode and talk. */
import { bytesToHex } from '@ethp2p/crypto';
import { describe, expect, it } from 'vitest';
import { bindUdpSocket } from '../../../src/transport/udp-socket.ts';
import { handlers, nodesAtDistance, rpcOn } from './helpers.ts';

describe('DiscV5Rpc over UDP loopback', () => {
  it('pings both ways, finds nodes and talks', async () => {
    const a = await rpcOn(await bindUdpSocket({ address: '127.0.0.1' }));
    const b = await rpcOn(await bindUdpSocket({ address: '127.0.0.1' }));
    try {
      const known = nodesAtDistance(b.localNode.id, 256, 3, '127.0.0.1');
      b.rpc.setHandlers(
        handlers({
          findNodes: () => known,
          talk: (_p, request) => request.slice().reverse(),
        }),
      );
      const signal = AbortSignal.timeout(5000);
      const pong = await a.rpc.ping(b.node(), { signal });
      expect(pong).toEqual({ enrSeq: b.localNode.seq, ip: '127.0.0.1', port: a.rpc.local.port });
      await expect(b.rpc.ping(a.node(), { signal })).resolves.toMatchObject({ ip: '127.0.0.1' });
      const found = await a.rpc.findNode(b.node(), [256, 0], { signal });
      expect(found.map((n) => bytesToHex(n.id)).sort()).toEqual(
        [...known, b.node()].map((n) => bytesToHex(n.id)).sort(),
      );
      const reply = await a.rpc.talkRequest(b.node(), Uint8Array.of(1), Uint8Array.of(1, 2), {
        signal,
      });
      expect(reply).toEqual(Uint8Array.of(2, 1));
      expect(a.rpc.metrics.handshakesInitiated + b.rpc.metrics.handshakesInitiated).toBe(1);
    } finally {
      await Promise.all([a.rpc.close(), b.rpc.close()]);
    }
  });
});

import { MemoryTxPool } from '@ethp2p/chain';
import { generatePrivateKey } from '@ethp2p/crypto';
import { DiscReason, Server } from '@ethp2p/server';
import { afterEach, describe, expect, it } from 'vitest';
import type { EthPeer } from '../../src/peer/eth-peer.ts';
import type { BlockRange } from '../../src/peer/types.ts';
import { PeerSet } from '../../src/peer-set/peer-set.ts';
import { createEthProtocols } from '../../src/protocol.ts';
import { hashOf, memoryChain } from '../peer/fixtures.ts';

const WAIT_MS = 10_000;
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** `p`, or a rejection after WAIT_MS. */
function within<T>(p: Promise<T>, what: string): Promise<T> {
  const signal = AbortSignal.timeout(WAIT_MS);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error(`timed out waiting for ${what}`));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function node(networkId?: bigint): Promise<{ server: Server; peerSet: PeerSet }> {
  const { chain } = await memoryChain();
  const peerSet = new PeerSet();
  const protocols = createEthProtocols({
    backend: { chain, txPool: new MemoryTxPool() },
    peerSet,
    ...(networkId === undefined ? {} : { networkId }),
  });
  const server = new Server({
    privateKey: generatePrivateKey(),
    listenAddress: '127.0.0.1:0',
    protocols,
  });
  servers.push(server);
  await server.start();
  return { server, peerSet };
}

function registered(set: PeerSet): Promise<EthPeer> {
  return within(
    new Promise((resolve) => set.events.once('peer:registered', ({ peer }) => resolve(peer))),
    'peer:registered',
  );
}

describe('eth over two real Servers on loopback', () => {
  it('negotiates eth/72, exchanges BlockRangeUpdate and serves headers', async () => {
    const a = await node();
    const b = await node();
    const bOnA = registered(a.peerSet);
    const aOnB = registered(b.peerSet);
    a.server.addPeer(b.server.self());
    const [peerB, peerA] = await Promise.all([bOnA, aOnB]);
    expect(peerB.version).toBe(72);
    expect(peerA.version).toBe(72);

    const update: BlockRange = { earliest: 1n, latest: 20n, latestHash: hashOf(20) };
    const got = within(
      new Promise<BlockRange>((resolve) =>
        peerA.events.once('block-range:updated', ({ range }) => resolve(range)),
      ),
      'BlockRangeUpdate',
    );
    peerB.asyncSendBlockRange(update);
    expect(await got).toEqual(update);

    const headers = await within(peerB.requestHeadersByNumber(0n, 5), 'BlockHeaders');
    expect(headers).toHaveLength(5);

    expect(a.server.nodeInfo().protocols.eth).toMatchObject({ network: 1337 });
    expect(a.server.peersInfo()[0]?.protocols.eth).toMatchObject({ version: 72, latestBlock: 16 });

    const gone = within(
      new Promise<void>((resolve) => b.peerSet.events.once('peer:unregistered', () => resolve())),
      'peer:unregistered',
    );
    await a.server.stop();
    await gone;
    expect(a.peerSet.len + b.peerSet.len).toBe(0);
  });

  it('drops a peer on another network with SubprotocolError', async () => {
    const a = await node();
    const b = await node(999n);
    const removed = within(
      new Promise<{ reason: number }>((resolve) => a.server.events.once('peer:removed', resolve)),
      'peer:removed',
    );
    a.server.addPeer(b.server.self());
    expect((await removed).reason).toBe(DiscReason.SubprotocolError);
    expect(a.peerSet.len + b.peerSet.len).toBe(0);
  });
});

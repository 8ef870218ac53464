/**
 * A Peer against an @ethereumjs/devp2p node on loopback: Hello, snappy, a Status it sends reaching
 * our eth/68 stand-in at code 0, and its Disconnect, which it sends uncompressed even though
 * snappy is on (the quirk packages/rlpx's frame reader tolerates), reaching us with its reason.
 */
import { DISCONNECT_REASON } from '@ethereumjs/devp2p';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { connect } from '@ethp2p/rlpx';
import { afterEach, describe, expect, it } from 'vitest';
// The ethereumjs driver of the rlpx interop tests (test-only, read as is).
import { createEjsNode, ethOf, listenEjs } from '../../../rlpx/test/helpers/ethereumjs.ts';
import { DiscReason, type Msg, type Protocol } from '../../src/index.ts';
import { Peer } from '../../src/peer/peer.ts';
import { exchangeHello, matchProtocols } from '../../src/wire/index.ts';
import { closePairs, helloFrom } from '../helpers/rlpx-pair.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  closePairs();
});

describe('Peer with an @ethereumjs/devp2p node', () => {
  it('receives its Status and its uncompressed Disconnect with the right reason', async () => {
    const signal = AbortSignal.timeout(15_000);
    const ejs = createEjsNode(generatePrivateKey());
    cleanups.push(() => ejs.rlpx.destroy());
    const port = await listenEjs(ejs.rlpx, signal);
    const key = generatePrivateKey();
    const conn = await connect('127.0.0.1', port, publicKey(ejs.privateKey), {
      privateKey: key,
      signal,
    });
    cleanups.push(() => conn.close());
    const remoteHello = await exchangeHello(conn, helloFrom(key, [{ name: 'eth', version: 68 }]));
    expect(remoteHello.name).toMatch(/^ethereumjs-devp2p\//);
    expect(conn.snappy).toBe(true);

    const got: Msg[] = [];
    const eth: Protocol = {
      name: 'eth',
      version: 68,
      length: 17,
      run: async (_peer, rw) => {
        for (;;) got.push(await rw.readMsg());
      },
    };
    const peer = new Peer({
      conn,
      remoteHello,
      matched: matchProtocols([eth], remoteHello.caps),
      inbound: false,
    });
    const run = peer.run();
    const ejsPeer = await ejs.added.next(signal);
    ethOf(ejsPeer).sendStatus({
      td: Uint8Array.of(1),
      bestHash: new Uint8Array(32).fill(0x11),
      genesisHash: new Uint8Array(32).fill(0x22),
    });
    await waitFor(() => got.length > 0, { what: 'its Status' });
    expect(got[0]?.code).toBe(0);
    ejsPeer.disconnect(DISCONNECT_REASON.TOO_MANY_PEERS);
    const end = await run;
    expect(end).toMatchObject({ reason: DiscReason.TooManyPeers, remoteRequested: true });
  });
});

import { SimulatedClock } from '@ethp2p/base';
import { isCollected, waitFor } from '@ethp2p/base/testing';
import { publicKey } from '@ethp2p/crypto';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import type { RlpxConnection } from '@ethp2p/rlpx';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Cap,
  DiscReason,
  type Msg,
  type MsgReadWriter,
  type PeerEnd,
  PeerError,
  type Protocol,
  type ProtocolPeer,
  type RunOptions,
} from '../../src/index.ts';
import { Peer, type PeerMsgEvent } from '../../src/peer/peer.ts';
import {
  capsOf,
  decodeDisconnect,
  encodeDisconnect,
  exchangeHello,
  matchProtocols,
} from '../../src/wire/index.ts';
import { closePairs, helloFrom, rlpxPair } from '../helpers/rlpx-pair.ts';

afterEach(closePairs);

type Run = (peer: ProtocolPeer, rw: MsgReadWriter, options: RunOptions) => Promise<void>;

function proto(name: string, length: number, run: Run, version = 1): Protocol {
  return { name, version, length, run };
}

/** Runs until the signal aborts, recording what it reads. */
function recorder(
  name: string,
  length: number,
): { protocol: Protocol; got: Msg[]; rw: () => MsgReadWriter } {
  const got: Msg[] = [];
  let stream: MsgReadWriter | undefined;
  const protocol = proto(name, length, async (_peer, rw, { signal }) => {
    stream = rw;
    while (!signal.aborted) {
      try {
        got.push(await rw.readMsg());
      } catch {
        return;
      }
    }
  });
  return {
    protocol,
    got,
    rw: () => {
      if (stream === undefined) throw new Error(`${name} not running`);
      return stream;
    },
  };
}

interface Setup {
  peer: Peer;
  run: Promise<PeerEnd>;
  /** The remote end: a bare connection, snappy on, Hello done. */
  remote: RlpxConnection;
  events: PeerMsgEvent[];
  remoteKey: Uint8Array;
}

/** Our Peer (the initiator) against a bare remote connection that announced `remoteCaps`. */
async function setup(
  protocols: Protocol[],
  options: { clock?: SimulatedClock; remoteCaps?: Cap[] } = {},
): Promise<Setup> {
  const { clock } = options;
  const pair = await rlpxPair(clock === undefined ? {} : { initiator: { clock } });
  const caps = capsOf(protocols);
  const [remoteHello] = await Promise.all([
    exchangeHello(pair.initiator, helloFrom(pair.initiatorKey, caps, 'ours')),
    exchangeHello(pair.recipient, helloFrom(pair.recipientKey, options.remoteCaps ?? caps)),
  ]);
  const events: PeerMsgEvent[] = [];
  const peer = new Peer({
    conn: pair.initiator,
    remoteHello,
    matched: matchProtocols(protocols, remoteHello.caps),
    inbound: false,
    ...(clock === undefined ? {} : { clock }),
    onMsg: (e) => events.push(e),
  });
  return { peer, run: peer.run(), remote: pair.recipient, events, remoteKey: pair.recipientKey };
}

/** Reads the remote end until a Disconnect and returns its reason, skipping Pings. */
async function remoteDisconnect(remote: RlpxConnection): Promise<DiscReason> {
  for (;;) {
    const msg = await remote.readMsg();
    if (msg.code === 1) return decodeDisconnect(msg.data);
  }
}

const EMPTY = Uint8Array.of(0xc0);

describe('Peer over loopback RLPx', () => {
  it('knows the remote from the connection and its Hello', async () => {
    const { peer, run, remote, remoteKey } = await setup([]);
    expect(peer.id).toEqual(nodeIdFromPublicKey(publicKey(remoteKey)));
    expect(peer.publicKey).toEqual(publicKey(remoteKey));
    expect(peer.name).toBe('test');
    expect(peer.caps).toEqual([]);
    expect(peer.inbound).toBe(false);
    expect(peer.remoteAddress).toBe(`127.0.0.1:${remote.localPort}`);
    expect(peer.localAddress).toBe(`127.0.0.1:${remote.remotePort}`);
    peer.disconnect(DiscReason.Requested);
    await run;
    // Still known once the connection is gone.
    expect(peer.remoteAddress).toBe(`127.0.0.1:${remote.localPort}`);
    expect(peer.localAddress).toBe(`127.0.0.1:${remote.remotePort}`);
  });

  it('answers Ping with Pong', async () => {
    const { peer, run, remote } = await setup([]);
    await remote.writeMsg(2, EMPTY);
    const pong = await remote.readMsg();
    expect(pong.code).toBe(3);
    expect(pong.data).toEqual(EMPTY);
    peer.disconnect(DiscReason.Requested);
    expect(await run).toEqual({ reason: DiscReason.Requested, remoteRequested: false });
  });

  it('ends with the reason of a remote Disconnect and sends none back', async () => {
    const { run, remote } = await setup([]);
    await remote.writeMsg(1, encodeDisconnect(DiscReason.TooManyPeers));
    const end = await run;
    expect(end.reason).toBe(DiscReason.TooManyPeers);
    expect(end.remoteRequested).toBe(true);
    expect(end.error).toBeInstanceOf(PeerError);
    await expect(remote.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('accepts the bare (legacy) Disconnect form too', async () => {
    const { run, remote } = await setup([]);
    await remote.writeMsg(1, Uint8Array.of(DiscReason.UselessPeer));
    expect(await run).toMatchObject({ reason: DiscReason.UselessPeer, remoteRequested: true });
  });

  it('routes subprotocol codes to two protocols by offset, both ways', async () => {
    const a = recorder('aaa', 3); // 0x10..0x12
    const b = recorder('bbb', 5); // 0x13..0x17
    const { peer, run, remote, events } = await setup([b.protocol, a.protocol]);
    await remote.writeMsg(0x12, Uint8Array.of(0x01));
    await remote.writeMsg(0x13, Uint8Array.of(0x02));
    await remote.writeMsg(0x17, Uint8Array.of(0x03));
    await waitFor(() => a.got.length === 1 && b.got.length === 2, { what: 'three messages' });
    expect(a.got.map((m) => [m.code, m.data[0]])).toEqual([[2, 1]]);
    expect(b.got.map((m) => [m.code, m.data[0]])).toEqual([
      [0, 2],
      [4, 3],
    ]);
    await a.rw().writeMsg(1, Uint8Array.of(0x0a));
    await b.rw().writeMsg(4, Uint8Array.of(0x0b));
    expect((await remote.readMsg()).code).toBe(0x11);
    expect((await remote.readMsg()).code).toBe(0x17);
    expect(events).toEqual([
      { direction: 'receive', protocol: 'aaa', version: 1, code: 2, size: 1 },
      { direction: 'receive', protocol: 'bbb', version: 1, code: 0, size: 1 },
      { direction: 'receive', protocol: 'bbb', version: 1, code: 4, size: 1 },
      { direction: 'send', protocol: 'aaa', version: 1, code: 1, size: 1 },
      { direction: 'send', protocol: 'bbb', version: 1, code: 4, size: 1 },
    ]);
    peer.disconnect(DiscReason.ClientQuitting);
    expect((await run).reason).toBe(DiscReason.ClientQuitting);
    expect(await remoteDisconnect(remote)).toBe(DiscReason.ClientQuitting);
  });

  it('ignores other base codes (Pong, a late Hello, reserved codes)', async () => {
    const a = recorder('aaa', 1);
    const { peer, run, remote } = await setup([a.protocol]);
    for (const code of [3, 0, 4, 0x0f]) await remote.writeMsg(code, EMPTY);
    await remote.writeMsg(0x10, EMPTY);
    await waitFor(() => a.got.length === 1, { what: 'the subprotocol message' });
    expect(peer.end).toBeNull();
    peer.disconnect(DiscReason.Requested);
    await run;
  });

  it('keeps nothing of a handled message while it waits for the next one', async () => {
    // An idle peer must not hold its last payload (up to 16 MiB decompressed) until the next.
    const refs: WeakRef<Uint8Array>[] = [];
    // One message per call: this protocol keeps nothing of it once the call returns.
    const readOne = async (rw: MsgReadWriter): Promise<void> => {
      refs.push(new WeakRef((await rw.readMsg()).data));
    };
    const a = proto('aaa', 1, async (_peer, rw, { signal }) => {
      while (!signal.aborted) {
        try {
          await readOne(rw);
        } catch {
          return;
        }
      }
    });
    const { peer, run, remote } = await setup([a]);
    await remote.writeMsg(0x10, new Uint8Array(256 * 1024).fill(7));
    await waitFor(() => refs.length === 1, { what: 'the subprotocol message' });
    expect(await isCollected(refs[0] as WeakRef<Uint8Array>)).toBe(true);
    peer.disconnect(DiscReason.Requested);
    await run;
  });

  it('drops a peer that sends a code no protocol owns with ProtocolError', async () => {
    const a = recorder('aaa', 3);
    const { run, remote } = await setup([a.protocol]);
    await remote.writeMsg(0x13, EMPTY);
    const end = await run;
    expect(end).toMatchObject({ reason: DiscReason.ProtocolError, remoteRequested: false });
    expect((end.error as Error).message).toBe('msg code out of range: 0x13');
    expect(await remoteDisconnect(remote)).toBe(DiscReason.ProtocolError);
  });

  it('rejects a protocol write beyond its length without dropping the peer', async () => {
    const a = recorder('aaa', 3);
    const { peer, run } = await setup([a.protocol]);
    await waitFor(
      () => {
        try {
          return a.rw() !== undefined;
        } catch {
          return false;
        }
      },
      { what: 'the protocol to start' },
    );
    await expect(a.rw().writeMsg(3, EMPTY)).rejects.toMatchObject({
      name: 'MsgError',
      code: 'INVALID_CODE',
    });
    await expect(a.rw().writeMsg(-1, EMPTY)).rejects.toBeInstanceOf(RangeError);
    expect(peer.end).toBeNull();
    peer.disconnect(DiscReason.Requested);
    await run;
    await expect(a.rw().writeMsg(0, EMPTY)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(a.rw().readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('ends with ClientQuitting when a protocol returns', async () => {
    const { run, remote } = await setup([proto('quit', 1, async () => {})]);
    expect(await run).toEqual({ reason: DiscReason.ClientQuitting, remoteRequested: false });
    expect(await remoteDisconnect(remote)).toBe(DiscReason.ClientQuitting);
  });

  it('leaves no ping timer when a protocol run() throws synchronously', async () => {
    const clock = new SimulatedClock();
    const { run, remote } = await setup(
      [
        proto('sync', 1, () => {
          throw new Error('thrown before any await');
        }),
      ],
      { clock },
    );
    expect((await run).reason).toBe(DiscReason.SubprotocolError);
    expect(await remoteDisconnect(remote)).toBe(DiscReason.SubprotocolError);
    expect(clock.pending).toBe(0);
  });

  it('ends with SubprotocolError when a protocol throws, and keeps a PeerError reason', async () => {
    const boom = new Error('boom');
    const first = await setup([
      proto('boom', 1, async () => {
        throw boom;
      }),
    ]);
    expect(await first.run).toEqual({
      reason: DiscReason.SubprotocolError,
      remoteRequested: false,
      error: boom,
    });
    expect(await remoteDisconnect(first.remote)).toBe(DiscReason.SubprotocolError);

    const second = await setup([
      proto('useless', 1, async () => {
        throw new PeerError(DiscReason.UselessPeer);
      }),
    ]);
    expect((await second.run).reason).toBe(DiscReason.UselessPeer);
    expect(await remoteDisconnect(second.remote)).toBe(DiscReason.UselessPeer);
  });

  it('aborts every protocol and waits for it when the peer ends', async () => {
    let finished = false;
    let reason: unknown;
    const slow = proto('slow', 1, async (_peer, _rw, { signal }) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      reason = signal.reason;
      await new Promise((resolve) => setImmediate(resolve));
      finished = true;
    });
    const { peer, run } = await setup([slow]);
    peer.disconnect(DiscReason.TooManyPeers);
    await run;
    expect(finished).toBe(true);
    expect(reason).toBeInstanceOf(PeerError);
    expect((reason as PeerError).reason).toBe(DiscReason.TooManyPeers);
  });

  it('refuses a second run(), and the first still ends with the peer', async () => {
    const { peer, run, remote } = await setup([]);
    await expect(peer.run()).rejects.toThrow(TypeError);
    peer.disconnect(DiscReason.TooManyPeers);
    expect(await remoteDisconnect(remote)).toBe(DiscReason.TooManyPeers);
    expect((await run).reason).toBe(DiscReason.TooManyPeers);
  });

  it('disconnect is idempotent: the first reason wins', async () => {
    const { peer, run, remote } = await setup([]);
    peer.disconnect(DiscReason.AlreadyConnected);
    peer.disconnect(DiscReason.TooManyPeers);
    expect(await run).toEqual({ reason: DiscReason.AlreadyConnected, remoteRequested: false });
    peer.disconnect(DiscReason.Requested);
    expect(peer.end?.reason).toBe(DiscReason.AlreadyConnected);
    expect(await remoteDisconnect(remote)).toBe(DiscReason.AlreadyConnected);
    expect(() => peer.disconnect(0x42)).toThrow(RangeError);
    await expect(peer.run()).rejects.toBeInstanceOf(TypeError);
  });

  it('ends with NetworkError when the remote just closes', async () => {
    const { run, remote } = await setup([]);
    remote.close();
    expect(await run).toMatchObject({ reason: DiscReason.NetworkError, remoteRequested: false });
  });

  it('stops reading while a protocol does not take its message (backpressure)', async () => {
    const clock = new SimulatedClock();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const got: number[] = [];
    const lazy = proto('lazy', 2, async (_peer, rw) => {
      await gate;
      for (;;) got.push((await rw.readMsg()).code);
    });
    const { peer, run, remote, events } = await setup([lazy], { clock });
    await remote.writeMsg(0x10, EMPTY);
    await remote.writeMsg(0x11, EMPTY);
    await waitFor(() => events.length === 1, { what: 'the first message handed over' });
    // Nothing is read while the protocol holds back: no read timer, so no read timeout.
    await waitFor(() => clock.pending === 1, { what: 'only the ping timer' });
    clock.advance(60_000);
    expect((await remote.readMsg()).code).toBe(2); // our pings still go out
    expect(events).toHaveLength(1);
    expect(peer.end).toBeNull();
    release();
    await waitFor(() => got.length === 2, { what: 'both messages read' });
    expect(got).toEqual([0, 1]);
    peer.disconnect(DiscReason.Requested);
    await run;
    expect(clock.pending).toBe(0);
  });

  it('pings every 15 s on the injected clock', async () => {
    const clock = new SimulatedClock();
    const { peer, run, remote } = await setup([], { clock });
    await waitFor(() => clock.pending === 2, { what: 'the ping and read timers' });
    clock.advance(14_999);
    clock.advance(1);
    const ping = await remote.readMsg();
    expect([ping.code, ping.data]).toEqual([2, EMPTY]);
    // Any message re-arms the read idle timer; a Ping's Pong tells us it was read.
    await remote.writeMsg(2, EMPTY);
    expect((await remote.readMsg()).code).toBe(3);
    expect(clock.pending).toBe(2);
    clock.advance(15_000);
    expect((await remote.readMsg()).code).toBe(2);
    expect(peer.end).toBeNull();
    peer.disconnect(DiscReason.Requested);
    await run;
    expect(clock.pending).toBe(0);
  });

  it('times the Pongs of its Pings on the injected clock', async () => {
    const clock = new SimulatedClock();
    const { peer, run, remote } = await setup([], { clock });
    await waitFor(() => clock.pending === 2, { what: 'the ping and read timers' });
    // The remote's own Ping is answered, and its unsolicited Pong is no round trip of ours.
    await remote.writeMsg(3, EMPTY);
    await remote.writeMsg(2, EMPTY);
    expect((await remote.readMsg()).code).toBe(3);
    expect(peer.rtt).toBeUndefined();
    clock.advance(15_000);
    expect((await remote.readMsg()).code).toBe(2);
    clock.advance(40);
    await remote.writeMsg(3, EMPTY);
    await waitFor(() => peer.rtt !== undefined, { what: 'the first round trip' });
    expect(peer.rtt).toEqual({ lastMs: 40, smoothedMs: 40, samples: 1 });
    clock.advance(15_000 - 40);
    expect((await remote.readMsg()).code).toBe(2);
    clock.advance(8);
    await remote.writeMsg(3, EMPTY);
    await waitFor(() => peer.rtt?.samples === 2, { what: 'the second round trip' });
    expect(peer.rtt).toEqual({ lastMs: 8, smoothedMs: 36, samples: 2 });
    peer.disconnect(DiscReason.Requested);
    await run;
  });

  it('drops a peer silent for 30 s with ReadTimeout, announcing nothing, leaving no timer', async () => {
    const clock = new SimulatedClock();
    const { run, remote } = await setup([], { clock });
    await waitFor(() => clock.pending === 2, { what: 'the ping and read timers' });
    clock.advance(15_000);
    expect((await remote.readMsg()).code).toBe(2); // ping sent, never answered
    await waitFor(() => clock.pending === 2, { what: 'the next ping' });
    let ended = false;
    void run.then(() => {
      ended = true;
    });
    clock.advance(14_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false);
    clock.advance(1);
    const end = await run;
    expect(end.reason).toBe(DiscReason.ReadTimeout);
    expect(end.remoteRequested).toBe(false);
    expect(end.error).toMatchObject({ name: 'RlpxError', code: 'TIMEOUT' });
    expect(clock.pending).toBe(0);
    await expect(remote.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('leaves no timer after run resolves, whatever ended it', async () => {
    for (const end of ['local', 'remote', 'protocol'] as const) {
      const clock = new SimulatedClock();
      const protocols =
        end === 'protocol'
          ? [
              proto('p', 1, async () => {
                throw new Error('x');
              }),
            ]
          : [];
      const { peer, run, remote } = await setup(protocols, { clock });
      if (end === 'local') peer.disconnect(DiscReason.Requested);
      if (end === 'remote') await remote.writeMsg(1, encodeDisconnect(DiscReason.Requested));
      await run;
      expect(clock.pending, end).toBe(0);
    }
  });

  it('two peers run a protocol against each other and part cleanly', async () => {
    const pair = await rlpxPair();
    const caller = proto('echo', 2, async (_peer, rw) => {
      await rw.writeMsg(0, Uint8Array.of(0x2a));
      const back = await rw.readMsg();
      expect([back.code, back.data[0]]).toEqual([1, 0x2a]);
      // returning ends this peer with ClientQuitting
    });
    const replier = proto('echo', 2, async (_peer, rw, { signal }) => {
      const msg = await rw.readMsg();
      await rw.writeMsg(1, msg.data);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    });
    const caps = [{ name: 'echo', version: 1 }];
    const [helloB, helloA] = await Promise.all([
      exchangeHello(pair.initiator, helloFrom(pair.initiatorKey, caps)),
      exchangeHello(pair.recipient, helloFrom(pair.recipientKey, caps)),
    ]);
    const a = new Peer({
      conn: pair.initiator,
      remoteHello: helloB,
      matched: matchProtocols([caller], helloB.caps),
      inbound: false,
    });
    const b = new Peer({
      conn: pair.recipient,
      remoteHello: helloA,
      matched: matchProtocols([replier], helloA.caps),
      inbound: true,
    });
    const [endA, endB] = await Promise.all([a.run(), b.run()]);
    expect(endA).toEqual({ reason: DiscReason.ClientQuitting, remoteRequested: false });
    expect(endB).toMatchObject({ reason: DiscReason.ClientQuitting, remoteRequested: true });
  });
});

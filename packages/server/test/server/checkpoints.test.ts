import { describe, expect, it } from 'vitest';
import type { Protocol } from '../../src/protocol.ts';
import {
  addPeerCheck,
  type CheckpointState,
  type ConnFlags,
  postHandshakeCheck,
} from '../../src/server/checkpoints.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';

const SELF = 'aa';
const OTHER = 'bb';
const CONNECTED = 'cc';

function state(peerCount: number, inboundCount: number, maxPeers = 3, maxInbound = 2) {
  return {
    selfId: SELF,
    peerCount,
    inboundCount,
    maxPeers,
    maxInboundConns: maxInbound,
    hasPeer: (id: string) => id === CONNECTED,
  } satisfies CheckpointState;
}

const out: ConnFlags = { inbound: false, trusted: false, static: false };
const inb: ConnFlags = { inbound: true, trusted: false, static: false };
const trustedIn: ConnFlags = { inbound: true, trusted: true, static: false };
const staticOut: ConnFlags = { inbound: false, trusted: false, static: true };

describe('postHandshakeCheck', () => {
  it.each([
    ['a new outbound peer', state(1, 0), OTHER, out, null],
    ['a new inbound peer', state(1, 1), OTHER, inb, null],
    ['self', state(0, 0), SELF, out, DiscReason.Self],
    ['self while inbound', state(0, 0), SELF, inb, DiscReason.Self],
    ['an already connected peer', state(1, 0), CONNECTED, out, DiscReason.AlreadyConnected],
    ['a full server', state(3, 1), OTHER, out, DiscReason.TooManyPeers],
    [
      'a full server, even for a connected peer',
      state(3, 1),
      CONNECTED,
      out,
      DiscReason.TooManyPeers,
    ],
    ['inbound over its share', state(2, 2), OTHER, inb, DiscReason.TooManyPeers],
    ['outbound while inbound is full', state(2, 2), OTHER, out, null],
    ['trusted on a full server', state(3, 2), OTHER, trustedIn, null],
    ['trusted over the inbound share', state(2, 2), OTHER, trustedIn, null],
    [
      'trusted but already connected',
      state(3, 2),
      CONNECTED,
      trustedIn,
      DiscReason.AlreadyConnected,
    ],
    ['trusted self', state(0, 0), SELF, trustedIn, DiscReason.Self],
    ['a static dial on a full server', state(3, 1), OTHER, staticOut, null],
    [
      'a static dial already connected',
      state(1, 0),
      CONNECTED,
      staticOut,
      DiscReason.AlreadyConnected,
    ],
    ['anyone with maxPeers 0', state(0, 0, 0, 0), OTHER, inb, DiscReason.TooManyPeers],
  ])('%s', (_label, s, id, flags, want) => {
    expect(postHandshakeCheck(s, id, flags)).toBe(want);
  });
});

describe('addPeerCheck', () => {
  const proto: Protocol = { name: 'test', version: 1, length: 1, run: async () => {} };

  it('refuses a peer sharing no protocol as useless', () => {
    expect(addPeerCheck(state(0, 0), OTHER, out, [proto], 0)).toBe(DiscReason.UselessPeer);
    // Even a trusted peer: it has nothing to run.
    expect(addPeerCheck(state(0, 0), OTHER, trustedIn, [proto], 0)).toBe(DiscReason.UselessPeer);
  });

  it('accepts anyone when the server runs no protocols', () => {
    expect(addPeerCheck(state(0, 0), OTHER, out, [], 0)).toBeNull();
  });

  it('runs the posthandshake checks again', () => {
    expect(addPeerCheck(state(1, 0), OTHER, out, [proto], 1)).toBeNull();
    expect(addPeerCheck(state(3, 0), OTHER, out, [proto], 1)).toBe(DiscReason.TooManyPeers);
    expect(addPeerCheck(state(1, 0), CONNECTED, out, [proto], 1)).toBe(DiscReason.AlreadyConnected);
  });
});

import { RlpxError } from '@ethp2p/rlpx';
import { describe, expect, it } from 'vitest';
import { DialError } from '../../src/dial/errors.ts';
import { PeerError } from '../../src/errors.ts';
import type { Protocol } from '../../src/protocol.ts';
import { connectionErrorClass } from '../../src/server/connection-errors.ts';
import { HANDSHAKE_BUCKETS_SECONDS, ServerCounters } from '../../src/server/metrics.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';

const proto: Protocol = { name: 'p', version: 2, length: 3, run: async () => {} };

describe('ServerCounters', () => {
  it('counts messages per code and lists only the codes that carried one', () => {
    const counters = new ServerCounters([proto]);
    const m = counters.messages(proto);
    m?.ingress(1, 50);
    m?.ingress(1, 70);
    m?.egress(2, 9);
    expect(counters.messages({ ...proto })).toBeUndefined();
    expect(counters.snapshot([], 0).messages).toEqual([
      {
        protocol: 'p',
        version: 2,
        codes: [
          { code: 1, ingressPackets: 2, ingressBytes: 120, egressPackets: 0, egressBytes: 0 },
          { code: 2, ingressPackets: 0, ingressBytes: 0, egressPackets: 1, egressBytes: 9 },
        ],
      },
    ]);
  });

  it('buckets handshake durations cumulatively, with +Inf last', () => {
    const counters = new ServerCounters([]);
    counters.succeeded(true, 3); // 0.003 s: the first bucket
    counters.succeeded(true, 100); // 0.1 s: exactly on a bound
    counters.succeeded(true, 60_000); // 60 s: only +Inf
    const h = counters.snapshot([], 0).handshakeDuration.inbound;
    expect(h.boundsSeconds).toEqual(HANDSHAKE_BUCKETS_SECONDS);
    const at = (le: number): number | undefined =>
      h.cumulativeCounts[HANDSHAKE_BUCKETS_SECONDS.indexOf(le)];
    expect(at(0.005)).toBe(1);
    expect(at(0.05)).toBe(1);
    expect(at(0.1)).toBe(2);
    expect(at(10)).toBe(2);
    expect(h.cumulativeCounts.at(-1)).toBe(3);
    expect(h.count).toBe(3);
    expect(h.sumSeconds).toBeCloseTo(60.103);
  });

  it('adds live and ended bytes, and counts one-minute peers of both', () => {
    const counters = new ServerCounters([]);
    counters.closed(10, 20);
    counters.peerEnded(false, 60_000);
    counters.peerEnded(false, 59_999);
    const live = [
      { inbound: true, addedAt: 0, bytesRead: 1, bytesWritten: 2 },
      { inbound: false, addedAt: 50_000, bytesRead: 3, bytesWritten: 4 },
    ];
    const m = counters.snapshot(live, 60_000);
    expect(m.peers).toEqual({ total: 2, inbound: 1, outbound: 1 });
    expect([m.ingressBytes, m.egressBytes]).toEqual([14, 26]);
    expect(m.serves.succeededOneMinute).toBe(1);
    expect(m.dials.succeededOneMinute).toBe(1);
  });
});

describe('connectionErrorClass', () => {
  const connectFailure = Object.assign(new Error('connect ECONNREFUSED'), { syscall: 'connect' });
  it.each([
    [new PeerError(DiscReason.TooManyPeers), 'hello', 'saturated'],
    [new PeerError(DiscReason.AlreadyConnected), 'checks', 'known'],
    [new PeerError(DiscReason.Self), 'checks', 'self'],
    [new PeerError(DiscReason.UselessPeer), 'checks', 'useless'],
    [new PeerError(DiscReason.UnexpectedIdentity), 'hello', 'id/unexpected'],
    [new PeerError(DiscReason.ReadTimeout), 'hello', 'timeout'],
    [new DialError('TIMEOUT', 'dial timed out'), 'rlpx', 'timeout'],
    [new DialError('TIMEOUT', 'dial timed out'), 'hello', 'timeout'],
    [new RlpxError('TIMEOUT', 'handshake timed out'), 'rlpx', 'timeout'],
    [
      new RlpxError('CLOSED', 'tcp connect failed', { cause: connectFailure }),
      'rlpx',
      'connection',
    ],
    [new RlpxError('BAD_MAC', 'bad mac'), 'rlpx', 'rlpx/enc'],
    [new RlpxError('CLOSED', 'closed'), 'hello', 'rlpx/proto'],
    [new PeerError(DiscReason.ProtocolError), 'hello', 'rlpx/proto'],
    [new PeerError(DiscReason.ClientQuitting), 'hello', 'other'],
    [new DialError('CLOSED', 'stopping'), 'rlpx', 'other'],
    [new Error('bug'), 'checks', 'other'],
  ] as const)('%s at %s is %s', (err, stage, kind) => {
    expect(connectionErrorClass(err, stage)).toBe(kind);
  });
});

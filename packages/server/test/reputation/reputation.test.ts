import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { NodeDatabase, nodeIdToHex, type StoredBan } from '@ethp2p/enode';
import { RlpxError } from '@ethp2p/rlpx';
import { describe, expect, it } from 'vitest';
import type { Ban, BanStore } from '../../src/reputation/ban-list.ts';
import { BanList } from '../../src/reputation/ban-list.ts';
import { changeForEnd, REPUTATION_CHANGE } from '../../src/reputation/changes.ts';
import {
  BANNED_REPUTATION,
  DEFAULT_BAN_DURATION_MS,
  PRIVILEGED_FLOOR,
  REPUTATION_UNIT,
} from '../../src/reputation/constants.ts';
import { Reputation } from '../../src/reputation/reputation.ts';
import { ScoreBook } from '../../src/reputation/score-book.ts';
import { DiscReason } from '../../src/wire/disc-reason.ts';

const T0 = 1_700_000_000_000;
const id = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

function make(
  options: { privileged?: Set<string>; store?: BanStore; clock?: SimulatedClock } = {},
) {
  const clock = options.clock ?? new SimulatedClock(T0);
  const banned: Ban[] = [];
  const reputation = new Reputation({
    clock,
    logger: new MemoryLogger(),
    ...(options.store === undefined ? {} : { banStore: options.store }),
    isPrivileged: (hex) => options.privileged?.has(hex) ?? false,
    onBan: (ban) => banned.push(ban),
  });
  return { clock, reputation, banned };
}

describe('Reputation scores', () => {
  it('bans a node and its IP once repeated bad messages take the score below the threshold', () => {
    const { reputation, banned } = make();
    const target = { id: id(1), ip: '::ffff:192.0.2.1' };
    for (let i = 0; i < 3; i++) reputation.report('badMessage', target);
    expect(reputation.score(id(1))).toBe(-48 * REPUTATION_UNIT);
    expect(reputation.isBannedId(id(1))).toBe(false);
    reputation.report('badMessage', target);
    expect(reputation.score(id(1))).toBeLessThan(BANNED_REPUTATION);
    expect(reputation.isBannedId(id(1))).toBe(true);
    expect(reputation.isBannedIp('192.0.2.1')).toBe(true);
    expect(reputation.isBannedIp('::ffff:192.0.2.1')).toBe(true);
    expect(banned.map((b) => b.kind)).toEqual(['id', 'ip']);
    expect(banned[0]?.untilMs).toBe(T0 + DEFAULT_BAN_DURATION_MS);
    expect(banned[0]?.reason).toBe('reputation: badMessage');
    // Already banned: no second ban.
    reputation.report('badMessage', target);
    expect(banned).toHaveLength(2);
    expect(reputation.metrics.bansAdded).toEqual({ score: 2, manual: 0 });
    expect(reputation.metrics.changes.badMessage).toBe(5);
  });

  it('bans a LAN or loopback IP by score only with banLanIps', () => {
    const { reputation } = make();
    for (let i = 0; i < 4; i++) reputation.report('badMessage', { ip: '10.1.2.3' });
    expect(reputation.isBannedIp('10.1.2.3')).toBe(false);
    const lan = new Reputation({ clock: new SimulatedClock(T0), banLanIps: true });
    for (let i = 0; i < 4; i++) lan.report('badMessage', { ip: '10.1.2.3' });
    expect(lan.isBannedIp('10.1.2.3')).toBe(true);
  });

  it('an identity breach bans at once', () => {
    const { reputation } = make();
    reputation.report('badProtocol', { id: id(2) });
    expect(reputation.isBannedId(id(2))).toBe(true);
  });

  it('recovers toward 0 at 1 point per second of the injected clock', () => {
    const { reputation, clock } = make();
    reputation.report('timeout', { id: id(3) });
    expect(reputation.score(id(3))).toBe(-4 * REPUTATION_UNIT);
    clock.advance(1000 * REPUTATION_UNIT);
    expect(reputation.score(id(3))).toBe(-3 * REPUTATION_UNIT);
    clock.advance(10 * 1000 * REPUTATION_UNIT);
    expect(reputation.score(id(3))).toBe(0);
    reputation.report('usefulResponse', { id: id(3) });
    expect(reputation.score(id(3))).toBe(REPUTATION_UNIT / 4);
    clock.advance(1000 * REPUTATION_UNIT);
    expect(reputation.score(id(3))).toBe(0);
  });

  it('never bans a trusted or static node by score, and spares its IP', () => {
    const privileged = new Set([nodeIdToHex(id(4))]);
    const { reputation, banned } = make({ privileged });
    for (let i = 0; i < 100; i++) {
      reputation.report('badMessage', { id: id(4), ip: '198.51.100.4' });
      reputation.report('badProtocol', { id: id(4), ip: '198.51.100.4' });
      reputation.report('timeout', { id: id(4), ip: '198.51.100.4' });
    }
    expect(reputation.score(id(4))).toBe(PRIVILEGED_FLOOR);
    expect(reputation.isBannedId(id(4))).toBe(false);
    expect(reputation.ipScore('198.51.100.4')).toBe(0);
    expect(banned).toEqual([]);
    // Network-blamed changes are not counted at all.
    expect(reputation.metrics.changes.timeout).toBe(0);
    // An explicit ban still applies.
    reputation.ban({ kind: 'id', id: id(4) });
    expect(reputation.isBannedId(id(4))).toBe(true);
  });

  it('caps one penalty of a privileged node at two units', () => {
    const privileged = new Set([nodeIdToHex(id(5))]);
    const { reputation } = make({ privileged });
    reputation.report('badMessage', { id: id(5) });
    expect(reputation.score(id(5))).toBe(-2 * REPUTATION_UNIT);
  });

  it('checks its arguments', () => {
    const { reputation } = make();
    expect(() => reputation.report('nope' as never, { id: id(1) })).toThrow(TypeError);
    expect(() => reputation.ban({ kind: 'ip', ip: 'x' })).toThrow(TypeError);
    expect(() => reputation.ban({ kind: 'id', id: new Uint8Array(3) as never })).toThrow(TypeError);
    expect(() => reputation.ban({ kind: 'id', id: id(1) }, { durationMs: 0 })).toThrow(RangeError);
    expect(() => new Reputation({ banDurationMs: -1 })).toThrow(RangeError);
  });
});

describe('ScoreBook', () => {
  it('is bounded: the least recently changed score is forgotten', () => {
    const book = new ScoreBook(3);
    for (let i = 0; i < 10; i++) book.add(`k${i}`, -1, 0);
    expect(book.size).toBe(3);
    expect([...book.entries(0)].map(([k]) => k)).toEqual(['k7', 'k8', 'k9']);
  });
});

describe('ban list', () => {
  it('bans and unbans by ID and IP; bans expire on the injected clock', () => {
    const { reputation, clock } = make();
    reputation.ban({ kind: 'ip', ip: '2001:db8::7' }, { durationMs: 1000, reason: 'spam' });
    reputation.ban({ kind: 'id', id: id(6) }, { durationMs: 5000 });
    expect(reputation.bans().map((b) => b.kind)).toEqual(['id', 'ip']);
    expect(reputation.isBannedIp('2001:0db8::7')).toBe(true);
    clock.advance(999);
    expect(reputation.isBannedIp('2001:db8::7')).toBe(true);
    clock.advance(1);
    expect(reputation.isBannedIp('2001:db8::7')).toBe(false);
    expect(reputation.metrics.banned).toEqual({ ids: 1, ips: 0 });
    expect(reputation.unban({ kind: 'id', id: id(6) })).toBe(true);
    expect(reputation.unban({ kind: 'id', id: id(6) })).toBe(false);
    expect(reputation.isBannedId(id(6))).toBe(false);
    expect(reputation.bans()).toEqual([]);
  });

  it('is bounded: past the cap the ban ending soonest is dropped', () => {
    const list = new BanList({ logger: new MemoryLogger(), max: 2 });
    for (const [n, until] of [
      [1, 30],
      [2, 10],
      [3, 20],
    ] as const) {
      list.add({ kind: 'id', id: id(n), untilMs: until, reason: '' });
    }
    expect(list.list(0).map((b) => b.kind === 'id' && b.id[0])).toEqual([1, 3]);
  });

  it('persists bans in the node database: they survive a restart, expired ones do not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ethp2p-bans-'));
    try {
      const clock = new SimulatedClock(T0);
      const path = join(dir, 'nodes');
      const db1 = await NodeDatabase.open({ path, clock, logger: new MemoryLogger() });
      const first = make({ store: db1, clock }).reputation;
      for (let i = 0; i < 4; i++) first.report('badMessage', { id: id(7), ip: '203.0.113.7' });
      first.ban({ kind: 'ip', ip: '203.0.113.8' }, { durationMs: 1000 });
      first.ban({ kind: 'id', id: id(8) }, { durationMs: 60_000 });
      first.unban({ kind: 'id', id: id(8) });
      await first.flush();
      await db1.close();

      clock.advance(1000);
      const db2 = await NodeDatabase.open({ path, clock, logger: new MemoryLogger() });
      const second = make({ store: db2, clock }).reputation;
      expect(await second.load()).toBe(2);
      expect(second.isBannedId(id(7))).toBe(true);
      expect(second.isBannedIp('203.0.113.7')).toBe(true);
      expect(second.isBannedIp('203.0.113.8')).toBe(false);
      expect(second.isBannedId(id(8))).toBe(false);
      const stored: StoredBan[] = await db2.bans();
      expect(stored).toHaveLength(2);
      await db2.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('changeForEnd', () => {
  it.each([
    [DiscReason.ProtocolError, false, undefined, REPUTATION_CHANGE.badMessage],
    [DiscReason.SubprotocolError, false, undefined, REPUTATION_CHANGE.badMessage],
    [DiscReason.InvalidIdentity, false, undefined, REPUTATION_CHANGE.badProtocol],
    [DiscReason.ReadTimeout, false, undefined, REPUTATION_CHANGE.timeout],
    [DiscReason.UselessPeer, false, undefined, REPUTATION_CHANGE.uselessResponse],
    [
      DiscReason.NetworkError,
      false,
      new RlpxError('BAD_FRAME_MAC', 'x'),
      REPUTATION_CHANGE.badMessage,
    ],
    [DiscReason.NetworkError, false, new RlpxError('TIMEOUT', 'x'), REPUTATION_CHANGE.timeout],
    [DiscReason.NetworkError, false, new RlpxError('CLOSED', 'x'), undefined],
    [DiscReason.NetworkError, false, new Error('x'), undefined],
    [DiscReason.TooManyPeers, false, undefined, undefined],
    [DiscReason.Requested, false, undefined, undefined],
    [DiscReason.ClientQuitting, false, undefined, undefined],
    [DiscReason.TooManyPeers, true, undefined, undefined],
    [DiscReason.ClientQuitting, true, undefined, undefined],
    [DiscReason.ProtocolError, true, undefined, REPUTATION_CHANGE.dropped],
    [DiscReason.UselessPeer, true, undefined, REPUTATION_CHANGE.dropped],
  ])('reason %i (remote %s) → %s', (reason, remote, error, want) => {
    expect(changeForEnd(reason as DiscReason, remote, error)).toBe(want);
  });
});

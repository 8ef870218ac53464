/**
 * The clock warning rests on evidence about time: packets from peers that arrive already
 * expired. Requests that nobody answers (an offline node) time out, are counted, and do not
 * warn about the clock.
 */

import { MemoryLogger, SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { Node } from '@ethp2p/enode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NTP_FAILURE_THRESHOLD, NTP_WARNING_COOLDOWN_MS } from '../../src/transport/constants.ts';
import { MemoryNetwork } from '../../src/transport/memory-network.ts';
import type { TestService } from './helpers.ts';
import { RawPeer, START_MS, settle, startService } from './helpers.ts';

let net: MemoryNetwork;
let clock: SimulatedClock;
let logger: MemoryLogger;
let svc: TestService;
let raw: RawPeer;

beforeEach(async () => {
  net = new MemoryNetwork();
  clock = new SimulatedClock(START_MS);
  logger = new MemoryLogger();
  svc = await startService(net, '10.0.0.1', { clock, logger });
  await svc.service.refresh(); // empty table: init is done at once
  raw = new RawPeer(net, '10.0.0.2');
});

afterEach(async () => {
  await raw.close();
  await svc.close();
});

const clockWarnings = () => logger.lines.filter((l) => l.level === 'warn' && /clock/.test(l.msg));

/** Sends `n` pings from `raw` that expired a minute before they arrive. */
async function sendExpired(n: number): Promise<void> {
  const before = svc.service.metrics.dropped.expired;
  const expiration = BigInt(Math.floor(clock.now() / 1000) - 60);
  for (let i = 0; i < n; i++) raw.ping(svc.address, clock.now(), { expiration });
  await waitFor(() => svc.service.metrics.dropped.expired === before + n);
}

describe('clock warning', () => {
  it('does not warn when requests time out because nothing answers', async () => {
    const n = 3 * NTP_FAILURE_THRESHOLD;
    const unreachable = Array.from({ length: n }, (_, i) =>
      Node.fromPublicKey(publicKey(generatePrivateKey()), { ip: '10.0.0.9', udp: 1000 + i }),
    );
    const pings = unreachable.map((node) => svc.service.ping(node).catch((e: unknown) => e));
    await settle();
    clock.advance(500);
    for (const err of await Promise.all(pings)) expect(err).toMatchObject({ code: 'TIMEOUT' });
    expect(svc.service.metrics.timeouts).toBe(n);
    expect(clockWarnings()).toEqual([]);
  });

  it('warns when many packets arrive already expired, at most once per cooldown', async () => {
    await sendExpired(NTP_FAILURE_THRESHOLD - 1);
    expect(clockWarnings()).toEqual([]);
    await sendExpired(1);
    expect(clockWarnings()).toHaveLength(1);
    expect(clockWarnings()[0]?.fields).toEqual({ expiredPackets: NTP_FAILURE_THRESHOLD });

    await sendExpired(2 * NTP_FAILURE_THRESHOLD);
    expect(clockWarnings()).toHaveLength(1);

    clock.advance(NTP_WARNING_COOLDOWN_MS);
    await sendExpired(NTP_FAILURE_THRESHOLD);
    expect(clockWarnings()).toHaveLength(2);
    expect(svc.service.metrics.dropped.expired).toBe(4 * NTP_FAILURE_THRESHOLD);
  });

  it('starts counting again after a packet that is not expired', async () => {
    await sendExpired(NTP_FAILURE_THRESHOLD - 1);
    raw.ping(svc.address, clock.now());
    await raw.next('pong');
    await sendExpired(NTP_FAILURE_THRESHOLD - 1);
    expect(clockWarnings()).toEqual([]);
  });
});

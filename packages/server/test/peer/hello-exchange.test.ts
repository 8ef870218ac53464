import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscReason, PeerError } from '../../src/index.ts';
import { encodeDisconnect, encodeHello, exchangeHello, type Hello } from '../../src/wire/index.ts';
import { closePairs, helloFrom, rlpxPair } from '../helpers/rlpx-pair.ts';

afterEach(closePairs);

const eth68 = [{ name: 'eth', version: 68 }];

async function rejection(p: Promise<unknown>): Promise<PeerError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PeerError);
  return err as PeerError;
}

describe('exchangeHello over loopback RLPx', () => {
  it('exchanges Hellos concurrently and turns snappy on at version 5', async () => {
    const { initiator, recipient, initiatorKey, recipientKey } = await rlpxPair();
    const ours = helloFrom(initiatorKey, eth68, 'initiator');
    const theirs = helloFrom(recipientKey, eth68, 'recipient');
    const [gotTheirs, gotOurs] = await Promise.all([
      exchangeHello(initiator, ours),
      exchangeHello(recipient, theirs),
    ]);
    expect(gotTheirs).toEqual(theirs);
    expect(gotOurs).toEqual(ours);
    expect(initiator.snappy && recipient.snappy).toBe(true);
    const big = new Uint8Array(100_000).fill(3);
    await initiator.writeMsg(0x10, big);
    const msg = await recipient.readMsg();
    expect(msg.data).toEqual(big);
    expect(msg.size).toBeLessThan(10_000);
  });

  it.each(['initiator', 'recipient'] as const)(
    'works when the %s sends its Hello long before the other',
    async (first) => {
      const pair = await rlpxPair();
      const [a, b] =
        first === 'initiator' ? [pair.initiator, pair.recipient] : [pair.recipient, pair.initiator];
      const [aKey, bKey] =
        first === 'initiator'
          ? [pair.initiatorKey, pair.recipientKey]
          : [pair.recipientKey, pair.initiatorKey];
      const raw = pair.recipientSocket;
      const sentBefore = raw.bytesWritten;
      const early = exchangeHello(a, helloFrom(aKey, eth68, 'early'));
      // b's socket has a's Hello before b even starts: in its buffer (b is the recipient), or
      // out of a's socket over loopback (a is the recipient).
      await waitFor(
        first === 'initiator'
          ? () => raw.readableLength > 0
          : () => raw.bytesWritten > sentBefore && raw.writableLength === 0,
        { what: 'the early Hello arrived' },
      );
      const late = await exchangeHello(b, helloFrom(bKey, eth68, 'late'));
      expect(late.name).toBe('early');
      expect((await early).name).toBe('late');
    },
  );

  it('leaves snappy off when the remote is at version 4', async () => {
    const { initiator, recipient, initiatorKey, recipientKey } = await rlpxPair();
    const v4: Hello = { ...helloFrom(recipientKey), version: 4 };
    const [got] = await Promise.all([
      exchangeHello(initiator, helloFrom(initiatorKey)),
      exchangeHello(recipient, v4),
    ]);
    expect(got.version).toBe(4);
    expect(initiator.snappy).toBe(false);
    expect(recipient.snappy).toBe(false);
  });

  it('rejects a Hello whose ID is not the handshake key with UnexpectedIdentity', async () => {
    const { initiator, recipient, initiatorKey } = await rlpxPair();
    const impostor = helloFrom(initiatorKey); // recipient claims the initiator's key
    await recipient.writeMsg(0, encodeHello(impostor));
    const err = await rejection(exchangeHello(initiator, helloFrom(initiatorKey)));
    expect(err.reason).toBe(DiscReason.UnexpectedIdentity);
    expect(err.remoteRequested).toBe(false);
    expect(initiator.snappy).toBe(false);
  });

  it('fails with the reason of a Disconnect received before Hello', async () => {
    const { initiator, recipient, initiatorKey } = await rlpxPair();
    await recipient.writeMsg(1, encodeDisconnect(DiscReason.TooManyPeers));
    const err = await rejection(exchangeHello(initiator, helloFrom(initiatorKey)));
    expect(err.reason).toBe(DiscReason.TooManyPeers);
    expect(err.remoteRequested).toBe(true);
    expect(err.message).toBe('too many peers');
  });

  it('fails with ProtocolError on another message before Hello', async () => {
    const { initiator, recipient, initiatorKey } = await rlpxPair();
    await recipient.writeMsg(0x10, Uint8Array.of(0xc0));
    const err = await rejection(exchangeHello(initiator, helloFrom(initiatorKey)));
    expect(err.reason).toBe(DiscReason.ProtocolError);
    expect(err.message).toMatch(/^expected handshake/);
  });

  it('fails with ProtocolError on a Hello over 2 KiB', async () => {
    const { initiator, recipient, initiatorKey, recipientKey } = await rlpxPair();
    const huge = helloFrom(recipientKey, eth68, 'x'.repeat(2100));
    await recipient.writeMsg(0, encodeHello(huge));
    const err = await rejection(exchangeHello(initiator, helloFrom(initiatorKey)));
    expect(err.reason).toBe(DiscReason.ProtocolError);
    expect(err.message).toMatch(/^message too big/);
  });

  it('accepts a Hello of exactly 2 KiB', async () => {
    const { initiator, recipient, initiatorKey, recipientKey } = await rlpxPair();
    let name = '';
    for (let n = 1900; n < 2048; n++) {
      const h = helloFrom(recipientKey, [], 'y'.repeat(n));
      if (encodeHello(h).length === 2048) name = h.name;
    }
    expect(name).not.toBe('');
    await recipient.writeMsg(0, encodeHello(helloFrom(recipientKey, [], name)));
    expect((await exchangeHello(initiator, helloFrom(initiatorKey))).name).toBe(name);
  });

  it('fails with InvalidIdentity on an all-zero ID', async () => {
    const { initiator, recipient, initiatorKey } = await rlpxPair();
    const zero = encodeHello({ ...helloFrom(initiatorKey), id: new Uint8Array(64) });
    await recipient.writeMsg(0, zero);
    const err = await rejection(exchangeHello(initiator, helloFrom(initiatorKey)));
    expect(err.reason).toBe(DiscReason.InvalidIdentity);
  });

  it('times out with ReadTimeout after 5 s on the injected clock, leaving no timer', async () => {
    const clock = new SimulatedClock();
    const { initiator, initiatorKey } = await rlpxPair({ initiator: { clock } });
    const exchange = exchangeHello(initiator, helloFrom(initiatorKey), { clock });
    const outcome = exchange.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    clock.advance(4999);
    await new Promise((r) => setImmediate(r));
    expect(await Promise.race([outcome, 'pending'])).toBe('pending');
    clock.advance(1);
    const err = await rejection(exchange);
    expect(err.reason).toBe(DiscReason.ReadTimeout);
    initiator.close();
    await waitFor(() => clock.pending === 0, { what: 'no timers' });
  });

  it('rejects with the signal reason on abort', async () => {
    const { initiator, initiatorKey } = await rlpxPair();
    const controller = new AbortController();
    const exchange = exchangeHello(initiator, helloFrom(initiatorKey), {
      signal: controller.signal,
    });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(exchange).rejects.toBe(reason);
    await expect(
      exchangeHello(initiator, helloFrom(initiatorKey), { signal: controller.signal }),
    ).rejects.toBe(reason);
  });

  it('rejects with an RlpxError when the connection closes', async () => {
    const { initiator, recipient, initiatorKey } = await rlpxPair();
    recipient.close();
    await expect(exchangeHello(initiator, helloFrom(initiatorKey))).rejects.toMatchObject({
      name: 'RlpxError',
    });
  });
});

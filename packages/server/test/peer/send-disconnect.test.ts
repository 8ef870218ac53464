import { SimulatedClock } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscReason } from '../../src/index.ts';
import { decodeDisconnect, sendDisconnect } from '../../src/wire/index.ts';
import { closePairs, rlpxPair } from '../helpers/rlpx-pair.ts';

afterEach(closePairs);

describe('sendDisconnect', () => {
  it.each([false, true])('writes Disconnect(reason), then closes (snappy %s)', async (snappy) => {
    const { initiator, recipient } = await rlpxPair();
    if (snappy) {
      initiator.enableSnappy();
      recipient.enableSnappy();
    }
    await sendDisconnect(initiator, DiscReason.UselessPeer);
    expect(initiator.closed).toBe(true);
    const msg = await recipient.readMsg();
    expect(msg.code).toBe(1);
    expect(decodeDisconnect(msg.data)).toBe(DiscReason.UselessPeer);
    await expect(recipient.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('delivers the Disconnect queued behind a large write', async () => {
    const { initiator, recipient } = await rlpxPair();
    const big = initiator.writeMsg(0x10, new Uint8Array(4 * 1024 * 1024).fill(1));
    const sent = sendDisconnect(initiator, DiscReason.TooManyPeers);
    expect((await recipient.readMsg()).code).toBe(0x10);
    const msg = await recipient.readMsg();
    expect(decodeDisconnect(msg.data)).toBe(DiscReason.TooManyPeers);
    await Promise.all([big, sent]);
  });

  it('sends nothing for NetworkError and just closes', async () => {
    const { initiator, recipient } = await rlpxPair();
    await sendDisconnect(initiator, DiscReason.NetworkError);
    expect(initiator.closed).toBe(true);
    await expect(recipient.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('does nothing but close on a closed connection', async () => {
    const { initiator } = await rlpxPair();
    initiator.close();
    await expect(sendDisconnect(initiator, DiscReason.Requested)).resolves.toBeUndefined();
  });

  it('gives up after 1 s on the injected clock when the write cannot drain', async () => {
    const clock = new SimulatedClock();
    // The recipient writes (its raw socket is at hand); the initiator never reads: 16 MiB
    // cannot all leave, so the next write waits for drain.
    const { recipient: writer, recipientSocket } = await rlpxPair({ recipient: { clock } });
    const stuck = writer.writeMsg(0x10, new Uint8Array(16 * 1024 * 1024 - 64));
    stuck.catch(() => {});
    await waitFor(() => recipientSocket.writableNeedDrain, { what: 'the socket buffer is full' });
    let done = false;
    const sent = sendDisconnect(writer, DiscReason.Requested, { clock }).then(() => {
      done = true;
    });
    clock.advance(999);
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    clock.advance(1);
    await sent;
    expect(writer.closed).toBe(true);
    await expect(stuck).rejects.toMatchObject({ code: 'CLOSED' });
    expect(clock.pending).toBe(0);
  });
});

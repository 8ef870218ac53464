import { SimulatedClock } from '@ethp2p/base';
import { isCollected, nextTurn, waitFor } from '@ethp2p/base/testing';
import { equalBytes, publicKey } from '@ethp2p/crypto';
import { nodeIdFromPublicKey } from '@ethp2p/enode';
import { afterEach, describe, expect, it } from 'vitest';
import {
  READ_TIMEOUT_MS,
  type RlpxConnection,
  RlpxError,
  type RlpxMessage,
} from '../../src/index.ts';
import { decodeHello, encodeHello, HELLO_CODE } from '../helpers/hello.ts';
import { pair, pairTracker, pattern } from './loopback.ts';

const { track, closeAll } = pairTracker();
afterEach(closeAll);

const SIZES = [0, 1024, 1024 * 1024];

describe('RlpxConnection over loopback', () => {
  it('completes the handshake in both roles and knows the remote keys', async () => {
    const { initiator, recipient, initiatorKey, recipientKey } = await track(pair());
    expect(initiator.remotePublicKey).toEqual(publicKey(recipientKey));
    expect(recipient.remotePublicKey).toEqual(publicKey(initiatorKey));
    expect(recipient.remoteId).toEqual(nodeIdFromPublicKey(publicKey(initiatorKey)));
    expect(initiator.remoteAddress).toBe('127.0.0.1');
    expect(initiator.remotePort).toBe(recipient.localPort);
    expect(recipient.remotePort).toBe(initiator.localPort);
  });

  it.each([false, true])(
    'exchanges 0 B, 1 KiB and 1 MiB messages both ways (snappy %s)',
    async (snappy) => {
      const { initiator, recipient } = await track(pair());
      if (snappy) {
        initiator.enableSnappy();
        recipient.enableSnappy();
      }
      for (const [i, size] of SIZES.entries()) {
        const out = pattern(size, i);
        const [, got] = await Promise.all([initiator.writeMsg(0x10 + i, out), recipient.readMsg()]);
        expect(got.code).toBe(0x10 + i);
        expect(equalBytes(got.data as Uint8Array, out)).toBe(true);
        expect(got.size).toBeGreaterThanOrEqual(32 + 16);
        await recipient.writeMsg(0x20 + i, out);
        const back = await initiator.readMsg();
        expect(back.code).toBe(0x20 + i);
        expect(equalBytes(back.data as Uint8Array, out)).toBe(true);
      }
      expect(initiator.snappy).toBe(snappy);
    },
  );

  it('reports the wire size of each write and counts the bytes on the wire, handshake included', async () => {
    const { initiator, recipient } = await track(pair());
    // The EIP-8 auth and ack went over these sockets already.
    expect(initiator.bytesWritten).toBeGreaterThan(300);
    expect(initiator.bytesWritten).toBe(recipient.bytesRead);
    expect(recipient.bytesWritten).toBe(initiator.bytesRead);
    const before = { written: initiator.bytesWritten, read: recipient.bytesRead };
    const [wireSize, got] = await Promise.all([
      initiator.writeMsg(0x10, pattern(1000, 1)),
      recipient.readMsg(),
    ]);
    // header 16 + header MAC 16 + body (code, payload) padded to 16 + frame MAC 16
    expect(wireSize).toBe(32 + Math.ceil((1 + 1000) / 16) * 16 + 16);
    expect(got.size).toBe(wireSize);
    expect(initiator.bytesWritten - before.written).toBe(wireSize);
    expect(recipient.bytesRead - before.read).toBe(wireSize);
    initiator.close();
    await initiator.whenClosed();
    expect(initiator.bytesWritten - before.written).toBe(wireSize);
  });

  it('switches snappy on after a Hello exchange', async () => {
    const { initiator, recipient, initiatorKey } = await track(pair());
    const hello = {
      version: 5,
      clientId: 'ethp2p/test',
      caps: [{ name: 'eth', version: 68 }],
      listenPort: 0,
      id: publicKey(initiatorKey),
    };
    await initiator.writeMsg(HELLO_CODE, encodeHello(hello));
    await recipient.writeMsg(HELLO_CODE, encodeHello({ ...hello, id: recipient.remotePublicKey }));
    const got = await recipient.readMsg();
    expect(decodeHello(got.data)).toEqual(hello);
    await initiator.readMsg();
    initiator.enableSnappy();
    recipient.enableSnappy();
    const big = new Uint8Array(1024 * 1024).fill(7);
    await initiator.writeMsg(0x10, big);
    const msg = await recipient.readMsg();
    expect(equalBytes(msg.data as Uint8Array, big)).toBe(true);
    expect(msg.size).toBeLessThan(big.length / 10);
  });

  it('reads and writes concurrently, in order', async () => {
    const { initiator, recipient } = await track(pair());
    const count = 50;
    const send = (c: RlpxConnection, seed: number): Promise<unknown> =>
      Promise.all(
        Array.from({ length: count }, (_, i) => c.writeMsg(0x10, pattern(4096 + i, seed + i))),
      );
    const receive = (c: RlpxConnection): Promise<Uint8Array[]> =>
      Promise.all(Array.from({ length: count }, () => c.readMsg().then((m) => m.data)));
    const [, , fromInitiator, fromRecipient] = await Promise.all([
      send(initiator, 0),
      send(recipient, 1000),
      receive(recipient),
      receive(initiator),
    ]);
    for (let i = 0; i < count; i++) {
      expect(equalBytes(fromInitiator[i] as Uint8Array, pattern(4096 + i, i))).toBe(true);
      expect(equalBytes(fromRecipient[i] as Uint8Array, pattern(4096 + i, 1000 + i))).toBe(true);
    }
  });

  it('survives a 16 MiB burst into a paused reader; writeMsg resolves after drain', async () => {
    // The recipient writes, so the test can look at the raw socket under the writer.
    const { initiator: reader, recipient: writerConn, recipientSocket } = await track(pair());
    const count = 16;
    let written = 0;
    let firstWritten: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      firstWritten = resolve;
    });
    const writer = (async () => {
      for (let i = 0; i < count; i++) {
        await writerConn.writeMsg(0x11, pattern(1024 * 1024, i));
        expect(recipientSocket.writableNeedDrain).toBe(false);
        written++;
        firstWritten();
      }
    })();
    await first;
    for (let i = 0; i < count; i++) {
      const msg = await reader.readMsg();
      expect(equalBytes(msg.data as Uint8Array, pattern(1024 * 1024, i))).toBe(true);
    }
    await writer;
    expect(written).toBe(count);
  });

  it('a read and a write waiting for drain at once each wake on their own event', async () => {
    const { initiator: reader, recipient: both, recipientSocket } = await track(pair());
    const pendingRead = both.readMsg();
    pendingRead.catch(() => {});
    const count = 8;
    let written = 0;
    const writer = (async () => {
      for (let i = 0; i < count; i++) {
        await both.writeMsg(0x11, pattern(1024 * 1024, i));
        written++;
      }
    })();
    writer.catch(() => {});
    await waitFor(() => recipientSocket.writableNeedDrain, { what: 'the write waits for drain' });
    // The read wakes while the write still waits for drain...
    await reader.writeMsg(0x12, pattern(100, 7));
    const msg = await pendingRead;
    expect(equalBytes(msg.data, pattern(100, 7))).toBe(true);
    expect(written).toBeLessThan(count);
    // ...and the write wakes once the reader takes the bytes, with no read pending.
    for (let i = 0; i < count; i++) {
      const m = await reader.readMsg();
      expect(equalBytes(m.data, pattern(1024 * 1024, i))).toBe(true);
    }
    await writer;
    expect(written).toBe(count);
  });

  it('whenClosed resolves at the socket close event, whether asked before or after it', async () => {
    const { recipient, recipientSocket } = await track(pair());
    let closeEmitted = false;
    recipientSocket.once('close', () => {
      closeEmitted = true;
    });
    const asked = recipient.whenClosed();
    expect(recipient.whenClosed()).toBe(asked);
    recipient.close();
    expect(closeEmitted).toBe(false);
    await asked;
    expect(closeEmitted).toBe(true);
    await recipient.whenClosed();
  });

  it('iterates messages until the peer closes', async () => {
    const { initiator, recipient } = await track(pair());
    for (let i = 0; i < 3; i++) await initiator.writeMsg(0x10 + i, pattern(10, i));
    initiator.close();
    const codes: number[] = [];
    for await (const msg of recipient) codes.push(msg.code);
    expect(codes).toEqual([0x10, 0x11, 0x12]);
    expect(recipient.closed).toBe(true);
  });

  it('iterating keeps nothing of a message while it waits for the next one', async () => {
    const { initiator, recipient } = await track(pair());
    initiator.enableSnappy();
    recipient.enableSnappy();
    const messages = recipient[Symbol.asyncIterator]();
    // The first message is looked at in a call of its own: only a weak reference stays here.
    const first = async (): Promise<WeakRef<Uint8Array>> => {
      const next = await messages.next();
      return new WeakRef((next.value as RlpxMessage).data);
    };
    await initiator.writeMsg(0x10, pattern(256 * 1024, 1));
    const ref = await first();
    const second = messages.next();
    expect(await isCollected(ref)).toBe(true);
    await initiator.writeMsg(0x11, pattern(10, 2));
    expect((await second).value?.code).toBe(0x11);
  });

  it('end() sends every written frame before the FIN; the peer reads them, then the close', async () => {
    const { initiator, recipient } = await track(pair());
    for (let i = 0; i < 3; i++) await initiator.writeMsg(0x10 + i, pattern(64 * 1024, i));
    await initiator.end();
    initiator.close();
    const codes: number[] = [];
    for await (const msg of recipient) codes.push(msg.code);
    expect(codes).toEqual([0x10, 0x11, 0x12]);
    await Promise.all([initiator.whenClosed(), recipient.whenClosed()]);
  });

  it('serves queued reads one at a time: one read timer, every waiting read gets the failure', async () => {
    const clock = new SimulatedClock(0);
    const { initiator, recipient } = await track(pair({ clock }));
    const reads = Array.from({ length: 3 }, () => initiator.readMsg());
    await nextTurn();
    expect(clock.pending).toBe(1);
    await recipient.writeMsg(0x10, pattern(8, 1));
    const first = await reads[0];
    expect(equalBytes(first?.data ?? new Uint8Array(0), pattern(8, 1))).toBe(true);
    clock.advance(READ_TIMEOUT_MS);
    for (const read of reads.slice(1))
      await expect(read).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(initiator.readTimedOut).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('close is idempotent, rejects pending reads and later writes with CLOSED', async () => {
    const { initiator, recipient } = await track(pair());
    const pending = initiator.readMsg();
    initiator.close();
    initiator.close();
    await expect(pending).rejects.toMatchObject({ name: 'RlpxError', code: 'CLOSED' });
    await expect(initiator.writeMsg(0x10, new Uint8Array(1))).rejects.toBeInstanceOf(RlpxError);
    await initiator.whenClosed();
    expect(initiator.closed).toBe(true);
    await expect(recipient.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
    await recipient.whenClosed();
  });
});

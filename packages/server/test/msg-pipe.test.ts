import { SimulatedClock } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { MsgError, msgPipe } from '../src/index.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('msgPipe', () => {
  it('carries messages both ways, in order, stamped by the clock', async () => {
    const clock = new SimulatedClock(1000);
    const [a, b] = msgPipe({ clock });
    const writes = Promise.all([a.writeMsg(1, bytes(1)), a.writeMsg(2, bytes(2, 2))]);
    clock.advance(5);
    expect(await b.readMsg()).toEqual({ code: 1, data: bytes(1), size: 1, receivedAt: 1005 });
    expect(await b.readMsg()).toMatchObject({ code: 2, data: bytes(2, 2), size: 2 });
    await writes;
    const back = b.writeMsg(7, bytes());
    expect(await a.readMsg()).toMatchObject({ code: 7, size: 0 });
    await back;
  });

  it('resolves a write only once the other end read it', async () => {
    const [a, b] = msgPipe();
    let written = false;
    const write = a.writeMsg(3, bytes(3)).then(() => {
      written = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(written).toBe(false);
    await b.readMsg();
    await write;
    expect(written).toBe(true);
  });

  it('serves a read that waits before the write', async () => {
    const [a, b] = msgPipe();
    const read = b.readMsg();
    await a.writeMsg(9, bytes(9));
    expect((await read).code).toBe(9);
  });

  it.each([0, 1])('close on end %i rejects pending and later calls on both ends', async (i) => {
    const ends = msgPipe();
    const [a, b] = ends;
    const pendingRead = a.readMsg();
    const pendingWrite = a.writeMsg(1, bytes(1));
    ends[i]?.close();
    ends[i]?.close();
    expect(a.closed && b.closed).toBe(true);
    const later = [a.readMsg(), b.readMsg(), a.writeMsg(1, bytes()), b.writeMsg(1, bytes())];
    for (const p of [pendingRead, pendingWrite, ...later]) {
      await expect(p).rejects.toMatchObject({ name: 'MsgError', code: 'CLOSED' });
    }
    await expect(b.readMsg()).rejects.toBeInstanceOf(MsgError);
  });

  it('rejects bad arguments with RangeError and TypeError', async () => {
    const [a] = msgPipe();
    await expect(a.writeMsg(-1, bytes())).rejects.toBeInstanceOf(RangeError);
    await expect(a.writeMsg(1.5, bytes())).rejects.toBeInstanceOf(RangeError);
    await expect(a.writeMsg(1, 'x' as unknown as Uint8Array)).rejects.toBeInstanceOf(TypeError);
  });
});

import { describe, expect, it } from 'vitest';
import { MsgChannel } from '../../src/msg-channel.ts';
import { type HeldRoom, ProtoRw } from '../../src/peer/proto-rw.ts';
import type { Msg } from '../../src/protocol.ts';

function room(): HeldRoom & { released: number } {
  return {
    released: 0,
    release() {
      this.released++;
    },
  };
}

function msg(code: number): Msg {
  return { code, data: Uint8Array.of(code), size: 1, receivedAt: 0 };
}

function stream(): ProtoRw {
  const protocol = { name: 'p', version: 1, length: 4, run: async () => {} };
  return new ProtoRw({ protocol, offset: 16 }, async () => {});
}

describe('ProtoRw', () => {
  it('holds a message room from its read until the next read', async () => {
    const rw = stream();
    const [r1, r2] = [room(), room()];
    const read = rw.readMsg();
    const delivered = rw.deliver(msg(1), r1);
    expect(await read).toEqual(msg(1));
    await delivered;
    expect(r1.released).toBe(0);
    // A message that waits for its read holds its room too; the next read frees the last one.
    const waiting = rw.deliver(msg(2), r2);
    expect(await rw.readMsg()).toEqual(msg(2));
    await waiting;
    expect([r1.released, r2.released]).toEqual([1, 0]);
    rw.close();
    expect(r2.released).toBe(1);
  });

  it('releases the room of a message taken just before the close, and of one never read', async () => {
    const rw = stream();
    const [taken, untaken] = [room(), room()];
    const read = rw.readMsg();
    void rw.deliver(msg(1), taken);
    rw.close();
    expect(await read).toEqual(msg(1));
    expect(taken.released).toBe(1);
    await expect(rw.deliver(msg(2), untaken)).rejects.toMatchObject({ code: 'CLOSED' });
    expect(untaken.released).toBe(1);
    await expect(rw.readMsg()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('MsgChannel', () => {
  it('serves several waiting receivers, then several waiting senders, in call order', async () => {
    const ch = new MsgChannel<number>();
    const reads = [ch.receive(), ch.receive(), ch.receive()];
    for (const n of [1, 2, 3]) await ch.send(n);
    expect(await Promise.all(reads)).toEqual([1, 2, 3]);
    const sends = [4, 5, 6].map((n) => ch.send(n));
    expect([await ch.receive(), await ch.receive(), await ch.receive()]).toEqual([4, 5, 6]);
    await Promise.all(sends);
  });

  it('gives receivers what take makes of each item, when it is handed over', async () => {
    const taken: number[] = [];
    const ch = new MsgChannel<number, string>((n) => {
      taken.push(n);
      return `#${n}`;
    });
    const read = ch.receive();
    void ch.send(1);
    expect(taken).toEqual([1]);
    void ch.send(2);
    expect(taken).toEqual([1]);
    expect([await read, await ch.receive()]).toEqual(['#1', '#2']);
    expect(taken).toEqual([1, 2]);
  });

  it('rejects every waiting receiver and sender on close', async () => {
    const ch = new MsgChannel<number>();
    const reads = [ch.receive(), ch.receive()];
    ch.close(new Error('gone'));
    for (const r of reads) await expect(r).rejects.toThrow('gone');
    const other = new MsgChannel<number>();
    const sends = [other.send(1), other.send(2)];
    other.close(new Error('gone'));
    for (const s of sends) await expect(s).rejects.toThrow('gone');
  });
});

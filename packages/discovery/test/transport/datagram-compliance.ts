/**
 * The compliance suite of the {@link DatagramSocket} seam: every implementation (real UDP, the
 * in-memory network) runs it, so the service sees the same behaviour over both. It checks what
 * the interface documents in `src/transport/datagram.ts`.
 * @module
 */
import { waitFor } from '@ethp2p/base/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_DATAGRAM_SIZE_BYTES } from '../../src/transport/constants.ts';
import type { DatagramAddress, DatagramSocket } from '../../src/transport/datagram.ts';

/** Binds fresh sockets of one implementation, all able to reach each other. */
export interface DatagramSocketFactory {
  /** A new socket on a local address with port 0; its handler is not installed yet. */
  bind(): Promise<DatagramSocket>;
}

interface Received {
  readonly data: number[];
  readonly from: DatagramAddress;
}

/** A socket's handler that records every datagram. */
function inbox(socket: DatagramSocket): Received[] {
  const got: Received[] = [];
  socket.onMessage((data, from) => {
    got.push({ data: [...data], from });
  });
  return got;
}

/** Waits, turn by turn (loopback I/O has no event to wait on), until `got` has `n` datagrams. */
function received(got: readonly Received[], n: number): Promise<void> {
  return waitFor(() => got.length >= n, { what: `${n} datagrams arrived` });
}

/**
 * Registers the compliance tests of one implementation. `factory` is called once per test, so
 * each test gets its own network; every socket it binds is closed after the test.
 */
export function datagramSocketCompliance(name: string, factory: () => DatagramSocketFactory): void {
  describe(`DatagramSocket compliance: ${name}`, () => {
    const opened: DatagramSocket[] = [];
    let net: DatagramSocketFactory | undefined;
    const bind = async (): Promise<DatagramSocket> => {
      net ??= factory();
      const socket = await net.bind();
      opened.push(socket);
      return socket;
    };
    const pair = async (): Promise<[DatagramSocket, DatagramSocket]> => [
      await bind(),
      await bind(),
    ];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      net = undefined;
    });

    it('reports a bound address with the port assigned for port 0', async () => {
      const [a, b] = await pair();
      for (const s of [a, b]) {
        expect(s.local.port).toBeGreaterThan(0);
        expect(s.local.port).toBeLessThanOrEqual(65535);
      }
      expect(b.local).not.toEqual(a.local);
    });

    it('delivers a copy asynchronously with the sender address as the source', async () => {
      const [a, b] = await pair();
      const got = inbox(b);
      const buf = new Uint8Array([1, 2, 3]);
      a.send(buf, b.local);
      buf[0] = 9; // the socket keeps no reference to the caller's buffer
      expect(got).toEqual([]); // never inside send
      await received(got, 1);
      expect(got).toEqual([{ data: [1, 2, 3], from: a.local }]);
    });

    it('lets the receiver answer the source it saw', async () => {
      const [a, b] = await pair();
      const atA = inbox(a);
      b.onMessage((data, from) => b.send(Uint8Array.of(...data, 0xff), from));
      a.send(Uint8Array.of(7), b.local);
      await received(atA, 1);
      expect(atA).toEqual([{ data: [7, 0xff], from: b.local }]);
    });

    it('delivers datagrams from one socket to another in send order', async () => {
      const [a, b] = await pair();
      const got = inbox(b);
      for (let i = 0; i < 32; i++) a.send(Uint8Array.of(i), b.local);
      await received(got, 32);
      expect(got.map((r) => r.data[0])).toEqual([...Array(32).keys()]);
    });

    it('carries a datagram of MAX_DATAGRAM_SIZE_BYTES and drops a longer one', async () => {
      const [a, b] = await pair();
      const got = inbox(b);
      a.send(new Uint8Array(MAX_DATAGRAM_SIZE_BYTES + 1).fill(1), b.local);
      a.send(new Uint8Array(MAX_DATAGRAM_SIZE_BYTES).fill(2), b.local);
      a.send(Uint8Array.of(3), b.local);
      await received(got, 2);
      expect(got.map((r) => [r.data.length, r.data[0]])).toEqual([
        [MAX_DATAGRAM_SIZE_BYTES, 2],
        [1, 3],
      ]);
    });

    it('replaces the handler on a second onMessage', async () => {
      const [a, b] = await pair();
      const first = inbox(b);
      const second = inbox(b);
      a.send(Uint8Array.of(1), b.local);
      await received(second, 1);
      expect(first).toEqual([]);
    });

    it('keeps delivering after a handler throws', async () => {
      const [a, b] = await pair();
      const got: number[] = [];
      b.onMessage((data) => {
        got.push(data[0] as number);
        if (data[0] === 1) throw new Error('handler failed');
      });
      a.send(Uint8Array.of(1), b.local);
      a.send(Uint8Array.of(2), b.local);
      await waitFor(() => got.length >= 2, { what: 'both datagrams arrived' });
      expect(got).toEqual([1, 2]);
    });

    it('validates the destination of send', async () => {
      const a = await bind();
      const data = Uint8Array.of(1);
      expect(() => a.send(data, { address: 'localhost', port: 1 })).toThrow(TypeError);
      expect(() => a.send(data, { address: '127.0.0.1', port: 0 })).toThrow(RangeError);
      expect(() => a.send(data, { address: '127.0.0.1', port: 65536 })).toThrow(RangeError);
      expect(() => a.send(data, { address: '127.0.0.1', port: 1.5 })).toThrow(RangeError);
    });

    it('never calls the handler after close, even for a datagram in flight', async () => {
      const [a, b] = await pair();
      const c = await bind();
      const atB = inbox(b);
      const atC = inbox(c);
      a.send(Uint8Array.of(1), b.local);
      const closing = b.close();
      a.send(Uint8Array.of(2), b.local);
      await closing;
      a.send(Uint8Array.of(3), b.local);
      // c's datagram, sent after the others, arriving shows they had their chance.
      a.send(Uint8Array.of(4), c.local);
      await received(atC, 1);
      expect(atB).toEqual([]);
    });

    it('does nothing on send after close, except validating the destination', async () => {
      const [a, b] = await pair();
      const atB = inbox(b);
      await a.close();
      expect(() => a.send(Uint8Array.of(1), b.local)).not.toThrow();
      expect(() => a.send(Uint8Array.of(1), { address: 'x', port: 1 })).toThrow(TypeError);
      const c = await bind();
      c.send(Uint8Array.of(2), b.local);
      await received(atB, 1);
      expect(atB).toEqual([{ data: [2], from: c.local }]);
    });

    it('closes idempotently', async () => {
      const a = await bind();
      const first = a.close();
      const second = a.close();
      await expect(Promise.all([first, second])).resolves.toBeDefined();
      await expect(a.close()).resolves.toBeUndefined();
    });
  });
}

import { SimulatedClock } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import { PendingSlots, type SlotSocket } from '../../src/server/pending-slots.ts';

/** A socket stand-in: bytes read so far, and whether it was destroyed. */
class FakeSocket implements SlotSocket {
  bytesRead = 0;
  destroyed = false;
  destroy(): void {
    this.destroyed = true;
  }
}

function setup(maxPending: number, maxPendingPerIp: number, idleTimeoutMs: number | null) {
  const clock = new SimulatedClock(0);
  const slots = new PendingSlots({
    maxPending,
    maxPendingPerIp,
    clock,
    ...(idleTimeoutMs === null ? {} : { idleTimeoutMs }),
  });
  const admit = (ip: string): FakeSocket | string => {
    const refused = slots.check(ip);
    if (refused !== undefined) return refused;
    const socket = new FakeSocket();
    slots.take(socket, ip);
    return socket;
  };
  return { clock, slots, admit };
}

describe('PendingSlots', () => {
  it('caps the pending connections of one IP, loopback included', () => {
    const { slots, admit } = setup(10, 2, 1_000);
    const a = admit('127.0.0.1') as FakeSocket;
    admit('127.0.0.1');
    expect(admit('127.0.0.1')).toBe('ipPendingLimit');
    expect(admit('10.0.0.1')).toBeInstanceOf(FakeSocket);
    slots.release(a);
    slots.release(a); // idempotent
    expect(admit('127.0.0.1')).toBeInstanceOf(FakeSocket);
    expect(slots.size).toBe(3);
  });

  it('lets a new IP displace the connection stalled longest when every slot is taken', () => {
    const { clock, slots, admit } = setup(3, 3, 10_000);
    const first = admit('10.0.0.1') as FakeSocket;
    clock.advance(100);
    const second = admit('10.0.0.2') as FakeSocket;
    clock.advance(100);
    const third = admit('10.0.0.3') as FakeSocket;
    // The first one makes progress: the second is now the one stalled longest.
    first.bytesRead = 100;
    clock.advance(100);
    // An IP that already has a pending connection is refused, nothing is displaced.
    expect(admit('10.0.0.3')).toBe('pendingLimit');
    expect(slots.counts().evicted).toBe(0);
    const fresh = admit('10.0.0.4');
    expect(fresh).toBeInstanceOf(FakeSocket);
    expect(slots.counts().evicted).toBe(1);
    expect([first.destroyed, second.destroyed, third.destroyed]).toEqual([false, true, false]);
    expect(slots.size).toBe(3);
  });

  it('refuses a new IP when every pending connection is making progress', () => {
    const { slots, admit } = setup(2, 2, 10_000);
    const a = admit('10.0.0.1') as FakeSocket;
    const b = admit('10.0.0.2') as FakeSocket;
    a.bytesRead = 10;
    b.bytesRead = 10;
    expect(admit('10.0.0.3')).toBe('pendingLimit');
    expect(slots.counts().evicted).toBe(0);
  });

  it('closes a connection that reads nothing for the idle timeout; progress resets it', () => {
    const { clock, slots, admit } = setup(5, 5, 1_000);
    const silent = admit('10.0.0.1') as FakeSocket;
    const busy = admit('10.0.0.2') as FakeSocket;
    for (let t = 0; t < 5; t++) {
      busy.bytesRead += 1;
      clock.advance(1_000);
    }
    expect(silent.destroyed).toBe(true);
    expect(busy.destroyed).toBe(false);
    expect(slots.counts().idleTimeouts).toBe(1);
    expect(slots.size).toBe(1);
    clock.advance(1_000);
    expect(busy.destroyed).toBe(true);
    expect(slots.counts().idleTimeouts).toBe(2);
    expect(slots.size).toBe(0);
  });

  it('has no idle timer without an idle timeout, and none left after release', () => {
    const { clock, slots, admit } = setup(5, 5, null);
    const a = admit('10.0.0.1') as FakeSocket;
    clock.advance(1_000_000);
    expect(a.destroyed).toBe(false);
    slots.release(a);
    const timed = setup(5, 5, 1_000);
    const b = timed.admit('10.0.0.1') as FakeSocket;
    timed.slots.release(b);
    timed.clock.advance(10_000);
    expect(b.destroyed).toBe(false);
    expect(timed.slots.counts().idleTimeouts).toBe(0);
  });
});

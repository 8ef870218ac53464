import { SimulatedClock } from '@ethp2p/base';
import { describe, expect, it } from 'vitest';
import {
  clientName,
  countClients,
  formatBytes,
  formatStatusLine,
  type NodeStatus,
  StatusTicker,
  statusFields,
} from '../../src/node/status.ts';

const STATUS: NodeStatus = {
  peers: 3,
  inbound: 1,
  outbound: 2,
  clients: [
    ['Geth', 2],
    ['ethp2p', 1],
  ],
  table: 57,
  dials: 12,
  dialsSucceeded: 3,
  bytesIn: 1_234_567,
  bytesOut: 800_000,
};

describe('status line', () => {
  it('shows peers by direction and client, the table, dials and traffic', () => {
    expect(formatStatusLine(STATUS)).toBe(
      'peers 3 (in 1, out 2) [Geth 2, ethp2p 1] table 57 dials 12 ok 3 traffic in 1.2 MB out 800.0 kB',
    );
  });

  it('leaves out the client list without peers and says when discovery is off', () => {
    const idle = { ...STATUS, peers: 0, inbound: 0, outbound: 0, clients: [], table: undefined };
    expect(
      formatStatusLine({ ...idle, dials: 0, dialsSucceeded: 0, bytesIn: 0, bytesOut: 0 }),
    ).toBe('peers 0 (in 0, out 0) table off dials 0 ok 0 traffic in 0 B out 0 B');
  });

  it('gives the same numbers as fields for JSON', () => {
    expect(statusFields(STATUS)).toEqual({
      peers: 3,
      inbound: 1,
      outbound: 2,
      clients: { Geth: 2, ethp2p: 1 },
      table: 57,
      dials: 12,
      dialsSucceeded: 3,
      bytesIn: 1_234_567,
      bytesOut: 800_000,
      lastDialError: null,
      dbWriteFailures: 0,
    });
    const lastDialError = { node: 'enode://ab@127.0.0.2:30303', error: 'connect ECONNREFUSED' };
    expect(statusFields({ ...STATUS, lastDialError }).lastDialError).toEqual(lastDialError);
    expect(formatStatusLine({ ...STATUS, lastDialError })).toBe(formatStatusLine(STATUS));
  });

  it('leads with the head, and while syncing the target and blocks/s', () => {
    const head = { number: 600n, hash: Uint8Array.from({ length: 32 }, (_, i) => i + 0xa0) };
    expect(formatStatusLine({ ...STATUS, head })).toBe(
      `head 600 (0xa0a1a2a3…) ${formatStatusLine(STATUS)}`,
    );
    const sync = { target: 1200n, blocksPerSecond: 512.4 };
    expect(formatStatusLine({ ...STATUS, head, sync })).toBe(
      `head 600 (0xa0a1a2a3…) syncing to 1200 512 blocks/s ${formatStatusLine(STATUS)}`,
    );
    expect(statusFields({ ...STATUS, head, sync })).toMatchObject({
      head: { number: 600, hash: `0x${Buffer.from(head.hash).toString('hex')}` },
      sync: { target: 1200, blocksPerSecond: 512.4 },
    });
    expect(
      statusFields({ ...STATUS, head, sync: { target: undefined, blocksPerSecond: 3 } }).sync,
    ).toEqual({ target: null, blocksPerSecond: 3 });
  });

  it('shows failed database writes (a full disk) when there are any', () => {
    expect(statusFields({ ...STATUS, dbWriteFailures: 4 }).dbWriteFailures).toBe(4);
    expect(formatStatusLine({ ...STATUS, dbWriteFailures: 4 })).toBe(
      `${formatStatusLine(STATUS)} db write failures 4`,
    );
    expect(formatStatusLine({ ...STATUS, dbWriteFailures: 0 })).toBe(formatStatusLine(STATUS));
  });

  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.0 kB'],
    [1_234_567, '1.2 MB'],
    [999_960, '1.0 MB'],
    [5_000_000_000, '5.0 GB'],
    [7e15, '7000.0 TB'],
  ])('formats %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    ['Geth/v1.14.0-stable-abc/linux-amd64/go1.22.1', 'Geth'],
    ['Nethermind/v1.25.4', 'Nethermind'],
    ['erigon', 'erigon'],
    ['', 'unknown'],
    ['/x', 'unknown'],
    ['x'.repeat(100), 'x'.repeat(32)],
  ])('takes the client name of %j', (hello, name) => {
    expect(clientName(hello)).toBe(name);
  });

  it('counts clients, most first, then by name', () => {
    expect(countClients(['Geth/v1', 'reth/v1', 'Geth/v2', 'besu/v1', 'reth/v2', 'Geth'])).toEqual([
      ['Geth', 3],
      ['reth', 2],
      ['besu', 1],
    ]);
  });
});

describe('StatusTicker', () => {
  it('reports every interval until stopped', () => {
    const clock = new SimulatedClock(0);
    const times: number[] = [];
    const ticker = new StatusTicker(clock, 10_000, () => times.push(clock.now()));
    ticker.start();
    ticker.start();
    clock.advance(9_999);
    expect(times).toEqual([]);
    clock.advance(25_001);
    expect(times).toEqual([10_000, 20_000, 30_000]);
    ticker.stop();
    clock.advance(60_000);
    expect(times).toHaveLength(3);
    expect(clock.pending).toBe(0);
  });

  it('keeps reporting after a report throws', () => {
    const clock = new SimulatedClock(0);
    let calls = 0;
    const ticker = new StatusTicker(clock, 1_000, () => {
      calls++;
      throw new Error('listener failed');
    });
    ticker.start();
    clock.advance(3_000);
    expect(calls).toBe(3);
    ticker.stop();
  });

  it('rejects a non-positive interval', () => {
    expect(() => new StatusTicker(new SimulatedClock(), 0, () => {})).toThrow(RangeError);
  });
});

import { RLP } from '@ethereumjs/rlp';
import { SimulatedClock } from '@ethp2p/base';
import { rejectedError } from '@ethp2p/base/testing';
import type { MemoryChain } from '@ethp2p/chain';
import { DiscReason, expectMsg, type MsgPipeEnd, msgPipe, PeerError } from '@ethp2p/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { newForkFilter } from '../../src/forkid/filter.ts';
import {
  type ExchangeStatusOptions,
  exchangeStatus,
  localStatus,
  type Status,
} from '../../src/handshake.ts';
import { MAX_MESSAGE_SIZE } from '../../src/messages/versions.ts';
import { STATUS_TIMEOUT_MS } from '../../src/peer/constants.ts';
import { StatusError } from '../../src/peer/errors.ts';
import { hashOf, memoryChain, send, table } from '../peer/fixtures.ts';

let chain: MemoryChain;

beforeAll(async () => {
  ({ chain } = await memoryChain());
});

function options(
  version: 68 | 69,
  extra: Partial<ExchangeStatusOptions> = {},
): ExchangeStatusOptions {
  return {
    version: table(version),
    local: localStatus(version, chain, {
      networkId: chain.config.networkId,
      earliest: 0n,
      td: 17n,
    }),
    rules: {
      version,
      networkId: chain.config.networkId,
      genesis: chain.genesis().hash,
      forkFilter: newForkFilter(chain.config, () => chain.head()),
    },
    ...extra,
  };
}

/** Tracks whether a promise settled, without letting a rejection go unhandled. */
function track<T>(p: Promise<T>): { readonly settled: boolean; readonly result: Promise<T> } {
  const state = { settled: false };
  p.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return {
    get settled() {
      return state.settled;
    },
    result: p,
  };
}

async function expectPeerError(p: Promise<unknown>, reason: DiscReason): Promise<PeerError> {
  const err = await rejectedError(p, PeerError);
  expect(err.reason).toBe(reason);
  return err;
}

/** Runs our side against a remote that reads our Status and sends `remote` (concurrently). */
async function against(
  version: 68 | 69,
  remote: (end: MsgPipeEnd) => Promise<unknown>,
  extra: Partial<ExchangeStatusOptions> = {},
): Promise<Status> {
  const [ours, theirs] = msgPipe();
  const run = exchangeStatus(ours, options(version, extra));
  const [result] = await Promise.allSettled([run, expectMsg(theirs, 0), remote(theirs)]);
  theirs.close();
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

describe.each([68, 69] as const)('eth/%i Status exchange', (version) => {
  it('exchanges Status both ways and returns the remote one', async () => {
    const [a, b] = msgPipe();
    const optsA = options(version);
    const optsB = options(version, {
      local: { ...options(version).local, ...(version === 68 ? { td: 99n } : { earliest: 3n }) },
    });
    const [fromB, fromA] = await Promise.all([exchangeStatus(a, optsA), exchangeStatus(b, optsB)]);
    expect(fromB).toEqual(optsB.local);
    expect(fromA).toEqual(optsA.local);
  });

  it('sends its Status without waiting for the remote one', async () => {
    const [ours, theirs] = msgPipe();
    const opts = options(version);
    const run = exchangeStatus(ours, opts);
    // The remote reads first, as the conformance suites do, and sees our Status.
    const msg = await expectMsg(theirs, 0);
    expect(table(version).codecs.Status.decode(msg.data)).toEqual(opts.local);
    await send(theirs, version, 'Status', opts.local);
    await expect(run).resolves.toEqual(opts.local);
  });

  it('carries the chain head, genesis and fork ID in our Status', () => {
    const local = options(version).local;
    expect(local.genesis).toEqual(chain.genesis().hash);
    expect(local.version).toBe(version);
    if ('latestHash' in local) {
      expect(local.latest).toBe(chain.head().number);
      expect(local.latestHash).toEqual(chain.head().hash);
    } else {
      expect(local.head).toEqual(chain.head().hash);
      expect(local.td).toBe(17n);
    }
  });

  const mismatches: [string, (s: Status) => Status, string, RegExp][] = [
    ['network id', (s) => ({ ...s, networkId: 999n }), 'NETWORK_ID_MISMATCH', /network id/],
    ['genesis', (s) => ({ ...s, genesis: hashOf(1) }), 'GENESIS_MISMATCH', /genesis/],
    [
      'version',
      (s) => ({ ...s, version: version === 69 ? 68 : 67 }),
      'VERSION_MISMATCH',
      /protocol version/,
    ],
    [
      'fork ID',
      (s) => ({ ...s, forkId: { hash: Uint8Array.of(0xde, 0xad, 0xbe, 0xef), next: 0n } }),
      'FORK_ID_REJECTED',
      /fork id rejected/,
    ],
  ];

  it.each(mismatches)(
    'refuses a %s mismatch with SubprotocolError',
    async (_, mutate, code, text) => {
      const bad = mutate(options(version).local);
      const err = await expectPeerError(
        against(version, (end) => send(end, version, 'Status', bad)),
        DiscReason.SubprotocolError,
      );
      expect(err.message).toMatch(text);
      expect(err.cause).toBeInstanceOf(StatusError);
      expect((err.cause as StatusError).code).toBe(code);
    },
  );

  it('refuses an undecodable Status with ProtocolError', async () => {
    await expectPeerError(
      against(version, (end) => end.writeMsg(0, Uint8Array.of(0xc5, 0x01))),
      DiscReason.ProtocolError,
    );
    await expectPeerError(
      against(version, (end) => end.writeMsg(0, RLP.encode([1n, 2n]))),
      DiscReason.ProtocolError,
    );
  });

  it('refuses a first message other than Status with SubprotocolError', async () => {
    const err = await expectPeerError(
      against(version, (end) => end.writeMsg(2, RLP.encode([]))),
      DiscReason.SubprotocolError,
    );
    expect((err.cause as StatusError).code).toBe('NO_STATUS');
  });

  it('refuses a Status over 10 MiB with ProtocolError', async () => {
    const big = new Uint8Array(MAX_MESSAGE_SIZE + 1);
    await expectPeerError(
      against(version, (end) => end.writeMsg(0, big)),
      DiscReason.ProtocolError,
    );
  });

  it('times out after 5 s with ReadTimeout', async () => {
    const clock = new SimulatedClock();
    const [ours, theirs] = msgPipe({ clock });
    const run = track(exchangeStatus(ours, options(version, { clock })));
    await expectMsg(theirs, 0);
    clock.advance(STATUS_TIMEOUT_MS - 1);
    await Promise.resolve();
    expect(run.settled).toBe(false);
    clock.advance(1);
    await expectPeerError(run.result, DiscReason.ReadTimeout);
    expect(clock.pending).toBe(0);
  });

  it('times out when the remote neither reads nor writes', async () => {
    const clock = new SimulatedClock();
    const [ours] = msgPipe({ clock });
    const run = exchangeStatus(ours, options(version, { clock }));
    clock.advance(STATUS_TIMEOUT_MS);
    await expectPeerError(run, DiscReason.ReadTimeout);
  });

  it('stops on abort with the signal reason and leaves no timer', async () => {
    const clock = new SimulatedClock();
    const [ours] = msgPipe({ clock });
    const controller = new AbortController();
    const run = exchangeStatus(ours, options(version, { clock, signal: controller.signal }));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);
    expect(clock.pending).toBe(0);
  });
});

describe('eth/69 block range in Status', () => {
  const cases: [string, (s: Status) => Status][] = [
    ['earliest above latest', (s) => ({ ...s, earliest: 10n, latest: 5n })],
    ['a zero latest hash', (s) => ({ ...s, latestHash: new Uint8Array(32) })],
  ];
  it.each(cases)('refuses %s with SubprotocolError', async (_, mutate) => {
    const bad = mutate(options(69).local);
    const err = await expectPeerError(
      against(69, (end) => send(end, 69, 'Status', bad)),
      DiscReason.SubprotocolError,
    );
    expect(err.message).toMatch(/invalid block range/);
    expect((err.cause as StatusError).code).toBe('INVALID_BLOCK_RANGE');
  });

  it('accepts earliest equal to latest', async () => {
    const s = { ...options(69).local, earliest: 16n, latest: 16n };
    await expect(against(69, (end) => send(end, 69, 'Status', s))).resolves.toEqual(s);
  });
});

describe('eth/68 total difficulty in Status', () => {
  it('refuses a total difficulty over 100 bits', async () => {
    const bad = { ...options(68).local, td: 2n ** 100n };
    const err = await expectPeerError(
      against(68, (end) => send(end, 68, 'Status', bad)),
      DiscReason.SubprotocolError,
    );
    expect((err.cause as StatusError).code).toBe('TD_TOO_LARGE');
  });

  it('accepts a 100-bit total difficulty', async () => {
    const s = { ...options(68).local, td: 2n ** 100n - 1n };
    await expect(against(68, (end) => send(end, 68, 'Status', s))).resolves.toEqual(s);
  });
});

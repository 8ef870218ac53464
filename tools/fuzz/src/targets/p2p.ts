/**
 * The devp2p base protocol of `@ethp2p/server/wire`: Hello and Disconnect payloads. Ping and Pong
 * carry no payload anyone reads (the peer answers a Ping whatever it holds, as geth does), so
 * they have no decoder to fuzz.
 * @module
 */

import { encodeRlp } from '@ethp2p/base/rlp';
import { DiscReason, isDiscReason, PeerError } from '@ethp2p/server';
import { decodeDisconnect, decodeHello, encodeDisconnect, encodeHello } from '@ethp2p/server/wire';
import { typedErrors } from '../errors.ts';
import { type FuzzTarget, PropertyError, type TargetSpec } from '../target.ts';
import { fixedKey } from './fixtures.ts';

/** The `p2p-hello` target. */
export const helloTarget: TargetSpec = {
  name: 'p2p-hello',
  decoders: '@ethp2p/server/wire decodeHello (size cap, fields, caps, identity)',
  create(): FuzzTarget {
    const id = fixedKey('hello').publicKey;
    const caps = (list: [string, number][]) => list.map(([name, version]) => ({ name, version }));
    const hellos = [
      encodeHello({
        version: 5,
        name: 'Geth/v1.16.0-stable/linux-amd64/go1.24',
        caps: caps([
          ['eth', 68],
          ['eth', 69],
          ['snap', 1],
        ]),
        listenPort: 30303,
        id,
      }),
      encodeHello({ version: 4, name: '', caps: [], listenPort: 0, id }),
    ];
    // extra trailing fields, as EIP-8 allows
    hellos.push(encodeRlp([5, 'x', [['eth', 68, 'extra']], 0, id, 'future', [1, 2]]));
    return {
      modes: [{ name: 'hello', seeds: hellos }],
      maxInputBytes: 4096,
      expected: typedErrors(PeerError),
      run(input) {
        decodeHello(input);
      },
    };
  },
};

/** The `p2p-disconnect` target. */
export const disconnectTarget: TargetSpec = {
  name: 'p2p-disconnect',
  decoders: '@ethp2p/server/wire decodeDisconnect (never throws: bad input reads as Invalid)',
  create(): FuzzTarget {
    const seeds = Object.values(DiscReason).map((r) => encodeDisconnect(r));
    seeds.push(Uint8Array.of(0x81, 0x10), Uint8Array.of(0x04), Uint8Array.of(0x00));
    return {
      modes: [{ name: 'disconnect', seeds }],
      maxInputBytes: 1024,
      expected: () => false,
      run(input) {
        const reason = decodeDisconnect(input);
        if (!isDiscReason(reason)) throw new PropertyError(`not a reason: ${String(reason)}`);
      },
    };
  },
};

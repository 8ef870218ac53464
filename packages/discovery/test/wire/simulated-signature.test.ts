import { thrownError } from '@ethp2p/base/testing';
import { publicKey as derivePublicKey, keccak256 } from '@ethp2p/crypto';
import { Enr } from '@ethp2p/enode';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeUnsigned, openPacket } from '../../src/wire/envelope.ts';
import { decodePacket, encodePacket, WireError } from '../../src/wire/index.ts';
import { recoverSender } from '../../src/wire/signature.ts';
import {
  SIMULATED_MARKER,
  sealSimulated,
  simulatedSender,
} from '../../src/wire/simulated-signature.ts';
import { findnode, ping } from './arbitraries.ts';
import { PRIV_B } from './helpers.ts';

const PUB_B = derivePublicKey(PRIV_B);

describe('the simulated identity', () => {
  it('seals a packet the real codec opens, and names the sender it was sealed with', () => {
    fc.assert(
      fc.property(fc.oneof(ping, findnode), (packet) => {
        const out = encodeUnsigned(packet);
        const hash = sealSimulated(out, PUB_B);
        expect(hash).toEqual(keccak256(out.subarray(32)));
        expect(out[96]).toBe(SIMULATED_MARKER);
        const opened = openPacket(out);
        expect(opened.packet).toEqual(decodePacket(encodePacket(packet, PRIV_B).bytes).packet);
        expect(opened.hash).toEqual(hash);
        expect(simulatedSender(out)).toEqual(PUB_B);
      }),
      { numRuns: 30 },
    );
  });

  it('a simulated packet fails real recovery, and a real one the simulated reading', () => {
    const simulated = encodeUnsigned({ type: 'enr-request', expiration: 1n });
    sealSimulated(simulated, PUB_B);
    thrownError(() => recoverSender(simulated), WireError, 'BAD_SIGNATURE');
    thrownError(() => decodePacket(simulated), WireError, 'BAD_SIGNATURE');
    const real = encodePacket({ type: 'enr-request', expiration: 1n }, PRIV_B).bytes;
    thrownError(() => simulatedSender(real), WireError, 'BAD_SIGNATURE');
  });

  it('refuses a key that is not 64 bytes and a buffer with no room for a body', () => {
    const out = encodeUnsigned({ type: 'enr-request', expiration: 1n });
    thrownError(() => sealSimulated(out, PUB_B.subarray(1)), RangeError);
    thrownError(() => sealSimulated(new Uint8Array(97), PUB_B), RangeError);
    thrownError(() => simulatedSender(new Uint8Array(97)), WireError, 'BAD_SIGNATURE');
  });

  it('opens with the hash trusted (no keccak256), but only when told to', () => {
    const out = encodeUnsigned({ type: 'enr-request', expiration: 1n });
    const hash = sealSimulated(out, PUB_B).slice();
    out[0] = (out[0] as number) ^ 1; // a hash nobody computed
    thrownError(() => openPacket(out), WireError, 'BAD_HASH');
    const opened = openPacket(out, { trustHash: true });
    expect(opened.hash).toEqual(out.subarray(0, 32));
    expect(opened.hash).not.toEqual(hash);
    expect(opened.packet).toEqual({ type: 'enr-request', expiration: 1n, rest: [] });
  });

  it('reads an ENRResponse record through the given reader, a bad one as BAD_RECORD', () => {
    const record = Enr.sign({ seq: 3n, entries: { ip: '10.0.0.1', udp: 30303 } }, PRIV_B);
    const out = encodeUnsigned({ type: 'enr-response', requestHash: new Uint8Array(32), record });
    sealSimulated(out, PUB_B);
    const read: Uint8Array[] = [];
    const opened = openPacket(out, {
      readRecord: (raw) => {
        read.push(raw.slice());
        return record;
      },
    });
    expect(read).toEqual([record.encode()]);
    expect(opened.packet.type === 'enr-response' && opened.packet.record).toBe(record);
    const refuse = (): Enr => {
      throw new Error('not this one');
    };
    thrownError(() => openPacket(out, { readRecord: refuse }), WireError, 'BAD_RECORD');
  });
});

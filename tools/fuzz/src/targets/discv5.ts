/**
 * discv5 packets and messages of `@ethp2p/discovery/v5-wire`. Packets: the unmasked header and
 * the message plaintext are mutated, then the message is sealed under a fixed session key with
 * the (mutated) header as associated data and the header masked for the local node, so
 * mutations reach the header and authdata parsers and, through `openMessage`, the message
 * decoder. Handshake authdata goes on to the record and id-signature checks the session layer
 * runs. Messages: the plaintexts alone, each of which must re-encode to its input.
 * @module
 */
import { aes128GcmSeal, CryptoError, concatBytes, decompressPublicKey } from '@ethp2p/crypto';
import {
  type DecodedV5Packet,
  decodeMessage,
  decodePacket,
  encodeHandshakeAuth,
  encodeHandshakePacket,
  encodeHeaderData,
  encodeMessage,
  encodeMessagePacket,
  encodeWhoareyouPacket,
  MAX_PACKET_BYTES,
  maskPacket,
  openMessage,
  type V5Message,
  verifyIdSignature,
  WireV5Error,
} from '@ethp2p/discovery/v5-wire';
import { Enr, EnrError, nodeIdFromPublicKey } from '@ethp2p/enode';
import { typedErrors } from '../errors.ts';
import type { FuzzTarget, TargetSpec } from '../target.ts';
import { attempt, expectSameBytes, fixedKey, sampleRecords } from './fixtures.ts';

const MASKING_IV_BYTES = 16;
/** masking-iv ‖ static header: where the authdata starts. */
const STATIC_END = MASKING_IV_BYTES + 23;

/** One message of each type, edge values included. */
function sampleMessages(record: Uint8Array): V5Message[] {
  const reqId = Uint8Array.of(1, 2, 3, 4);
  return [
    { type: 'ping', reqId, enrSeq: 1n },
    { type: 'ping', reqId: new Uint8Array(8).fill(0xff), enrSeq: 2n ** 64n - 1n },
    { type: 'pong', reqId, enrSeq: 3n, ip: '127.0.0.1', port: 30303 },
    { type: 'pong', reqId: new Uint8Array(0), enrSeq: 0n, ip: '2001:db8::1', port: 65535 },
    { type: 'findnode', reqId, distances: [256, 255, 0] },
    { type: 'nodes', reqId, total: 2, records: [record, record] },
    { type: 'talkreq', reqId, protocol: Uint8Array.of(0x62, 0x7a), request: new Uint8Array(40) },
    { type: 'talkresp', reqId, response: Uint8Array.of(1) },
  ];
}

/** The `discv5-message` target. */
export const discv5MessageTarget: TargetSpec = {
  name: 'discv5-message',
  decoders:
    '@ethp2p/discovery/v5-wire decodeMessage: PING, PONG, FINDNODE, NODES, TALKREQ, TALKRESP ' +
    '(a decoded message must re-encode to its input)',
  create(): FuzzTarget {
    const key = fixedKey('discv5 remote');
    const record = (sampleRecords(key.privateKey)[0] as Enr).encode();
    const expected = typedErrors(WireV5Error);
    return {
      modes: [{ name: 'plaintext', seeds: sampleMessages(record).map(encodeMessage) }],
      maxInputBytes: 2048,
      expected,
      run(input) {
        expectSameBytes('message', input, encodeMessage(decodeMessage(input)));
      },
    };
  },
};

/** The `discv5-packet` target. */
export const discv5PacketTarget: TargetSpec = {
  name: 'discv5-packet',
  decoders:
    '@ethp2p/discovery/v5-wire decodePacket (masked header, message/WHOAREYOU/handshake ' +
    'authdata), openMessage, decodeMessage; for handshakes Enr.decode of the record, ' +
    'verifyIdSignature and the ephemeral key',
  create(): FuzzTarget {
    const local = fixedKey('discv5 local');
    const remote = fixedKey('discv5 remote');
    const localId = nodeIdFromPublicKey(local.publicKey);
    const srcId = nodeIdFromPublicKey(remote.publicKey);
    const sessionKey = new Uint8Array(16).fill(0x5a);
    const record = (sampleRecords(remote.privateKey)[0] as Enr).encode();
    const plaintexts = sampleMessages(record).map(encodeMessage);
    const frame = (i: number) => ({
      destId: localId,
      maskingIv: new Uint8Array(16).fill(i),
      nonce: new Uint8Array(12).fill(i + 1),
    });
    const auth = {
      srcId,
      signature: new Uint8Array(64).fill(3),
      ephemeralKey: concatBytes(Uint8Array.of(2), new Uint8Array(32).fill(4)),
      record,
    };
    // the unmasked header data ‖ message plaintext of each packet kind
    const headerOf = (
      i: number,
      flag: 'message' | 'whoareyou' | 'handshake',
      authdata: Uint8Array,
    ) => encodeHeaderData(frame(i).maskingIv, { flag, nonce: frame(i).nonce, authdata });
    const clear: Uint8Array[] = [];
    plaintexts.forEach((pt, i) => {
      clear.push(concatBytes(headerOf(i, 'message', srcId), pt));
    });
    const whoareyou = encodeWhoareyouPacket(frame(9), { idNonce: new Uint8Array(16), enrSeq: 1n });
    clear.push(whoareyou.challengeData);
    const handshake = encodeHandshakePacket(frame(10), auth, {
      key: sessionKey,
      plaintext: plaintexts[0] as Uint8Array,
    });
    const masked = [
      encodeMessagePacket(frame(1), srcId, {
        key: sessionKey,
        plaintext: plaintexts[2] as Uint8Array,
      }),
      whoareyou.packet,
      handshake,
    ];
    clear.push(
      concatBytes(
        headerOf(10, 'handshake', encodeHandshakeAuth(auth)),
        plaintexts[4] as Uint8Array,
      ),
    );
    const expected = typedErrors(WireV5Error);
    const enrError = typedErrors(EnrError);
    const cryptoError = typedErrors(CryptoError);
    return {
      modes: [
        { name: 'sealed', seeds: clear, prepare: (value) => seal(value, localId, sessionKey) },
        { name: 'masked', seeds: masked },
      ],
      maxInputBytes: 2048,
      expected,
      run(input) {
        const p: DecodedV5Packet = decodePacket(input, localId);
        if (p.kind === 'whoareyou') return;
        const plaintext = openMessage(p, sessionKey);
        if (plaintext !== undefined) decodeMessage(plaintext);
        if (p.kind !== 'handshake') return;
        let publicKey = remote.publicKey;
        if (p.record.length > 0) {
          attempt(() => {
            publicKey = Enr.decode(p.record).publicKey;
          }, enrError);
        }
        verifyIdSignature(publicKey, p.signature, p.headerData, p.ephemeralKey, localId);
        // the session layer drops a key of the wrong length or off the curve
        if (p.ephemeralKey.length === 33) {
          attempt(() => decompressPublicKey(p.ephemeralKey), cryptoError);
        }
      },
    };
  },
};

/**
 * The packet for `value` = unmasked header data ‖ message plaintext: the message sealed with
 * `key` under the header's nonce and the header as associated data, the header masked for
 * `localId`. Values too short for a header, or packets too big to mask, go out as they are.
 */
function seal(value: Uint8Array, localId: Uint8Array, key: Uint8Array): Uint8Array {
  if (value.length < STATIC_END) return value;
  const authSize = ((value[STATIC_END - 2] as number) << 8) | (value[STATIC_END - 1] as number);
  const authEnd = Math.min(value.length, STATIC_END + authSize);
  const header = value.subarray(0, authEnd);
  const plaintext = value.subarray(authEnd);
  const whoareyou = value[MASKING_IV_BYTES + 8] === 1;
  const nonce = header.subarray(MASKING_IV_BYTES + 9, MASKING_IV_BYTES + 21);
  const message = whoareyou ? plaintext : aes128GcmSeal(key, nonce, plaintext, header);
  if (header.length + message.length > MAX_PACKET_BYTES) return concatBytes(header, message);
  return maskPacket(localId, header, message);
}

/**
 * The largest datagram the service reads is 1280 bytes, like go-ethereum (discv4 and discv5 both
 * read into a 1280-byte buffer, so anything longer fails): a signed Ping of exactly 1280 bytes
 * over real loopback UDP is answered, the same Ping padded to 1281 or 2048 bytes is not.
 * @module
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { MemoryLogger } from '@ethp2p/base';
import { waitFor } from '@ethp2p/base/testing';
import { bytesToHex, concatBytes, generatePrivateKey, keccak256 } from '@ethp2p/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DiscoveryV4 } from '../../src/service/discovery.ts';
import { MAX_DATAGRAM_SIZE_BYTES } from '../../src/transport/constants.ts';
import {
  decodePacket,
  encodePacket,
  expirationFromNow,
  MAX_DATAGRAM_SIZE,
  MAX_PACKET_SIZE,
} from '../../src/wire/index.ts';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A signed Ping from `key` to `port`, padded after its RLP body to exactly `size` bytes. */
function paddedPing(key: Uint8Array, port: number, size: number): Uint8Array {
  const ping = {
    type: 'ping',
    version: 4n,
    from: { ip: '127.0.0.1', udp: 1, tcp: 0 },
    to: { ip: '127.0.0.1', udp: port, tcp: 0 },
    expiration: expirationFromNow(Date.now()),
  } as const;
  const { bytes } = encodePacket(ping, key);
  // geth ignores bytes after the RLP body; the hash covers them, so re-hash with the padding.
  const padded = concatBytes(bytes, new Uint8Array(size - bytes.length));
  const hash = keccak256(padded.subarray(32));
  padded.set(hash, 0);
  return padded;
}

describe('datagram size limit', () => {
  it('is 1280 bytes, the size go-ethereum reads and the size we send', () => {
    expect(MAX_DATAGRAM_SIZE).toBe(1280);
    expect(MAX_DATAGRAM_SIZE).toBe(MAX_PACKET_SIZE);
    expect(MAX_DATAGRAM_SIZE_BYTES).toBe(1280);
  });

  it('answers a 1280-byte Ping and drops 1281- and 2048-byte ones (real UDP)', async () => {
    const service = await DiscoveryV4.listen({
      privateKey: generatePrivateKey(),
      logger: new MemoryLogger(),
    });
    stops.push(() => service.stop());
    const port = service.self().udp as number;
    const raw: Socket = createSocket('udp4');
    raw.bind(0, '127.0.0.1');
    await once(raw, 'listening');
    stops.push(() => new Promise((resolve) => raw.close(() => resolve())));
    const pongsFor: string[] = [];
    raw.on('message', (msg) => {
      const { packet } = decodePacket(new Uint8Array(msg));
      if (packet.type === 'pong') pongsFor.push(bytesToHex(packet.pingHash));
    });
    const key = generatePrivateKey();
    const sizes = [2048, 1281, 1280];
    const pings = sizes.map((size) => paddedPing(key, port, size));
    for (const ping of pings) raw.send(ping, port, '127.0.0.1');
    // The 1280-byte Ping is sent last: once its Pong is here, the others had their chance.
    const last = bytesToHex((pings[2] as Uint8Array).subarray(0, 32));
    await waitFor(() => pongsFor.includes(last), { what: 'the pong to the 1280-byte ping' });
    expect(pongsFor).toEqual([last]);
  });
});

/**
 * Fixtures for the peer, handshake and protocol tests: a generated chain behind a MemoryChain, a
 * ProtocolPeer that records its disconnects, message helpers and transactions.
 */
import { RLP } from '@ethereumjs/rlp';
import { silentLogger } from '@ethp2p/base';
import { MemoryChain } from '@ethp2p/chain';
import { keccak256 } from '@ethp2p/crypto';
import { expectMsg, type Msg, type MsgPipeEnd, type ProtocolPeer } from '@ethp2p/server';
import type { Status } from '../../src/handshake.ts';
import {
  decodeMessage,
  ETH_VERSIONS,
  type EthVersion,
  encodeMessage,
} from '../../src/messages/versions.ts';
import type { AnyEthVersion, EthMessages } from '../../src/peer/message-writer.ts';
import { type GeneratedChain, generateChain } from '../helpers/chain-generator.ts';

/** Every message, by name, across eth/68 to eth/72 (each name: any version's form). */
type Messages = EthMessages & { Status: Status };

/** An eth version this package speaks. */
export type Version = 68 | 69 | 70 | 71 | 72;

let cached: Promise<GeneratedChain> | undefined;

/** A 16-block generated chain (built once per test file). */
export function testChain(): Promise<GeneratedChain> {
  cached ??= generateChain({ blocks: 16, txEvery: 4 });
  return cached;
}

/** A fresh MemoryChain of the generated chain. */
export async function memoryChain(): Promise<{ chain: MemoryChain; gen: GeneratedChain }> {
  const gen = await testChain();
  const chain = await MemoryChain.fromGenesis(gen.genesis);
  chain.importRlp(gen.chainRlp);
  return { chain, gen };
}

/** A ProtocolPeer that records the reasons it was asked to disconnect with. */
export interface FakePeer extends ProtocolPeer {
  readonly disconnects: number[];
}

/** A fake ProtocolPeer with the node ID `keccak256([n])`; `onDisconnect` runs on each call. */
export function fakePeer(n = 1, onDisconnect?: (reason: number) => void): FakePeer {
  const disconnects: number[] = [];
  const publicKey = new Uint8Array(64).fill(n);
  return {
    id: keccak256(publicKey),
    publicKey,
    name: `fake/${n}`,
    caps: [
      { name: 'eth', version: 68 },
      { name: 'eth', version: 69 },
    ],
    inbound: false,
    remoteAddress: '127.0.0.1:30303',
    log: silentLogger,
    disconnects,
    disconnect(reason) {
      disconnects.push(reason);
      onDisconnect?.(reason);
    },
  };
}

/** The version table of `version`. */
export function table(version: Version): AnyEthVersion {
  return ETH_VERSIONS.find((t) => t.version === version) as AnyEthVersion;
}

/** Sends message `name` of `version` on `end`. */
export function send<N extends keyof Messages & string>(
  end: MsgPipeEnd,
  version: Version,
  name: N,
  value: Messages[N],
): Promise<void> {
  const { code, data } = encodeMessage(
    table(version) as unknown as EthVersion<Messages>,
    name,
    value,
  );
  return end.writeMsg(code, data);
}

/** Reads the next message on `end`, which must be `name`, and decodes it. */
export async function expectEth<N extends keyof Messages & string>(
  end: MsgPipeEnd,
  version: Version,
  name: N,
): Promise<Messages[N]> {
  const codec = (table(version) as unknown as EthVersion<Messages>).codecs[name];
  const msg: Msg = await expectMsg(end, codec.code);
  return decodeMessage(table(version) as unknown as EthVersion<Messages>, msg).value as Messages[N];
}

/** A legacy transaction's canonical encoding with nonce `nonce` (opaque to the pool). */
export function legacyTx(nonce: number, padding = 0): Uint8Array {
  return RLP.encode([nonce, 1, 21_000, new Uint8Array(0), 0, new Uint8Array(padding), 27, 1, 1]);
}

/** A typed (EIP-2718) transaction: `type ‖ rlp([nonce, ...])`. */
export function typedTx(type: number, nonce: number): Uint8Array {
  const inner = legacyTx(nonce);
  const out = new Uint8Array(1 + inner.length);
  out[0] = type;
  out.set(inner, 1);
  return out;
}

/** A 32-byte hash made of `n`. */
export function hashOf(n: number): Uint8Array {
  const h = new Uint8Array(32);
  new DataView(h.buffer).setUint32(28, n);
  return h;
}

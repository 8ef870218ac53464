/**
 * The session codec: turns messages into packets for a node and packets back into messages,
 * running the handshake both ways (geth `v5wire.Codec`). It owns the session cache and the
 * pending challenges; everything is synchronous, so one socket handler can own it.
 * @see https://github.com/ethereum/devp2p/blob/master/discv5/discv5-theory.md#handshake-steps
 * @module
 */
import type { Clock, Random } from '@ethp2p/base';
import {
  compressPublicKey,
  decompressPublicKey,
  publicKey as derivePublicKey,
  equalBytes,
  generatePrivateKey,
} from '@ethp2p/crypto';
import { Enr, type LocalNode, Node } from '@ethp2p/enode';
import { MASKING_IV_BYTES, NONCE_BYTES, RANDOM_MESSAGE_BYTES } from '../wire/constants.ts';
import { sessionKeys, signIdNonce, verifyIdSignature } from '../wire/keys.ts';
import { decodeMessage, encodeMessage, type V5Message } from '../wire/messages.ts';
import {
  type DecodedHandshakePacket,
  type DecodedMessagePacket,
  type DecodedWhoareyouPacket,
  decodePacket,
  encodeHandshakePacket,
  encodeMessagePacket,
  encodeWhoareyouPacket,
  openMessage,
} from '../wire/packet.ts';
import { ChallengeStore } from './challenges.ts';
import {
  HANDSHAKE_TIMEOUT_MS,
  MAX_CHALLENGES_PER_IP,
  MAX_PENDING_CHALLENGES,
  MAX_SESSIONS_PER_IP,
  SESSION_CACHE_SIZE,
  SESSION_TIMEOUT_MS,
} from './constants.ts';
import type { Endpoint } from './keys.ts';
import { type Session, SessionCache } from './session-cache.ts';

/** Limits of the session layer; every field has a default. */
export interface SessionLimits {
  /** Default {@link SESSION_CACHE_SIZE}. */
  readonly sessionCacheSize: number;
  /** Default {@link SESSION_TIMEOUT_MS}. */
  readonly sessionTimeoutMs: number;
  /** Default {@link HANDSHAKE_TIMEOUT_MS}. */
  readonly handshakeTimeoutMs: number;
  /** Default {@link MAX_PENDING_CHALLENGES}. */
  readonly maxPendingChallenges: number;
  /** Default {@link MAX_SESSIONS_PER_IP}. */
  readonly maxSessionsPerIp: number;
  /** Default {@link MAX_CHALLENGES_PER_IP}. */
  readonly maxChallengesPerIp: number;
}

/** The defaults of {@link SessionLimits}. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  sessionCacheSize: SESSION_CACHE_SIZE,
  sessionTimeoutMs: SESSION_TIMEOUT_MS,
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  maxPendingChallenges: MAX_PENDING_CHALLENGES,
  maxSessionsPerIp: MAX_SESSIONS_PER_IP,
  maxChallengesPerIp: MAX_CHALLENGES_PER_IP,
};

/** Options of {@link SessionCodec}. */
export interface SessionCodecOptions {
  readonly privateKey: Uint8Array;
  readonly localNode: LocalNode;
  readonly clock: Clock;
  readonly random: Random;
  readonly limits?: Partial<SessionLimits>;
  /** IPs the per-IP limits do not apply to. */
  readonly exemptIp: (ip: string) => boolean;
}

/** Why a packet was dropped by the session layer. */
export type SessionDropReason =
  | 'unexpected-handshake'
  | 'bad-record'
  | 'bad-signature'
  | 'bad-ephemeral-key'
  | 'undecryptable-handshake'
  | 'session-ip-limit';

/** What a packet turned out to be. */
export type SessionDecodeResult =
  | { readonly kind: 'message'; readonly session: Session; readonly message: V5Message }
  | { readonly kind: 'handshake'; readonly session: Session; readonly message: V5Message }
  | { readonly kind: 'undecryptable'; readonly srcId: Uint8Array; readonly nonce: Uint8Array }
  | { readonly kind: 'whoareyou'; readonly packet: DecodedWhoareyouPacket }
  | { readonly kind: 'drop'; readonly reason: SessionDropReason };

/** The outcome of {@link SessionCodec.encodeWhoareyou}. */
export type WhoareyouResult =
  | { readonly kind: 'sent'; readonly packet: Uint8Array }
  | { readonly kind: 'refused'; readonly reason: 'full' | 'ip-limit' };

/** A packet to send with the nonce it carries (to match a WHOAREYOU to it). */
export interface EncodedPacket {
  readonly packet: Uint8Array;
  readonly nonce: Uint8Array;
}

/**
 * Encodes and decodes discv5 packets with session state. Owned by `DiscV5Rpc`; synchronous.
 */
export class SessionCodec {
  readonly #privateKey: Uint8Array;
  readonly #localNode: LocalNode;
  readonly #random: Random;
  readonly #sessions: SessionCache;
  readonly #challenges: ChallengeStore;

  constructor(options: SessionCodecOptions) {
    const limits = { ...DEFAULT_SESSION_LIMITS, ...options.limits };
    this.#privateKey = options.privateKey;
    this.#localNode = options.localNode;
    this.#random = options.random;
    this.#sessions = new SessionCache({
      clock: options.clock,
      random: options.random,
      capacity: limits.sessionCacheSize,
      timeoutMs: limits.sessionTimeoutMs,
      maxPerIp: limits.maxSessionsPerIp,
      exemptIp: options.exemptIp,
    });
    this.#challenges = new ChallengeStore({
      clock: options.clock,
      capacity: limits.maxPendingChallenges,
      timeoutMs: limits.handshakeTimeoutMs,
      maxPerIp: limits.maxChallengesPerIp,
      exemptIp: options.exemptIp,
    });
  }

  /** Sessions held now. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Challenges pending now. */
  get challengeCount(): number {
    return this.#challenges.size;
  }

  /** The live session with `id` at `endpoint`. */
  session(id: Uint8Array, endpoint: Endpoint): Session | undefined {
    return this.#sessions.get(id, endpoint);
  }

  /** Forgets the session with `id` at `endpoint`. */
  dropSession(id: Uint8Array, endpoint: Endpoint): void {
    this.#sessions.delete(id, endpoint);
  }

  /**
   * An ordinary message packet to `node` at `endpoint`: encrypted under the session if there is
   * one, otherwise random content under a random key, which makes the node answer WHOAREYOU.
   */
  encodeMessage(node: Node, endpoint: Endpoint, message: V5Message): EncodedPacket {
    const session = this.#sessions.get(node.id, endpoint);
    const frame = {
      destId: node.id,
      maskingIv: this.#random.bytes(MASKING_IV_BYTES),
      nonce: session ? this.#sessions.nextNonce(session) : this.#random.bytes(NONCE_BYTES),
    };
    const sealed = session
      ? { key: session.writeKey, plaintext: encodeMessage(message) }
      : { key: this.#random.bytes(16), plaintext: this.#random.bytes(RANDOM_MESSAGE_BYTES) };
    return { packet: encodeMessagePacket(frame, this.#localNode.id, sealed), nonce: frame.nonce };
  }

  /**
   * Answers `whoareyou` (which challenged our packet to `node`) with a handshake packet carrying
   * `message`; stores the new session. Our record goes along when the challenger's copy is older.
   * Returns `undefined` when the session cannot be stored (per-IP limit).
   * @throws {CryptoError} if `node`'s public key is unusable (not for a verified record)
   */
  encodeHandshake(
    node: Node,
    endpoint: Endpoint,
    whoareyou: DecodedWhoareyouPacket,
    message: V5Message,
  ): EncodedPacket | undefined {
    const localId = this.#localNode.id;
    const ephemeralPrivate = generatePrivateKey();
    const ephemeralKey = compressPublicKey(derivePublicKey(ephemeralPrivate));
    const cd = whoareyou.challengeData;
    const keys = sessionKeys(ephemeralPrivate, node.publicKey, localId, node.id, cd);
    const session: Session = {
      writeKey: keys.initiatorKey,
      readKey: keys.recipientKey,
      node,
      endpoint,
    };
    if (this.#sessions.store(session) === 'ip-limit') return undefined;
    const record =
      whoareyou.enrSeq < this.#localNode.seq
        ? this.#localNode.record().encode()
        : new Uint8Array(0);
    const frame = {
      destId: node.id,
      maskingIv: this.#random.bytes(MASKING_IV_BYTES),
      nonce: this.#sessions.nextNonce(session),
    };
    const auth = {
      srcId: localId,
      signature: signIdNonce(this.#privateKey, cd, ephemeralKey, node.id),
      ephemeralKey,
      record,
    };
    const sealed = { key: keys.initiatorKey, plaintext: encodeMessage(message) };
    return { packet: encodeHandshakePacket(frame, auth, sealed), nonce: frame.nonce };
  }

  /**
   * A WHOAREYOU to `id` at `endpoint` for its packet with `nonce`, remembering the challenge.
   * `known` is the record we hold of that node (its seq goes into the challenge), if any.
   * A challenge still pending for that node and endpoint is replaced; refused past the total
   * and per-IP caps.
   */
  encodeWhoareyou(
    id: Uint8Array,
    endpoint: Endpoint,
    nonce: Uint8Array,
    known: Node | undefined,
  ): WhoareyouResult {
    const check = this.#challenges.check(id, endpoint);
    // A new packet while a challenge is pending gets a new challenge (discv5-theory.md).
    if (check === 'pending') this.#challenges.take(id, endpoint);
    else if (check !== 'added') return { kind: 'refused', reason: check };
    const frame = { destId: id, maskingIv: this.#random.bytes(MASKING_IV_BYTES), nonce };
    const auth = { idNonce: this.#random.bytes(16), enrSeq: known?.seq ?? 0n };
    const { packet, challengeData } = encodeWhoareyouPacket(frame, auth);
    this.#challenges.add(id, endpoint, challengeData, known);
    return { kind: 'sent', packet };
  }

  /**
   * Decodes a packet from `from`.
   * @throws {WireV5Error} for a packet or message that does not decode
   */
  decode(data: Uint8Array, from: Endpoint): SessionDecodeResult {
    const p = decodePacket(data, this.#localNode.id);
    switch (p.kind) {
      case 'whoareyou':
        return { kind: 'whoareyou', packet: p };
      case 'message':
        return this.#decodeMessage(p, from);
      case 'handshake':
        return this.#decodeHandshake(p, from);
    }
  }

  #decodeMessage(p: DecodedMessagePacket, from: Endpoint): SessionDecodeResult {
    const session = this.#sessions.get(p.srcId, from);
    const plaintext = session && openMessage(p, session.readKey);
    if (session === undefined || plaintext === undefined) {
      return { kind: 'undecryptable', srcId: p.srcId, nonce: p.nonce };
    }
    return { kind: 'message', session, message: decodeMessage(plaintext) };
  }

  #decodeHandshake(p: DecodedHandshakePacket, from: Endpoint): SessionDecodeResult {
    const challenge = this.#challenges.take(p.srcId, from);
    if (challenge === undefined) return drop('unexpected-handshake');
    const node = handshakeNode(challenge.node, p);
    if (node === undefined) return drop('bad-record');
    const localId = this.#localNode.id;
    const cd = challenge.challengeData;
    if (!verifyIdSignature(node.publicKey, p.signature, cd, p.ephemeralKey, localId)) {
      return drop('bad-signature');
    }
    let ephemeral: Uint8Array;
    try {
      ephemeral = decompressPublicKey(p.ephemeralKey);
    } catch {
      return drop('bad-ephemeral-key');
    }
    const keys = sessionKeys(this.#privateKey, ephemeral, p.srcId, localId, cd);
    const plaintext = openMessage(p, keys.initiatorKey);
    if (plaintext === undefined) return drop('undecryptable-handshake');
    const message = decodeMessage(plaintext);
    const session: Session = {
      writeKey: keys.recipientKey,
      readKey: keys.initiatorKey,
      node,
      endpoint: from,
    };
    if (this.#sessions.store(session) === 'ip-limit') return drop('session-ip-limit');
    return { kind: 'handshake', session, message };
  }
}

function drop(reason: SessionDropReason): SessionDecodeResult {
  return { kind: 'drop', reason };
}

/**
 * The node a handshake authenticates: the record it carries if that is valid, belongs to the
 * sender and is newer than ours; otherwise the record we already had (geth
 * `decodeHandshakeRecord`). `undefined` when neither exists or the carried one is bad.
 */
function handshakeNode(known: Node | undefined, p: DecodedHandshakePacket): Node | undefined {
  if (p.record.length === 0) return known;
  let record: Enr;
  try {
    record = Enr.decode(p.record);
  } catch {
    return undefined;
  }
  if (known !== undefined && known.seq >= record.seq) return known;
  const node = Node.fromEnr(record);
  return equalBytes(node.id, p.srcId) ? node : undefined;
}

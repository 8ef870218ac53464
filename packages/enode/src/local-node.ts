/**
 * `LocalNode`: this node's own record. It is the one mutable record in the system: setters only
 * mark it dirty, and {@link LocalNode.node} signs a new record with seq + 1 when something changed,
 * after go-ethereum's `p2p/enode/localnode.go`.
 * @module
 */

import { type Clock, checkPort, defaultLogger, type Logger, systemClock } from '@ethp2p/base';
import { publicKey as derivePublicKey, equalBytes } from '@ethp2p/crypto';
import { MAX_SEQ } from './enr/codec.ts';
import { type EnrValue, encodeEntry } from './enr/entries.ts';
import { Enr } from './enr/record.ts';
import { EnrError } from './errors.ts';
import { ipToBytes, normalizeIp } from './ip.ts';
import { type Endpoint, IpTracker, type IpTrackerOptions } from './ip-tracker.ts';
import { Node } from './node.ts';
import { type NodeId, nodeIdFromPublicKey } from './node-id.ts';

/** Where the local seq is persisted: the node database satisfies this. */
export interface LocalSeqStore {
  localSeq(id: Uint8Array): Promise<bigint>;
  storeLocalSeq(id: Uint8Array, seq: bigint): Promise<void>;
}

/** Options for {@link LocalNode.create}. */
export interface LocalNodeOptions {
  /** The node's 32-byte secp256k1 private key. */
  readonly privateKey: Uint8Array;
  /** Persists the record's seq across restarts (normally the {@link NodeDatabase}). */
  readonly db: LocalSeqStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Tuning for the endpoint predictors (one for IPv4, one for IPv6). */
  readonly ipTracker?: Omit<IpTrackerOptions, 'clock'>;
}

/** Keys the identity scheme owns: they always come from the private key. */
const IDENTITY_KEYS: ReadonlySet<string> = new Set(['id', 'secp256k1']);
/** Keys the endpoint logic owns: set them through the static/fallback setters instead. */
const ENDPOINT_KEYS: ReadonlySet<string> = new Set(['ip', 'ip6', 'udp', 'udp6']);
/** The largest endpoint entries a record can get, for size checks that must hold for any endpoint. */
const WORST_CASE_ENDPOINT: Readonly<Record<string, EnrValue>> = {
  ip: '255.255.255.255',
  ip6: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  udp: 0xffff,
  udp6: 0xfffe,
};
/** A stored seq above this cannot come from a millisecond clock plus updates: the value is corrupt. */
const MAX_PLAUSIBLE_SEQ: bigint = 2n ** 62n;

/** One address family's endpoint sources, in order of precedence: static, predicted, fallback. */
class FamilyEndpoint {
  readonly tracker: IpTracker;
  staticIp: string | undefined;
  fallbackIp: string | undefined;
  fallbackUdp = 0;

  constructor(options: IpTrackerOptions) {
    this.tracker = new IpTracker(options);
  }

  /** The IP and UDP port the record should carry (geth `lnEndpoint.get`). */
  resolve(): { ip: string | undefined; udp: number } {
    if (this.staticIp !== undefined) return { ip: this.staticIp, udp: this.fallbackUdp };
    const predicted = this.tracker.predictEndpoint();
    if (predicted !== undefined) return { ip: predicted.ip, udp: predicted.port };
    return { ip: this.fallbackIp, udp: this.fallbackUdp };
  }
}

/**
 * The local node record. Owned by one component (the server or a standalone discovery node);
 * every method is synchronous. Changing an entry only marks the record dirty; the next
 * {@link LocalNode.node} call signs it with seq + 1 and persists the new seq in the background
 * ({@link LocalNode.close} waits for those writes).
 *
 * The first seq is the larger of the stored seq and the current time in milliseconds, so a node
 * whose database was wiped, or whose last write was lost, still never reuses a seq (geth uses the
 * stored value when there is one).
 */
export class LocalNode {
  /** The node ID: keccak256 of the public key. */
  readonly id: NodeId;
  /** The 64-byte public key. */
  readonly publicKey: Uint8Array;
  readonly #privateKey: Uint8Array;
  readonly #db: LocalSeqStore;
  readonly #logger: Logger;
  readonly #entries = new Map<string, Uint8Array>();
  readonly #v4: FamilyEndpoint;
  readonly #v6: FamilyEndpoint;
  #seq: bigint;
  #current: Node | undefined;
  #dirty = true;
  #writes: Promise<void> = Promise.resolve();

  private constructor(options: LocalNodeOptions, seq: bigint) {
    this.#privateKey = Uint8Array.from(options.privateKey);
    this.publicKey = derivePublicKey(this.#privateKey);
    this.id = nodeIdFromPublicKey(this.publicKey);
    this.#db = options.db;
    this.#logger = options.logger ?? defaultLogger;
    const trackerOptions = { ...options.ipTracker, clock: options.clock ?? systemClock };
    this.#v4 = new FamilyEndpoint(trackerOptions);
    this.#v6 = new FamilyEndpoint(trackerOptions);
    this.#seq = seq;
  }

  /**
   * Loads the stored seq and returns the local node. Nothing is signed until {@link node}.
   * @throws {CryptoError} INVALID_PRIVATE_KEY
   */
  static async create(options: LocalNodeOptions): Promise<LocalNode> {
    const id = nodeIdFromPublicKey(derivePublicKey(options.privateKey));
    let stored = await options.db.localSeq(id);
    if (stored > MAX_PLAUSIBLE_SEQ) {
      (options.logger ?? defaultLogger).warn('stored local seq is implausible, ignoring it', {
        seq: stored,
      });
      stored = 0n;
    }
    const timeBased = BigInt(Math.floor((options.clock ?? systemClock).now()));
    return new LocalNode(options, stored > timeBased ? stored : timeBased);
  }

  /** The seq of the last signed record (before the first signature: the starting seq). */
  get seq(): bigint {
    return this.#seq;
  }

  /**
   * Sets an entry such as `tcp` or `eth`. Setting the value an entry already has changes nothing.
   * @throws {RangeError} for `id`, `secp256k1`, `ip`, `ip6`, `udp`, `udp6` (derived from the key
   *   and the endpoint setters) or a value that does not fit the key
   * @throws {EnrError} TOO_LARGE when the record could exceed 300 bytes with some endpoint (the
   *   check assumes the largest `ip`, `ip6`, `udp` and `udp6`, so endpoint changes never fail later)
   */
  set(key: string, value: EnrValue): void {
    if (IDENTITY_KEYS.has(key) || ENDPOINT_KEYS.has(key)) {
      throw new RangeError(`key: ${key} is managed by LocalNode and cannot be set directly`);
    }
    const raw = encodeEntry(key, value);
    const old = this.#entries.get(key);
    if (old !== undefined && equalBytes(old, raw)) return;
    this.#entries.set(key, raw);
    try {
      // A trial signature with the largest endpoint and seq: what passes can always be signed.
      Enr.sign(
        { seq: MAX_SEQ, entries: { ...this.#build(), ...WORST_CASE_ENDPOINT } },
        this.#privateKey,
      );
    } catch (err) {
      if (old === undefined) this.#entries.delete(key);
      else this.#entries.set(key, old);
      throw err;
    }
    this.#dirty = true;
  }

  /** Removes an entry; removing one that is absent changes nothing. */
  delete(key: string): void {
    if (IDENTITY_KEYS.has(key) || ENDPOINT_KEYS.has(key)) {
      throw new RangeError(`key: ${key} is managed by LocalNode and cannot be deleted directly`);
    }
    if (this.#entries.delete(key)) this.#dirty = true;
  }

  /** Pins the advertised IP (from `--nat extip:` or a NAT mapping); it beats any prediction. */
  setStaticIp(ip: string): void {
    this.#family(ip).staticIp = this.#canonical(ip);
    this.#dirty = true;
  }

  /** The IP advertised when there is no static IP and no prediction (the server uses 127.0.0.1). */
  setFallbackIp(ip: string): void {
    this.#family(ip).fallbackIp = this.#canonical(ip);
    this.#dirty = true;
  }

  /** The UDP port advertised unless a prediction says otherwise: the discovery socket's port. */
  setFallbackUdpPort(port: number): void {
    checkPort('port', port);
    this.#v4.fallbackUdp = port;
    this.#v6.fallbackUdp = port;
    this.#dirty = true;
  }

  /**
   * Takes `host`'s statement that it sees us at `endpoint` (a Pong's `To`). Enough agreeing hosts
   * move the advertised IP and UDP port. Invalid endpoints are ignored: this is untrusted input.
   * A family with a static IP ignores statements (nothing can move its endpoint), so neither
   * memory nor a pass over the statements is spent per Pong; `predictFullConeNat` then has no
   * evidence from that family.
   */
  udpEndpointStatement(host: string, endpoint: Endpoint): void {
    const from = normalizeIp(host);
    const ip = normalizeIp(endpoint.ip);
    if (from === undefined || ip === undefined) return;
    if (!Number.isInteger(endpoint.port) || endpoint.port <= 0 || endpoint.port > 0xffff) return;
    const family = this.#family(ip);
    if (family.staticIp !== undefined) return;
    const before = family.resolve();
    family.tracker.addStatement(from, { ip, port: endpoint.port });
    const after = family.resolve();
    if (after.ip !== before.ip || after.udp !== before.udp) this.#dirty = true;
  }

  /**
   * Notes that we sent a packet to `host` (for full-cone NAT detection); not kept for a family
   * with a static IP, which ignores statements.
   */
  udpContact(host: string): void {
    const ip = normalizeIp(host);
    if (ip === undefined) return;
    const family = this.#family(ip);
    if (family.staticIp === undefined) family.tracker.addContact(ip);
  }

  /** Whether peers we never contacted reach us (no NAT, or a full-cone NAT). */
  predictFullConeNat(): boolean {
    return this.#v4.tracker.predictFullConeNat() || this.#v6.tracker.predictFullConeNat();
  }

  /** The current signed record as a {@link Node}, re-signed with seq + 1 if anything changed. */
  node(): Node {
    const current = this.#current;
    if (current !== undefined && !this.#dirty) return current;
    const entries = this.#build();
    // A change can cancel out (an entry set back to its old value): then keep the seq.
    const node =
      current?.record !== undefined && sameEntries(current.record, entries)
        ? current
        : this.#adopt(this.#seq + 1n, entries);
    this.#dirty = false;
    return node;
  }

  /** The current signed record. */
  record(): Enr {
    return this.node().record as Enr;
  }

  /** Waits until every seq written so far is stored. Safe to call more than once. */
  async close(): Promise<void> {
    await this.#writes;
  }

  #adopt(seq: bigint, entries: Record<string, EnrValue>): Node {
    if (seq > MAX_SEQ) throw new EnrError('INVALID_ENTRY', 'local record seq is exhausted');
    const node = Node.fromEnr(Enr.sign({ seq, entries }, this.#privateKey));
    this.#seq = seq;
    this.#current = node;
    this.#writes = this.#writes
      .then(() => this.#db.storeLocalSeq(this.id, seq))
      .catch((err: unknown) =>
        this.#logger.warn('failed to store local seq', { seq, err: String(err) }),
      );
    return node;
  }

  /** Every entry of the next record, endpoints included (geth `updateEndpoints`). */
  #build(): Record<string, EnrValue> {
    const entries: Record<string, EnrValue> = {};
    for (const [key, raw] of this.#entries) entries[key] = { rlp: raw };
    const v4 = this.#v4.resolve();
    const v6 = this.#v6.resolve();
    if (v4.ip !== undefined && v4.ip !== '0.0.0.0') entries.ip = v4.ip;
    if (v6.ip !== undefined && v6.ip !== '::') entries.ip6 = v6.ip;
    if (v4.udp !== 0) entries.udp = v4.udp;
    if (v6.udp !== 0 && v6.udp !== v4.udp) entries.udp6 = v6.udp;
    return entries;
  }

  #family(ip: string): FamilyEndpoint {
    const bytes = ipToBytes(ip);
    if (bytes === undefined) throw new TypeError(`ip: expected an IP address, got ${ip}`);
    return bytes.length === 4 ? this.#v4 : this.#v6;
  }

  #canonical(ip: string): string {
    const text = normalizeIp(ip);
    if (text === undefined) throw new TypeError(`ip: expected an IP address, got ${ip}`);
    return text;
  }
}

/** Whether `record` already carries exactly `entries` (so no new signature is needed). */
function sameEntries(record: Enr, entries: Record<string, EnrValue>): boolean {
  const wanted = Object.entries(entries);
  const have = [...record.keys()].filter((k) => !IDENTITY_KEYS.has(k));
  if (have.length !== wanted.length) return false;
  for (const [key, value] of wanted) {
    const raw = record.get(key);
    if (raw === undefined || !equalBytes(raw, encodeEntry(key, value))) return false;
  }
  return true;
}

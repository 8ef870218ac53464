/**
 * `Node`: a node's identity and endpoint, either from a signed record (ENR) or from an unsigned
 * source such as an enode URL or a discv4 Neighbors entry (geth's "v4compat" nodes).
 * @module
 */

import { isIPv4 } from 'node:net';
import { checkPort } from '@ethp2p/base';
import { assertBytes, bytesToHex, isValidPublicKey, keccak256 } from '@ethp2p/crypto';
import { ENODE_URL_PREFIX, formatEnodeUrl, parseEnodeUrl } from './enode-url.ts';
import type { EnrPair } from './enr/codec.ts';
import { decodeEnrParts, encodeEnrParts, sortPairs } from './enr/codec.ts';
import { encodeEntry, readIp, readPort } from './enr/entries.ts';
import { Enr, enrFromDecoded } from './enr/record.ts';
import { ENR_TEXT_PREFIX } from './enr/text.ts';
import { findPair, secp256k1Key, secp256k1Pair } from './enr/v4-scheme.ts';
import { EnodeUrlError, EnrError } from './errors.ts';
import { ipLocality, ipToBytes, normalizeIp } from './ip.ts';

/** An IP endpoint as given to {@link Node.fromPublicKey}. */
export interface NodeEndpoint {
  readonly ip?: string;
  readonly udp?: number;
  readonly tcp?: number;
}

interface NodeInit {
  readonly publicKey: Uint8Array;
  readonly record: Enr | undefined;
  readonly seq: bigint;
  readonly ip: string | undefined;
  readonly udp: number | undefined;
  readonly tcp: number | undefined;
  readonly hostname: string | undefined;
}

/**
 * A remote or local node: its public key and ID, its record if it has a signed one, and the
 * endpoint to reach it. Immutable and safe to share.
 *
 * When a record has both `ip` and `ip6`, the endpoint is the "more global" address (unspecified <
 * loopback < link-local < private < global; ties go to IPv4), and IPv6 uses `udp6`/`tcp6`
 * falling back to `udp`/`tcp` (geth `enode.Node`). Malformed endpoint entries are treated as
 * absent here; reading them from {@link Node.record} throws.
 */
export class Node {
  /** The 32-byte node ID: keccak256 of {@link Node.publicKey}. */
  readonly id: Uint8Array;
  /** The 64-byte uncompressed public key (X‖Y). */
  readonly publicKey: Uint8Array;
  /** The signed record, or `undefined` for nodes made from enode URLs or public keys. */
  readonly record: Enr | undefined;
  /** The record's sequence number; 0n without a record. */
  readonly seq: bigint;
  /** The endpoint IP address (canonical text), if known. */
  readonly ip: string | undefined;
  /** The discovery (UDP) port, if known. */
  readonly udp: number | undefined;
  /** The RLPx (TCP) port, if known. */
  readonly tcp: number | undefined;
  /** A DNS name from an enode URL, to be resolved before dialing. */
  readonly hostname: string | undefined;
  #idHex: string | undefined;

  private constructor(init: NodeInit) {
    this.publicKey = init.publicKey;
    this.id = keccak256(init.publicKey);
    this.record = init.record;
    this.seq = init.seq;
    this.ip = init.ip;
    this.udp = init.udp;
    this.tcp = init.tcp;
    this.hostname = init.hostname;
  }

  /** A node from a verified record. */
  static fromEnr(record: Enr): Node {
    if (!(record instanceof Enr)) throw new TypeError('record: expected Enr');
    const ep = chooseEndpoint((key) => record.get(key));
    return new Node({
      publicKey: record.publicKey,
      record,
      seq: record.seq,
      ...ep,
      hostname: undefined,
    });
  }

  /**
   * A node from an enode URL (complete or key only).
   * @throws {EnodeUrlError} see {@link parseEnodeUrl}
   */
  static fromEnodeUrl(url: string): Node {
    const parsed = parseEnodeUrl(url);
    return new Node({
      publicKey: parsed.publicKey,
      record: undefined,
      seq: 0n,
      ip: parsed.ip,
      udp: parsed.udp,
      tcp: parsed.tcp,
      hostname: parsed.hostname,
    });
  }

  /**
   * A node from a 64-byte public key and an optional endpoint.
   * @throws {TypeError|RangeError} on an invalid key, IP address or port
   */
  static fromPublicKey(pub64: Uint8Array, endpoint: NodeEndpoint = {}): Node {
    assertBytes('pub64', pub64, 64);
    if (!isValidPublicKey(pub64)) throw new TypeError('pub64: expected a secp256k1 public key');
    let ip: string | undefined;
    if (endpoint.ip !== undefined) {
      ip = normalizeIp(endpoint.ip);
      if (ip === undefined)
        throw new TypeError(`endpoint.ip: expected an IP address, got ${endpoint.ip}`);
    }
    const udp = optionalPort('endpoint.udp', endpoint.udp);
    const tcp = optionalPort('endpoint.tcp', endpoint.tcp);
    const publicKey = Uint8Array.from(pub64);
    return new Node({ publicKey, record: undefined, seq: 0n, ip, udp, tcp, hostname: undefined });
  }

  /**
   * A node from `enode://` or `enr:` text (geth `enode.Parse`).
   * @throws {EnodeUrlError} or {EnrError}
   */
  static parse(text: string): Node {
    if (typeof text !== 'string') throw new TypeError(`text: expected string, got ${typeof text}`);
    if (text.startsWith(ENODE_URL_PREFIX)) return Node.fromEnodeUrl(text);
    if (text.startsWith(ENR_TEXT_PREFIX)) return Node.fromEnr(Enr.decodeText(text));
    throw new EnodeUrlError('MISSING_PREFIX', "missing 'enr:' prefix for base64-encoded record");
  }

  /**
   * The inverse of {@link Node.toStorage}. Signed records are verified; an empty signature (an
   * unsigned node) is accepted only here, because storage is trusted.
   * @throws {EnrError}
   */
  static fromStorage(bytes: Uint8Array): Node {
    assertBytes('bytes', bytes);
    const parts = decodeEnrParts(bytes);
    if (parts.signature.length !== 0) return Node.fromEnr(enrFromDecoded(parts, bytes));
    const publicKey = secp256k1Key(parts.pairs);
    const ep = chooseEndpoint((key) => findPair(parts.pairs, key));
    return new Node({ publicKey, record: undefined, seq: parts.seq, ...ep, hostname: undefined });
  }

  /**
   * The node ID as 64 lower-case hex characters (`nodeIdToHex(id)`), computed on first use and
   * kept: tables and lookups key their maps by it for every packet.
   */
  get idHex(): string {
    this.#idHex ??= bytesToHex(this.id);
    return this.#idHex;
  }

  /** Whether the node has no IP address (geth `Incomplete`). */
  get incomplete(): boolean {
    return this.ip === undefined;
  }

  /** The enode URL; key only when there is neither an IP address nor a hostname. */
  enodeUrl(): string {
    const host = this.ip !== undefined ? { ip: this.ip } : hostnamePart(this.hostname);
    const ports = {
      ...(this.tcp === undefined ? {} : { tcp: this.tcp }),
      ...(this.udp === undefined ? {} : { udp: this.udp }),
    };
    return formatEnodeUrl({ publicKey: this.publicKey, ...host, ...ports });
  }

  /** The `enr:` text for signed records, the enode URL otherwise. */
  toString(): string {
    return this.record !== undefined ? this.record.encodeText() : this.enodeUrl();
  }

  /**
   * Bytes for the node database: the record's RLP for signed nodes; otherwise an RLP record of
   * the same `[sig, seq, k, v, ...]` shape with an empty signature holding `secp256k1`, `ip` or
   * `ip6`, `tcp` and `udp` (geth's v4compat records). The hostname is not stored.
   */
  toStorage(): Uint8Array {
    if (this.record !== undefined) return this.record.encode();
    const pairs: EnrPair[] = [secp256k1Pair(this.publicKey)];
    if (this.ip !== undefined) {
      const key = this.ip.includes(':') ? 'ip6' : 'ip';
      pairs.push([key, encodeEntry(key, this.ip)]);
    }
    if (this.tcp !== undefined) pairs.push(['tcp', encodeEntry('tcp', this.tcp)]);
    if (this.udp !== undefined) pairs.push(['udp', encodeEntry('udp', this.udp)]);
    return encodeEnrParts({ signature: new Uint8Array(0), seq: this.seq, pairs: sortPairs(pairs) });
  }
}

type Endpoint = Pick<NodeInit, 'ip' | 'udp' | 'tcp'>;

function chooseEndpoint(raw: (key: string) => Uint8Array | undefined): Endpoint {
  let ip4 = usable(lenient(raw, 'ip', (v) => readIp('ip', v)));
  let ip6 = usable(lenient(raw, 'ip6', (v) => readIp('ip6', v)));
  // An IPv4-mapped address in `ip6` reads as IPv4 text; geth treats it as IPv4 (with udp/tcp).
  if (ip6 !== undefined && isIPv4(ip6)) {
    ip4 ??= ip6;
    ip6 = undefined;
  }
  const port = (key: string): number | undefined => lenient(raw, key, (v) => readPort(key, v));
  if (ip4 !== undefined && (ip6 === undefined || locality(ip4) >= locality(ip6))) {
    return { ip: ip4, udp: port('udp'), tcp: port('tcp') };
  }
  if (ip6 !== undefined) {
    return { ip: ip6, udp: port('udp6') ?? port('udp'), tcp: port('tcp6') ?? port('tcp') };
  }
  return { ip: undefined, udp: undefined, tcp: undefined };
}

/** `ip` unless it is a multicast address, which no node can be reached at (geth `validIP`). */
function usable(ip: string | undefined): string | undefined {
  if (ip === undefined) return undefined;
  const first = ipToBytes(ip)?.[0];
  if (isIPv4(ip) ? first !== undefined && first >= 224 && first <= 239 : first === 0xff) {
    return undefined;
  }
  return ip;
}

function lenient<T>(
  raw: (key: string) => Uint8Array | undefined,
  key: string,
  read: (value: Uint8Array) => T,
): T | undefined {
  const value = raw(key);
  if (value === undefined) return undefined;
  try {
    return read(value);
  } catch (err) {
    if (err instanceof EnrError) return undefined;
    throw err;
  }
}

function locality(ip: string): number {
  const bytes = ipToBytes(ip);
  return bytes === undefined ? -1 : ipLocality(bytes);
}

function hostnamePart(hostname: string | undefined): { hostname?: string } {
  return hostname === undefined ? {} : { hostname };
}

function optionalPort(field: string, port: number | undefined): number | undefined {
  return port === undefined ? undefined : checkPort(field, port);
}

/**
 * IP address classification and the relay rules discovery applies to addresses it learns from
 * other nodes, plus {@link DistinctNetSet} for the table's per-subnet IP limits (geth
 * `p2p/netutil/net.go`). Everything works on IP text (IPv4 dotted quad or IPv6, no zone);
 * IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) count as IPv4.
 * @see https://www.iana.org/assignments/iana-ipv4-special-registry/
 * @see https://www.iana.org/assignments/iana-ipv6-special-registry/
 * @module
 */
import { ipToBytes } from '@ethp2p/enode';

/**
 * The 4 (IPv4) or 16 (IPv6) bytes of an IP address in text form, or `undefined` if `text` is not
 * one. IPv4-mapped IPv6 addresses give 4 bytes; zone IDs (`fe80::1%eth0`) are not accepted.
 */
export function parseIp(text: string): Uint8Array | undefined {
  return typeof text === 'string' ? ipToBytes(text) : undefined;
}

/** A network prefix: address bytes and prefix length in bits. */
interface Prefix {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

function prefix(cidr: string): Prefix {
  const [addr = '', bits = ''] = cidr.split('/');
  const bytes = parseIp(addr);
  if (bytes === undefined) throw new TypeError(`cidr: expected a network, got ${cidr}`);
  return { bytes, bits: Number(bits) };
}

function inPrefix(ip: Uint8Array, p: Prefix): boolean {
  if (ip.length !== p.bytes.length) return false;
  const whole = p.bits >> 3;
  for (let i = 0; i < whole; i++) if (ip[i] !== p.bytes[i]) return false;
  const rest = p.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (((ip[whole] as number) ^ (p.bytes[whole] as number)) & mask) === 0;
}

const inAny = (ip: Uint8Array, list: readonly Prefix[]): boolean =>
  list.some((p) => inPrefix(ip, p));

// IANA special-purpose registries (RFC 5735, RFC 5156), as in geth netutil, plus multicast.
const SPECIAL_NETWORKS: readonly Prefix[] = [
  '0.0.0.0/8', // "this" network
  '192.0.0.0/29', // IPv4 service continuity
  '192.0.0.9/32', // PCP anycast
  '192.0.0.170/32', // NAT64/DNS64 discovery
  '192.0.0.171/32', // NAT64/DNS64 discovery
  '192.0.2.0/24', // TEST-NET-1 (documentation)
  '192.31.196.0/24', // AS112
  '192.52.193.0/24', // AMT
  '192.88.99.0/24', // 6to4 relay anycast
  '192.175.48.0/24', // AS112
  '198.18.0.0/15', // device benchmark testing
  '198.51.100.0/24', // TEST-NET-2 (documentation)
  '203.0.113.0/24', // TEST-NET-3 (documentation)
  '255.255.255.255/32', // limited broadcast
  '224.0.0.0/4', // IPv4 multicast
  '100::/64', // discard-only
  '2001::/32', // TEREDO
  '2001:1::1/128', // port control protocol anycast
  '2001:2::/48', // benchmarking
  '2001:3::/32', // AMT
  '2001:4:112::/48', // AS112-v6
  '2001:5::/32', // EID space for LISP
  '2001:10::/28', // ORCHID (deprecated)
  '2001:20::/28', // ORCHIDv2
  '2001:db8::/32', // documentation
  '2002::/16', // 6to4
  'ff00::/8', // IPv6 multicast
].map(prefix);

const LOOPBACK: readonly Prefix[] = ['127.0.0.0/8', '::1/128'].map(prefix);
const PRIVATE: readonly Prefix[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  'fc00::/7',
].map(prefix);
const LINK_LOCAL: readonly Prefix[] = ['169.254.0.0/16', 'fe80::/10'].map(prefix);

/** Whether `ip` is the unspecified address (`0.0.0.0` or `::`). False for non-IP text. */
export function isUnspecified(ip: string): boolean {
  const bytes = parseIp(ip);
  return bytes?.every((b) => b === 0) ?? false;
}

/** Whether `ip` is a loopback address (127.0.0.0/8, `::1`). False for non-IP text. */
export function isLoopback(ip: string): boolean {
  const bytes = parseIp(ip);
  return bytes !== undefined && inAny(bytes, LOOPBACK);
}

/**
 * Whether `ip` is a local-network address: loopback, private (RFC 1918, IPv6 ULA fc00::/7) or
 * link-local (169.254.0.0/16, fe80::/10) (geth `netutil.AddrIsLAN`). False for non-IP text.
 */
export function isLan(ip: string): boolean {
  const bytes = parseIp(ip);
  return bytes !== undefined && lanBytes(bytes);
}

function lanBytes(bytes: Uint8Array): boolean {
  return inAny(bytes, LOOPBACK) || inAny(bytes, PRIVATE) || inAny(bytes, LINK_LOCAL);
}

/**
 * Whether `ip` lies in a special-purpose network: documentation, benchmarking, broadcast,
 * multicast, 6to4, TEREDO and the other IANA special ranges geth lists
 * (geth `netutil.AddrIsSpecialNetwork`). False for non-IP text.
 */
export function isSpecialNetwork(ip: string): boolean {
  const bytes = parseIp(ip);
  return bytes !== undefined && inAny(bytes, SPECIAL_NETWORKS);
}

/** Why {@link checkRelayIp} rejects an address. */
export type RelayIpRejection =
  | 'invalid ip'
  | 'zero address'
  | 'special network'
  | 'loopback address from non-loopback host'
  | 'lan address from wan host';

/**
 * Checks whether `ip`, relayed to us by the node at `sender` (for example in a Neighbors
 * packet), is a valid address to contact (geth `netutil.CheckRelayAddr`). Returns `undefined`
 * when it is, else the reason: non-IP or unspecified addresses and special networks are never
 * valid; loopback addresses only from a loopback sender; LAN addresses only from a LAN sender.
 */
export function checkRelayIp(sender: string, ip: string): RelayIpRejection | undefined {
  return relayRejection(ip, classifySender(sender));
}

/**
 * {@link checkRelayIp} for one `sender` and many addresses: the sender is classified once (a
 * FindNode answer checks up to 16 nodes for the same requester).
 */
export function relayIpChecker(sender: string): (ip: string) => RelayIpRejection | undefined {
  const from = classifySender(sender);
  return (ip) => relayRejection(ip, from);
}

interface SenderClass {
  readonly loopback: boolean;
  readonly lan: boolean;
}

function classifySender(sender: string): SenderClass {
  const from = parseIp(sender);
  return {
    loopback: from !== undefined && inAny(from, LOOPBACK),
    lan: from !== undefined && lanBytes(from),
  };
}

function relayRejection(ip: string, from: SenderClass): RelayIpRejection | undefined {
  const addr = parseIp(ip);
  if (addr === undefined) return 'invalid ip';
  if (addr.every((b) => b === 0)) return 'zero address';
  if (inAny(addr, SPECIAL_NETWORKS)) return 'special network';
  if (!from.loopback && inAny(addr, LOOPBACK)) return 'loopback address from non-loopback host';
  if (!from.lan && lanBytes(addr)) return 'lan address from wan host';
  return undefined;
}

/** Options of {@link DistinctNetSet}. */
export interface DistinctNetSetOptions {
  /** Prefix length in bits that defines "the same network", applied to IPv4 and IPv6 alike. */
  readonly subnetBits: number;
  /** How many addresses one network may hold. */
  readonly limit: number;
}

/**
 * A multiset of IP addresses that holds at most `limit` addresses per network of `subnetBits`
 * prefix bits (geth `netutil.DistinctNetSet`). The prefix length applies to both families, so
 * `subnetBits: 24` means an IPv4 /24 and an IPv6 /24, as in geth. IPv4 and IPv6 networks never
 * collide. Memory is bounded by the number of addresses added and not removed.
 * Not safe to share between owners: the caller that adds an address removes it.
 */
export class DistinctNetSet {
  readonly subnetBits: number;
  readonly limit: number;
  readonly #counts = new Map<string, number>();
  #size = 0;

  /** @throws {RangeError} on a prefix length outside 0–32 or a negative or non-integer limit */
  constructor(options: DistinctNetSetOptions) {
    const { subnetBits, limit } = options;
    if (!Number.isInteger(subnetBits) || subnetBits < 0 || subnetBits > 32) {
      throw new RangeError(`subnetBits: expected an integer in 0-32, got ${subnetBits}`);
    }
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new RangeError(`limit: expected a non-negative integer, got ${limit}`);
    }
    this.subnetBits = subnetBits;
    this.limit = limit;
  }

  /** How many addresses the set holds. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds `ip` unless its network already holds `limit` addresses. Returns whether it was added.
   * @throws {TypeError} if `ip` is not an IP address
   */
  add(ip: string): boolean {
    const key = this.#key(ip);
    const n = this.#counts.get(key) ?? 0;
    if (n >= this.limit) return false;
    this.#counts.set(key, n + 1);
    this.#size++;
    return true;
  }

  /** Removes one occurrence of `ip`'s network; a no-op if it holds none. */
  remove(ip: string): void {
    const key = this.#keyOrUndefined(ip);
    const n = key === undefined ? undefined : this.#counts.get(key);
    if (key === undefined || n === undefined) return;
    if (n <= 1) this.#counts.delete(key);
    else this.#counts.set(key, n - 1);
    this.#size--;
  }

  /** Whether the set holds any address of `ip`'s network. */
  contains(ip: string): boolean {
    const key = this.#keyOrUndefined(ip);
    return key !== undefined && this.#counts.has(key);
  }

  /** How many addresses of `ip`'s network the set holds. */
  count(ip: string): number {
    const key = this.#keyOrUndefined(ip);
    return key === undefined ? 0 : (this.#counts.get(key) ?? 0);
  }

  #key(ip: string): string {
    const key = this.#keyOrUndefined(ip);
    if (key === undefined) throw new TypeError(`ip: expected an IP address, got ${String(ip)}`);
    return key;
  }

  #keyOrUndefined(ip: string): string | undefined {
    const bytes = parseIp(ip);
    if (bytes === undefined) return undefined;
    const masked = bytes.slice(0, Math.ceil(this.subnetBits / 8));
    const rest = this.subnetBits & 7;
    if (rest !== 0) masked[masked.length - 1] = (masked.at(-1) as number) & (0xff << (8 - rest));
    return `${bytes.length === 4 ? 4 : 6}/${masked.join('.')}`;
  }
}

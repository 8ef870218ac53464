/**
 * `NetRestrict`: a CIDR allow-list for dials and inbound connections (geth `p2p/netutil`
 * `Netlist`, the `--netrestrict` flag). IPv4 and IPv6 networks can be mixed; an IPv4-mapped IPv6
 * address (`::ffff:a.b.c.d`) is checked as IPv4, everywhere.
 * @see https://github.com/ethereum/go-ethereum/blob/master/p2p/netutil/net.go
 * @module
 */
import { bytesToIp, ipToBytes } from '@ethp2p/enode';

/** One network: masked address bytes (4 or 16) and the prefix length in bits. */
interface Network {
  readonly bytes: Uint8Array;
  readonly bits: number;
}

const PREFIX_DIGITS = /^\d{1,3}$/;
/** Bits of `::ffff:0:0/96`, the IPv4-mapped IPv6 prefix. */
const MAPPED_PREFIX_BITS = 96;

/**
 * An immutable list of networks that an IP address is checked against. An empty list contains
 * nothing; "no restriction" is expressed by having no `NetRestrict` at all.
 *
 * Entries need an explicit prefix length (`10.0.0.0/8`, `::1/128`); host bits below the prefix
 * are ignored (`10.1.2.3/8` is `10.0.0.0/8`), as with geth's `net.ParseCIDR`.
 *
 * @example
 * ```ts
 * const restrict = NetRestrict.parse('10.0.0.0/8, 127.0.0.0/8, ::1/128');
 * restrict.contains('10.1.2.3'); // true
 * restrict.contains('192.168.0.1'); // false
 * ```
 */
export class NetRestrict {
  readonly #networks: readonly Network[];

  /**
   * A list of the networks in `cidrs`.
   * @throws {TypeError} when an entry is not `<ip>/<prefix length>` text
   * @throws {RangeError} when a prefix length is too long for its address family
   */
  constructor(cidrs: Iterable<string>) {
    if (typeof cidrs !== 'object' || cidrs === null || !(Symbol.iterator in cidrs)) {
      throw new TypeError(`cidrs: expected an iterable of CIDR strings, got ${String(cidrs)}`);
    }
    this.#networks = Array.from(cidrs, parseNetwork);
  }

  /**
   * Parses a comma-separated CIDR list such as `"10.0.0.0/8,127.0.0.0/8,::1/128"`. Whitespace
   * around entries and empty entries are ignored (geth `ParseNetlist`).
   * @throws {TypeError} or {RangeError} as the constructor does
   */
  static parse(text: string): NetRestrict {
    if (typeof text !== 'string') throw new TypeError(`text: expected string, got ${typeof text}`);
    const entries = text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return new NetRestrict(entries);
  }

  /** How many networks the list holds. */
  get size(): number {
    return this.#networks.length;
  }

  /** The networks in canonical form (`10.0.0.0/8`), in the order given. */
  get networks(): readonly string[] {
    return this.#networks.map((n) => `${bytesToIp(n.bytes)}/${n.bits}`);
  }

  /** Whether `ip` (IP text) lies in one of the networks. False for anything that is not an IP. */
  contains(ip: string): boolean {
    if (typeof ip !== 'string') return false;
    const bytes = ipToBytes(ip);
    if (bytes === undefined) return false;
    return this.#networks.some((n) => inNetwork(bytes, n));
  }

  /** The list as `parse` accepts it. */
  toString(): string {
    return this.networks.join(',');
  }
}

function parseNetwork(cidr: string): Network {
  const bad = (): TypeError =>
    new TypeError(`cidr: expected a network like 10.0.0.0/8, got ${String(cidr)}`);
  if (typeof cidr !== 'string') throw bad();
  const slash = cidr.indexOf('/');
  if (slash < 0) throw bad();
  const addr = cidr.slice(0, slash).trim();
  const prefix = cidr.slice(slash + 1).trim();
  const bytes = ipToBytes(addr);
  if (bytes === undefined || !PREFIX_DIGITS.test(prefix)) throw bad();
  let bits = Number(prefix);
  // An IPv4-mapped IPv6 network is an IPv4 one: ipToBytes already gave the 4 IPv4 bytes.
  const mapped = bytes.length === 4 && addr.includes(':');
  if (mapped) bits -= MAPPED_PREFIX_BITS;
  const max = bytes.length * 8;
  if (bits < 0 || bits > max) {
    const family = mapped ? `${MAPPED_PREFIX_BITS}-128` : `0-${max}`;
    throw new RangeError(`cidr: expected a prefix length in ${family}, got ${prefix}`);
  }
  return { bytes: mask(bytes, bits), bits };
}

function mask(bytes: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const whole = bits >> 3;
  out.set(bytes.subarray(0, whole));
  const rest = bits & 7;
  if (rest !== 0) out[whole] = (bytes[whole] as number) & (0xff << (8 - rest));
  return out;
}

function inNetwork(ip: Uint8Array, n: Network): boolean {
  if (ip.length !== n.bytes.length) return false;
  const whole = n.bits >> 3;
  for (let i = 0; i < whole; i++) if (ip[i] !== n.bytes[i]) return false;
  const rest = n.bits & 7;
  if (rest === 0) return true;
  const m = (0xff << (8 - rest)) & 0xff;
  return ((ip[whole] as number) & m) === n.bytes[whole];
}

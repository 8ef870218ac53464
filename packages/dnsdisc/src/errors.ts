/**
 * Errors of DNS discovery: malformed or unsigned tree entries, hash mismatches, loops, oversize
 * trees and failed lookups. Argument misuse throws `TypeError` or `RangeError` instead.
 * @module
 */
import { CodedError } from '@ethp2p/base';

/** What went wrong, for code that branches on it (geth `p2p/dnsdisc/error.go`). */
export type DnsDiscErrorCode =
  /** A TXT record that is none of the entry types. */
  | 'UNKNOWN_ENTRY'
  /** The root entry does not have the `enrtree-root:v1 e= l= seq= sig=` shape. */
  | 'INVALID_SYNTAX'
  /** A child or subtree-root hash is not base32 of 12 to 32 bytes. */
  | 'INVALID_CHILD'
  /** The root signature is malformed, or not made by the tree's key. */
  | 'INVALID_SIGNATURE'
  /** A link or URL without `<key>@`. */
  | 'NO_PUBKEY'
  /** A link or URL whose key is not a base32 compressed secp256k1 public key. */
  | 'BAD_PUBKEY'
  /** An `enr:` entry that is not a valid record. */
  | 'INVALID_ENR'
  /** Not an `enrtree://<key>@<domain>` URL. */
  | 'INVALID_URL'
  /** No root entry at the tree's domain. */
  | 'NO_ROOT'
  /** No tree entry at a subdomain. */
  | 'NO_ENTRY'
  /** An entry's keccak256 does not match the subdomain it was found at. */
  | 'HASH_MISMATCH'
  /** An `enr:` entry below the link subtree. */
  | 'ENR_IN_LINK_TREE'
  /** An `enrtree://` link below the node subtree. */
  | 'LINK_IN_ENR_TREE'
  /** A subtree reaches the same entry twice. */
  | 'LOOP'
  /** An entry, a branch or a whole tree over its limit. */
  | 'TOO_LARGE'
  /** The DNS lookup failed or timed out. */
  | 'LOOKUP_FAILED'
  /** Nodes or links that cannot be put in a tree. */
  | 'INVALID_TREE';

/**
 * A DNS discovery failure. `name` is the DNS name it happened at when there is one (geth's
 * `nameError`), `entry` the kind of entry being parsed (`root`, `branch`, `link`, `enr`).
 */
export class DnsDiscError extends CodedError<DnsDiscErrorCode> {
  override readonly name = 'DnsDiscError';
  /** The DNS name the failure happened at, if any. */
  readonly domain: string | undefined;
  /** The kind of entry being parsed, if any. */
  readonly entry: string | undefined;

  constructor(
    code: DnsDiscErrorCode,
    message: string,
    options: { cause?: unknown; domain?: string; entry?: string } = {},
  ) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.domain = options.domain;
    this.entry = options.entry;
  }

  /** The same error as found at `domain`, its message prefixed with it. */
  at(domain: string): DnsDiscError {
    return new DnsDiscError(this.code, `${domain}: ${this.message}`, {
      cause: this,
      domain,
      ...(this.entry === undefined ? {} : { entry: this.entry }),
    });
  }
}

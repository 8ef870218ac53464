/**
 * What a fuzz target is: a decoder boundary, the valid inputs its mutations start from, and the
 * rule that tells a promised error from a finding.
 * @module
 */

/**
 * One way of building inputs for a target. Mutations apply to a value of the mode's domain (a
 * datagram body, a handshake plaintext, a frame script); `prepare` turns it into the bytes the
 * decoder gets (hashing, signing, sealing, masking, MACs), so mutated content gets past the
 * integrity checks and reaches the parser.
 */
export interface FuzzMode {
  /** A short name, printed with a finding. */
  readonly name: string;
  /** Valid values of the domain. */
  readonly seeds: readonly Uint8Array[];
  /**
   * The decoder input for a domain value, deterministic given `random` (which it may draw
   * from for keys and IVs). Default: the value itself.
   */
  readonly prepare?: (value: Uint8Array, random: FuzzRandom) => Uint8Array;
}

/** The randomness a mode's `prepare` may use (a view of the run's seeded generator). */
export interface FuzzRandom {
  bytes(length: number): Uint8Array;
  intn(n: number): number;
}

/** A decoder boundary under fuzz, with its state (keys, seeds) built. */
export interface FuzzTarget {
  readonly modes: readonly FuzzMode[];
  /** The largest input worth generating (a little above the decoder's own limit). */
  readonly maxInputBytes: number;
  /** Tokens worth inserting (separators, prefixes of a text format). */
  readonly dictionary?: readonly Uint8Array[];
  /**
   * Decodes one input. It throws what the decoder throws, or a {@link PropertyError} when the
   * decoder returned but broke a property (a value that does not re-encode to its input, a
   * getter that throws something untyped).
   */
  run(input: Uint8Array): void;
  /** Whether `err` is an error the boundary promises for bad input. */
  expected(err: unknown): boolean;
}

/** A named target in the registry; `create` builds it (keys, seeds) when a run needs it. */
export interface TargetSpec {
  readonly name: string;
  /** The decoders it drives, for `--list` and the README. */
  readonly decoders: string;
  create(): FuzzTarget;
}

/** A property of a decoded value that does not hold: always a finding. */
export class PropertyError extends Error {
  override readonly name = 'PropertyError';
}

/**
 * The base of every ethp2p error class.
 * @module
 */

/**
 * An `Error` with a typed `code` to branch on and an optional `cause`. Each package subclasses it
 * with its own `name` and code union (STYLE §4); code never tells errors apart by message text.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

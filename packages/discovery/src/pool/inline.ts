/**
 * The inline {@link SignatureRunner}: every piece of work is done at once in the calling
 * thread, and `done` runs before the call returns. This is `workers: 0`, the behaviour before
 * workers existed.
 * @module
 */
import { WireError } from '../wire/errors.ts';
import { recoverSender, sealPacket } from '../wire/signature.ts';
import { SignaturePoolError } from './errors.ts';
import type { RecoverOutcome, SealOutcome, SignatureRunner, SignatureStats } from './types.ts';

const NOTHING_SHED = Object.freeze({ ping: 0, request: 0, own: 0 });

/**
 * How an inline runner seals packets and finds their senders: with real signatures (a private
 * key), or another identity scheme (the simulated one).
 */
export interface PacketSealer {
  /** Seals `out` in place (see `sealPacket`); returns a view of its hash. */
  seal(out: Uint8Array): Uint8Array;
  /**
   * The 64-byte public key of the datagram's sender.
   * @throws {WireError} BAD_SIGNATURE when there is none
   */
  sender(bytes: Uint8Array): Uint8Array;
}

/** Signature work done synchronously in the caller's thread; never sheds anything. */
export class InlineSignatures implements SignatureRunner {
  readonly #sealer: PacketSealer;
  #closed = false;

  /** `privateKey`: the 32-byte key that seals packets; or how to seal and open them. */
  constructor(privateKey: Uint8Array | PacketSealer) {
    this.#sealer =
      privateKey instanceof Uint8Array
        ? { seal: (out) => sealPacket(out, privateKey), sender: recoverSender }
        : privateKey;
  }

  recover(datagram: Uint8Array, _options: unknown, done: (r: RecoverOutcome) => void): void {
    if (this.#closed) {
      done({ ok: false, error: closedError() });
      return;
    }
    let publicKey: Uint8Array;
    try {
      publicKey = this.#sealer.sender(datagram);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      done({ ok: false, error: err });
      return;
    }
    done({ ok: true, publicKey });
  }

  seal(unsigned: Uint8Array, _options: unknown, done: (r: SealOutcome) => void): void {
    if (this.#closed) {
      done({ ok: false, error: closedError() });
      return;
    }
    const hash = this.#sealer.seal(unsigned).slice();
    done({ ok: true, bytes: unsigned, hash });
  }

  get stats(): SignatureStats {
    return {
      workers: 0,
      queued: 0,
      inFlight: 0,
      shed: NOTHING_SHED,
      respawns: 0,
      inlineBatches: 0,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

function closedError(): SignaturePoolError {
  return new SignaturePoolError('CLOSED', 'signature work after close');
}

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

/** Signature work done synchronously in the caller's thread; never sheds anything. */
export class InlineSignatures implements SignatureRunner {
  readonly #privateKey: Uint8Array;
  #closed = false;

  /** `privateKey`: the 32-byte key that seals packets. */
  constructor(privateKey: Uint8Array) {
    this.#privateKey = privateKey;
  }

  recover(datagram: Uint8Array, _options: unknown, done: (r: RecoverOutcome) => void): void {
    if (this.#closed) {
      done({ ok: false, error: closedError() });
      return;
    }
    let publicKey: Uint8Array;
    try {
      publicKey = recoverSender(datagram);
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
    const hash = sealPacket(unsigned, this.#privateKey).slice();
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

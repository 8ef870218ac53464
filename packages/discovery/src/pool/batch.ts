/**
 * The worker protocol: one message per batch each way, its bytes in transferred ArrayBuffers
 * (no copy across threads). A request packs the jobs' bytes back to back in `data`, with a kind
 * (0 = recover, 1 = seal) and a length per job in `meta`; the reply returns `data` with every
 * sealed packet signed in place, a status per job, and 64 bytes of recovered key per job.
 * `runBatch` is what a worker does with a request: the same pure functions as the inline path.
 * @module
 */
import { WireError } from '../wire/errors.ts';
import { recoverSender, sealPacket } from '../wire/signature.ts';
import type { ThreadPriority } from './priority.ts';

/** What the pool posts to a worker. */
export interface BatchRequest {
  readonly id: number;
  /** Per job: kind, then byte length (2 × uint16). */
  readonly meta: ArrayBuffer;
  /** The jobs' bytes, back to back. */
  readonly data: ArrayBuffer;
}

/** What a worker posts back for a {@link BatchRequest}. */
export interface BatchReply {
  readonly id: number;
  /** Per job: {@link JOB_STATUS}. */
  readonly status: ArrayBuffer;
  /** Per job, 64 bytes: the recovered public key (zero for a seal or a failure). */
  readonly keys: ArrayBuffer;
  /** The request's `data`, each seal job's bytes now signed. */
  readonly data: ArrayBuffer;
}

/** The first message of a worker: which crypto backend it loaded, and the priority it runs at. */
export interface ReadyMessage {
  readonly ready: string;
  /** Set where the worker lowered its own priority (Linux). */
  readonly priority?: ThreadPriority;
}

/** Asks a worker to exit once the batches before it are done. */
export interface CloseMessage {
  readonly close: true;
}

/** The status of one job in a {@link BatchReply}. */
export const JOB_STATUS = { OK: 0, BAD_SIGNATURE: 1 } as const;

/** Bytes of an uncompressed public key without its prefix. */
export const KEY_BYTES = 64;

/** Packs jobs into a request. */
export function packBatch(
  id: number,
  jobs: readonly { readonly kind: 0 | 1; readonly bytes: Uint8Array }[],
): BatchRequest {
  const meta = new Uint16Array(jobs.length * 2);
  let total = 0;
  for (const [i, job] of jobs.entries()) {
    meta[2 * i] = job.kind;
    meta[2 * i + 1] = job.bytes.length;
    total += job.bytes.length;
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const job of jobs) {
    data.set(job.bytes, at);
    at += job.bytes.length;
  }
  return { id, meta: meta.buffer, data: data.buffer };
}

/** Runs every job of a request, in order; `privateKey` seals. */
export function runBatch(request: BatchRequest, privateKey: Uint8Array): BatchReply {
  const meta = new Uint16Array(request.meta);
  const count = meta.length / 2;
  const status = new Uint8Array(count);
  const keys = new Uint8Array(count * KEY_BYTES);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const length = meta[2 * i + 1] as number;
    const bytes = new Uint8Array(request.data, at, length);
    at += length;
    if (meta[2 * i] === 1) {
      sealPacket(bytes, privateKey);
      continue;
    }
    try {
      keys.set(recoverSender(bytes), i * KEY_BYTES);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      status[i] = JOB_STATUS.BAD_SIGNATURE;
    }
  }
  return { id: request.id, status: status.buffer, keys: keys.buffer, data: request.data };
}

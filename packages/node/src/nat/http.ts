/**
 * One HTTP exchange with a gateway: a deadline on the injected clock and a cap on the answer's
 * size, so a gateway that stalls or streams forever costs a bounded time and memory.
 * @module
 */
import type { Clock } from '@ethp2p/base';
import { NatError } from './errors.ts';

/** Largest gateway answer read (device descriptions are a few KiB). */
export const MAX_GATEWAY_ANSWER_BYTES: number = 64 * 1024;

/** What {@link gatewayRequest} sends. */
export interface GatewayRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The answer's status and text (an HTTP error status is not thrown: SOAP faults come as 500).
 * @throws {NatError} TIMEOUT, UNAVAILABLE (connection failed), BAD_REPLY (answer too large)
 */
export async function gatewayRequest(
  req: GatewayRequest,
): Promise<{ status: number; text: string }> {
  req.signal?.throwIfAborted();
  const ctl = new AbortController();
  const timeout = new NatError(
    'TIMEOUT',
    `upnp gateway ${req.url.host} did not answer within ${req.timeoutMs} ms`,
  );
  const timer = req.clock.schedule(req.timeoutMs, () => ctl.abort(timeout));
  const onAbort = (): void => ctl.abort(req.signal?.reason);
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await fetch(req.url, {
      method: req.method,
      signal: ctl.signal,
      redirect: 'error',
      ...(req.headers === undefined ? {} : { headers: req.headers }),
      ...(req.body === undefined ? {} : { body: req.body }),
    });
    return { status: res.status, text: await readCapped(res, req.url) };
  } catch (err) {
    if (ctl.signal.aborted) throw ctl.signal.reason;
    if (err instanceof NatError) throw err;
    throw new NatError('UNAVAILABLE', `upnp gateway ${req.url.host}: ${String(err)}`, {
      cause: err,
    });
  } finally {
    timer.cancel();
    req.signal?.removeEventListener('abort', onAbort);
  }
}

async function readCapped(res: Response, url: URL): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  if (reader === undefined) return '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_GATEWAY_ANSWER_BYTES) {
      await reader.cancel();
      throw new NatError(
        'BAD_REPLY',
        `upnp gateway ${url.host} answer exceeds ${MAX_GATEWAY_ANSWER_BYTES} bytes`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

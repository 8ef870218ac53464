/**
 * The entry point of a signature worker thread: it loads the crypto backend the parent uses
 * (the parent sets `ETHP2P_CRYPTO` for it), lowers its own priority by the nice increment it is
 * given, says which backend it got and at what priority it runs, then runs each batch it is
 * sent and posts the reply back, transferring the buffers. Asked to close, it closes its port
 * and exits by itself, never in the middle of a native call.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { activeBackend } from '@ethp2p/crypto/backends';
import type { BatchRequest, CloseMessage, ReadyMessage } from './batch.ts';
import { runBatch } from './batch.ts';
import { lowerThreadPriority } from './priority.ts';

const port = parentPort;
if (port === null) throw new Error('signature-worker: expected to run in a worker thread');
const { privateKey, nice } = workerData as { privateKey: Uint8Array; nice: number };
const priority = lowerThreadPriority(nice);
port.on('message', (request: BatchRequest | CloseMessage) => {
  if ('close' in request) {
    port.close(); // nothing else keeps the thread alive: it exits
    return;
  }
  const reply = runBatch(request, privateKey);
  port.postMessage(reply, [reply.status, reply.keys, reply.data]);
});
port.postMessage({
  ready: activeBackend().name,
  ...(priority ? { priority } : {}),
} satisfies ReadyMessage);

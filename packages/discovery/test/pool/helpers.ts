/**
 * Promise wrappers around the callback API of a signature runner, and packets to feed it.
 * @module
 */
import { generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { expect } from 'vitest';
import type {
  RecoverOutcome,
  SealOutcome,
  SignatureRunner,
  WorkClass,
} from '../../src/pool/types.ts';
import { encodeUnsigned } from '../../src/wire/envelope.ts';
import { encodePacket } from '../../src/wire/index.ts';

/** The built worker that crashes on {@link crashPayload}. */
export const CRASHING_WORKER: URL = new URL('./fixtures/crashing-worker.mjs', import.meta.url);
/** A worker that throws before it is ready. */
export const BROKEN_WORKER: URL = new URL('./fixtures/broken-worker.mjs', import.meta.url);

/** The outcome of recovering the sender of `datagram`. */
export function recovered(
  runner: SignatureRunner,
  datagram: Uint8Array,
  workClass: WorkClass = 'ping',
  key = 'k',
): Promise<RecoverOutcome> {
  return new Promise((done) => runner.recover(datagram, { key, workClass }, done));
}

/** The outcome of sealing `unsigned` as our own work. */
export function sealed(runner: SignatureRunner, unsigned: Uint8Array): Promise<SealOutcome> {
  return new Promise((done) => runner.seal(unsigned, { key: 'k', workClass: 'own' }, done));
}

/** Checks that `runner` recovers the sender of a fresh FindNode. */
export async function expectRecovers(runner: SignatureRunner): Promise<void> {
  const { bytes, publicKey: sender } = signedFindnode();
  expect(await recovered(runner, bytes)).toEqual({ ok: true, publicKey: sender });
}

/** A FindNode from a fresh key, signed, with the key that signed it. */
export function signedFindnode(): { bytes: Uint8Array; publicKey: Uint8Array } {
  const key = generatePrivateKey();
  const target = publicKey(generatePrivateKey());
  const { bytes } = encodePacket({ type: 'findnode', target, expiration: 1n }, key);
  return { bytes, publicKey: publicKey(key) };
}

/** An unsigned FindNode to seal. */
export function unsignedFindnode(): Uint8Array {
  return encodeUnsigned({
    type: 'findnode',
    target: publicKey(generatePrivateKey()),
    expiration: 1n,
  });
}

/** An unsigned ENRRequest whose rest holds 16 bytes of 0xee: the crashing worker dies on it. */
export function crashPayload(): Uint8Array {
  const marker = Uint8Array.of(0x90, ...new Uint8Array(16).fill(0xee));
  return encodeUnsigned({ type: 'enr-request', expiration: 1n, rest: [marker] });
}

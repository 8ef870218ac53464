/**
 * @ethp2p/crypto/backends: the backend seam, for benchmarks, differential tests and diagnostics.
 * The functions of `@ethp2p/crypto` use one backend, chosen once at import (`ETHP2P_CRYPTO`
 * forces one, otherwise the fastest that loads); this entry point names it and loads the others.
 * @module
 */

export { activeBackend } from '../active.ts';
export { loadBackend } from '../backend.ts';
export type { BackendName, CryptoBackend } from '../types.ts';
export { BACKEND_NAMES } from '../types.ts';

/**
 * @ethp2p/base/testing: helpers for tests of ethp2p components and of code built on them.
 * @module
 */

export { fullGc, isCollected } from './collected.ts';
export type { ErrorClass } from './errors.ts';
export { rejectedError, thrownError } from './errors.ts';
export type { Subscribable, WaitForOptions } from './wait-for.ts';
export { nextTurn, waitFor } from './wait-for.ts';

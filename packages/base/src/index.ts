/**
 * @ethp2p/base: what every ethp2p package shares and nothing else: injected time and randomness,
 * logging, background task groups, child abort signals, safe event emission, argument checks and the coded error base.
 * The strict RLP codec is the `@ethp2p/base/rlp` subpath. Depends on no other ethp2p package.
 * @module
 */

export { checkPort, checkPositiveInt, checkPositiveMs } from './checks.ts';
export type { ChildSignal } from './child-signal.ts';
export { childSignal } from './child-signal.ts';
export type { Clock, Timer } from './clock.ts';
export { SimulatedClock, sleep, systemClock } from './clock.ts';
export { safeEmit } from './emit.ts';
export { CodedError } from './errors.ts';
export type { LogFields, Logger } from './logger.ts';
export { defaultLogger, MemoryLogger, silentLogger } from './logger.ts';
export type { Random } from './random.ts';
export { seededRandom, systemRandom } from './random.ts';
export type { TaskGroupOptions } from './task-group.ts';
export { TaskGroup } from './task-group.ts';
export { builtWorkerExecArgv } from './worker-argv.ts';

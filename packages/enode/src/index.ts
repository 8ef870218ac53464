/**
 * @ethp2p/enode: node keys and IDs, enode URLs, ENR (EIP-778), LocalNode and the node database.
 * @module
 */

export type { Clock, Random, Timer } from './clock.ts';
export { SimulatedClock, seededRandom, systemClock, systemRandom } from './clock.ts';
export type { LogFields, Logger } from './logger.ts';
export { defaultLogger, MemoryLogger, silentLogger } from './logger.ts';

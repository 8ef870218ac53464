/**
 * The state trie's database: `@ethereumjs/mpt` reads and writes its nodes (and the state manager
 * its contract code) here by hex key. Writes are staged in memory until the block that made them
 * is accepted; then they go to LevelDB in the same atomic batch as the block, or are dropped with
 * it. Reads see the staged writes first.
 * @module
 */
import type { BatchDBOp, DB } from '@ethereumjs/util';
import { hexToBytes } from '@ethp2p/crypto';
import { type Level, type LevelWrite, stateKey } from '../store/level.ts';

/** A `DB` for `@ethereumjs/mpt` over LevelDB with staged writes. */
export class StagedStateDb implements DB<string, string | Uint8Array> {
  readonly #level: Level;
  /** Staged writes by hex key; `undefined` is a staged delete. */
  readonly #staged = new Map<string, Uint8Array | undefined>();

  constructor(level: Level) {
    this.#level = level;
  }

  /** How many writes are staged. */
  get stagedCount(): number {
    return this.#staged.size;
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    if (this.#staged.has(key)) return this.#staged.get(key);
    return (await this.#level.get(stateKey(hexToBytes(key)))) ?? undefined;
  }

  async put(key: string, value: string | Uint8Array): Promise<void> {
    this.#staged.set(key, typeof value === 'string' ? hexToBytes(value) : value);
  }

  async del(key: string): Promise<void> {
    this.#staged.set(key, undefined);
  }

  async batch(ops: BatchDBOp<string, string | Uint8Array>[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') await this.put(op.key, op.value);
      else await this.del(op.key);
    }
  }

  shallowCopy(): StagedStateDb {
    return this;
  }

  async open(): Promise<void> {}

  /** The staged writes as LevelDB writes, which are no longer staged. */
  takeWrites(): LevelWrite[] {
    const writes: LevelWrite[] = [];
    for (const [hex, value] of this.#staged) {
      const key = stateKey(hexToBytes(hex));
      writes.push(value === undefined ? { type: 'del', key } : { type: 'put', key, value });
    }
    this.#staged.clear();
    return writes;
  }

  /** Drops the staged writes (of a refused block). */
  discard(): void {
    this.#staged.clear();
  }
}

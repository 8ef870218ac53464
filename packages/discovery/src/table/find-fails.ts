/**
 * Consecutive findnode failure counts for the table's `trackRequest` (geth `handleTrackRequest`).
 * With a node database the counts live there, keyed by (ID, IP), so that the UDP service can
 * also read them; updates are serialized so that concurrent failures are not lost. Without a
 * database they live on the table entry, so they exist only for nodes in the table.
 * @module
 */
import type { Logger } from '@ethp2p/base';
import type { Node } from '@ethp2p/enode';
import type { TableEntry } from './bucket.ts';
import type { TableDatabase } from './types.ts';

/** Records findnode outcomes and returns the resulting failure counts. Owned by the table. */
export class FindFails {
  readonly #db: TableDatabase | undefined;
  readonly #logger: Logger;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(db: TableDatabase | undefined, logger: Logger) {
    this.#db = db;
    this.#logger = logger;
  }

  /**
   * Resets (`success`) or increments the failure count of `node` and resolves the new count.
   * Never rejects: a database error is logged and counts as 0 failures.
   */
  async record(node: Node, success: boolean, entry: TableEntry | undefined): Promise<number> {
    const db = this.#db;
    if (db === undefined || node.ip === undefined) {
      if (entry === undefined) return 0;
      entry.findFails = success ? 0 : entry.findFails + 1;
      return entry.findFails;
    }
    const ip = node.ip;
    const op = this.#queue.then(async () => {
      if (success) {
        await db.updateFindFails(node.id, ip, 0);
        return 0;
      }
      const fails = (await db.findFails(node.id, ip)) + 1;
      await db.updateFindFails(node.id, ip, fails);
      return fails;
    });
    this.#queue = op.catch(() => undefined);
    try {
      return await op;
    } catch (err) {
      this.#logger.debug('updating findnode failures failed', { err });
      return 0;
    }
  }

  /** Resolves once every update started so far has finished. */
  idle(): Promise<void> {
    return this.#queue.then(() => undefined);
  }
}

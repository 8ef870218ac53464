/**
 * A {@link TxtResolver} over a map of names to TXT records (geth `mapResolver`), counting lookups.
 * @module
 */
import type { TxtResolver } from '../../src/resolver.ts';

/** A resolver serving `records`; its names and records can change while it is used. */
export class MapResolver implements TxtResolver {
  readonly records = new Map<string, string>();
  readonly queried: string[] = [];

  constructor(...maps: ReadonlyMap<string, string>[]) {
    for (const m of maps) this.add(m);
  }

  add(records: ReadonlyMap<string, string> | Readonly<Record<string, string>>): void {
    const entries = records instanceof Map ? records : Object.entries(records);
    for (const [name, text] of entries) this.records.set(name, text);
  }

  clear(): void {
    this.records.clear();
  }

  async resolveTxt(name: string, { signal }: { signal: AbortSignal }): Promise<string[]> {
    signal.throwIfAborted();
    this.queried.push(name);
    const text = this.records.get(name);
    if (text === undefined) throw new Error(`${name}: not found`);
    return [text];
  }
}

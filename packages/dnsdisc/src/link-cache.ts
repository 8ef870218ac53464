/**
 * Which trees link to which, so trees no longer linked from anywhere are dropped (geth
 * `linkCache`). Trees are named by their link text (`<key>@<domain>`); the URLs a source was
 * made with are linked from `''`.
 * @module
 */

/** Back-references between trees. Owned by one node source; not shared. */
export class LinkCache {
  /** For each tree, the trees that link to it. */
  readonly #backrefs = new Map<string, Set<string>>();
  /** Set when links changed since the owner last looked; the owner clears it. */
  changed = false;

  /** Whether any tree links to `tree`. */
  isReferenced(tree: string): boolean {
    return (this.#backrefs.get(tree)?.size ?? 0) > 0;
  }

  /** Every tree something links to. */
  trees(): IterableIterator<string> {
    return this.#backrefs.keys();
  }

  /** Records that `from` links to `to`. */
  addLink(from: string, to: string): void {
    let refs = this.#backrefs.get(to);
    if (refs?.has(from)) return;
    if (refs === undefined) {
      refs = new Set();
      this.#backrefs.set(to, refs);
    }
    refs.add(from);
    this.changed = true;
  }

  /**
   * Removes the links of `from` except those to `keep`, and then the links of every tree left
   * unreferenced by that, transitively (geth `resetLinks`).
   */
  resetLinks(from: string, keep: ReadonlySet<string>): void {
    const stack = [from];
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      for (const [tree, refs] of this.#backrefs) {
        if (keep.has(tree) || !refs.has(item)) continue;
        this.changed = true;
        refs.delete(item);
        if (refs.size === 0) {
          this.#backrefs.delete(tree);
          stack.push(tree);
        }
      }
    }
  }
}

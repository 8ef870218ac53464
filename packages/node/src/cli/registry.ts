/**
 * The command tree: finds the command an argv selects, and lists a group's children for help.
 * @module
 */
import type { CommandSpec, GroupSpec } from './command.ts';

/** What the leading words of an argv select. */
export type Resolved =
  | { readonly kind: 'command'; readonly spec: CommandSpec; readonly rest: readonly string[] }
  | { readonly kind: 'group'; readonly path: readonly string[]; readonly rest: readonly string[] };

/** A child of a group in the help listing. */
export interface GroupChild {
  readonly name: string;
  readonly summary: string;
}

/** The commands and groups of the CLI. Immutable once built. */
export class CommandRegistry {
  readonly #commands: readonly CommandSpec[];
  readonly #groups: ReadonlyMap<string, GroupSpec>;

  /**
   * @throws {RangeError} if two commands share a path, or a command's path is a prefix of another's
   */
  constructor(commands: readonly CommandSpec[], groups: readonly GroupSpec[] = []) {
    const paths = new Set(commands.map((c) => key(c.path)));
    if (paths.size !== commands.length) throw new RangeError('commands: duplicate command path');
    for (const c of commands) {
      for (let i = 1; i < c.path.length; i++) {
        if (paths.has(key(c.path.slice(0, i)))) {
          throw new RangeError(`commands: '${c.path.join(' ')}' is below another command`);
        }
      }
    }
    this.#commands = commands;
    this.#groups = new Map(groups.map((g) => [key(g.path), g]));
  }

  /** Every command, in registration order. */
  get commands(): readonly CommandSpec[] {
    return this.#commands;
  }

  /** Follows the leading words of `argv` down the tree as far as they name commands or groups. */
  resolve(argv: readonly string[]): Resolved {
    const path: string[] = [];
    for (let i = 0; ; i++) {
      const exact = this.#commands.find((c) => key(c.path) === key(path));
      if (exact !== undefined) return { kind: 'command', spec: exact, rest: argv.slice(i) };
      const word = argv[i];
      if (word === undefined || !this.#isPrefix([...path, word])) {
        return { kind: 'group', path, rest: argv.slice(i) };
      }
      path.push(word);
    }
  }

  /** The group's description, if one was registered. */
  group(path: readonly string[]): GroupSpec | undefined {
    return this.#groups.get(key(path));
  }

  /** The immediate children of a group: commands and subgroups, in registration order. */
  children(path: readonly string[]): GroupChild[] {
    const out: GroupChild[] = [];
    const seen = new Set<string>();
    for (const c of this.#commands) {
      if (c.path.length <= path.length || key(c.path.slice(0, path.length)) !== key(path)) continue;
      const name = c.path[path.length] ?? '';
      if (seen.has(name)) continue;
      seen.add(name);
      const leaf = c.path.length === path.length + 1;
      const summary = leaf ? c.summary : (this.group([...path, name])?.summary ?? '');
      out.push({ name, summary });
    }
    return out;
  }

  #isPrefix(path: readonly string[]): boolean {
    return this.#commands.some(
      (c) => c.path.length >= path.length && key(c.path.slice(0, path.length)) === key(path),
    );
  }
}

function key(path: readonly string[]): string {
  return path.join(' ');
}

/**
 * Where the built scripts of this package are, for the child processes it starts: they run the
 * built JavaScript whether the parent runs from `dist/` or (in tests) from `src/`.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of `dist/<name>.js` of this package.
 * @throws {Error} when it is not built (run `pnpm build`)
 */
export function distScript(name: string): string {
  const path = fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));
  if (!existsSync(path)) throw new Error(`${path} is missing: run pnpm build first`);
  return path;
}

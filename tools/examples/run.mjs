// Runs one built example: `pnpm example enode/enr` runs packages/enode/examples/enr.ts as
// compiled by `pnpm build` into tools/examples/dist/enode/examples/enr.js.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), 'dist');
const name = process.argv[2];
const [pkg, file] = (name ?? '').split('/');
const target = pkg && file ? join(dist, pkg, 'examples', `${file.replace(/\.ts$/, '')}.js`) : '';
if (!target || !existsSync(target)) {
  if (name !== undefined) console.error(`unknown example '${name}'`);
  console.error('usage: pnpm example <package>/<example>  (build first: pnpm build)');
  const all = builtExamples();
  console.error(all.length > 0 ? `examples: ${all.join(', ')}` : 'no built examples found');
  process.exit(2);
}
await import(pathToFileURL(target).href);

/** `<package>/<example>` for every dist/<package>/examples/<example>.js (dist also holds files). */
function builtExamples() {
  if (!existsSync(dist)) return [];
  return readdirSync(dist, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dist, entry.name, 'examples')))
    .flatMap(({ name: pkg }) =>
      readdirSync(join(dist, pkg, 'examples'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => `${pkg}/${f.slice(0, -3)}`),
    )
    .sort();
}

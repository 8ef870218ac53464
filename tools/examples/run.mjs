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
  const all = existsSync(dist)
    ? readdirSync(dist).flatMap((p) =>
        readdirSync(join(dist, p, 'examples'))
          .filter((f) => f.endsWith('.js'))
          .map((f) => `${p}/${f.slice(0, -3)}`),
      )
    : [];
  console.error(`usage: pnpm example <package>/<example>  (build first: pnpm build)`);
  console.error(all.length > 0 ? `examples: ${all.join(', ')}` : 'no built examples found');
  process.exit(2);
}
await import(pathToFileURL(target).href);

// Removes build output: every workspace's dist/ and tsbuildinfo files.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const group of ['packages', 'tools']) {
  for (const entry of readdirSync(join(root, group), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, group, entry.name);
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    for (const file of readdirSync(dir)) {
      if (file.endsWith('.tsbuildinfo')) rmSync(join(dir, file), { force: true });
    }
  }
}

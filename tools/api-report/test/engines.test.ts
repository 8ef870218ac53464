/**
 * `engines.node` of the workspace and of every package is honest: its lowest admitted Node version
 * satisfies the `engines` of each dependency, and the Node running the tests (20 and 24 in CI) is
 * inside it.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const PACKAGES = readdirSync(join(ROOT, 'packages'));

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

type Version = [number, number, number];

function manifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** The comparators of one `||` branch as [operator, version] pairs; `^` and bare versions expanded. */
function comparators(branch: string): [string, Version][] {
  const out: [string, Version][] = [];
  for (const m of branch.matchAll(/(>=|<=|>|<|\^|~|=)?\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/g)) {
    const [, op = '', major, minor, patch] = m;
    const v: Version = [Number(major), Number(minor ?? 0), Number(patch ?? 0)];
    const bare = op === '' || op === '=';
    if (op === '^' || ((bare || op === '~') && minor === undefined)) {
      out.push(['>=', v], ['<', [v[0] + 1, 0, 0]]);
    } else if (op === '~' || (bare && patch === undefined)) {
      out.push(['>=', v], ['<', [v[0], v[1] + 1, 0]]);
    } else if (bare) {
      out.push(['>=', v], ['<=', v]);
    } else {
      out.push([op, v]);
    }
  }
  return out;
}

function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((branch) =>
    comparators(branch).every(([op, v]) => {
      const c = compare(version, v);
      return op === '>=' ? c >= 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c < 0;
    }),
  );
}

/** The lowest version each `||` branch of `range` admits. */
function lowest(range: string): Version[] {
  return range.split('||').map((branch) => {
    const low = comparators(branch).find(([op]) => op === '>=');
    if (low === undefined) throw new Error(`no lower bound in ${range}`);
    return low[1];
  });
}

function parse(version: string): Version {
  const [major, minor, patch] = version.replace(/^v/, '').split('.').map(Number);
  return [major ?? 0, minor ?? 0, patch ?? 0];
}

/**
 * The `engines.node` of each non-workspace dependency of the package in `dir` and of their
 * dependencies in turn (pnpm links those next to the dependency itself), as [name@version, range].
 */
function dependencyEngines(dir: string, m: Manifest, dev: boolean): [string, string][] {
  const found = new Map<string, string>();
  const visit = (from: string, dep: Manifest, withDev: boolean): void => {
    const specs = {
      ...dep.dependencies,
      ...dep.optionalDependencies,
      ...(withDev ? dep.devDependencies : {}),
    };
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.startsWith('workspace:')) continue;
      const link = join(from, 'node_modules', name);
      if (!existsSync(link)) continue; // an optional dependency for another platform
      const real = realpathSync(link);
      const sub = manifest(real);
      const id = `${sub.name}@${sub.version}`;
      if (found.has(id)) continue;
      found.set(id, sub.engines?.node ?? '');
      // `real` is <store>/node_modules/<name>; its own dependencies are linked beside it.
      visit(join(real, name.startsWith('@') ? '../../..' : '../..'), sub, false);
    }
  };
  visit(dir, m, dev);
  return [...found].filter(([, range]) => range !== '');
}

describe('engines.node', () => {
  const root = manifest(ROOT);
  const rootRange = root.engines?.node ?? '';

  it('admits the Node running the tests', () => {
    expect(satisfies(parse(process.version), rootRange)).toBe(true);
  });

  it.each(PACKAGES)(
    'of packages/%s is the workspace lower bound and fits its dependencies',
    (name) => {
      const dir = join(ROOT, 'packages', name);
      const m = manifest(dir);
      expect(m.engines?.node).toBe(`>=${lowest(rootRange)[0]?.join('.')}`);
      for (const [name, range] of dependencyEngines(dir, m, false)) {
        for (const low of lowest(m.engines?.node ?? '')) {
          expect(satisfies(low, range), `${m.name}: ${name} needs node ${range}`).toBe(true);
        }
      }
    },
  );

  it('of the workspace fits the development tools and every package dependency', () => {
    const needs = [
      ...dependencyEngines(ROOT, root, true),
      ...PACKAGES.map((name) => join(ROOT, 'packages', name)).flatMap((dir) =>
        dependencyEngines(dir, manifest(dir), true),
      ),
    ];
    for (const [name, range] of needs) {
      for (const low of lowest(rootRange)) {
        expect(satisfies(low, range), `${name} needs node ${range}, not ${low.join('.')}`).toBe(
          true,
        );
      }
    }
  });
});

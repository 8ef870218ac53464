import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeChain } from '../node/helpers.ts';
import { assertBuilt, BIN, e2eDir, enodeOf, ethp2p, nodeArgs, ROOT, stopAll } from './helpers.ts';

beforeAll(() => assertBuilt());
afterEach(() => stopAll());

interface PackageJson {
  bin?: Record<string, string>;
  scripts?: Record<string, string>;
}

function packageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** The root `package.json` script `name`, which `pnpm -s <name>` runs through `sh -c`. */
function rootScript(name: string): string {
  const script = packageJson(ROOT).scripts?.[name];
  if (script === undefined) throw new Error(`no root script ${name}`);
  return script;
}

/** One key line: `ethp2p key generate` output and nothing else. */
const KEY_LINE = /^[0-9a-f]{64}\n$/;

describe('the ethp2p binary in a pipe (real processes)', () => {
  it('is the package bin, and prints only the key line to a piped stdout', async () => {
    const pkg = packageJson(join(ROOT, 'packages/node'));
    expect(pkg.bin).toEqual({ ethp2p: 'bin/ethp2p.js' });
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const key = ethp2p(['key', 'generate']);
    expect((await key.exited).code).toBe(0);
    expect(key.stdout).toMatch(KEY_LINE);
    expect(key.stderr).toBe('');
  });

  it('the root ethp2p script, as `pnpm -s ethp2p` runs it, prints only the key line', async () => {
    // pnpm itself is not run here (it would be fetched by npx); with -s it prints no banner,
    // and what remains is `sh -c "<script> <args>"` from the repository root.
    const key = ethp2p(['key', 'generate'], rootScript('ethp2p'));
    expect((await key.exited).code).toBe(0);
    expect(key.stdout).toMatch(KEY_LINE);
    expect(key.stderr).toBe('');
  });

  it.each(['ethp2p', 'start'])('the root %s script runs the node in place of the shell', (name) => {
    // With `exec`, the node is pnpm's child: the shell cannot die of the Ctrl-C and make
    // pnpm report "ELIFECYCLE Command failed" after a clean stop.
    expect(rootScript(name)).toMatch(/(^|&& )exec node packages\/node\/bin\/ethp2p\.js( node)?$/);
  });

  it('exits 0 after one Ctrl-C delivered twice, as under pnpm', async () => {
    const dir = await e2eDir();
    const { genesisPath } = await writeChain(dir, 2);
    const node = ethp2p(nodeArgs(join(dir, 'a'), genesisPath), rootScript('ethp2p'));
    await enodeOf(node);
    // A terminal sends SIGINT to the whole process group, and pnpm forwards the one it got: both
    // arrive back to back (the node treats a repeat within DUPLICATE_SIGNAL_MS as the same one;
    // io.test.ts checks that window on an injected clock).
    process.kill(-node.pid, 'SIGINT');
    node.child.kill('SIGINT');
    const { code, signal } = await node.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(node.stderr).toContain('shutting down');
    expect(node.stdout).toMatch(/"msg":"stopped"/);
  }, 60_000);
});

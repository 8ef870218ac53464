/**
 * End-to-end helpers: the real `ethp2p` binary as a child process, with waits on its output.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@ethp2p/base/testing';
import { EventEmitter } from 'eventemitter3';

/** The `ethp2p` script. */
export const BIN: string = fileURLToPath(new URL('../../bin/ethp2p.js', import.meta.url));
/** The repository root, where the root `package.json` scripts run. */
export const ROOT: string = fileURLToPath(new URL('../../../../', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * Throws unless the package is built: the tests of real `ethp2p` processes fail rather than
 * skip (CI runs `pnpm build` before `pnpm test`).
 */
export function assertBuilt(): void {
  if (!existsSync(DIST)) {
    throw new Error(`${DIST} is missing: run pnpm build first (the tests run the built ethp2p)`);
  }
}

/** A running `ethp2p` process with its output recorded. */
export class Ethp2p {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** `output` on every chunk of stdout or stderr and on exit. */
  readonly #events = new EventEmitter<{ output: () => void }>();

  /**
   * `script`: run `<script> <args>` through `sh -c` from the repository root, in its own process
   * group, as `pnpm <script name>` does.
   */
  constructor(args: readonly string[], script?: string) {
    this.child =
      script === undefined
        ? spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn('sh', ['-c', `${script} "$@"`, 'sh', ...args], {
            cwd: ROOT,
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.#events.emit('output');
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.#events.emit('output');
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.#events.emit('output');
        resolve({ code, signal });
      });
    });
  }

  /** The process ID. */
  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error('ethp2p did not start');
    return pid;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The stdout lines parsed as JSON (other lines skipped). */
  json(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const line of this.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {}
    }
    return out;
  }

  /**
   * Resolves with the first match of `pattern` on stdout (searched from `from`), or rejects
   * after `timeoutMs` or when the process exits without it.
   */
  waitFor(pattern: RegExp, timeoutMs = 20_000, from = 0): Promise<RegExpMatchArray> {
    return this.waitUntil(
      () => this.stdout.slice(from).match(pattern) ?? undefined,
      timeoutMs,
      String(pattern),
    );
  }

  /**
   * Resolves with the first value `test` returns, re-checked on every output; rejects after
   * `timeoutMs` or when the process exits without it.
   */
  async waitUntil<T>(test: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    let value: T | undefined;
    let exited: Error | undefined;
    const report = (why: string): Error =>
      new Error(`${why} waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
    try {
      await waitFor(
        () => {
          value = test();
          if (value !== undefined) return true;
          if (this.running) return false;
          exited = report('ethp2p exited');
          throw exited;
        },
        {
          on: { emitters: [this.#events], events: ['output'] },
          what,
          signal: AbortSignal.timeout(timeoutMs),
        },
      );
    } catch {
      throw exited ?? report('timed out');
    }
    return value as T;
  }

  /** Sends `signal` and waits (at most `timeoutMs`, then SIGKILL) for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    const late = AbortSignal.timeout(timeoutMs);
    const gaveUp = new Promise<void>((resolve) =>
      late.addEventListener('abort', () => resolve(), { once: true }),
    );
    await Promise.race([this.exited, gaveUp]);
    if (this.running) this.child.kill('SIGKILL');
    return (await this.exited).code;
  }
}

/** Processes started by a test, stopped by {@link stopAll} in `afterEach`. */
const started: Ethp2p[] = [];

/**
 * Starts `ethp2p <args>` (or `<script> <args>` through `sh -c`, see {@link Ethp2p}) and tracks it
 * for {@link stopAll}.
 */
export function ethp2p(args: readonly string[], script?: string): Ethp2p {
  assertBuilt();
  const p = new Ethp2p(args, script);
  started.push(p);
  return p;
}

/** Temporary directories made by {@link e2eDir}, removed by {@link stopAll}. */
const dirs: string[] = [];

/** A new temporary directory, removed by {@link stopAll}. */
export async function e2eDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ethp2p-e2e-'));
  dirs.push(dir);
  return dir;
}

/** Stops every process started by {@link ethp2p}, then removes the {@link e2eDir}s. */
export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((p) => p.stop('SIGKILL')));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Whether process `pid` is gone (`kill(pid, 0)` fails with ESRCH). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The enode URL in a node's `node started` JSON line. */
export async function enodeOf(p: Ethp2p): Promise<string> {
  const m = await p.waitFor(/"enode":"(enode:\/\/[0-9a-f]{128}@[0-9.]+:\d+[^"]*)"/);
  return m[1] as string;
}

/** The args of a loopback `ethp2p node` with JSON logs and a 1 s status line. */
export function nodeArgs(
  datadir: string,
  genesis: string,
  extra: readonly string[] = [],
): string[] {
  return [
    'node',
    '--datadir',
    datadir,
    '--genesis',
    genesis,
    '--listen.ip',
    '127.0.0.1',
    '--port',
    '0',
    '--nat',
    'extip:127.0.0.1',
    '--log.format',
    'json',
    '--status.interval',
    '1s',
    ...extra,
  ];
}

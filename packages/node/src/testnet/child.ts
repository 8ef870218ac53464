/**
 * One `ethp2p node` child process of the testnet: spawns it, reads its JSON log lines (the
 * enode line and the status lines) and stops it.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EventEmitter } from 'eventemitter3';
import type { LastDialError } from '../node/status.ts';
import { childEnv } from './child-env.ts';

/** What a child reports. */
export interface NodeProcessEvents {
  /** The node printed its enode URL. */
  enode(e: { enode: string }): void;
  /** A status line. */
  status(e: { peers: number; table: number | null }): void;
  /** The process ended. */
  exit(e: { code: number | null; signal: NodeJS.Signals | null }): void;
}

/** A child's chain head, as its JSON status line gives it. */
export interface ChildHead {
  readonly number: number;
  /** 0x-prefixed. */
  readonly hash: string;
}

/** How to start a child. */
export interface NodeProcessOptions {
  /** The Node.js binary (default `process.execPath`). */
  readonly execPath?: string;
  /** The `ethp2p.js` script. */
  readonly script: string;
  /** Arguments after the script. */
  readonly args: readonly string[];
}

/** Lines of stderr kept for the summary when a child fails. */
const STDERR_LINES = 5;

/** A running `ethp2p node` child process. */
export class NodeProcess {
  readonly events: EventEmitter<NodeProcessEvents> = new EventEmitter<NodeProcessEvents>();
  /** Its enode URL once printed. */
  enode: string | undefined;
  /** Peers in its last status line. */
  peers = 0;
  /** Discovery table size in its last status line (`null` when discovery is off). */
  table: number | null = null;
  /** The last failed dial in its last status line. */
  lastDialError: LastDialError | undefined;
  /** The chain head in its last status line. */
  head: ChildHead | undefined;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #running = true;
  readonly #stderr: string[] = [];

  constructor(options: NodeProcessOptions) {
    this.#child = spawn(options.execPath ?? process.execPath, [options.script, ...options.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(process.env),
    });
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#running = false;
        this.events.emit('exit', { code, signal });
        resolve();
      });
      this.#child.once('error', () => {
        this.#running = false;
        resolve();
      });
    });
    if (this.#child.stdout !== null) {
      createInterface({ input: this.#child.stdout }).on('line', (line) => this.#onLine(line));
    }
    if (this.#child.stderr !== null) {
      createInterface({ input: this.#child.stderr }).on('line', (line) => {
        this.#stderr.push(line);
        if (this.#stderr.length > STDERR_LINES) this.#stderr.shift();
      });
    }
  }

  /** The OS process ID (undefined if spawning failed). */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.#running;
  }

  /** The last lines the child wrote to stderr. */
  get stderrTail(): readonly string[] {
    return this.#stderr;
  }

  /** Resolves once it has printed its enode URL; rejects if it exits or `signal` aborts first. */
  waitForEnode(signal: AbortSignal): Promise<string> {
    if (this.enode !== undefined) return Promise.resolve(this.enode);
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        this.events.off('enode', onEnode);
        this.events.off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
      };
      const onEnode = ({ enode }: { enode: string }): void => {
        cleanup();
        resolve(enode);
      };
      const onExit = (): void => {
        cleanup();
        reject(new Error(`node exited before it started: ${this.#stderr.join(' | ')}`));
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal.reason);
      };
      if (!this.#running) return onExit();
      if (signal.aborted) return onAbort();
      this.events.on('enode', onEnode);
      this.events.on('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Sends SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it has exited.
   */
  async stop(graceMs = 5000): Promise<void> {
    if (this.#running) this.#child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.#running) this.#child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.#exited, grace]);
    clearTimeout(timer);
    await this.#exited;
  }

  /** Kills the process at once (for the process 'exit' handler, which cannot wait). */
  killNow(): void {
    if (this.#running) this.#child.kill('SIGKILL');
  }

  #onLine(line: string): void {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof entry !== 'object' || entry === null) return;
    const fields = entry as Record<string, unknown>;
    if (typeof fields.enode === 'string' && this.enode === undefined) {
      this.enode = fields.enode;
      this.events.emit('enode', { enode: fields.enode });
    }
    if (fields.msg === 'status' && typeof fields.peers === 'number') {
      this.peers = fields.peers;
      this.table = typeof fields.table === 'number' ? fields.table : null;
      this.lastDialError = lastDialError(fields.lastDialError);
      this.head = childHead(fields.head);
      this.events.emit('status', { peers: this.peers, table: this.table });
    }
  }
}

/** The `head` field of a JSON status line, if well-formed. */
function childHead(value: unknown): ChildHead | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { number, hash } = value as Record<string, unknown>;
  return typeof number === 'number' && typeof hash === 'string' ? { number, hash } : undefined;
}

/** The `lastDialError` field of a JSON status line, if well-formed. */
function lastDialError(value: unknown): LastDialError | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { node, error } = value as Record<string, unknown>;
  return typeof node === 'string' && typeof error === 'string' ? { node, error } : undefined;
}

/**
 * A child process of the crash loops, with its stdout split into lines and its stderr kept, so a
 * loop can wait for a line, kill the child with SIGKILL and read everything it printed.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Random } from '@ethp2p/base';

/** What both crash loops take besides their own options. */
export interface LoopOptions {
  /** The longest wait before a kill, in ms (each loop says from when). */
  readonly maxKillDelayMs: number;
  /** Draws the kill times. */
  readonly random: Random;
  /** Where progress lines go. */
  readonly out: (line: string) => void;
}

/** A spawned child with its output recorded. */
export class RecordedChild {
  /** Complete stdout lines so far. */
  readonly lines: string[] = [];
  /** Everything on stderr so far. */
  stderr = '';
  /** Resolves once the process has exited and its output is fully read. */
  readonly closed: Promise<void>;
  readonly #child: ChildProcess;
  readonly #changes = new EventEmitter();
  #partial = '';
  #done = false;

  /** Runs `node <args>`. */
  constructor(args: readonly string[]) {
    this.#child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop() ?? '';
      this.lines.push(...parts);
      this.#changes.emit('change');
    });
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.closed = new Promise((resolve) => {
      this.#child.once('close', () => {
        this.#done = true;
        this.#changes.emit('change');
        resolve();
      });
    });
  }

  /** The process ID. */
  get pid(): number {
    const pid = this.#child.pid;
    if (pid === undefined) throw new Error('child did not start');
    return pid;
  }

  /**
   * The first stdout line matching `pattern`, once it is printed.
   * @throws {Error} when the child exits without it or `timeoutMs` passes
   */
  async waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      for (const line of this.lines) {
        const match = line.match(pattern);
        if (match !== null) return match;
      }
      if (this.#done || signal.aborted) {
        const why = this.#done ? 'exited' : `gave no output within ${timeoutMs} ms`;
        throw new Error(`child ${why} before ${pattern}; stderr:\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#changes.off('change', wake);
          signal.removeEventListener('abort', wake);
          resolve();
        };
        this.#changes.on('change', wake);
        signal.addEventListener('abort', wake, { once: true });
      });
    }
  }

  /** Sends `signal` (default SIGKILL) and waits until the child is gone and its output read. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.#done) this.#child.kill(signal);
    await this.closed;
  }
}

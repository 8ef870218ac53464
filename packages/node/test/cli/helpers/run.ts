/**
 * Runs the CLI in-process with recorded output.
 * @module
 */

import type { CliIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';

/** A stream that records what is written and lets a test wait for some text. */
export class Recorder {
  text = '';
  readonly #waiters: { test: (text: string) => boolean; resolve: () => void }[] = [];

  write(chunk: string): boolean {
    this.text += chunk;
    for (const w of [...this.#waiters]) {
      if (w.test(this.text)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    return true;
  }

  /** The recorded text split into lines, without the final empty one. */
  get lines(): string[] {
    return this.text.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
  }

  /** Resolves once the recorded text satisfies `test`; rejects when `signal` aborts first. */
  waitFor(test: (text: string) => boolean, signal: AbortSignal): Promise<void> {
    if (test(this.text)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = { test, resolve };
      this.#waiters.push(waiter);
      signal.addEventListener(
        'abort',
        () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(new Error(`timed out waiting for output; got:\n${this.text}`));
        },
        { once: true },
      );
    });
  }
}

/** What a CLI run produced. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly out: string[];
}

/** The io of one run, with recorders. */
export interface TestIo extends CliIo {
  readonly stdout: Recorder;
  readonly stderr: Recorder;
}

/** An io with recorders, the given environment and signal. */
export function testIo(env: Record<string, string> = {}, signal?: AbortSignal): TestIo {
  return {
    stdout: new Recorder(),
    stderr: new Recorder(),
    env,
    ...(signal === undefined ? {} : { signal }),
  };
}

/** Runs `ethp2p <argv>` in-process. */
export async function run(
  argv: readonly string[],
  options: { env?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<RunResult> {
  const io = testIo(options.env, options.signal);
  const code = await main(argv, io);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text, out: io.stdout.lines };
}

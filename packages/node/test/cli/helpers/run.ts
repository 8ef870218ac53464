/**
 * Runs the CLI in-process with recorded output.
 * @module
 */
import { waitFor } from '@ethp2p/base/testing';
import { EventEmitter } from 'eventemitter3';
import type { CliIo } from '../../../src/cli/io.ts';
import { main } from '../../../src/cli/main.ts';

/** A stream that records what is written and lets a test wait for some text. */
export class Recorder {
  text = '';
  /** `write` after each chunk. */
  readonly events: EventEmitter<{ write: () => void }> = new EventEmitter();

  write(chunk: string): boolean {
    this.text += chunk;
    this.events.emit('write');
    return true;
  }

  /** The recorded text split into lines, without the final empty one. */
  get lines(): string[] {
    return this.text.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '');
  }

  /** Resolves once the recorded text satisfies `test`; rejects when `signal` aborts first. */
  async waitFor(test: (text: string) => boolean, signal: AbortSignal): Promise<void> {
    try {
      await waitFor(() => test(this.text), {
        on: { emitters: [this.events], events: ['write'] },
        signal,
      });
    } catch (err) {
      throw new Error(`timed out waiting for output; got:\n${this.text}`, { cause: err });
    }
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

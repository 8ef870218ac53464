import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DUPLICATE_SIGNAL_MS,
  ioLogger,
  outputsThatOutliveReaders,
  processIo,
} from '../../src/cli/io.ts';
import { testIo } from './helpers/run.ts';

describe('processIo', () => {
  const counts = () => ({
    int: process.listenerCount('SIGINT'),
    term: process.listenerCount('SIGTERM'),
  });

  /** A processIo on a hand-driven clock, with `process.kill` recorded instead of sent. */
  function driven() {
    let time = 1000;
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const proc = processIo({ now: () => time });
    return { ...proc, kill, advance: (ms: number) => (time += ms) };
  }

  afterEach(() => vi.restoreAllMocks());

  it.each(['SIGINT', 'SIGTERM'] as const)('aborts on the first %s', (name) => {
    const before = counts();
    const { io, dispose } = processIo();
    const signal = io.signal as AbortSignal;
    expect(io.env).toBe(process.env);
    expect(counts()).toEqual({ int: before.int + 1, term: before.term + 1 });
    expect(signal.aborted).toBe(false);
    process.emit(name, name);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe(`received ${name}`);
    dispose();
    expect(counts()).toEqual(before);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('ignores %s delivered twice for one stop', (name) => {
    const before = counts();
    const { io, kill, advance } = driven();
    process.emit(name, name);
    // Something still catches a duplicate of the first signal, which would otherwise kill us.
    expect(process.listenerCount(name)).toBe(name === 'SIGINT' ? before.int + 1 : before.term + 1);
    advance(DUPLICATE_SIGNAL_MS - 1);
    // The terminal's signal and the one pnpm forwards: still one clean stop, no forced exit.
    process.emit(name, name);
    expect(kill).not.toHaveBeenCalled();
    expect(io.signal?.aborted).toBe(true);
    // A third one is a second Ctrl-C: Node's default handling (exit 130 or 143) takes it.
    expect(counts()).toEqual(before);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('lets a later second %s kill the process', (name) => {
    const before = counts();
    const { kill, advance } = driven();
    process.emit(name, name);
    advance(DUPLICATE_SIGNAL_MS);
    process.emit(name, name);
    expect(counts()).toEqual(before);
    expect(kill).toHaveBeenCalledWith(process.pid, name);
  });

  it('leaves the other stop signal to its default handling at once', () => {
    const before = counts();
    driven();
    process.emit('SIGINT', 'SIGINT');
    // SIGTERM after SIGINT is no duplicate: nothing catches it, so it ends the process (143).
    expect(counts()).toEqual({ int: before.int + 1, term: before.term });
    process.emit('SIGINT', 'SIGINT');
    expect(counts()).toEqual(before);
  });

  it('removes its handlers on dispose', () => {
    const before = process.listenerCount('SIGTERM');
    const { io, dispose } = processIo();
    dispose();
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(io.signal?.aborted).toBe(false);
  });
});

describe('ioLogger', () => {
  it('writes warnings and errors to stderr, info only when verbose, never debug', () => {
    const io = testIo();
    const quiet = ioLogger(io);
    quiet.debug('d');
    quiet.info('i');
    quiet.warn('careful', { seq: 5n });
    quiet.error('broken');
    ioLogger(io, true).info('said', { n: 1 });
    expect(io.stderr.lines).toEqual([
      'WARN careful {"seq":"5"}',
      'ERROR broken',
      'INFO said {"n":1}',
    ]);
    expect(io.stdout.text).toBe('');
  });
});

describe('outputsThatOutliveReaders', () => {
  /** A stream recording its writes that fails like a pipe whose reader left (EPIPE). */
  class FakeStream extends EventEmitter {
    readonly lines: string[] = [];
    write(text: string): boolean {
      this.lines.push(text);
      return true;
    }
    fail(code = 'EPIPE'): void {
      this.emit('error', Object.assign(new Error(`write ${code}`), { code }));
    }
  }

  it('drops a stream after its first error and says so once on stderr', () => {
    const out = new FakeStream();
    const err = new FakeStream();
    const { stdout, stderr } = outputsThatOutliveReaders(out, err);
    stdout.write('a\n');
    out.fail();
    out.fail();
    stdout.write('b\n');
    stderr.write('c\n');
    expect(out.lines).toEqual(['a\n']);
    expect(err.lines).toEqual([
      'ethp2p: stdout failed (EPIPE); its output is dropped from now on\n',
      'c\n',
    ]);
  });

  it('drops stderr silently, keeps stdout, and handles errors after both failed', () => {
    const out = new FakeStream();
    const err = new FakeStream();
    const { stdout, stderr } = outputsThatOutliveReaders(out, err);
    err.fail();
    stderr.write('lost\n');
    stdout.write('kept\n');
    out.fail('EIO');
    expect(() => out.fail()).not.toThrow();
    expect(err.lines).toEqual([]);
    expect(out.lines).toEqual(['kept\n']);
  });

  it('adds one error listener per stream however often it is called', () => {
    const out = new FakeStream();
    const err = new FakeStream();
    for (let i = 0; i < 20; i++) outputsThatOutliveReaders(out, err);
    expect([out.listenerCount('error'), err.listenerCount('error')]).toEqual([1, 1]);
  });
});

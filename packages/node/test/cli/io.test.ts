import { describe, expect, it } from 'vitest';
import { ioLogger, processIo } from '../../src/cli/io.ts';
import { testIo } from './helpers/run.ts';

describe('processIo', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('aborts on the first %s and then lets go', (name) => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    const { io, dispose } = processIo();
    const signal = io.signal as AbortSignal;
    expect(io.stdout).toBe(process.stdout);
    expect(io.env).toBe(process.env);
    expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
    expect(signal.aborted).toBe(false);
    process.emit(name, name);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe(`received ${name}`);
    // A second signal gets Node's default handling: our handlers are gone.
    expect(process.listenerCount('SIGINT')).toBe(before.int);
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
    dispose();
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

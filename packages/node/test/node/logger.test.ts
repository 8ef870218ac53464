import { describe, expect, it } from 'vitest';
import { createLineLogger, jsonLine, textLine } from '../../src/node/logger.ts';

const T = Date.UTC(2026, 4, 14, 12, 34, 56, 789);

function capture(verbosity: number, format: 'text' | 'json' = 'text') {
  const lines: string[] = [];
  const logger = createLineLogger({ write: (l) => lines.push(l), verbosity, format, now: () => T });
  return { lines, logger };
}

describe('line logger', () => {
  it.each([
    [0, []],
    [1, ['error']],
    [2, ['error', 'warn']],
    [3, ['error', 'warn', 'info']],
    [4, ['error', 'warn', 'info', 'debug']],
    [5, ['error', 'warn', 'info', 'debug']],
  ])('at verbosity %d writes %j', (verbosity, levels) => {
    const { lines, logger } = capture(verbosity, 'json');
    logger.error('e');
    logger.warn('w');
    logger.info('i');
    logger.debug('d');
    expect(lines.map((l) => JSON.parse(l).lvl)).toEqual(levels);
  });

  it('writes text lines with the level, a timestamp, the message and key=value fields', () => {
    const line = textLine(T, 'info', 'peer connected', {
      id: 'ab12',
      name: 'Geth/v1 x',
      inbound: true,
      n: 3n,
      key: Uint8Array.of(1, 2),
      gone: undefined,
    });
    expect(line).toMatch(/^INFO {2}\[05-14\|\d\d:34:56\.789\] peer connected +id=ab12 /);
    expect(line).toMatch(/ name="Geth\/v1 x" inbound=true n=3 key=0102$/);
    expect(textLine(T, 'warn', 'plain')).toMatch(/^WARN {2}\[05-14\|\d\d:34:56\.789\] plain$/);
  });

  it('writes JSON lines with t, lvl and msg, and JSON-safe fields', () => {
    const parsed = JSON.parse(jsonLine(T, 'warn', 'x', { big: 2n ** 70n, err: new Error('boom') }));
    expect(parsed).toEqual({
      t: '2026-05-14T12:34:56.789Z',
      lvl: 'warn',
      msg: 'x',
      big: '1180591620717411303424',
      err: 'boom',
    });
    expect(Object.keys(parsed).slice(0, 3)).toEqual(['t', 'lvl', 'msg']);
    // Fields never override the line's own keys.
    expect(JSON.parse(jsonLine(T, 'info', 'real', { msg: 'fake' })).msg).toBe('real');
  });

  it('rejects a bad verbosity or format', () => {
    expect(() => createLineLogger({ write: () => {}, verbosity: 6 })).toThrow(RangeError);
    expect(() => createLineLogger({ write: () => {}, format: 'xml' as 'text' })).toThrow(
      RangeError,
    );
  });
});

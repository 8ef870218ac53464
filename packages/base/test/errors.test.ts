import { describe, expect, it } from 'vitest';
import { CodedError } from '../src/index.ts';
import { rejectedError, thrownError } from '../src/testing/index.ts';

class DemoError extends CodedError<'BAD' | 'WORSE'> {
  override readonly name = 'DemoError';
}

describe('thrownError', () => {
  it('returns the error when type and code match', () => {
    const err = thrownError(
      () => {
        throw new DemoError('BAD', 'bad input');
      },
      DemoError,
      'BAD',
    );
    expect(err.message).toBe('bad input');
    expect(
      thrownError(() => {
        throw new RangeError('x');
      }, RangeError).message,
    ).toBe('x');
  });

  it('fails on no error, another type or another code, naming what happened', () => {
    expect(() => thrownError(() => 1, DemoError, 'BAD')).toThrow(
      'expected a DemoError BAD, got no error',
    );
    expect(() =>
      thrownError(() => {
        throw new TypeError('nope');
      }, DemoError),
    ).toThrow('expected a DemoError, got TypeError: nope');
    expect(() =>
      thrownError(
        () => {
          throw new DemoError('WORSE', 'worse');
        },
        DemoError,
        'BAD',
      ),
    ).toThrow('expected a DemoError BAD, got WORSE: worse');
  });
});

describe('rejectedError', () => {
  it('returns the rejection when type and code match, and fails otherwise', async () => {
    const err = await rejectedError(
      Promise.reject(new DemoError('WORSE', 'w')),
      DemoError,
      'WORSE',
    );
    expect(err.code).toBe('WORSE');
    await expect(rejectedError(Promise.resolve(1), DemoError)).rejects.toThrow('got no error');
    await expect(
      rejectedError(Promise.reject(new DemoError('BAD', 'b')), DemoError, 'WORSE'),
    ).rejects.toThrow('expected a DemoError WORSE, got BAD: b');
  });
});

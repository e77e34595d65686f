/**
 * The operand-reuse scope (operand-scope.ts): open while `reusingOperands` runs, nested
 * scopes release once at the outermost close, on return and on error.
 */
import { describe, expect, it } from 'vitest';
import { isReusingOperands, onOperandReuseEnd, reusingOperands } from './operand-scope.js';

describe('reusingOperands', () => {
  it('is open only while fn runs and returns what fn returns', () => {
    expect(isReusingOperands()).toBe(false);
    const seen = reusingOperands(() => isReusingOperands());
    expect(seen).toBe(true);
    expect(isReusingOperands()).toBe(false);
  });

  it('runs the releases once, when the outermost of nested scopes closes', () => {
    const log: string[] = [];
    reusingOperands(() => {
      onOperandReuseEnd(() => log.push('outer'));
      reusingOperands(() => {
        onOperandReuseEnd(() => log.push('inner'));
        expect(isReusingOperands()).toBe(true);
      });
      expect(log).toEqual([]);
      expect(isReusingOperands()).toBe(true);
    });
    expect(log).toEqual(['outer', 'inner']);
    expect(isReusingOperands()).toBe(false);
    reusingOperands(() => undefined);
    expect(log).toEqual(['outer', 'inner']);
  });

  it('releases and closes when fn throws, and rethrows its error', () => {
    const log: string[] = [];
    const failure = new Error('boom');
    expect(() =>
      reusingOperands(() => {
        onOperandReuseEnd(() => log.push('released'));
        reusingOperands(() => {
          throw failure;
        });
      }),
    ).toThrow(failure);
    expect(log).toEqual(['released']);
    expect(isReusingOperands()).toBe(false);
  });

  it('runs every release even if one throws; reports that error only if fn returned', () => {
    const log: string[] = [];
    const releaseError = new Error('release failed');
    expect(() =>
      reusingOperands(() => {
        onOperandReuseEnd(() => {
          throw releaseError;
        });
        onOperandReuseEnd(() => log.push('second'));
      }),
    ).toThrow(releaseError);
    expect(log).toEqual(['second']);
    const fnError = new Error('fn failed');
    expect(() =>
      reusingOperands(() => {
        onOperandReuseEnd(() => {
          throw releaseError;
        });
        throw fnError;
      }),
    ).toThrow(fnError);
    expect(isReusingOperands()).toBe(false);
  });

  it('refuses a Promise (synchronous work only), after closing the scope', async () => {
    const log: string[] = [];
    const pending = Promise.resolve(1);
    expect(() =>
      reusingOperands(() => {
        onOperandReuseEnd(() => log.push('released'));
        return pending;
      }),
    ).toThrow(/reusingOperands: fn returned a Promise/);
    expect(log).toEqual(['released']);
    expect(isReusingOperands()).toBe(false);
    await pending;
  });

  it('onOperandReuseEnd outside a scope is an error', () => {
    expect(() => onOperandReuseEnd(() => undefined)).toThrow(/no operand-reuse scope is open/);
  });
});

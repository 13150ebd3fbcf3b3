// The comparison helper must fail when it should: a helper that always passes proves nothing.

import { describe, expect, it } from 'vitest';
import { assertClose, compare } from '../support/compare.js';

describe('compare', () => {
  const tol = { atol: 1e-6, rtol: 1e-4 };

  it('passes within atol + rtol·|expected| and reports the largest difference', () => {
    const r = compare([1.00005, 2, 0.0000005], [1, 2, 0], tol);
    expect(r.ok).toBe(true);
    expect(r.maxAt).toBe(0);
    expect(r.maxAbsDiff).toBeCloseTo(5e-5, 10);
  });

  it('fails on NaN (an unwritten output), on ∞, and just outside the tolerance', () => {
    expect(compare([NaN], [0], tol).ok).toBe(false);
    expect(compare([Infinity], [1e30], tol).ok).toBe(false);
    expect(compare([1.000102], [1], tol).ok).toBe(false);
    expect(compare([Infinity, NaN], [Infinity, NaN], tol).ok).toBe(true);
  });

  it('names the comparison and the first mismatches in its error', () => {
    expect(() => assertClose('layer 1', [0, 5, NaN], [0, 4, 1], tol)).toThrow(/layer 1: 2 of 3 .*\[1\] got 5, want 4; \[2\] got NaN, want 1/);
  });
});

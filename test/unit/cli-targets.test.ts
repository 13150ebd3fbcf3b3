// What the command line makes of a CSV's target (cli/targets.ts) and of a fit's pace
// (cli/pace.ts), without a GPU: integer targets with few repeating values become classes (every
// count of 2 … 20 distinct values, and the kinds that must stay values), the target's μ and σ,
// the convergence warning on histories still falling and flat, the time left not fooled by a
// slow first epoch. The fits themselves: test/node/real-data.test.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paceMeter } from '../../cli/pace.js';
import type { Target } from '../../cli/table.js';
import { MAX_INTEGER_CLASSES, convergenceWarning, integerClasses, standardised, targetScale } from '../../cli/targets.js';

const values = (v: number[]): Target => ({ kind: 'values', name: 'y', values: Float64Array.from(v) });

describe('integer targets', () => {
  it('2 … 20 distinct integers, each seen twice on average, are classes — said, with the flag that makes them a value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: MAX_INTEGER_CLASSES }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 40 }), (k, low, extra) => {
        const m = 2 * k + extra;
        const v = Array.from({ length: m }, (_, i) => low + (i % k));
        const { target, notice } = integerClasses(values(v), 'auto');
        expect(target.kind).toBe('labels');
        if (target.kind !== 'labels') return;
        expect(target.classes).toEqual(Array.from({ length: k }, (_, i) => low + i));
        expect(target.labels).toEqual(v);
        expect(notice).toContain(`${k} distinct values`);
        expect(notice).toContain('--output linear');
      }),
      { numRuns: 200, seed: 24 },
    );
  });

  it('stay values: more than 20 distinct or values that do not repeat (five houses, five prices) — said, with the flag that makes them classes —, a fraction anywhere, one value, or an output chosen by flag', () => {
    const said: number[][] = [Array.from({ length: 100 }, (_, i) => i % 21), [400, 330, 369, 232, 540]];
    for (const v of said) {
      const { target, notice } = integerClasses(values(v), 'auto');
      expect(target.kind, JSON.stringify(v)).toBe('values');
      expect(notice).toMatch(/holds integers with more than \d+ distinct values: fitting them as a value \(linear\); --output softmax makes them classes instead$/);
    }
    const cases: [number[], string][] = [
      [[1, 2, 3, 1, 2, 3, 1.5], 'auto'],
      [[7, 7, 7, 7], 'auto'],
      [[0, 1, 0, 1, 0, 1], 'linear'],
    ];
    for (const [v, output] of cases) {
      const { target, notice } = integerClasses(values(v), output);
      expect(target.kind, JSON.stringify(v)).toBe('values');
      expect(notice).toBeUndefined();
    }
    const labels: Target = { kind: 'labels', name: 'y', labels: ['a', 'b'], classes: ['a', 'b'] };
    expect(integerClasses(labels, 'auto').target).toBe(labels);
  });
});

describe('target scale', () => {
  it('μ and σ in float64: (y − μ)/σ has mean 0 and variance 1 — offsets of 1e6, values of 1e-162 included; a constant target keeps σ = 1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 50 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v, offset) => {
        const y = Float64Array.from(v, (x) => x + offset);
        const s = targetScale(y);
        const z = standardised(y, s);
        const mean = z.reduce((a, b) => a + b, 0) / z.length;
        expect(Math.abs(mean)).toBeLessThan(1e-6);
        const variance = z.reduce((a, b) => a + b * b, 0) / z.length;
        // σ is 1 where the spread is below float64's resolution at μ (a constant target): z is then y − μ.
        if (s.std === 1) z.forEach((zi, i) => expect(zi).toBe(y[i]! - s.mean));
        else expect(Math.abs(variance - 1)).toBeLessThan(1e-6);
      }),
      { numRuns: 200, seed: 25 },
    );
    expect(targetScale(Float64Array.from([5, 5, 5]))).toEqual({ mean: 5, std: 1 });
  });
});

describe('convergence warning', () => {
  const history = (costs: number[]) => costs.map((cost, epoch) => ({ epoch, cost, accuracy: null }));
  it('a cost still falling by more than 0.01 % per epoch over the last tenth is unconverged, naming --epochs and --alpha', () => {
    const falling = history(Array.from({ length: 1000 }, (_, e) => 1 / (1 + e / 100)));
    const w = convergenceWarning(falling, { epochs: 1000, alpha: 0.01 });
    expect(w).toMatch(/^warning: not converged/);
    expect(w).toContain('--epochs (now 1000)');
    expect(w).toContain('--alpha (now 0.01)');
  });

  it('flat, rising, noisy around a floor, stopped early, or not finite: no warning', () => {
    const cases = [
      Array.from({ length: 1000 }, (_, e) => 0.2 + 0.5 * Math.exp(-e / 50)),
      Array.from({ length: 100 }, (_, e) => 0.2 + e * 1e-3),
      Array.from({ length: 100 }, (_, e) => 0.2 + 1e-6 * Math.sin(e)),
      Array.from({ length: 100 }, () => Number.NaN),
    ];
    for (const c of cases) expect(convergenceWarning(history(c), { epochs: c.length, alpha: 0.01 })).toBeUndefined();
    expect(convergenceWarning(history([1, 0.5, 0.25]), { epochs: 1000, alpha: 0.01 })).toBeUndefined(); // stopped early
  });
});

describe('pace', () => {
  it('speed and time left from the first epoch’s end: a 10 s set-up does not make a 1 s epoch look like 11', () => {
    let t = 0;
    const pace = paceMeter(1000, 100, () => t);
    t = 11_000; // set-up + the first epoch
    expect(pace(1).secondsLeft).toBeCloseTo(11 * 99, 6); // nothing better to go by yet
    t = 12_000;
    expect(pace(2)).toEqual({ examplesPerSecond: 1000, secondsLeft: 98 });
    t = 21_000;
    expect(pace(11)).toEqual({ examplesPerSecond: 1000, secondsLeft: 89 });
  });
});

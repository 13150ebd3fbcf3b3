// The Model selection tab's reading of its curves (demo/selection.ts) says what the numbers do:
// for every direction J_train and J_cv can move with m, and either regime at the smallest λ.

import { describe, expect, it } from 'vitest';
import { reading } from '../../demo/selection.js';

const spread = (v: number) => ({ mean: v, std: 0 });
const curve = (a: number, b: number) => [a, (2 * a + b) / 3, (a + 2 * b) / 3, (a + 3 * b) / 4, b].map(spread);

describe('the Model selection reading', () => {
  for (const trainUp of [true, false]) {
    for (const cvUp of [true, false]) {
      it(`J_train ${trainUp ? 'rising' : 'falling'} and J_cv ${cvUp ? 'rising' : 'falling'} with m are said as they are`, () => {
        const text = reading({
          lambdas: { train: [0.05, 0.06, 0.1, 0.3, 0.8, 1.5].map(spread), validation: [0.4, 0.3, 0.25, 0.4, 0.9, 1.6].map(spread), best: 0.1 },
          sizes: { train: trainUp ? curve(0.05, 0.2) : curve(0.3, 0.1), validation: cvUp ? curve(0.3, 0.5) : curve(0.6, 0.25) },
        });
        expect(text).toContain(`J_train ${trainUp ? 'rises from 0.050 to 0.200' : 'falls from 0.300 to 0.100'}`);
        expect(text).toContain(`J_cv ${cvUp ? 'rises from 0.300 to 0.500' : 'falls from 0.600 to 0.250'}`);
        expect(text.includes('a smaller set also gets fewer steps')).toBe(!trainUp);
        expect(text).toContain('high variance');
        expect(text).toContain('high bias');
      });
    }
  }
  it('no variance is claimed where J_cv stays as close to J_train at the smallest λ as at the largest', () => {
    const text = reading({
      lambdas: { train: [0.3, 0.3, 0.35, 0.5, 0.9, 1.5].map(spread), validation: [0.32, 0.32, 0.37, 0.52, 0.93, 1.6].map(spread), best: 0.001 },
      sizes: { train: curve(0.3, 0.3), validation: curve(0.35, 0.32) },
    });
    expect(text).toContain('little variance at this size');
    expect(text).not.toContain('high variance');
  });
});

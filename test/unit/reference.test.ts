// The float64 references, checked on their own before they judge the GPU: known values,
// and σ's derivative against central finite differences of σ.

import { describe, expect, it } from 'vitest';
import { hostMatrix, matmulReference, transpose } from '../../src/reference/matmul.js';
import { erfc, sigmoid, sigmoidDerivativeFromActivation } from '../../src/reference/activations.js';
import { Random } from '../../src/random.js';
import { assertClose } from '../support/compare.js';

describe('sigmoid reference', () => {
  it('has the named values and never overflows', () => {
    expect([sigmoid(0), sigmoid(-1000), sigmoid(1000), sigmoid(-Number.MAX_VALUE)]).toEqual([0.5, 0, 1, 0]);
    expect(sigmoid(-745)).toBeGreaterThan(0); // e^−745 is the last double above zero
    expect(sigmoidDerivativeFromActivation(sigmoid(0))).toBe(0.25);
  });

  it("a(1 − a) matches central differences (σ(z + h) − σ(z − h)) / 2h", () => {
    const h = 1e-5;
    const z = new Random(3).floats(200, -30, 30);
    const analytic = z.map((v) => sigmoidDerivativeFromActivation(sigmoid(v)));
    const numeric = z.map((v) => (sigmoid(v + h) - sigmoid(v - h)) / (2 * h));
    assertClose("σ' vs finite differences", analytic, numeric, { atol: 1e-10, rtol: 1e-8 });
  });
});

describe('erfc reference (the exact GELU\'s Φ)', () => {
  it('agrees with the C library\'s erfc (glibc, through Python\'s math.erfc) to 1e−14 relative, tail and negative side included', () => {
    const libm: [number, number][] = [[0.01, 0.9887165844441503], [0.5, 0.4795001221869535], [1, 0.15729920705028513], [3, 2.2090496998585438e-5], [5, 1.5374597944280351e-12], [-1, 1.842700792949715]];
    for (const [x, want] of libm) expect(Math.abs(erfc(x) - want) / want, `erfc(${x})`).toBeLessThan(1e-14);
    expect(erfc(0)).toBe(1);
    expect([erfc(-Infinity), erfc(Infinity)]).toEqual([2, 0]);
  });

  it('is 1 − erf: its derivative is −2e^(−x²)/√π (central differences, both sides of 2.5 where the method changes)', () => {
    for (const x of [-3, -0.7, 0.2, 1.9, 2.49, 2.51, 4.2]) {
      const numeric = (erfc(x + 1e-6) - erfc(x - 1e-6)) / 2e-6;
      expect(Math.abs(numeric + (2 * Math.exp(-x * x)) / Math.sqrt(Math.PI)), `x = ${x}`).toBeLessThan(1e-8);
    }
  });
});

describe('matmul reference', () => {
  const a = hostMatrix(2, 2, [1, 2, 3, 4]);
  const b = hostMatrix(2, 2, [5, 6, 7, 8]);

  it('multiplies, transposes, scales, accumulates and adds the bias', () => {
    expect(Array.from(matmulReference(a, b).data)).toEqual([19, 22, 43, 50]);
    expect(Array.from(matmulReference(a, b, { transA: true }).data)).toEqual([26, 30, 38, 44]);
    expect(Array.from(matmulReference(a, b, { transB: true }).data)).toEqual([17, 23, 39, 53]);
    expect(Array.from(matmulReference(a, b, { alpha: 2, beta: 1, bias: [1, -1] }, a).data)).toEqual([40, 45, 90, 103]);
    expect(Array.from(transpose(hostMatrix(2, 3, [1, 2, 3, 4, 5, 6])).data)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('applies σ last', () => {
    expect(Array.from(matmulReference(a, b, { bias: [-19, -22], activation: 'sigmoid' }).data.slice(0, 2))).toEqual([0.5, 0.5]);
  });
});

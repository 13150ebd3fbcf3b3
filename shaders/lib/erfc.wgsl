// Library (no bindings, no entry point): the complementary error function erfc(x) = 1 − erf(x),
// to a few parts in 10⁷ relative for every x — also far in its tail, where 1 − erf(x) written as
// such would be 0.
//
//     erfc(|x|) = t·exp(−x² − 1.26551223 + t(1.00002368 + t(0.37409196 + … + t·0.17087277))),
//     t = 1/(1 + |x|/2);   erfc(x) = 2 − erfc(−x) for x < 0
//
// (the Chebyshev fit of Numerical Recipes, "erfcc", fractional error under 1.2e−7 everywhere;
// in f32 a few more ulps). exp() only sees a negative argument: no overflow for any finite x,
// and erfc(±∞) = 0 or 2. The exact GELU takes it: Φ(z) = ½·erfc(−z/√2).
fn erfc(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  let r = t * exp(p - z * z);
  return select(2.0 - r, r, x >= 0.0);
}

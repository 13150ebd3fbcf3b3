// Library (no bindings, no entry point): e^x − 1 for x ≤ 0, accurate to f32 near 0.
//
// e^x − 1 computed as written cancels near 0 (x = −1e−4 keeps three digits). So −0.5 ≤ x ≤ 0
// takes the Taylor series x + x²/2! + … + x¹⁰/10! (the next term is under 1e−9 of the sum
// there); below −0.5 the result is at most −0.39 and e^x − 1 keeps f32's precision. x ≤ 0
// keeps exp() in (0, 1]: the result lies in [−1, 0] and never overflows.
fn expm1_neg(x: f32) -> f32 {
  let t = min(x, 0.0);
  if (t < -0.5) {
    return exp(t) - 1.0;
  }
  return t * (1.0 + t * (1.0 / 2.0 + t * (1.0 / 6.0 + t * (1.0 / 24.0 + t * (1.0 / 120.0 + t * (1.0 / 720.0 + t * (1.0 / 5040.0 + t * (1.0 / 40320.0 + t * (1.0 / 362880.0 + t * (1.0 / 3628800.0))))))))));
}

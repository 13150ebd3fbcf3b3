// Library (no bindings, no entry point): the hyperbolic tangent, free of overflow.
//
//     tanh(z) = (1 − e⁻²ᶻ) / (1 + e⁻²ᶻ)
//
// Not WGSL's built-in tanh(): on SwiftShader it returns NaN once |z| is large (e²ᶻ overflows
// inside it). Here exp() only ever sees −2|z| ≤ 0, whose value lies in (0, 1], so tanh(±1000)
// = ±1 exactly and no finite z gives NaN or ∞. Near 0, 1 − e⁻²ᶻ would cancel and lose the
// relative precision of small z, so |z| < 0.125 takes the series z − z³/3 + 2z⁵/15 − 17z⁷/315
// (the next term, 62z⁹/2835, is below 2e−10 there: under f32's half ulp of the result).
fn stable_tanh(z: f32) -> f32 {
  let x = abs(z);
  if (x < 0.125) {
    let x2 = z * z;
    return z * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
  }
  let e = exp(-2.0 * x);
  let t = (1.0 - e) / (1.0 + e);
  return select(-t, t, z >= 0.0);
}

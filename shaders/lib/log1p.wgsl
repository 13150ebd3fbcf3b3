// Library (no bindings, no entry point): log(1 + x) for x ≥ 0, accurate to f32 for small x.
//
// log(1 + x) computed as written loses x's relative precision once 1 + x rounds (x = 1e−8 gives
// 0), and a GPU's log() is only held to an absolute error of 2⁻²¹ on [0.5, 2] (Vulkan's limits;
// SwiftShader's log(1 + 3e−7) is off by 8 %). So x ≤ 1 takes no log() at all:
//
//     log(1 + x) = 2·atanh(s) = 2s(1 + s²/3 + s⁴/5 + … + s¹⁴/15),   s = x / (2 + x) ≤ 1/3,
//
// whose next term is under 2.3e−9 of the sum; larger x, whose log is at least log 2, take log().
// Softplus and mish take it of exp_neg's values, in (0, 1].
fn log1p(x: f32) -> f32 {
  if (x > 1.0) {
    return log(1.0 + x);
  }
  let s = x / (2.0 + x);
  let s2 = s * s;
  let series = 1.0 + s2 * (1.0 / 3.0 + s2 * (1.0 / 5.0 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 * (1.0 / 11.0 + s2 * (1.0 / 13.0 + s2 * (1.0 / 15.0)))))));
  return 2.0 * s * series;
}

// Library (no bindings, no entry point): e^(−|x|), the only exponential the activations take.
//
// Its argument is never positive, so the result lies in (0, 1]: it cannot overflow for any
// finite x (WGSL leaves an overflowing exp() undefined, and SwiftShader returns NaN or ∞ there),
// and it underflows to 0 gracefully once |x| > 103.
fn exp_neg(x: f32) -> f32 {
  return exp(-abs(x));
}

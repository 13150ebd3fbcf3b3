// Activation (no bindings, no entry point): mish (Misra 2019), z·tanh(softplus(z)).
//
//     a = g(z) = z·tanh(sp),   sp = softplus(z) = max(z, 0) + log1p(e^(−|z|)) ≥ 0
//     g′(z) = tanh(sp) + z·sech²(sp)·σ(z), from z
//
// Links lib/softplus.wgsl (with lib/exp_neg.wgsl and lib/log1p.wgsl), lib/tanh.wgsl and
// lib/sigmoid.wgsl. sech²(sp) is
// taken as 4e/(1 + e)² with e = e^(−2·sp) ∈ (0, 1] — not 1 − tanh², which cancels as tanh → 1 —
// so nothing overflows or cancels for any finite z; the product is ordered so that a saturated
// factor makes it 0, never 0·∞.
fn activation(z: f32) -> f32 {
  return z * stable_tanh(softplus(z));
}

fn activation_gradient(z: f32) -> f32 {
  let sp = softplus(z);
  let e = exp_neg(2.0 * sp);
  let sech2 = 4.0 * e / ((1.0 + e) * (1.0 + e));
  return stable_tanh(sp) + (z * sech2) * sigmoid(z);
}

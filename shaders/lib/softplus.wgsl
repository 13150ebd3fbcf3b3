// Library (no bindings, no entry point): softplus(z) = log(1 + eᶻ), free of overflow.
//
//     log(1 + eᶻ) = max(z, 0) + log1p(e^(−|z|))
//
// never takes exp() of a positive number, so softplus(1000) = 1000 and softplus(−1000) = 0 with
// no overflow, and keeps f32's relative precision for negative z through log1p. Links (the
// registry puts them in front) lib/exp_neg.wgsl and lib/log1p.wgsl. The softplus and mish
// activations take it.
fn softplus(z: f32) -> f32 {
  return max(z, 0.0) + log1p(exp_neg(z));
}

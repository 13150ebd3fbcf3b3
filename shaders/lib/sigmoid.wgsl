// Library (no bindings, no entry point): the logistic function σ(z) = 1 / (1 + e⁻ᶻ).
//
// Linked in front of every kernel that applies σ (matmul's epilogue, sigmoid.wgsl), so the
// forward pass and the standalone kernel round the same way.
//
// Why two branches: for z < 0, e⁻ᶻ overflows f32 once z < −88.7, and WGSL leaves the result
// of an overflowing exp() undefined. Each branch only ever calls exp() of a non-positive
// number, which lies in (0, 1], so σ(−1000) = 0, σ(1000) = 1 and σ(0) = 0.5 exactly, and
// no finite z gives NaN or ∞.
fn sigmoid(z: f32) -> f32 {
  if (z >= 0.0) {
    return 1.0 / (1.0 + exp(-z));
  }
  let e = exp(z);
  return e / (1.0 + e);
}

// Activation (no bindings, no entry point): the logistic unit, the lecture's g.
//
//     a = g(z) = σ(z) = 1 / (1 + e⁻ᶻ)        g′(z) = a ⊙ (1 − a), from the saved activation
//
// Links lib/sigmoid.wgsl (the registry, src/activations.ts, puts it in front), whose two
// branches keep σ free of overflow for every finite z. Saturated units give g′ = 0 exactly.
fn activation(z: f32) -> f32 {
  return sigmoid(z);
}

fn activation_gradient(a: f32) -> f32 {
  return a * (1.0 - a);
}

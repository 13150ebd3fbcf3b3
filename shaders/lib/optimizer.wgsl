// Library (bindings declared by the kernel that links it): one optimiser step of one parameter,
// shared by optimizer_update.wgsl (one model's Θ) and optimizer_update_stacked.wgsl (many models'
// Θ stacked, each with its own α, λ and state): the same function, so a model trained in a group
// moves bit for bit as it does alone. The kernel declares theta, grad, decay and moments.
//
//     gⱼ = ∂J/∂θⱼ = gradⱼ + (λ/m) · decayⱼ · θⱼ
//
//   METHOD_SGD, gradient descent:  θⱼ := θⱼ − α gⱼ
//   METHOD_MOMENTUM:               vⱼ := β₁ vⱼ + gⱼ;  θⱼ := θⱼ − α vⱼ
//   METHOD_ADAM:                   mⱼ := β₁ mⱼ + (1 − β₁) gⱼ;  vⱼ := β₂ vⱼ + (1 − β₂) gⱼ²
//                                  θⱼ := θⱼ − α m̂ⱼ / (√v̂ⱼ + ε),  m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)
//   METHOD_GRADIENT, gradient only: gradⱼ := gⱼ (θ untouched: for inspecting the gradient)

// A model's optimiser settings.
struct Hyper {
  lambda_over_m: f32, // λ/m
  beta1: f32,         // β₁: momentum, or Adam's first-moment decay
  beta2: f32,         // β₂: Adam's second-moment decay
  epsilon: f32,       // Adam's ε
}

const METHOD_SGD: u32 = 0u;
const METHOD_MOMENTUM: u32 = 1u;
const METHOD_ADAM: u32 = 2u;
const METHOD_GRADIENT: u32 = 3u;
override METHOD: u32 = METHOD_SGD; // one of the four above (src/kernels/optimizer_update.ts reads them)

// The step of parameter j of a model, stored at `at` in theta, grad and moments (Adam's v at
// second + at); α = rate, t the optimiser's step; nothing moves once training has stopped.
fn update(j: u32, at: u32, second: u32, h: Hyper, rate: f32, t: u32, stopped: bool) {
  let g = grad[at] + h.lambda_over_m * decay[j] * theta[at];
  if (METHOD == METHOD_GRADIENT) {
    grad[at] = g;
    return;
  }
  if (stopped) {
    return;
  }
  if (METHOD == METHOD_SGD) {
    theta[at] -= rate * g;
  } else if (METHOD == METHOD_MOMENTUM) {
    let v = h.beta1 * moments[at] + g;
    moments[at] = v;
    theta[at] -= rate * v;
  } else {
    let m = h.beta1 * moments[at] + (1.0 - h.beta1) * g;
    let v = h.beta2 * moments[second + at] + (1.0 - h.beta2) * g * g;
    moments[at] = m;
    moments[second + at] = v;
    let tf = f32(t);
    let m_hat = m / (1.0 - pow(h.beta1, tf));
    let v_hat = v / (1.0 - pow(h.beta2, tf));
    theta[at] -= rate * m_hat / (sqrt(v_hat) + h.epsilon);
  }
}

// Library (no bindings, no entry point): a fixed-order sum over one workgroup of
// REDUCE_SIZE invocations, four sums at once (a vec4f), so a kernel that needs several totals
// pays for one tree. The tree always pairs the same elements, so the result is bit-identical
// run after run: training is deterministic without floating-point atomics. 64 invocations
// (a power of two), or what the pipeline sets: every barrier is expensive on a software adapter,
// where the epoch end takes 4 (src/kernels/epoch_end.ts) — its fixed cost, paid twice an epoch by
// every fit, fell from 110 to 40 µs there (m = 96; 300 → 220 µs at m = 5,000).

override REDUCE_SIZE: u32 = 64u;

var<workgroup> reduce_scratch: array<vec4f, REDUCE_SIZE>;

// Every invocation of the workgroup calls this with its partial sums; all get the totals.
fn workgroup_sum(lid: u32, value: vec4f) -> vec4f {
  reduce_scratch[lid] = value;
  workgroupBarrier();
  for (var width = REDUCE_SIZE / 2u; width > 0u; width /= 2u) {
    if (lid < width) {
      reduce_scratch[lid] += reduce_scratch[lid + width];
    }
    workgroupBarrier();
  }
  let total = reduce_scratch[0];
  workgroupBarrier();
  return total;
}

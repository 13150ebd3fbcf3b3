// Library (no bindings, no entry point): a fixed-order sum over one workgroup of
// REDUCE_SIZE invocations. The tree always pairs the same elements, so the result is
// bit-identical run after run: training is deterministic without floating-point atomics.

const REDUCE_SIZE: u32 = 256u;

var<workgroup> reduce_scratch: array<f32, REDUCE_SIZE>;

// Every invocation of the workgroup calls this with its partial sum; all get the total.
fn workgroup_sum(lid: u32, value: f32) -> f32 {
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

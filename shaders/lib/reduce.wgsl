// Library (no bindings, no entry point): a fixed-order sum over one workgroup of
// REDUCE_SIZE invocations, four sums at once (a vec4f), so a kernel that needs several totals
// pays for one tree. The tree always pairs the same elements, so the result is bit-identical
// run after run: training is deterministic without floating-point atomics. 64 invocations:
// every barrier is expensive on a software adapter, and these kernels run once per epoch.

const REDUCE_SIZE: u32 = 64u;

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

// Library (no bindings, no entry point): what every elementwise kernel shares — its uniform
// struct, its workgroup size, and the flat index of an invocation in a grid that may be folded
// into x and y when one dimension cannot hold ceil(count / WORKGROUP_SIZE) workgroups.

struct ElementwiseParams {
  count: u32,     // number of elements
  in_offset: u32, // element offset of the input's first element in its buffer
  out_offset: u32,// element offset of the output's first element in its buffer
}

override WORKGROUP_SIZE: u32 = 256;

// The element this invocation handles; may be ≥ count in the last workgroups.
fn flat_index(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WORKGROUP_SIZE;
}

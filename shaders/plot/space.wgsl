// Shared by the plot shaders: where a plot sits on its target, and pixel ↔ clip space.
// Pixels count from the target's top-left corner; clip space has y up.

// f32 finiteness from the bits: shader compilers may fold x != x and x == inf away.
fn plot_finite(v: f32) -> bool {
  return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u;
}

// A point in target pixels to clip space, for a target of `size` pixels.
fn pixel_to_clip(p: vec2f, size: vec2f) -> vec4f {
  return vec4f(2.0 * p.x / size.x - 1.0, 1.0 - 2.0 * p.y / size.y, 0.0, 1.0);
}

// Corner `i` (0…5, two triangles) of the unit square, for quads drawn without vertex buffers.
fn quad_corner(i: u32) -> vec2f {
  let corners = array<vec2f, 6>(vec2f(0.0, 0.0), vec2f(1.0, 0.0), vec2f(0.0, 1.0), vec2f(0.0, 1.0), vec2f(1.0, 0.0), vec2f(1.0, 1.0));
  return corners[i];
}

// Somewhere every primitive is clipped away: how a vertex shader drops a segment or a tile.
const PLOT_OFFSCREEN = vec4f(0.0, 0.0, 2.0, 1.0);

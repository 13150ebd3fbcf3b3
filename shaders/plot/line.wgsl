// A line series straight from a GPU buffer: point i is (x₀ + i·dx, values[offset + i·stride]),
// e.g. a cost history J per epoch as the trainer writes it, drawn with no readback. Vertices
// 6i … 6i + 5 are segment i, from point i to point i + 1, a quad `width` pixels thick (one
// instance, not one per segment: software rasterisers pay per instance); a segment
// with a non-finite end (an epoch not run yet: NaN) is dropped. The data ranges map onto the
// plot's rectangle; the caller's scissor keeps the line inside it. Links space.wgsl.
//
// | group | binding | name   | access  | shape                              |
// |-------|---------|--------|---------|------------------------------------|
// | 0     | 0       | values | read    | offset + (count − 1)·stride + 1    |
// | 0     | 1       | params | uniform | LineParams                         |
//
// Draw: 6·max(count − 1, 1) vertices, 1 instance (a single point is a square dot).

struct LineParams {
  rect_x: f32,       // plot rectangle on the target, in pixels from the top-left corner
  rect_y: f32,
  rect_width: f32,
  rect_height: f32,
  target_width: f32, // the target, in pixels
  target_height: f32,
  x_min: f32,        // data range shown across the rectangle
  x_max: f32,
  y_min: f32,
  y_max: f32,
  x0: f32,           // x of point 0 and the step between points
  dx: f32,
  width: f32,        // line width, pixels
  red: f32,          // colour, straight (not premultiplied) alpha
  green: f32,
  blue: f32,
  alpha: f32,
  offset: u32,       // element of point 0 in `values`
  stride: u32,       // elements between points
  count: u32,        // points
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<uniform> params: LineParams;

fn value_at(i: u32) -> f32 {
  return values[params.offset + i * params.stride];
}

// Point i in target pixels.
fn point_at(i: u32, v: f32) -> vec2f {
  let x = params.x0 + f32(i) * params.dx;
  let u = (x - params.x_min) / (params.x_max - params.x_min);
  let w = (v - params.y_min) / (params.y_max - params.y_min);
  return vec2f(params.rect_x + u * params.rect_width, params.rect_y + (1.0 - w) * params.rect_height);
}

@vertex
fn vertex_main(@builtin(vertex_index) vertex: u32) -> @builtin(position) vec4f {
  let segment = vertex / 6u;
  let corner = vertex % 6u;
  let last = params.count - 1u;
  let i = min(segment, last);
  let j = min(segment + 1u, last);
  let va = value_at(i);
  let vb = value_at(j);
  if (!plot_finite(va) || !plot_finite(vb)) {
    return PLOT_OFFSCREEN;
  }
  let a = point_at(i, va);
  let b = point_at(j, vb);
  let along = b - a;
  let length_ = length(along);
  let dir = select(vec2f(1.0, 0.0), along / length_, length_ > 1e-6);
  let half_width = 0.5 * params.width;
  let normal = vec2f(-dir.y, dir.x) * half_width;
  // The quad runs half a width past each end, so consecutive segments join without gaps.
  let q = quad_corner(corner);
  let p = mix(a - dir * half_width, b + dir * half_width, q.x) + normal * (2.0 * q.y - 1.0);
  return pixel_to_clip(p, vec2f(params.target_width, params.target_height));
}

@fragment
fn fragment_main() -> @location(0) vec4f {
  return vec4f(params.red, params.green, params.blue, params.alpha);
}

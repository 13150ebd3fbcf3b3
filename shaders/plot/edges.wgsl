// A weight matrix drawn as the edges of a network diagram, straight from the buffer training
// updates: edge (i, j) runs from the unit of column j (a unit of layer l) to the unit of row i
// (layer l + 1), its thickness growing with |w| = |values[offset + i·stride + j]| up to
// `width` pixels at |w| ≥ `scale`, its colour the palette's for w's sign and more opaque the
// larger |w|. A non-finite weight draws nothing. Vertices 6e … 6e + 5 are edge e = i·cols + j,
// a quad (one instance: software rasterisers pay per instance). Links space.wgsl.
//
// | group | binding | name      | access  | shape                                     |
// |-------|---------|-----------|---------|-------------------------------------------|
// | 0     | 0       | values    | read    | offset + (rows − 1)·stride + cols         |
// | 0     | 1       | positions | read    | cols + rows vec2f: the from units, then the to units, in pixels from the rectangle's corner |
// | 0     | 2       | params    | uniform | EdgeParams                                |
//
// Draw: 6·rows·cols vertices, 1 instance.

struct EdgeParams {
  rect_x: f32,       // plot rectangle on the target, in pixels from the top-left corner
  rect_y: f32,
  rect_width: f32,
  rect_height: f32,
  target_width: f32, // the target, in pixels
  target_height: f32,
  scale: f32,        // |w| at which an edge is widest and opaque
  width: f32,        // the widest edge, pixels
  min_width: f32,    // the thinnest (w = 0), pixels
  negative_red: f32, // colour of w < 0
  negative_green: f32,
  negative_blue: f32,
  positive_red: f32, // colour of w ≥ 0
  positive_green: f32,
  positive_blue: f32,
  offset: u32,       // element of w(0, 0) in `values`
  stride: u32,       // elements between rows
  rows: u32,         // units the edges go to
  cols: u32,         // units the edges come from
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> positions: array<vec2f>;
@group(0) @binding(2) var<uniform> params: EdgeParams;

struct EdgeVertex {
  @builtin(position) position: vec4f,
  @location(0) color: vec4f,
}

@vertex
fn vertex_main(@builtin(vertex_index) vertex: u32) -> EdgeVertex {
  var out: EdgeVertex;
  let e = vertex / 6u;
  let i = e / params.cols;
  let j = e % params.cols;
  let w = values[params.offset + i * params.stride + j];
  out.color = vec4f(0.0);
  if (!plot_finite(w)) {
    out.position = PLOT_OFFSCREEN;
    return out;
  }
  let corner = vec2f(params.rect_x, params.rect_y);
  let a = corner + positions[j];
  let b = corner + positions[params.cols + i];
  let strength = min(abs(w) / params.scale, 1.0);
  let along = b - a;
  let length_ = length(along);
  let dir = select(vec2f(1.0, 0.0), along / length_, length_ > 1e-6);
  let half_width = 0.5 * mix(params.min_width, params.width, strength);
  let q = quad_corner(vertex % 6u);
  let p = mix(a, b, q.x) + vec2f(-dir.y, dir.x) * half_width * (2.0 * q.y - 1.0);
  out.position = pixel_to_clip(p, vec2f(params.target_width, params.target_height));
  let negative = vec3f(params.negative_red, params.negative_green, params.negative_blue);
  let positive = vec3f(params.positive_red, params.positive_green, params.positive_blue);
  out.color = vec4f(select(positive, negative, w < 0.0), 0.25 + 0.75 * strength);
  return out;
}

@fragment
fn fragment_main(@location(0) color: vec4f) -> @location(0) vec4f {
  return color;
}

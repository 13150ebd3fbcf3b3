// A heat map straight from a GPU buffer: a rows × cols matrix (rows down, cols across) drawn
// as cells over the plot's rectangle, e.g. a probability grid over the input plane that a
// model's predictions wrote. Each cell holds `classes` values, c = 0 … classes − 1, at
// values[offset + row·stride + col·classes + c]:
//   classes = 1: t = (v − low)/(high − low), clamped, colours along a ramp of `stops` ≥ 2
//                evenly spaced colours, palette[0] (t = 0) … palette[stops − 1] (t = 1);
//   classes = K: Σ_c v_c · palette[c] / Σ_c v_c — class probabilities as a blend of the
//                classes' colours (decision regions).
// Row 0 is drawn at the top unless FLIP_Y (then row 0 is at the bottom, like a y axis).
// Links space.wgsl.
//
// | group | binding | name    | access  | shape                                   |
// |-------|---------|---------|---------|-----------------------------------------|
// | 0     | 0       | values  | read    | offset + (rows − 1)·stride + cols·classes |
// | 0     | 1       | palette | read    | max(classes, stops) colours, rgba        |
// | 0     | 2       | params  | uniform | HeatmapParams                           |
//
// Draw: 6 vertices, 1 instance.

struct HeatmapParams {
  rect_x: f32,
  rect_y: f32,
  rect_width: f32,
  rect_height: f32,
  target_width: f32,
  target_height: f32,
  low: f32,          // value drawn as palette[0] (classes = 1)
  high: f32,         // value drawn as palette[1]
  rows: u32,
  cols: u32,
  classes: u32,
  offset: u32,
  stride: u32,       // elements between rows
  flip_y: u32,       // 1: row 0 at the bottom
  stops: u32,        // colours of a scalar map's ramp (classes = 1): palette[0] at low … palette[stops − 1] at high, evenly spaced
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> palette: array<vec4f>;
@group(0) @binding(2) var<uniform> params: HeatmapParams;

struct Varying {
  @builtin(position) position: vec4f,
  @location(0) uv: vec2f,  // 0…1 across and down the rectangle
}

@vertex
fn vertex_main(@builtin(vertex_index) corner: u32) -> Varying {
  let q = quad_corner(corner);
  let p = vec2f(params.rect_x, params.rect_y) + q * vec2f(params.rect_width, params.rect_height);
  return Varying(pixel_to_clip(p, vec2f(params.target_width, params.target_height)), q);
}

@fragment
fn fragment_main(in: Varying) -> @location(0) vec4f {
  let col = min(u32(in.uv.x * f32(params.cols)), params.cols - 1u);
  var row = min(u32(in.uv.y * f32(params.rows)), params.rows - 1u);
  if (params.flip_y == 1u) {
    row = params.rows - 1u - row;
  }
  let base = params.offset + row * params.stride + col * params.classes;
  if (params.classes == 1u) {
    let v = values[base];
    if (!plot_finite(v)) {
      return vec4f(0.0);
    }
    let span = params.high - params.low;
    let t = select(0.5, clamp((v - params.low) / span, 0.0, 1.0), span != 0.0);
    let k = t * f32(params.stops - 1u);
    let i = min(u32(k), params.stops - 2u);
    return mix(palette[i], palette[i + 1u], k - f32(i));
  }
  var sum = 0.0;
  var colour = vec4f(0.0);
  for (var c = 0u; c < params.classes; c++) {
    let p = max(values[base + c], 0.0);
    sum += p;
    colour += p * palette[c];
  }
  return select(vec4f(0.0), colour / sum, sum > 0.0);
}

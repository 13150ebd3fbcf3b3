// An image grid straight from a GPU buffer: `tiles` rows of a matrix, each a side × side image
// in row-major order at values[offset + t·stride …], laid out `columns` to a row with `gap`
// pixels between tiles. For the lecture's picture of hidden units, the rows are Θ⁽¹⁾ less its
// bias column (offset 1, stride s₁ + 1): each tile is one unit's 400 input weights. Grey levels
// run from black at `low` to white at `high`, or from each tile's own minimum to
// its maximum with per_tile = 1 (the vertex shader finds them: side² reads per vertex, cheap
// for 20 × 20 tiles).
// Links space.wgsl.
//
// | group | binding | name   | access  | shape                       |
// |-------|---------|--------|---------|-----------------------------|
// | 0     | 0       | values | read    | offset + (tiles − 1)·stride + side² |
// | 0     | 1       | params | uniform | GridParams                  |
//
// Draw: 6·tiles vertices (vertices 6t … 6t + 5 are tile t), 1 instance.

struct GridParams {
  rect_x: f32,
  rect_y: f32,
  rect_width: f32,
  rect_height: f32,
  target_width: f32,
  target_height: f32,
  low: f32,          // grey range when per_tile = 0
  high: f32,
  gap: f32,          // pixels between tiles
  tiles: u32,
  side: u32,         // each tile is side × side values
  columns: u32,      // tiles per row of the grid
  offset: u32,
  stride: u32,       // elements between tiles
  per_tile: u32,     // 1: scale each tile to its own [min, max]
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<uniform> params: GridParams;

struct Varying {
  @builtin(position) position: vec4f,
  @location(0) uv: vec2f,
  @location(1) @interpolate(flat) tile: u32,
  @location(2) @interpolate(flat) range: vec2f,
}

@vertex
fn vertex_main(@builtin(vertex_index) vertex: u32) -> Varying {
  let tile = vertex / 6u;
  let corner = vertex % 6u;
  let rows = (params.tiles + params.columns - 1u) / params.columns;
  let size = min(
    (params.rect_width - params.gap * f32(params.columns - 1u)) / f32(params.columns),
    (params.rect_height - params.gap * f32(rows - 1u)) / f32(rows),
  );
  let cell = vec2f(f32(tile % params.columns), f32(tile / params.columns));
  let q = quad_corner(corner);
  let p = vec2f(params.rect_x, params.rect_y) + cell * (size + params.gap) + q * size;
  var range = vec2f(params.low, params.high);
  if (params.per_tile == 1u) {
    let base = params.offset + tile * params.stride;
    range = vec2f(values[base], values[base]);
    for (var i = 1u; i < params.side * params.side; i++) {
      let v = values[base + i];
      range = vec2f(min(range.x, v), max(range.y, v));
    }
  }
  return Varying(pixel_to_clip(p, vec2f(params.target_width, params.target_height)), q, tile, range);
}

@fragment
fn fragment_main(in: Varying) -> @location(0) vec4f {
  let side = params.side;
  let c = min(u32(in.uv.x * f32(side)), side - 1u);
  let r = min(u32(in.uv.y * f32(side)), side - 1u);
  let v = values[params.offset + in.tile * params.stride + r * side + c];
  let span = in.range.y - in.range.x;
  let t = select(0.5, clamp((v - in.range.x) / span, 0.0, 1.0), span != 0.0);
  return vec4f(t, t, t, 1.0);
}

// An image (a texture copied into a buffer: a canvas, a video frame) as the digit classifier's
// 20×20 input, prepared as src/data/downsample.mjs prepares the training data (its float64
// reference):
//
//     ink(x, y) = L or 1 − L (INK dark),  L = 0.299 R + 0.587 G + 0.114 B
//     PASS 0 (bounds):   the bounding box of the pixels with ink > threshold
//     PASS 1 (resample): that box scaled to fit 20 × 20 keeping its aspect ratio, centred;
//                        each output pixel the area-weighted mean of the ink under it,
//                        rounded to 1/255 as the data file stores pixels
//
// `pixels` holds the region's texels as RGBA8 (or BGRA8) words, rows `row_words` apart. A blank
// region (no ink) gives 400 zeros. Overwrites box (PASS 0) and out[offset … offset + 399]
// (PASS 1).
//
// | group | binding | name   | access     | shape                      |
// |-------|---------|--------|------------|----------------------------|
// | 0     | 0       | pixels | read       | height × row_words (u32)   |
// | 0     | 1       | box    | read_write | 4: top, bottom, left, right |
// | 0     | 2       | out    | read_write | offset + 400               |
// | 0     | 3       | params | uniform    | DigitParams                |
//
// Dispatch: PASS 0, (1, 1, 1): one workgroup of 256 scanning rows, then a fixed-order
// min/max tree; PASS 1, (2, 1, 1): one invocation per output pixel.

struct DigitParams {
  width: u32,      // the region, in pixels
  height: u32,
  row_words: u32,  // u32 words between rows of `pixels`
  bgra: u32,       // 1: texels are B, G, R, A
  dark_ink: u32,   // 1: ink is dark on a light background
  threshold: f32,  // ink above this counts for the bounding box (0: any ink, as the data)
  offset: u32,     // where out[0] of this digit goes
}

override PASS: u32 = 0u;

const SIDE: u32 = 20u;
const BOUNDS_SIZE: u32 = 256u;

@group(0) @binding(0) var<storage, read> pixels: array<u32>;
@group(0) @binding(1) var<storage, read_write> box: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> params: DigitParams;

fn ink(x: u32, y: u32) -> f32 {
  var c = unpack4x8unorm(pixels[y * params.row_words + x]);
  if (params.bgra == 1u) {
    c = c.bgra;
  }
  let l = 0.299 * c.r + 0.587 * c.g + 0.114 * c.b;
  return select(l, 1.0 - l, params.dark_ink == 1u);
}

var<workgroup> extent: array<vec4i, BOUNDS_SIZE>; // top, bottom, left, right

fn bounds(lid: u32) {
  var e = vec4i(i32(params.height), -1, i32(params.width), -1);
  for (var y = lid; y < params.height; y += BOUNDS_SIZE) {
    for (var x = 0u; x < params.width; x++) {
      if (ink(x, y) > params.threshold) {
        e = vec4i(min(e.x, i32(y)), max(e.y, i32(y)), min(e.z, i32(x)), max(e.w, i32(x)));
      }
    }
  }
  extent[lid] = e;
  workgroupBarrier();
  for (var half = BOUNDS_SIZE / 2u; half > 0u; half /= 2u) {
    if (lid < half) {
      let o = extent[lid + half];
      let s = extent[lid];
      extent[lid] = vec4i(min(s.x, o.x), max(s.y, o.y), min(s.z, o.z), max(s.w, o.w));
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let b = extent[0];
    box[0] = b.x;
    box[1] = b.y;
    box[2] = b.z;
    box[3] = b.w;
  }
}

fn resample(p: u32) {
  if (p >= SIDE * SIDE) {
    return;
  }
  let R = f32(p / SIDE);
  let C = f32(p % SIDE);
  let top = box[0];
  let bottom = box[1];
  if (bottom < 0) {
    out[params.offset + p] = 0.0; // blank
    return;
  }
  let left = box[2];
  let h = f32(bottom - top + 1);
  let w = f32(box[3] - left + 1);
  let scale = f32(SIDE) / max(h, w); // output pixels per source pixel
  let off_r = (f32(SIDE) - h * scale) / 2.0;
  let off_c = (f32(SIDE) - w * scale) / 2.0;
  // Output pixel (R, C) covers source rows [top + (R − off_r)/scale, top + (R + 1 − off_r)/scale).
  let r0 = max(0.0, (R - off_r) / scale);
  let r1 = min(h, (R + 1.0 - off_r) / scale);
  let c0 = max(0.0, (C - off_c) / scale);
  let c1 = min(w, (C + 1.0 - off_c) / scale);
  var sum = 0.0;
  if (r1 > r0 && c1 > c0) {
    for (var r = floor(r0); r < ceil(r1); r += 1.0) {
      let dr = min(r + 1.0, r1) - max(r, r0);
      for (var c = floor(c0); c < ceil(c1); c += 1.0) {
        let dc = min(c + 1.0, c1) - max(c, c0);
        sum += dr * dc * ink(u32(left) + u32(c), u32(top) + u32(r));
      }
    }
  }
  // Divided by the whole output pixel's area in source units, then stored as the data are: k/255.
  out[params.offset + p] = round(clamp(sum * scale * scale, 0.0, 1.0) * 255.0) / 255.0;
}

@compute @workgroup_size(BOUNDS_SIZE)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(global_invocation_id) gid: vec3u) {
  if (PASS == 0u) {
    bounds(lid);
  } else {
    resample(gid.x);
  }
}

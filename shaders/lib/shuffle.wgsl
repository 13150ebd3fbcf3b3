// Library (no bindings, no entry point): the seeded shuffle of an epoch, computed per index on
// the GPU so no permutation is ever uploaded. src/train/shuffle.ts is the same function in
// TypeScript (the tests check they agree, and that it is a permutation).
//
// shuffled_index(i, m, seed, e) is a bijection of 0..m−1 for each (seed, epoch): a four-round
// Feistel network over the smallest even number of bits b with 2^b ≥ m (a bijection of
// 0..2^b−1), walked again while the result is ≥ m ("cycle walking": it returns into 0..m−1 in
// fewer than four rounds on average because 2^b < 4m). Needs m ≤ 2^30.

// A 32-bit integer hash with good avalanche (Chris Wellons' lowbias32).
fn hash32(v: u32) -> u32 {
  var h = v;
  h ^= h >> 16u;
  h *= 0x7feb352du;
  h ^= h >> 15u;
  h *= 0x846ca68bu;
  h ^= h >> 16u;
  return h;
}

fn shuffled_index(i: u32, m: u32, seed: u32, epoch: u32) -> u32 {
  var bits = 2u;
  while ((1u << bits) < m) {
    bits += 2u;
  }
  let half = bits / 2u;
  let mask = (1u << half) - 1u;
  let key = hash32(seed ^ hash32(epoch * 0x9e3779b9u + 0x632be5abu));
  var x = i;
  loop {
    var left = x >> half;
    var right = x & mask;
    for (var round = 0u; round < 4u; round++) {
      let f = hash32(right ^ hash32(key + round)) & mask;
      let next = left ^ f;
      left = right;
      right = next;
    }
    x = (left << half) | right;
    if (x < m) {
      break;
    }
  }
  return x;
}

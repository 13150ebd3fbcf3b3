#!/bin/sh
# The benchmark on a bare GPU machine, in one go: unpacks what scripts/bench-gpu-pack.mjs put in
# dist/bench-gpu (Node, the Dawn addon, the benchmark as one module), runs a correctness pass
# through the public API first (bench/check.ts: matmul against float64 with every tiling, a
# gradient check, a fit that must learn, bit-identical reruns — a failure stops the run), then
# the suites that matter on a GPU — fixed costs, the FMA peak, matmul and training against
# tfjs-webgpu, the growth curve, K models trained together (selection) — writes the JSON and prints the tables. Needs only sh, gzip and
# the GPU's driver; about 5 minutes with --quick.
#
#   npm run build:bench-gpu           (here, once: packs dist/bench-gpu, about 45 MiB)
#   sh bench/gpu.sh [out.json] [more bench options, e.g. --quick]
#
# With the project's device tool: carry dist/bench-gpu and run `sh bench/gpu.sh $OUT/gpu.json`.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
pack="$here/dist/bench-gpu"
out=${1:-"$here/bench-results/gpu.json"}
[ $# -gt 0 ] && shift
if [ ! -f "$pack/bench.mjs" ]; then
  echo "gpu.sh: $pack is missing: run 'npm run build:bench-gpu' first" >&2
  exit 2
fi
# Unpacked into a scratch folder: the carried one may be read-only.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$pack/." "$work/"
gzip -d "$work/node.gz" "$work/node_modules/webgpu/dist/linux-x64/dawn.node.gz"
chmod +x "$work/node"
# The driver's own Vulkan loader when the machine has one; else the one packed.
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' && [ -d "$work/lib" ]; then
  export LD_LIBRARY_PATH="$work/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
mkdir -p "$(dirname "$out")"
cd "$work"
start=$(date +%s)
# tfjs-cpu is left out (--skip-cpu): single-threaded JavaScript takes minutes on the large
# squares, and on a GPU the baseline that matters is tfjs-webgpu on the same adapter.
./node bench.mjs --only check,fixed,peak,matmul,network,growth,selection --skip-cpu --json "$out" "$@"
echo "gpu.sh: done in $(( $(date +%s) - start )) s; JSON in $out"

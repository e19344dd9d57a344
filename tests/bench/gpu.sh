#!/bin/bash
# The GPU check, in one call on the lent GPU machine: build against its CUDA
# LibTorch, run the test suite, check CUDA against CPU, and benchmark the
# pipeline against the Python peer in the same run, on the same card.
#
# On the developer machine first (once; the kit is ignored by git):
#   ../shared/gpu/fetch-kit
#   (cd .gpu-kit/debs && apt-get download nlohmann-json3-dev)
# then one device call:
#   run(command="bash tests/bench/gpu.sh", carry=[".gpu-kit"], timeout_s=540)
# Logs go to $OUT; the table is printed last.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/gpu-out}
mkdir -p "$OUT"
B=/tmp/gst-vgg-build
FRAMES=${FRAMES:-600}
source .gpu-kit/device-env.sh > "$OUT/kit.log" 2>&1 || { cat "$OUT/kit.log"; exit 1; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$OUT/gpu.txt"

echo "== build"
meson setup "$B" -Dlibtorch="$TORCH_DIR" -Dtorch_python="$(command -v python3)" \
    -Dexamples=disabled > "$OUT/setup.log" 2>&1 &&
  ninja -C "$B" > "$OUT/build.log" 2>&1 ||
  { tail -40 "$OUT/setup.log" "$OUT/build.log"; exit 1; }
grep -E "CUDA" "$OUT/setup.log"

echo "== tests"
meson test -C "$B" --print-errorlogs > "$OUT/tests.log" 2>&1
grep -E "^ *[0-9]+/[0-9]+ " "$OUT/tests.log"

echo "== CUDA vs CPU (fp32)"
python3 models/export-vgg16 --random -o /tmp/vgg16.pt > "$OUT/export.log" 2>&1 ||
  { cat "$OUT/export.log"; exit 1; }
for args in "$B/tests/tiny-vgg.pt" "/tmp/vgg16.pt 1920 1080"; do
  # shellcheck disable=SC2086 # model and frame size
  "$B/tests/engine/cuda-parity" $args
  # 77 (skipped) on a GPU machine means the build lost CUDA: stop here.
  [ $? -ne 77 ] || { echo "CUDA is not available to the built engine"; exit 1; }
done

echo "== benchmark: 1920x1080 BGRx, vggtiler 2x2 + frame, VGG16 (random), $FRAMES frames"
export GST_PLUGIN_PATH="$B/gst/vgg"
rows=()
for gradcam in false true; do
  for precision in fp32 bf16; do
    for frames in 1 8; do
      result=$("$B/tests/bench/pipeline-bench" "$FRAMES" \
        "appsrc name=src caps=video/x-raw,format=BGRx,width=1920,height=1080,framerate=30/1 \
         ! vggtiler rows=2 columns=2 \
         ! vggclassify name=c model=/tmp/vgg16.pt device=cuda precision=$precision \
           batch-frames=$frames batch-size=$((5 * frames)) gradcam=$gradcam post-messages=false \
         ! fakesink sync=false" 2>&1)
      rows+=("ours gradcam=$gradcam $precision frames/batch=$frames: $result")
      echo "${rows[-1]}"
    done
  done
done

echo "== the Python peer, same card, same run"
python3 .gpu-kit/python-peer.py 2>&1 | tee "$OUT/peer.txt"

echo "== table ($(head -1 "$OUT/gpu.txt"), $(date -u +%F))"
printf '%s\n' "${rows[@]}" | tee "$OUT/ours.txt"
grep "channels_last=True" "$OUT/peer.txt"

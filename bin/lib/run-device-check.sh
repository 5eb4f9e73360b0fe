#!/usr/bin/env bash
# The one command for a GPU machine without internet and without Java, run from the bundle that
# bin/lib/bundle.sh makes (out/gpu-bundle/): builds DJL's JNI against this machine's PyTorch, runs
# `bench device` (memlab.bench.DeviceCheck) with the bundle's Java runtime, and keeps under $OUT:
#
#   machine.txt        date, GPU, driver, torch and CUDA versions, cmake and compiler
#   jni-build.log      the JNI build (build_jni.sh: checks, CMake, compiler)
#   bench-device.log   DeviceCheck's output: relative differences CPU vs GPU, seconds per step
#   libdjl_torch.so    the JNI built here (a later run on the same kind of machine can reuse it)
#   result.txt         one line: PASSED, or FAILED and at which stage, with the exit code
#
#   bash out/gpu-bundle/run-device-check.sh [DeviceCheck options, e.g. --steps 10 --repeats 3]
#
# Environment: OUT (default: the bundle's results/); PYTHON, a Python whose torch is the libtorch to use (default
# python3); PYTORCH_LIBRARY_PATH (default: torch/lib of that torch); PYTORCH_INCLUDE_PATH, PYTORCH_FLAVOR as for
# build_jni.sh. Exit status: 0 passed, 1 the devices differ, 3 the JNI did not build, 4 DeviceCheck failed otherwise.
set -uo pipefail
B="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${OUT:-$B/results}"
mkdir -p "$OUT"
PY="${PYTHON:-python3}"
result() { echo "$*" | tee "$OUT/result.txt"; }

{
  date -u '+%Y-%m-%d %H:%M:%S UTC'
  uname -srm
  if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1
  else echo "nvidia-smi: none"; fi
  "$PY" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cuda available", torch.cuda.is_available(), "cxx11 abi", torch.compiled_with_cxx11_abi())' 2>&1
  cmake --version 2>&1 | head -1
  ${CXX:-c++} --version 2>&1 | head -1
  "$B/runtime/bin/java" -version 2>&1 | head -1
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then
  PYTORCH_LIBRARY_PATH="$("$PY" -c 'import torch, os; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')" \
    || { result "FAILED: no PYTORCH_LIBRARY_PATH and no torch in $PY"; exit 3; }
fi
export PYTORCH_LIBRARY_PATH
work="$(mktemp -d "${TMPDIR:-/tmp}/memlab-device.XXXXXX")"
export DJL_CACHE_DIR="$work/djl-cache"   # DJL writes nothing into the user's ~/.djl.ai
export DJL_VERSION="$(sed -n 's/^djl *= *"\(.*\)".*/\1/p' "$B/djl-src/gradle/libs.versions.toml" | head -1)"

echo "== building DJL $DJL_VERSION's JNI against $PYTORCH_LIBRARY_PATH (log: $OUT/jni-build.log)"
start=$(date +%s)
JAVA_HOME="$B/runtime" bash "$B/bin/lib/build_jni.sh" --build-dir "$work/jni" \
  --jni-header "$B/djl-src/jni-header/ai_djl_pytorch_jni_PyTorchLibrary.h" "$B/djl-src" > "$OUT/jni-build.log" 2>&1
rc=$?
echo "JNI build: exit $rc after $(( $(date +%s) - start )) s"
if [ $rc -ne 0 ]; then
  tail -40 "$OUT/jni-build.log"
  result "FAILED: the JNI build (exit $rc; see jni-build.log)"
  exit 3
fi
cp "$work/jni/cmake/libdjl_torch.so" "$OUT/" 2>/dev/null || true
# shellcheck disable=SC1091
source "$work/jni/djl-env.sh"

# DJL counts GPUs through JNA's Native.load("cudart"), which looks for a file libcudart.so on the library path; a
# pip-installed torch has its CUDA runtime as nvidia/*/lib/libcudart.so.NN beside torch, on no path. Without this
# link DJL sees 0 GPUs although libtorch_cuda (loaded through its own RUNPATH) works.
jna=""
if [[ "$PYTORCH_FLAVOR" == cu* ]]; then
  cudart="$(find "$PYTORCH_LIBRARY_PATH/../.." -maxdepth 5 -path '*nvidia*' -name 'libcudart.so*' 2>/dev/null | sort -V | tail -1)"
  [ -n "$cudart" ] || cudart="$(ldconfig -p 2>/dev/null | sed -n 's/.*libcudart\.so[.0-9]* .*=> \(.*\)/\1/p' | head -1)"
  if [ -n "$cudart" ]; then
    mkdir -p "$work/cudart" && ln -sf "$(readlink -f "$cudart")" "$work/cudart/libcudart.so"
    jna="-Djna.library.path=$work/cudart"
    echo "CUDA runtime for DJL's GPU count: $cudart" | tee -a "$OUT/machine.txt"
  else
    echo "no libcudart.so* found beside torch or by ldconfig: DJL may see 0 GPUs" | tee -a "$OUT/machine.txt"
  fi
fi

echo "== bench device (log: $OUT/bench-device.log)"
OPT_OUT_TRACKING=true OMP_WAIT_POLICY=PASSIVE "$B/runtime/bin/java" -Dai.djl.offline=true --enable-native-access=ALL-UNNAMED $jna ${DEVICE_CHECK_JAVA_OPTS:-} \
  -cp "$B/jars/*" memlab.bench.DeviceCheck "$@" 2>&1 | tee "$OUT/bench-device.log"
rc=${PIPESTATUS[0]}
case $rc in
  0) result "PASSED: bench device (exit 0)" ;;
  1) result "FAILED: CPU and GPU differ above the tolerance (exit 1; see bench-device.log)" ;;
  *) result "FAILED: bench device did not run through (exit $rc; see bench-device.log)"; rc=4 ;;
esac
rm -rf "$work"
exit $rc

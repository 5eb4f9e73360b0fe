#!/usr/bin/env bash
# Builds DJL's PyTorch JNI (libdjl_torch.so) from DJL's own source release against the libtorch of this
# machine, and puts it where DJL looks for it. Used where no prebuilt JNI fits the machine's libtorch (e.g. a
# GPU machine without internet whose CUDA PyTorch is newer than the 2.7.1 DJL ships for).
#
#   bin/lib/build_jni.sh [--build-dir DIR] [--jni-header FILE] [--jobs N] [--dry-run] DJL_SRC
#
#   DJL_SRC               a DJL source tree (git checkout or source archive) of the version the project uses
#                         (DJL_VERSION); its C++ sources are compiled from a copy, the tree is left unchanged
#   --build-dir DIR       where the copy, the CMake build and djl-env.sh go (default: a new temporary folder)
#   --jni-header FILE     ai_djl_pytorch_jni_PyTorchLibrary.h made beforehand by `javac -h` (for a machine whose
#                         Java is a runtime without javac); by default javac makes it from DJL_SRC
#   --jobs N              parallel compile jobs (default: nproc)
#   --dry-run             check the arguments, print what would be built and where it would go, build nothing
#
# Environment:
#   PYTORCH_LIBRARY_PATH  (required) the folder holding libtorch.so, e.g. .../site-packages/torch/lib
#   PYTORCH_INCLUDE_PATH  libtorch's headers (default: PYTORCH_LIBRARY_PATH/../include, as in a pip-installed torch)
#   PYTORCH_VERSION       libtorch's version x.y.z (default: read from its headers; when given, it must match them)
#   PYTORCH_FLAVOR        cpu or cuXYZ (default: cuXYZ when libtorch_cuda.so is there, XYZ from torch/version.py;
#                         else cpu)
#   DJL_VERSION           the DJL version the JNI is for (default: djl.version in the project's pom.xml)
#   CMAKE, CXX            cmake and the C++ compiler (default: cmake, c++ or g++ on PATH)
#   JAVA_HOME             a JDK or a jlink runtime with include/jni.h (default: from `java` on PATH)
#   ENGINE_CACHE_DIR / DJL_CACHE_DIR   DJL's cache (default ~/.djl.ai), as DJL itself reads them
#
# Result: ENGINE_CACHE/pytorch/VERSION-FLAVOR-linux-ARCH/DJL_VERSION-libdjl_torch.so, the place DJL's LibUtils
# looks for a JNI when PYTORCH_LIBRARY_PATH points at a libtorch; and BUILD_DIR/djl-env.sh, which exports
# PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR so that DJL finds both (source it before `java`).
# Patches for newer libtorch releases, if any, are patches/djl-DJL_VERSION/*.patch, applied to the copy in order.
#
# Torch's own CMake config is not used: for a CUDA libtorch it requires the CUDA toolkit (nvcc, headers), which a
# machine with only pip's CUDA runtime lacks. The JNI needs only libtorch's headers and libraries, given to DJL's
# CMakeLists through a small TorchConfig.cmake written into the build folder. DJL's optional CUDA code paths
# (USE_CUDA: a separate CUDA stream for inference, emptying the CUDA cache) need the toolkit and are left out;
# tensors on the GPU work without them (libtorch_cuda registers the CUDA kernels; DJL loads it for a cu flavor).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

die() { echo "build_jni: $*" >&2; exit 2; }
say() { echo "build_jni: $*" >&2; }

build_dir="" header="" jobs="$(nproc 2>/dev/null || echo 2)" src="" dry=0
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) [ $# -ge 2 ] && [ -n "$2" ] || die "--build-dir needs a folder"; build_dir="$2"; shift ;;
    --jni-header) [ $# -ge 2 ] && [ -n "$2" ] || die "--jni-header needs a file"; header="$2"; shift ;;
    --jobs) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a whole number >= 1"; jobs="$2"; shift ;;
    --dry-run) dry=1 ;;
    -h|--help) sed -n '2,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option '$1' (allowed: --build-dir DIR, --jni-header FILE, --jobs N, --dry-run, DJL_SRC)" ;;
    *) [ -z "$src" ] || die "one DJL_SRC only (got '$src' and '$1')"; src="$1" ;;
  esac
  shift
done

# ---- the DJL source tree, of the version the project uses
[ -n "$src" ] || die "DJL_SRC missing: give the folder of DJL's source release (git checkout of tag vDJL_VERSION)"
[ -d "$src" ] || die "DJL_SRC '$src' is not a folder"
src="$(cd "$src" && pwd)"
native="engines/pytorch/pytorch-native"
for f in "$native/CMakeLists.txt" "$native/src/main/native" "api/src/main/native/djl/utils.h" "gradle/libs.versions.toml"; do
  [ -e "$src/$f" ] || die "DJL_SRC '$src' is not a DJL source tree: it has no $f"
done
if [ -z "${DJL_VERSION:-}" ]; then
  [ -f "$ROOT/pom.xml" ] || die "DJL_VERSION not set and no pom.xml at $ROOT to read it from"
  DJL_VERSION="$(sed -n 's:.*<djl.version>\(.*\)</djl.version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
  [ -n "$DJL_VERSION" ] || die "DJL_VERSION not set and $ROOT/pom.xml has no <djl.version>"
fi
src_version="$(sed -n 's/^djl *= *"\(.*\)".*/\1/p' "$src/gradle/libs.versions.toml" | head -1)"
[ "$src_version" = "$DJL_VERSION" ] || die "DJL_SRC '$src' is DJL ${src_version:-of unknown version}, but the JNI must be DJL_VERSION $DJL_VERSION (check out tag v$DJL_VERSION)"

# ---- libtorch: libraries, headers, version, flavour
[ -n "${PYTORCH_LIBRARY_PATH:-}" ] || die "PYTORCH_LIBRARY_PATH not set: the folder holding libtorch.so (e.g. \$(python3 -c 'import torch,os; print(os.path.dirname(torch.__file__))')/lib)"
[ -d "$PYTORCH_LIBRARY_PATH" ] || die "PYTORCH_LIBRARY_PATH '$PYTORCH_LIBRARY_PATH' is not a folder"
libdir="$(cd "$PYTORCH_LIBRARY_PATH" && pwd)"
for l in libtorch.so libtorch_cpu.so libc10.so; do
  [ -e "$libdir/$l" ] || die "PYTORCH_LIBRARY_PATH '$libdir' has no $l (it must be libtorch's lib folder)"
done
inc="${PYTORCH_INCLUDE_PATH:-$libdir/../include}"
[ -f "$inc/torch/csrc/api/include/torch/version.h" ] && [ -f "$inc/ATen/ATen.h" ] \
  || die "PYTORCH_INCLUDE_PATH '$inc' has no libtorch C++ headers (torch/csrc/api/include/torch/version.h, ATen/ATen.h); set it to libtorch's include folder"
inc="$(cd "$inc" && pwd)"
vh="$inc/torch/csrc/api/include/torch/version.h"
header_version="$(sed -n 's/^#define TORCH_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\).*/\2/p' "$vh" | paste -sd.)"
[[ "$header_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read libtorch's version from $vh (got '$header_version')"
if [ -n "${PYTORCH_VERSION:-}" ]; then
  [ "$PYTORCH_VERSION" = "$header_version" ] || die "PYTORCH_VERSION is $PYTORCH_VERSION but the headers in '$inc' are libtorch $header_version (unset PYTORCH_VERSION or point PYTORCH_INCLUDE_PATH at the matching headers)"
fi
PYTORCH_VERSION="$header_version"
major="${PYTORCH_VERSION%%.*}"; minor="${PYTORCH_VERSION#*.}"; minor="${minor%%.*}"
# DJL 0.35's C++ keeps one switch for old libtorch (V1_13_X, set by DJL's own build.sh for 1.13 to 2.1) and no older
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 13 ]; }; then
  die "libtorch $PYTORCH_VERSION in PYTORCH_LIBRARY_PATH '$libdir' is too old: DJL $DJL_VERSION's JNI needs 1.13 or newer"
fi
pt_define=""
if [ "$major" -eq 1 ] || { [ "$major" -eq 2 ] && [ "$minor" -le 1 ]; }; then pt_define="V1_13_X"; fi

if [ -z "${PYTORCH_FLAVOR:-}" ]; then
  if [ -e "$libdir/libtorch_cuda.so" ]; then
    cuda="$(sed -n "s/^cuda *= *['\"]\([0-9]*\)\.\([0-9]*\).*/\1\2/p" "$libdir/../version.py" 2>/dev/null | head -1)"
    [ -n "$cuda" ] || die "PYTORCH_FLAVOR not set and libtorch's CUDA version unknown (no cuda = 'X.Y' in $libdir/../version.py); set PYTORCH_FLAVOR=cuXYZ, e.g. cu128"
    PYTORCH_FLAVOR="cu$cuda"
  else
    PYTORCH_FLAVOR="cpu"
  fi
fi
[[ "$PYTORCH_FLAVOR" =~ ^(cpu|cu[0-9]{3})$ ]] || die "PYTORCH_FLAVOR must be cpu or cuXYZ (e.g. cu128), got '$PYTORCH_FLAVOR'"
if [[ "$PYTORCH_FLAVOR" == cu* ]] && [ ! -e "$libdir/libtorch_cuda.so" ]; then
  die "PYTORCH_FLAVOR is $PYTORCH_FLAVOR but PYTORCH_LIBRARY_PATH '$libdir' has no libtorch_cuda.so (a CPU-only libtorch)"
fi

# the C++ ABI libtorch was built with: its CMake config says it; else its symbols do (std::__cxx11 names)
abi=""
cfg="$libdir/../share/cmake/Torch/TorchConfig.cmake"
[ -f "$cfg" ] && abi="$(sed -n 's/.*_GLIBCXX_USE_CXX11_ABI=\([01]\).*/\1/p' "$cfg" | head -1)"
if [ -z "$abi" ]; then
  command -v nm >/dev/null || die "cannot tell libtorch's C++ ABI: no TorchConfig.cmake beside PYTORCH_LIBRARY_PATH and no nm (binutils)"
  if nm -D --defined-only "$libdir/libc10.so" 2>/dev/null | grep -q '__cxx11'; then abi=1; else abi=0; fi
fi

# ---- tools
cmake_bin="${CMAKE:-$(command -v cmake || true)}"
[ -n "$cmake_bin" ] && [ -x "$cmake_bin" ] || die "cmake not found (on PATH, or set CMAKE)"
cxx="${CXX:-$(command -v c++ || command -v g++ || true)}"
[ -n "$cxx" ] && command -v "$cxx" >/dev/null || die "no C++ compiler: no c++ or g++ on PATH, or CXX '$cxx' is not a program"
if [ -z "${JAVA_HOME:-}" ]; then
  j="$(command -v java || true)"
  [ -n "$j" ] || die "JAVA_HOME not set and no java on PATH: a JDK or jlink runtime with include/jni.h is needed"
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$j")")")"
fi
[ -f "$JAVA_HOME/include/jni.h" ] && [ -f "$JAVA_HOME/include/linux/jni_md.h" ] \
  || die "JAVA_HOME '$JAVA_HOME' has no include/jni.h and include/linux/jni_md.h (a JDK, or a jlink runtime made without --no-header-files)"
if [ -n "$header" ]; then
  [ -f "$header" ] || die "--jni-header '$header' is not a file"
elif [ ! -x "$JAVA_HOME/bin/javac" ]; then
  die "JAVA_HOME '$JAVA_HOME' has no javac to make the JNI header: use a JDK or give --jni-header FILE"
fi

# where DJL's LibUtils.findJniLibrary looks: <engine cache>/pytorch/<version>-<flavor>-<classifier>/<djl>-libdjl_torch.so
cache="${ENGINE_CACHE_DIR:-${DJL_CACHE_DIR:-$HOME/.djl.ai}}"
case "$(uname -m)" in x86_64|amd64) arch=x86_64 ;; aarch64|arm64) arch=aarch64 ;; *) arch="$(uname -m)" ;; esac
dest="$cache/pytorch/$PYTORCH_VERSION-$PYTORCH_FLAVOR-linux-$arch"
if [ "$dry" = 1 ]; then
  echo "DJL $DJL_VERSION JNI from $src"
  echo "libtorch $PYTORCH_VERSION flavor $PYTORCH_FLAVOR C++11-ABI $abi${pt_define:+ define $pt_define}: $libdir, headers $inc"
  echo "would put: $dest/$DJL_VERSION-libdjl_torch.so"
  exit 0
fi

# ---- a copy of the C++ sources (DJL's CMakeLists finds djl/utils.h at ../../../api/src/main/native)
[ -n "$build_dir" ] || build_dir="$(mktemp -d "${TMPDIR:-/tmp}/djl-jni.XXXXXX")"
mkdir -p "$build_dir"; build_dir="$(cd "$build_dir" && pwd)"
copy="$build_dir/src"
rm -rf "$copy"   # the CMake folder is kept: a rerun recompiles only what changed (cp -p keeps the times)
mkdir -p "$copy/$native" "$copy/api/src/main"
cp -rp "$src/$native/CMakeLists.txt" "$src/$native/src" "$copy/$native/"
cp -rp "$src/api/src/main/native" "$copy/api/src/main/"
# patches for newer libtorch releases, applied in order to the copy; none is needed while the sources compile as released
for p in $(ls "$ROOT/patches/djl-$DJL_VERSION"/*.patch 2>/dev/null | sort); do
  say "applying $(basename "$p")"
  if command -v patch >/dev/null; then (cd "$copy" && patch -p1 --forward --batch < "$p") || die "patch $p does not apply"
  else (cd "$copy" && git apply "$p") || die "patch $p does not apply (and no 'patch' tool)"; fi
done

# the JNI declarations: javac -h, as DJL's build.sh does, or the header made beforehand; copied into the sources only
# when it changed, so that a rerun does not recompile everything
mkdir -p "$build_dir/jni-header" "$copy/$native/build/include"
h=ai_djl_pytorch_jni_PyTorchLibrary.h
if [ -n "$header" ]; then
  cp "$header" "$build_dir/jni-header/$h.new"
else
  "$JAVA_HOME/bin/javac" -h "$build_dir/jni-header/javac" -d "$build_dir/classes" \
    "$src/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
  mv "$build_dir/jni-header/javac/$h" "$build_dir/jni-header/$h.new"
fi
if cmp -s "$build_dir/jni-header/$h.new" "$build_dir/jni-header/$h"; then rm "$build_dir/jni-header/$h.new"
else mv "$build_dir/jni-header/$h.new" "$build_dir/jni-header/$h"; fi
cp -p "$build_dir/jni-header/$h" "$copy/$native/build/include/"

# libtorch's headers and libraries, handed to find_package(Torch) in DJL's CMakeLists
# (not libtorch_cuda/libc10_cuda: without USE_CUDA the JNI calls nothing in them, and DJL loads them itself for a
# cu flavor; linking them would make the linker look for the CUDA libraries they need, which pip keeps elsewhere)
libs="$libdir/libtorch.so;$libdir/libtorch_cpu.so;$libdir/libc10.so"
mkdir -p "$build_dir/torch-config"
cat > "$build_dir/torch-config/TorchConfig.cmake.new" <<EOF
# Written by memlab's bin/lib/build_jni.sh: libtorch $PYTORCH_VERSION ($PYTORCH_FLAVOR) from $libdir
add_library(torch INTERFACE IMPORTED)
set_target_properties(torch PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "$inc;$inc/torch/csrc/api/include"
  INTERFACE_LINK_LIBRARIES "$libs")
set(TORCH_LIBRARIES torch)
set(TORCH_INCLUDE_DIRS "$inc;$inc/torch/csrc/api/include")
set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=$abi")
set(Torch_FOUND TRUE)
EOF
# replaced only when it changed: a new file would make CMake configure again and recompile everything
cfg_file="$build_dir/torch-config/TorchConfig.cmake"
if cmp -s "$cfg_file.new" "$cfg_file"; then rm "$cfg_file.new"; else mv "$cfg_file.new" "$cfg_file"; fi

say "DJL $DJL_VERSION JNI against libtorch $PYTORCH_VERSION ($PYTORCH_FLAVOR, C++11 ABI $abi) from $libdir, headers $inc; build in $build_dir"
"$cmake_bin" -S "$copy/$native" -B "$build_dir/cmake" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" \
  -DTorch_DIR="$build_dir/torch-config" -DPT_VERSION="$pt_define" \
  -DJAVA_HOME="$JAVA_HOME" -DJAVA_INCLUDE_PATH="$JAVA_HOME/include" -DJAVA_INCLUDE_PATH2="$JAVA_HOME/include/linux" \
  -DJAVA_JVM_LIBRARY=NotNeeded
"$cmake_bin" --build "$build_dir/cmake" -- -j "$jobs"
so="$build_dir/cmake/libdjl_torch.so"
[ -f "$so" ] || die "the build made no $so"

mkdir -p "$dest"
cp "$so" "$dest/$DJL_VERSION-libdjl_torch.so"
cat > "$build_dir/djl-env.sh" <<EOF
# DJL loads libtorch from PYTORCH_LIBRARY_PATH and this JNI from its cache (written by bin/lib/build_jni.sh)
export PYTORCH_LIBRARY_PATH='$libdir'
export PYTORCH_VERSION='$PYTORCH_VERSION'
export PYTORCH_FLAVOR='$PYTORCH_FLAVOR'
EOF
[ -n "${ENGINE_CACHE_DIR:-}" ] && echo "export ENGINE_CACHE_DIR='$ENGINE_CACHE_DIR'" >> "$build_dir/djl-env.sh"
[ -z "${ENGINE_CACHE_DIR:-}" ] && [ -n "${DJL_CACHE_DIR:-}" ] && echo "export DJL_CACHE_DIR='$DJL_CACHE_DIR'" >> "$build_dir/djl-env.sh"
say "JNI: $dest/$DJL_VERSION-libdjl_torch.so"
say "before java: source $build_dir/djl-env.sh"

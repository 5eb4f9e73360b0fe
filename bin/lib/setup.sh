# Setup shared by bin/memlab and binder/postBuild: installs what is missing, builds, installs the
# `memlab` kernelspec. Sourced, not run. Safe to call repeatedly: every step checks before it acts.

# The kernelspec the notebooks name (metadata.kernelspec.name); memlab's own, so other Java kernels are left alone.
MEMLAB_KERNEL=${MEMLAB_KERNEL:-memlab}
export MEMLAB_KERNEL

die() { echo "memlab: $*" >&2; exit 2; }
say() { echo "memlab: $*" >&2; }

# Debian packages the project needs: Jupyter (server, headless runner, HTML export), Chromium for the
# render check, Debian's PyTorch for the reference scripts and benchmarks, Maven for the build, fortunes-min
# as the byte-level text corpus of notebook 03 (memlab.tasks.ByteCorpus). tcmalloc comes on top where it can
# (install_malloc).
MEMLAB_APT_PACKAGES="maven jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel chromium python3-torch fortunes-min"

# The figure ids the notebooks save (Figure.of("id", ...) / Figure.grid("id", ...)): the catalogue lives in the notebooks.
figure_ids() {
  grep -oh 'Figure\.\(of\|grid\)(\\"[A-Za-z0-9._-]*' "$ROOT"/notebooks/*.ipynb | sed 's/.*"//' | sort -u
}

# The notebooks an argument names, one absolute path a line: a path or full name (01-explicit-gradient-linking),
# every notebook whose name starts with a prefix (0 → 00, 01, 02; 01 → 01-...), or the notebook that draws a
# figure id (egl-loss). An empty argument, or one that names nothing, is an error.
resolve_notebooks() {
  local a="$1" f found=()
  [ -n "$a" ] || die "empty notebook argument (give a notebook name, a prefix such as 01, or a figure id; none runs them all)"
  for f in "$a" "$ROOT/$a" "$ROOT/notebooks/$a" "$ROOT/notebooks/$a.ipynb"; do
    [[ "$f" == *.ipynb ]] && [ -f "$f" ] && { (cd "$(dirname "$f")" && echo "$PWD/$(basename "$f")"); return; }
  done
  if [[ "$a" =~ ^[A-Za-z0-9._-]+$ ]]; then
    for f in "$ROOT"/notebooks/"$a"*.ipynb; do [ -f "$f" ] && found+=("$f"); done
    [ ${#found[@]} -gt 0 ] && { printf '%s\n' "${found[@]}"; return; }
    f=$(grep -l 'Figure\.\(of\|grid\)(\\"'"$a"'\\"' "$ROOT"/notebooks/*.ipynb 2>/dev/null | head -1)
    [ -n "$f" ] && { echo "$f"; return; }
  fi
  die "unknown notebook or figure id '$a' (notebooks: $(cd "$ROOT/notebooks" && ls *.ipynb | tr '\n' ' '); figure ids: $(figure_ids | tr '\n' ' '))"
}

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

# A JDK of version 21 or newer: $JAVA_HOME, then `java` on PATH, then the newest under /usr/lib/jvm.
find_java() {
  local c v
  for c in "${JAVA_HOME:-}/bin/java" "$(command -v java 2>/dev/null || true)" $(ls -d /usr/lib/jvm/*/bin/java 2>/dev/null | sort -rV); do
    [ -x "$c" ] || continue
    v=$(java_major "$c"); [ -n "$v" ] && [ "$v" -ge 21 ] && { readlink -f "$c"; return; }
  done
  return 1
}

install_apt_packages() {
  [ "${MEMLAB_NO_APT:-0}" = 1 ] && return
  command -v dpkg-query >/dev/null || return
  local missing=() p
  for p in $MEMLAB_APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages: ${missing[*]}"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "could not install ${missing[*]} with apt-get"
}

# A JDK 21+ from the distribution where it has one (Debian 13 and later); Debian 12 has none, and a JDK
# from elsewhere (Temurin) must then be installed by hand.
install_jdk() {
  [ "${MEMLAB_NO_APT:-0}" = 1 ] && return 1
  command -v apt-get >/dev/null || return 1
  local sudo="" p; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq || return 1
  for p in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
    if apt-cache show "$p" >/dev/null 2>&1; then
      say "installing $p"
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$p" >/dev/null && return 0
    fi
  done
  return 1
}

# tcmalloc for the kernel and the benchmarks (bin/lib/malloc_lib.sh), from Debian where it is missing: optional,
# so a machine without it (or without apt) runs on glibc's malloc, only slower. Debian 13 renamed the package.
# Tried once: sudo never asks for a password here, and a failed try is remembered, so that later commands do not
# wait on apt again.
install_malloc() {
  [ "${MEMLAB_NO_APT:-0}" = 1 ] && return 0
  [ "${MEMLAB_MALLOC:-tcmalloc}" = tcmalloc ] || return 0
  [ -z "$("$ROOT/bin/lib/malloc_lib.sh")" ] || return 0
  command -v apt-get >/dev/null || return 0
  local mark="${XDG_CACHE_HOME:-$HOME/.cache}/memlab/tcmalloc-not-installed"
  [ -f "$mark" ] && return 0
  local sudo="" p pass; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  for pass in cached updated; do                    # the package lists of a fresh machine may be empty or stale
    [ "$pass" = cached ] || $sudo apt-get update -qq >/dev/null 2>&1 || break
    for p in libtcmalloc-minimal4 libtcmalloc-minimal4t64; do
      if apt-cache show "$p" >/dev/null 2>&1; then
        say "installing $p (tcmalloc, the kernel's allocator)"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 && return 0
      fi
    done
  done
  mkdir -p "$(dirname "$mark")" && : > "$mark"
  say "tcmalloc could not be installed: the kernel and the benchmarks use glibc's malloc (not tried again; install libtcmalloc-minimal4, or delete $mark)"
}

# The Python that has Jupyter: the conda environment's on Binder, Debian's elsewhere (a pyenv python
# on PATH usually lacks nbclient).
find_python() {
  local c
  for c in "${CONDA_PREFIX:+$CONDA_PREFIX/bin/python}" /usr/bin/python3 "$(command -v python3 2>/dev/null || true)"; do
    [ -n "$c" ] && [ -x "$c" ] && "$c" -c "import nbclient, nbconvert, jupyter_client" 2>/dev/null && { echo "$c"; return; }
  done
  return 1
}

build_if_stale() {
  local jar="$ROOT/lib/target/memlab.jar" kjar="$ROOT/kernel/target/memlab-kernel.jar"
  if [ -f "$jar" ] && [ -f "$kjar" ] && [ -z "$(find "$ROOT/pom.xml" "$ROOT/lib/pom.xml" "$ROOT/kernel/pom.xml" "$ROOT/lib/src/main" "$ROOT/kernel/src/main" -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
    return
  fi
  say "building the library and the kernel launcher (mvn package)"
  (cd "$ROOT" && JAVA_HOME="$MEMLAB_JAVA_HOME" mvn -q -B package -DskipTests ${MEMLAB_MAVEN_ARGS:-}) || die "build failed"
}

memlab_setup() {
  install_apt_packages
  MEMLAB_JAVA=$(find_java) || { install_jdk; MEMLAB_JAVA=$(find_java); } \
    || die "no JDK 21+ found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*) and none could be installed with apt-get (Debian 12 has only OpenJDK 17); install one, e.g. Temurin 21 or 25, or set JAVA_HOME"
  MEMLAB_JAVA_HOME=$(dirname "$(dirname "$MEMLAB_JAVA")")
  export JAVA_HOME="$MEMLAB_JAVA_HOME" MEMLAB_JAVA
  command -v mvn >/dev/null || die "Maven (mvn) not found; on Debian: apt-get install maven"
  MEMLAB_PY=$(find_python) || die "no Python with Jupyter (nbclient, nbconvert, jupyter_client); on Debian: apt-get install $MEMLAB_APT_PACKAGES"
  export MEMLAB_PY
  build_if_stale
  install_malloc
  # installs only when missing or changed; says so when it does
  local where=(--user)
  [ -n "${CONDA_PREFIX:-}" ] && [ "$MEMLAB_PY" = "$CONDA_PREFIX/bin/python" ] && where=(--prefix "$CONDA_PREFIX")
  "$ROOT/bin/lib/install_kernel.sh" "${where[@]}" --name "$MEMLAB_KERNEL" | grep -v "is up to date$" | sed 's/^/memlab: /' >&2 || true
}

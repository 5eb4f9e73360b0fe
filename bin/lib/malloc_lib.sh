#!/usr/bin/env bash
# Prints the memory allocator library memlab preloads into its Java processes (the notebook kernel, the
# benchmarks), or nothing for glibc's own malloc.
#
#   bin/lib/malloc_lib.sh
#
# Why: a training step of the small memory models makes and frees thousands of tiny tensors, and glibc's
# malloc spent 15-18 % of a DNC step in its own bookkeeping (perf; _int_malloc, _int_free, unlink_chunk,
# malloc_consolidate). gperftools' tcmalloc made memlab's steps of the primer's models 7-15 % faster, and PyTorch's
# about as much (bench primer, alternated rounds; README, Performance).
#
# MEMLAB_MALLOC: unset or "tcmalloc" looks for libtcmalloc_minimal.so.4 in $CONDA_PREFIX/lib (conda's
# gperftools), then in the linker's cache (Debian's libtcmalloc-minimal4); "glibc" preloads nothing; any other
# value must be the path of a shared library, and is printed as it is.
set -euo pipefail
choice="${MEMLAB_MALLOC:-tcmalloc}"
case "$choice" in
  glibc) exit 0 ;;
  tcmalloc)
    name=libtcmalloc_minimal.so.4
    if [ -n "${CONDA_PREFIX:-}" ] && [ -f "$CONDA_PREFIX/lib/$name" ]; then echo "$CONDA_PREFIX/lib/$name"; exit 0; fi
    path="$( (/sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null || true) | awk -v n="$name" '$1 == n { print $NF; exit }')"
    [ -n "$path" ] && [ -f "$path" ] && echo "$path"
    exit 0 ;;
  *)
    [ -f "$choice" ] || { echo "malloc_lib: MEMLAB_MALLOC must be tcmalloc, glibc or the path of a shared library, got '$choice'" >&2; exit 2; }
    echo "$choice" ;;
esac

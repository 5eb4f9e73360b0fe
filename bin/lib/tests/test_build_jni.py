#!/usr/bin/python3
"""Argument checks of bin/lib/build_jni.sh and bin/lib/bundle.sh, on fake trees: nothing is compiled.

    python3 bin/lib/tests/test_build_jni.py

Each bad argument (missing or wrong DJL source tree, DJL of another version, no libtorch, no headers, a version or
flavour that does not match, no jni.h, no javac) must stop the script at once with exit 2 and a message naming the
argument; a good set of arguments (--dry-run) must resolve the version, the flavour (cpu, or cuXYZ from
torch/version.py) and the place DJL looks for the JNI. cmake, c++ and javac are stubs on PATH, so the test needs
none of them. Run by bin/memlab test.
"""
import os
import stat
import subprocess
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "bin" / "lib" / "build_jni.sh"
BUNDLE = ROOT / "bin" / "lib" / "bundle.sh"


def write(path, text=""):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def executable(path, text="#!/bin/sh\nexit 0\n"):
    write(path, text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


class BuildJniArguments(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        t = Path(self.tmp.name)
        # a DJL source tree with the files the script reads
        self.djl = t / "djl"
        write(self.djl / "gradle/libs.versions.toml", '[versions]\ndjl = "0.35.1"\npytorch = "2.7.1"\n')
        write(self.djl / "engines/pytorch/pytorch-native/CMakeLists.txt", "project(djl_torch)\n")
        write(self.djl / "engines/pytorch/pytorch-native/src/main/native/x.cc")
        write(self.djl / "api/src/main/native/djl/utils.h")
        # a pip-like torch: lib/ with the libraries, include/ beside it, version.py above
        self.torch = t / "torch"
        for lib in ("libtorch.so", "libtorch_cpu.so", "libc10.so"):
            write(self.torch / "lib" / lib)
        self.version_h(self.torch / "include", 2, 11, 0)
        write(self.torch / "include/ATen/ATen.h")
        write(self.torch / "version.py", "__version__ = '2.11.0+cpu'\ncuda = None\n")
        # a Java runtime with jni.h and a javac stub; cmake and c++ stubs on PATH
        self.java = t / "java"
        write(self.java / "include/jni.h")
        write(self.java / "include/linux/jni_md.h")
        executable(self.java / "bin/javac")
        self.bin = t / "bin"
        executable(self.bin / "cmake")
        executable(self.bin / "c++")
        self.cache = t / "cache"

    def tearDown(self):
        self.tmp.cleanup()

    @staticmethod
    def version_h(include, major, minor, patch):
        write(include / "torch/csrc/api/include/torch/version.h",
              f"#define TORCH_VERSION_MAJOR {major}\n#define TORCH_VERSION_MINOR {minor}\n#define TORCH_VERSION_PATCH {patch}\n")

    def run_script(self, *args, unset=(), **env):
        e = {k: v for k, v in os.environ.items()
             if not k.startswith(("PYTORCH_", "DJL_", "ENGINE_CACHE")) and k != "JAVA_HOME"}
        e.update(PATH=f"{self.bin}:{e.get('PATH', '/usr/bin:/bin')}", JAVA_HOME=str(self.java),
                 PYTORCH_LIBRARY_PATH=str(self.torch / "lib"), DJL_CACHE_DIR=str(self.cache), DJL_VERSION="0.35.1")
        e.update({k: str(v) for k, v in env.items()})
        for k in unset:
            e.pop(k, None)
        return subprocess.run(["bash", str(SCRIPT), *map(str, args)], env=e, capture_output=True, text=True, timeout=60)

    def refused(self, names, *args, **kw):
        r = self.run_script(*args, **kw)
        self.assertEqual(r.returncode, 2, f"expected exit 2, got {r.returncode}: {r.stdout}{r.stderr}")
        for name in names:
            self.assertIn(name, r.stderr)
        return r.stderr

    def test_good_arguments_resolve_version_flavour_and_place(self):
        r = self.run_script("--dry-run", self.djl)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("libtorch 2.11.0 flavor cpu", r.stdout)
        self.assertIn(f"{self.cache}/pytorch/2.11.0-cpu-linux-", r.stdout)
        self.assertIn("/0.35.1-libdjl_torch.so", r.stdout)

    def test_cuda_flavour_from_version_py(self):
        write(self.torch / "lib/libtorch_cuda.so")
        write(self.torch / "version.py", "__version__ = '2.11.0+cu128'\ncuda = '12.8'\n")
        r = self.run_script("--dry-run", self.djl)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("flavor cu128", r.stdout)
        self.assertIn("/pytorch/2.11.0-cu128-linux-", r.stdout)

    def test_old_libtorch_gets_djl_switch(self):
        self.version_h(self.torch / "include", 2, 1, 2)
        r = self.run_script("--dry-run", self.djl)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("define V1_13_X", r.stdout)

    def test_missing_or_wrong_djl_tree(self):
        self.refused(["DJL_SRC missing"])
        self.refused(["DJL_SRC", "is not a folder"], self.djl / "nope")
        (self.djl / "engines/pytorch/pytorch-native/CMakeLists.txt").unlink()
        self.refused(["DJL_SRC", "not a DJL source tree", "CMakeLists.txt"], self.djl)

    def test_djl_of_another_version(self):
        write(self.djl / "gradle/libs.versions.toml", '[versions]\ndjl = "0.34.0"\n')
        self.refused(["DJL_SRC", "0.34.0", "DJL_VERSION 0.35.1", "v0.35.1"], self.djl)

    def test_missing_libtorch(self):
        self.refused(["PYTORCH_LIBRARY_PATH not set"], self.djl, unset=["PYTORCH_LIBRARY_PATH"])
        self.refused(["PYTORCH_LIBRARY_PATH", "not a folder"], self.djl, PYTORCH_LIBRARY_PATH=self.torch / "nope")
        (self.torch / "lib/libtorch.so").unlink()
        self.refused(["PYTORCH_LIBRARY_PATH", "libtorch.so"], self.djl)

    def test_missing_headers(self):
        self.refused(["PYTORCH_INCLUDE_PATH", "headers"], self.djl, PYTORCH_INCLUDE_PATH=self.torch / "lib")

    def test_version_that_does_not_match_the_headers(self):
        self.refused(["PYTORCH_VERSION is 2.7.1", "2.11.0"], self.djl, PYTORCH_VERSION="2.7.1")

    def test_libtorch_too_old(self):
        self.version_h(self.torch / "include", 1, 12, 1)
        self.refused(["PYTORCH_LIBRARY_PATH", "1.12.1", "too old"], self.djl)

    def test_bad_flavour(self):
        self.refused(["PYTORCH_FLAVOR must be cpu or cuXYZ", "gpu"], self.djl, PYTORCH_FLAVOR="gpu")
        self.refused(["PYTORCH_FLAVOR is cu128", "no libtorch_cuda.so"], self.djl, PYTORCH_FLAVOR="cu128")

    def test_cuda_libtorch_of_unknown_cuda_version(self):
        write(self.torch / "lib/libtorch_cuda.so")
        self.refused(["PYTORCH_FLAVOR not set", "CUDA version"], self.djl)

    def test_java_without_headers_or_javac(self):
        (self.java / "include/jni.h").unlink()
        self.refused(["JAVA_HOME", "jni.h"], self.djl)
        write(self.java / "include/jni.h")
        (self.java / "bin/javac").unlink()
        self.refused(["JAVA_HOME", "javac", "--jni-header"], self.djl)
        self.refused(["--jni-header", "not a file"], "--jni-header", self.java / "none.h", self.djl)

    def test_bad_options(self):
        self.refused(["unknown option '--gpu'"], "--gpu", self.djl)
        self.refused(["--jobs needs a whole number"], "--jobs", "0", self.djl)
        self.refused(["one DJL_SRC only"], self.djl, self.djl)

    def test_missing_tools(self):
        self.refused(["cmake not found"], self.djl, CMAKE=self.bin / "no-cmake")
        self.refused(["no C++ compiler", "CXX"], self.djl, CXX=self.bin / "no-c++")


class BundleArguments(unittest.TestCase):
    def run_bundle(self, *args):
        return subprocess.run(["bash", str(BUNDLE), *map(str, args)], capture_output=True, text=True, timeout=60)

    def test_missing_or_wrong_djl_tree(self):
        r = self.run_bundle()
        self.assertEqual(r.returncode, 2)
        self.assertIn("DJL_SRC missing", r.stderr)
        with tempfile.TemporaryDirectory() as t:
            write(Path(t) / "gradle/libs.versions.toml", 'djl = "0.30.0"\n')
            r = self.run_bundle(t, "--out", Path(t) / "out")
            self.assertEqual(r.returncode, 2)
            self.assertIn("is DJL 0.30.0", r.stderr)
            self.assertFalse((Path(t) / "out").exists())


if __name__ == "__main__":
    unittest.main(verbosity=2)

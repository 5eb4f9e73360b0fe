#!/usr/bin/python3
"""Checks through the real Java kernel and the real commands what unit tests cannot reach.

    /usr/bin/python3 bin/lib/tests/test_kernel.py [--kernel memlab] [-k PATTERN] [--no-lab]

Needs the library and the launcher built (bin/memlab setup) and the kernelspec installed. Run by bin/memlab test.

  interrupt     Jupyter's interrupt_request stops a running sweep at its next run (finished runs saved in the
                sweep file) and a running training loop at its next step; the next cell runs and its reply reaches
                the client.
  telemetry     the installed kernelspec sets OPT_OUT_TRACKING=true, and DJL in the kernel reads it as true.
  memory        the kernelspec keeps glibc from unmapping freed tensor memory (MALLOC_*_THRESHOLD_, MALLOC_ARENA_MAX), and the kernel
                sees those settings; where bin/lib/malloc_lib.sh finds tcmalloc, the kernelspec preloads it and the kernel's
                process has it mapped.
  orphans       SIGKILL of the runner (run_notebooks.py) ends its kernel and removes the connection file.
  ctrl-c        Ctrl-C (SIGINT) of the runner prints one line (no traceback), exits 130, marks the notebook
                interrupted in OUT/<stem>.status.json and leaves no kernel behind.
  progress      the runner prints the section, printed text and each new figure verdict while the notebook runs,
                and writes OUT/<stem>.status.json.
  arguments     bin/memlab reproduce: a prefix selects every matching notebook, an empty argument is refused,
                MEMLAB_MODE is honoured or overridden with a message.
  lab           bin/memlab lab starts as root and as an ordinary user (when run as root), serves its API,
                sends figures to out/<notebook>/, and stops.
"""
import argparse
import json
import os
import queue
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest
import urllib.request
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

ROOT = Path(__file__).resolve().parents[3]
LIB_JAR = ROOT / "lib" / "target" / "memlab.jar"
PY = sys.executable
KERNEL = "memlab"
START_TIMEOUT = 180  # a loaded 2-core machine can take a minute to start a JVM kernel


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def wait_until(cond, timeout, step=0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return cond()


def notebook(cells):
    """A notebook from (kind, source) pairs, on the kernel under test."""
    nb = {"cells": [], "metadata": {"kernelspec": {"name": KERNEL, "display_name": "Java (memlab)", "language": "java"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, (kind, src) in enumerate(cells):
        c = {"cell_type": kind, "id": f"c{i}", "metadata": {}, "source": src}
        if kind == "code":
            c.update(outputs=[], execution_count=None)
        nb["cells"].append(c)
    return nb


class KernelSession:
    """One kernel started through the installed kernelspec, with helpers to run cells."""

    def __init__(self, env=None):
        self.km = KernelManager(kernel_name=KERNEL)
        self.log = tempfile.TemporaryFile()  # the kernel's own output; shown only when a check fails to start
        self.km.start_kernel(cwd=str(ROOT / "notebooks"), env=dict(os.environ, **(env or {})), stdout=self.log,
                             stderr=self.log)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=START_TIMEOUT)

    def submit(self, code):
        return self.kc.execute(code)

    def reply(self, msg_id, timeout):
        """Waits for the execute_reply of msg_id; returns (reply content, iopub messages of that request)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no execute_reply within {timeout} s")
            try:
                msg = self.kc.get_shell_msg(timeout=min(left, 1))
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                break
        outputs = []
        idle_end = time.monotonic() + 10
        while time.monotonic() < idle_end:
            try:
                m = self.kc.get_iopub_msg(timeout=0.5)
            except queue.Empty:
                continue
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
            outputs.append(m)
        return msg["content"], outputs

    def run(self, code, timeout=120):
        content, outputs = self.reply(self.submit(code), timeout)
        return content, outputs

    def value(self, code, timeout=120):
        content, outputs = self.run(code, timeout)
        assert content["status"] == "ok", f"{code!r} failed: {content.get('ename')}: {content.get('evalue')}"
        for m in outputs:
            if m["msg_type"] == "execute_result":
                data = m["content"]["data"]
                return data.get("text/plain", data.get("text/html"))
        return None

    def close(self):
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)


class InterruptAndTelemetry(unittest.TestCase):
    """One kernel for the checks that need a live kernel."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="memlab-kcheck-"))
        # a long grace, so that only the library's check can stop the cells below, not the kernel's fallback
        cls.k = KernelSession(env={"MEMLAB_INTERRUPT_GRACE_S": "120", "MEMLAB_OUT": str(cls.tmp)})
        content, _ = cls.k.run(f"%jars {LIB_JAR}")
        assert content["status"] == "ok", content

    @classmethod
    def tearDownClass(cls):
        cls.k.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_telemetry_is_off(self):
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
        self.assertEqual(spec.env.get("OPT_OUT_TRACKING"), "true", f"kernelspec {spec.resource_dir}")
        self.assertEqual(self.k.value('ai.djl.util.Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")'), "true")

    def test_freed_tensor_memory_stays_with_the_kernel(self):
        # glibc would otherwise unmap freed tensor memory after each step (see bin/memlab)
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
        for name, value in (("MALLOC_MMAP_THRESHOLD_", "33554432"), ("MALLOC_TRIM_THRESHOLD_", "1073741824"), ("MALLOC_ARENA_MAX", "1")):
            self.assertEqual(spec.env.get(name), value, f"kernelspec {spec.resource_dir}")
            self.assertEqual(self.k.value(f'System.getenv("{name}")'), value)

    def test_tcmalloc_is_the_kernels_allocator_where_the_machine_has_it(self):
        lib = subprocess.run([str(ROOT / "bin" / "lib" / "malloc_lib.sh")], capture_output=True, text=True, check=True).stdout.strip()
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
        if not lib:
            self.assertNotIn("LD_PRELOAD", spec.env, f"kernelspec {spec.resource_dir}")
            self.skipTest("no tcmalloc on this machine (bin/lib/malloc_lib.sh found none)")
        self.assertEqual(spec.env.get("LD_PRELOAD"), lib, f"kernelspec {spec.resource_dir}")
        maps = self.k.value('java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/maps")).contains("libtcmalloc_minimal")')
        self.assertEqual(maps, "true", "the kernel's process does not map tcmalloc")

    def assert_stopped(self, content):
        self.assertEqual(content["status"], "error")
        self.assertIn("interrupted by the user", content.get("evalue", ""), content)
        self.assertIn("memlab.notebook.Interrupt$Stopped", "".join(content.get("traceback", [])))

    def interrupt_when(self, cond, timeout=120):
        self.assertTrue(wait_until(cond, timeout), "the cell never got going")
        self.k.km.interrupt_kernel()

    def test_interrupt_stops_a_sweep_keeping_finished_runs(self):
        results = self.tmp / "isweep.csv"
        code = textwrap.dedent(f"""
            var sweep = memlab.sweep.Sweep.builder("isweep").axis("lr", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
                    .seeds(0, 1, 2, 3, 4).resultsFile(java.nio.file.Path.of("{results}")).build();
            sweep.run(c -> {{ long t = System.nanoTime(); double x = 0;
                while (System.nanoTime() - t < 300_000_000L) x += Math.sqrt(x + 1);  // busy: ignores Thread.interrupt
                return java.util.Map.of("final_loss", x); }});
            """)
        msg_id = self.k.submit(code)
        self.interrupt_when(lambda: results.exists() and len(results.read_text().splitlines()) >= 3)
        t0 = time.monotonic()
        content, outputs = self.k.reply(msg_id, timeout=60)
        self.assertLess(time.monotonic() - t0, 30, "the sweep did not stop at its next run")
        self.assertEqual(content["status"], "error")
        self.assert_stopped(content)
        rows = len(results.read_text().splitlines()) - 1
        self.assertTrue(2 <= rows < 50, f"{rows} finished runs saved")
        time.sleep(1)
        self.assertEqual(len(results.read_text().splitlines()) - 1, rows, "runs went on after the interrupt")
        # the kernel is usable and the next cell's reply and output reach the client
        self.assertEqual(self.k.value("6 * 7"), "42")
        content, outputs = self.k.run('System.out.println("after the interrupt");')
        self.assertEqual(content["status"], "ok")
        self.assertIn("after the interrupt", "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream"))

    def test_interrupt_stops_a_training_loop_at_the_next_step(self):
        code = textwrap.dedent("""
            try (var base = ai.djl.ndarray.NDManager.newBaseManager();
                 var opt = memlab.train.Optimizer.adam(1e-3)) {
                var task = new memlab.tasks.TinyRegression(base, 1);
                System.out.println("training");
                memlab.train.Trainer.fit(task.params, opt, memlab.train.RunRecorder.single("t",
                        memlab.train.Divergence.NON_FINITE), 100_000_000, task, (s, n, m) -> {});
            }
            """)
        msg_id = self.k.submit(code)
        time.sleep(8)  # compile, load the engine, train a while
        self.k.km.interrupt_kernel()
        t0 = time.monotonic()
        content, _ = self.k.reply(msg_id, timeout=120)
        self.assertLess(time.monotonic() - t0, 60)
        self.assertEqual(content["status"], "error")
        self.assert_stopped(content)
        self.assertEqual(self.k.value("1 + 1"), "2")


def write_nb(path, cells):
    path.write_text(json.dumps(notebook(cells), indent=1), encoding="utf-8")


def kernel_pid(log):
    m = re.search(r"\(pid (\d+)\)", log.read_text(errors="replace")) if log.exists() else None
    return int(m.group(1)) if m else None


class Runner(unittest.TestCase):
    """run_notebooks.py: progress, status files, Ctrl-C and SIGKILL."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="memlab-kcheck-"))
        self.out = self.tmp / "out"
        self.procs = []

    def tearDown(self):
        for proc in self.procs:  # a failed check must not leave a runner (and its kernel) behind
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start_runner(self, nb, *extra):
        before = set(Path(tempfile.gettempdir()).glob("memlab-run-*"))
        proc = subprocess.Popen([PY, str(ROOT / "bin/lib/run_notebooks.py"), "--kernel", KERNEL, "--out", str(self.out),
                                 *extra, str(nb)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=dict(os.environ, MEMLAB_MODE="quick"))
        self.procs.append(proc)
        return proc, before

    def lines_of(self, proc):
        """Collects the runner's stdout lines as they come, in a list the test can poll."""
        lines = []

        def read():
            for line in proc.stdout:
                lines.append(line)
        threading.Thread(target=read, daemon=True).start()
        return lines

    def sleeping_notebook(self):
        nb = self.tmp / "sleepy.ipynb"
        write_nb(nb, [("markdown", "# Sleepy\n\n## Waiting section"),
                      ("code", 'System.out.println("going to sleep");'),
                      ("code", "Thread.sleep(600_000);")])
        return nb

    def wait_for_sleep(self, proc):
        lines = self.lines_of(proc)
        self.assertTrue(wait_until(lambda: any("going to sleep" in l for l in lines), START_TIMEOUT),
                        f"the notebook never got going: {lines}")
        time.sleep(2)  # into the sleeping cell
        self.assertIsNone(proc.poll(), "runner ended early")
        pid = kernel_pid(self.out / "sleepy.kernel.log")
        self.assertIsNotNone(pid)
        return pid

    def test_progress_and_status(self):
        nb = self.tmp / "talky.ipynb"
        fig = self.out / "talky"
        write_nb(nb, [("markdown", "# Talky\n\n## First part"),
                      ("code", 'System.out.println("hello from the first part");'),
                      ("markdown", "## Second part"),
                      ("code", textwrap.dedent("""\
                          java.nio.file.Files.writeString(java.nio.file.Path.of(System.getenv("MEMLAB_OUT"), "fig-a.verdict.json"),
                              "{\\"figure\\": \\"fig-a\\", \\"outcome\\": \\"agrees\\", \\"summary\\": \\"ours ends lower, as in the paper\\"}");
                          Thread.sleep(3000);
                          System.out.println("done");"""))])
        proc, before = self.start_runner(nb)
        out, err = proc.communicate(timeout=600)
        self.assertEqual(proc.returncode, 0, out + err)
        for expected in ("[talky] First part", "hello from the first part", "[talky] Second part",
                         "fig-a: agrees — ours ends lower, as in the paper", "done"):
            self.assertIn(expected, out)
        self.assertLess(out.index("fig-a: agrees"), out.index("    done"), "the verdict is shown while the cell runs")
        status = json.loads((self.out / "talky.status.json").read_text())
        self.assertEqual({k: status[k] for k in ("notebook", "status", "error", "mode")},
                         dict(notebook="talky", status="ok", error=None, mode="quick"))
        self.assertGreater(status["wall_s"], 0)
        self.assertTrue(status["started"] <= status["finished"])
        self.assertEqual(set(Path(tempfile.gettempdir()).glob("memlab-run-*")) - before, set(),
                         "the runner left its connection folder behind")
        # a failing notebook is marked failed with a one-line error
        bad = self.tmp / "broken.ipynb"
        write_nb(bad, [("code", 'throw new IllegalStateException("broken on purpose");')])
        proc, _ = self.start_runner(bad, "--quiet")
        out, err = proc.communicate(timeout=600)
        self.assertEqual(proc.returncode, 1)
        status = json.loads((self.out / "broken.status.json").read_text())
        self.assertEqual(status["status"], "failed")
        self.assertIn("broken on purpose", status["error"])
        self.assertNotIn("\n", status["error"])

    def test_ctrl_c_prints_one_line_and_marks_the_notebook(self):
        proc, before = self.start_runner(self.sleeping_notebook())
        pid = self.wait_for_sleep(proc)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
        out, err = "", proc.stderr.read()
        self.assertEqual(proc.returncode, 130, err)
        self.assertNotIn("Traceback", err + out)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("interrupted sleepy", err)
        status = json.loads((self.out / "sleepy.status.json").read_text())
        self.assertEqual(status["status"], "interrupted")
        self.assertIn("Waiting section", status["error"])
        self.assertTrue(wait_until(lambda: not pid_alive(pid), 30), "kernel still running after Ctrl-C")
        self.assertEqual(set(Path(tempfile.gettempdir()).glob("memlab-run-*")) - before, set())

    def test_sigkill_of_the_runner_ends_its_kernel_and_connection_file(self):
        proc, before = self.start_runner(self.sleeping_notebook())
        pid = self.wait_for_sleep(proc)
        conn = set(Path(tempfile.gettempdir()).glob("memlab-run-*")) - before
        self.assertEqual(len(conn), 1)
        conn_files = list(next(iter(conn)).glob("kernel-*.json"))
        self.assertEqual(len(conn_files), 1, "one connection file while the kernel runs")
        proc.kill()
        proc.wait()
        self.assertTrue(wait_until(lambda: not pid_alive(pid), 30), "kernel still running after its runner died")
        self.assertFalse(conn_files[0].exists(), "connection file (HMAC key) left behind")
        status = json.loads((self.out / "sleepy.status.json").read_text())
        self.assertEqual(status["status"], "running", "a killed runner's notebook stays marked running")


class Arguments(unittest.TestCase):
    """bin/memlab reproduce argument handling (--list: resolve and print, run nothing)."""

    def reproduce(self, *args, mode=None):
        env = dict(os.environ)
        env.pop("MEMLAB_MODE", None)
        if mode is not None:
            env["MEMLAB_MODE"] = mode
        return subprocess.run([str(ROOT / "bin/memlab"), "reproduce", "--list", *args], capture_output=True, text=True,
                              env=env, timeout=60)

    def listed(self, r):
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.strip().splitlines()
        return lines[0], [Path(p).stem for p in lines[1:]]

    def test_prefix_selects_every_matching_notebook(self):
        every = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
        self.assertEqual(self.listed(self.reproduce("0"))[1], [s for s in every if s.startswith("0")])
        self.assertEqual(self.listed(self.reproduce("01"))[1], [s for s in every if s.startswith("01")])
        self.assertEqual(self.listed(self.reproduce())[1], every)

    def test_empty_or_unknown_argument_is_refused(self):
        for bad in ("", "no-such-notebook"):
            r = self.reproduce(bad)
            self.assertNotEqual(r.returncode, 0, f"{bad!r} accepted: {r.stdout}")
            self.assertIn("notebook", r.stderr)

    def test_mode_from_flag_or_environment(self):
        self.assertEqual(self.listed(self.reproduce())[0], "mode paper")
        r = self.reproduce(mode="quick")
        self.assertEqual(self.listed(r)[0], "mode quick")
        self.assertIn("MEMLAB_MODE", r.stderr)
        r = self.reproduce("--quick", mode="paper")
        self.assertEqual(self.listed(r)[0], "mode quick")
        self.assertIn("not MEMLAB_MODE=paper", r.stderr)
        r = self.reproduce(mode="fast")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("MEMLAB_MODE must be quick, paper or long", r.stderr)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab(unittest.TestCase):
    """bin/memlab lab serves its API as root and as an ordinary user, and sends figures to out/<notebook>/."""

    USER = "memlab-labcheck"

    def lab(self, prefix=(), quick=True, home=None):
        port, token = free_port(), secrets.token_hex(8)
        env = dict(os.environ)
        if home:
            env.update(HOME=home, XDG_DATA_HOME=f"{home}/.local/share", XDG_CACHE_HOME=f"{home}/.cache")
            for k in ("JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR"):
                env.pop(k, None)
        proc = subprocess.Popen([*prefix, str(ROOT / "bin/memlab"), "lab", "--quick" if quick else "--paper",
                                 "--port", str(port), "--no-browser", "--", f"--NotebookApp.token={token}"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                start_new_session=True)
        return proc, port, token

    def api(self, port, token, path, method="GET", body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read() or b"null")

    def wait_api(self, proc, port, token):
        def up():
            try:
                return "started" in self.api(port, token, "status")
            except OSError:
                return False
        ok = wait_until(lambda: proc.poll() is not None or up(), 300, step=1)
        if not (ok and proc.poll() is None):
            self.fail(f"lab did not serve its API: {self.stop(proc)}")

    def stop(self, proc):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        return proc.stdout.read()

    def test_lab_as_this_user_with_figures_in_out_notebook(self):
        proc, port, token = self.lab()
        try:
            self.wait_api(proc, port, token)
            # a session for a notebook: its kernel writes to out/quick/<notebook>/
            name = "zz-labcheck.ipynb"
            nb_path = ROOT / "notebooks" / name
            write_nb(nb_path, [])
            try:
                s = self.api(port, token, "sessions", "POST",
                             {"path": name, "type": "notebook", "name": name, "kernel": {"name": KERNEL}})
                out = self.kernel_value(port, token, s["kernel"]["id"], "memlab.core.Params.outDir().toString()")
                self.assertEqual(out.strip('"'), str(ROOT / "out" / "quick" / "zz-labcheck"))
                self.api(port, token, f"sessions/{s['id']}", "DELETE")
            finally:
                nb_path.unlink(missing_ok=True)
        finally:
            log = self.stop(proc)
        self.assertIn("quick mode", log)
        self.assertIn("bin/memlab lab --paper", log, "the way to switch modes is printed")
        if os.getuid() == 0:
            self.assertNotIn("Running as root is not recommended. Use --allow-root", log)

    def kernel_value(self, port, token, kernel_id, expr):
        """Evaluates expr in a running kernel of the server, over jupyter_client's connection through the server's
        kernel connection file (same machine)."""
        from jupyter_client import BlockingKernelClient
        from jupyter_core.paths import jupyter_runtime_dir
        kc = BlockingKernelClient(connection_file=os.path.join(jupyter_runtime_dir(), f"kernel-{kernel_id}.json"))
        kc.load_connection_file()
        kc.start_channels()
        try:
            # (wait_for_ready trusts the heartbeat, which a client without a kernel manager sees late)
            end = time.monotonic() + START_TIMEOUT
            ready = False
            while not ready and time.monotonic() < end:
                kc.kernel_info()
                try:
                    ready = kc.get_shell_msg(timeout=5)["msg_type"] == "kernel_info_reply"
                except queue.Empty:
                    pass
            self.assertTrue(ready, "the lab's kernel did not answer")
            kc.execute_interactive(f"%jars {LIB_JAR}", timeout=120, output_hook=lambda m: None)
            found = []
            kc.execute_interactive(expr, timeout=120, output_hook=lambda m: found.append(m) if m["msg_type"] == "execute_result" else None)
            data = found[0]["content"]["data"]
            return data.get("text/plain", data.get("text/html"))
        finally:
            kc.stop_channels()

    @unittest.skipUnless(os.getuid() == 0 and shutil.which("useradd") and shutil.which("runuser"),
                         "needs root, useradd and runuser")
    def test_lab_as_an_ordinary_user(self):
        if subprocess.run(["id", self.USER], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "-m", self.USER], check=True)
        home = subprocess.run(["getent", "passwd", self.USER], capture_output=True, text=True).stdout.split(":")[5]
        proc, port, token = self.lab(prefix=("runuser", "-u", self.USER, "--"), home=home)
        try:
            self.wait_api(proc, port, token)
            self.assertIn("kernelspecs", self.api(port, token, "kernelspecs"))
            self.assertIn(KERNEL, self.api(port, token, "kernelspecs")["kernelspecs"])
        finally:
            log = self.stop(proc)
        self.assertNotIn("--allow-root", log)


def main():
    global KERNEL
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--kernel", default=KERNEL)
    p.add_argument("--no-lab", action="store_true", help="skip the lab checks")
    p.add_argument("-k", dest="pattern", action="append", help="run only tests matching this substring")
    args = p.parse_args()
    KERNEL = args.kernel
    if not LIB_JAR.exists():
        sys.exit(f"no {LIB_JAR}: run bin/memlab setup first")
    loader = unittest.TestLoader()
    if args.pattern:
        loader.testNamePatterns = [f"*{s}*" for s in args.pattern]
    classes = [InterruptAndTelemetry, Runner, Arguments] + ([] if args.no_lab else [Lab])
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(c) for c in classes)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()

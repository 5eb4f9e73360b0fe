#!/usr/bin/python3
"""Runs notebooks headless on a Jupyter kernel and saves each one executed, as .ipynb and as .html.

    /usr/bin/python3 bin/lib/run_notebooks.py --out OUTDIR [--kernel memlab] [--start-timeout 60]
                                             [--retries 6] [--cell-timeout -1] [--quiet] NOTEBOOK...

For each notebook the kernel runs in the notebook's folder, with this process's environment (MEMLAB_MODE and
the like pass through) plus MEMLAB_OUT=OUTDIR/<notebook stem>, where the library saves figures. A kernel that
does not answer kernel_info within --start-timeout seconds, or dies before it does, is replaced by a fresh one;
a notebook whose kernel the memlab watchdog ended mid-run is run again from the start. Both count against
--retries per notebook.

While a notebook runs it prints the section (the last markdown heading above the running cell), the cells'
printed text, the live progress display (at most every few seconds when not on a terminal) and each figure's
verdict as the notebook saves it (OUTDIR/<stem>/<figure-id>.verdict.json: "figure-id: outcome — summary").
--quiet prints only the closing line per notebook.

Written per notebook: OUTDIR/<stem>.ipynb and OUTDIR/<stem>.html (also when a cell failed), the kernel's own
stdout and stderr in OUTDIR/<stem>.kernel.log, and OUTDIR/<stem>.status.json:
    {"notebook": stem, "status": "running" | "ok" | "failed" | "interrupted", "started": ISO time,
     "finished": ISO time or null, "wall_s": seconds, "error": one line or null, "mode": "quick" | "paper"}
("running" while it runs; a file left "running" means the runner was killed).
A notebook stops at its first failing cell; the error is printed and the exit status is 1 once all notebooks
have run. Ctrl-C stops the running notebook (its kernel is shut down, runs already saved stay saved), marks it
"interrupted", prints one line and exits with status 130.
Connection files (they hold the session's HMAC key) live in a private temporary folder that is removed at the
end; if this process is killed, each kernel notices its parent is gone, deletes its file and exits.
Needs nbclient and nbconvert (Debian's /usr/bin/python3 has them).
"""
import argparse
import asyncio
import atexit
import contextlib
import datetime
import json
import logging
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WATCHDOG_LINE = "so that Jupyter restarts the kernel"  # printed by memlab.kernel.WatchedKernel before it halts
PROGRESS_SECONDS_LOG = 10.0   # progress lines when stdout is a log file
PROGRESS_SECONDS_TTY = 0.5    # progress rewrites in place on a terminal
VERDICT_SCAN_SECONDS = 2.0


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).astimezone().isoformat(timespec="seconds")


def write_json_atomic(path, data):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class ConnectionDir:
    """A private folder (mode 700) for the kernels' connection files, removed at exit and on SIGTERM/SIGHUP."""

    def __init__(self):
        self.path = Path(tempfile.mkdtemp(prefix="memlab-run-"))
        atexit.register(self.remove)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, self.on_signal)

    def new_file(self):
        return str(self.path / f"kernel-{uuid.uuid4()}.json")

    def remove(self):
        shutil.rmtree(self.path, ignore_errors=True)

    def on_signal(self, signum, frame):
        raise SystemExit(128 + signum)  # unwinds: kernels shut down in finally blocks, atexit removes the folder


class Reporter:
    """Prints what a running notebook does: section, printed text, progress, verdicts."""

    def __init__(self, stem, nb, fig_dir, quiet):
        self.stem, self.nb, self.fig_dir, self.quiet = stem, nb, fig_dir, quiet
        self.tty = sys.stdout.isatty()
        self.section = None
        self.progress_at = 0.0
        self.progress_pending = None
        self.inline = False  # a progress line is shown without its newline (terminal)
        self.verdicts = {}
        self.verdict_scan_at = 0.0
        self.started = time.time()
        self.lock = threading.RLock()  # the main thread and the watcher both print
        self.scan_verdicts(report=False)  # verdict files from an earlier run are not news
        self.stopped = threading.Event()
        self.watcher = threading.Thread(target=self.watch, daemon=True)
        self.watcher.start()

    def watch(self):
        """Verdicts saved and progress held back while a cell sends no message (a long computation)."""
        while not self.stopped.wait(VERDICT_SCAN_SECONDS):
            with self.lock:
                self.scan_verdicts(report=True)
                interval = PROGRESS_SECONDS_TTY if self.tty else PROGRESS_SECONDS_LOG
                if self.progress_pending and time.monotonic() - self.progress_at >= interval and not self.quiet:
                    self.show_progress(self.progress_pending)

    def stop(self):
        self.stopped.set()
        with self.lock:
            self.flush_progress()
            self.scan_verdicts(report=True)

    def say(self, line):
        if self.quiet:
            return
        with self.lock:
            if self.inline:
                sys.stdout.write("\r\x1b[K" if self.tty else "\n")
                self.inline = False
            print(line, flush=True)

    def on_cell_start(self, cell, cell_index, **kwargs):
        heading = None
        for c in self.nb.cells[:cell_index + 1]:
            if c.cell_type == "markdown":
                for line in c.source.splitlines():
                    if line.startswith("#"):
                        heading = line.lstrip("#").strip()
        if heading and heading != self.section:
            self.section = heading
            self.say(f"  [{self.stem}] {heading}")

    def on_cell_complete(self, cell, cell_index, **kwargs):
        self.flush_progress()
        self.scan_verdicts(report=True)

    def message(self, msg):
        if self.quiet:
            return
        with self.lock:
            self._message(msg)

    def _message(self, msg):
        kind = msg["header"]["msg_type"]
        content = msg.get("content", {})
        if kind == "stream":
            text = ANSI.sub("", content.get("text", ""))
            for line in text.rstrip("\n").splitlines():
                self.say("    " + line[:240])
        elif kind in ("display_data", "update_display_data"):
            data = content.get("data", {})
            if "text/plain" in data and not any(k.startswith(("text/html", "image/")) for k in data):
                self.progress(str(data["text/plain"]).strip().splitlines()[-1:] or [""])
        if time.monotonic() - self.verdict_scan_at > VERDICT_SCAN_SECONDS:
            self.scan_verdicts(report=True)

    def progress(self, lines):
        line = "    " + lines[0][:200]
        interval = PROGRESS_SECONDS_TTY if self.tty else PROGRESS_SECONDS_LOG
        if time.monotonic() - self.progress_at < interval:
            self.progress_pending = line
            return
        self.show_progress(line)

    def show_progress(self, line):
        self.progress_at = time.monotonic()
        self.progress_pending = None
        if self.tty:
            sys.stdout.write("\r\x1b[K" + line)
            sys.stdout.flush()
            self.inline = True
        else:
            print(line, flush=True)

    def flush_progress(self):
        if self.progress_pending and not self.quiet:
            self.show_progress(self.progress_pending)
        if self.inline:
            sys.stdout.write("\n")
            sys.stdout.flush()
            self.inline = False

    def scan_verdicts(self, report):
        self.verdict_scan_at = time.monotonic()
        if not self.fig_dir.is_dir():
            return
        for f in sorted(self.fig_dir.glob("*.verdict.json")):
            try:
                mtime = f.stat().st_mtime
                if self.verdicts.get(f.name) == mtime:
                    continue
                self.verdicts[f.name] = mtime
                if not report:
                    continue
                v = json.loads(f.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # being written; read on the next scan
            figure = v.get("figure") or f.name[: -len(".verdict.json")]
            summary = " ".join(str(v.get("summary") or "").split())
            self.say(f"  {figure}: {v.get('outcome', '?')} — {summary}".rstrip(" —"))


class LiveClient(NotebookClient):
    """An nbclient that shows each output message to a Reporter as it arrives, and keeps this runner's SIGINT and
    SIGTERM handling (nbclient's own handlers shut the kernel down and carry on with the next notebook)."""

    reporter = None
    signal_handlers = {}

    @contextlib.asynccontextmanager
    async def async_setup_kernel(self, **kwargs):
        async with super().async_setup_kernel(**kwargs):
            loop = asyncio.get_event_loop()
            for sig, handler in self.signal_handlers.items():
                try:
                    loop.add_signal_handler(sig, handler, sig, None)  # replaces nbclient's
                except RuntimeError:
                    pass
            yield

    def process_message(self, msg, cell, cell_index):
        if self.reporter is not None:
            try:
                self.reporter.message(msg)
            except Exception as e:  # showing progress must never break the run
                print(f"  (progress display failed: {e})", file=sys.stderr)
        return super().process_message(msg, cell, cell_index)


def start_kernel(client, cwd, env, log, retries, conn_dir):
    """Starts the client's kernel, replacing it while it does not answer; returns the number of retries."""
    for attempt in range(retries + 1):
        client.km = client.create_kernel_manager()
        client.km.connection_file = conn_dir.new_file()
        client.start_new_kernel(cwd=cwd, env=env, stdout=log, stderr=log)
        try:
            client.start_new_kernel_client()  # waits for kernel_info; shuts the kernel down on failure
            return attempt
        except RuntimeError as e:
            client.km = client.kc = None
            if attempt == retries:
                raise RuntimeError(f"kernel did not start ({e}) and no retries are left") from e
            print(f"  kernel did not answer ({e}); starting a fresh kernel", flush=True)


def tail(lines, n=10):
    rows = ANSI.sub("", "\n".join(lines)).rstrip().splitlines()
    return "\n".join("    " + r for r in rows[-n:])


def cell_error(nb, e):
    """Describes the first error output in the notebook (the failed cell), else the exception; and one line."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                one = f"cell {index}: {out.get('ename')}: {ANSI.sub('', str(out.get('evalue')))}"
                return f"  {one}\n{tail(out.get('traceback', []))}", one
    one = f"{getattr(e, 'ename', type(e).__name__)}: {getattr(e, 'evalue', '')}"
    return f"  {one}\n{tail(str(e).splitlines())}", one


def kill_kernel(client):
    """Shuts the kernel down; if nbclient's own cleanup cannot (e.g. after Ctrl-C), kills its process."""
    if client.km is None:
        return
    try:
        client._cleanup_kernel()
    except BaseException:
        proc = getattr(getattr(client.km, "provisioner", None), "process", None)
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        try:
            os.unlink(client.km.connection_file)
        except OSError:
            pass


class Interrupted(Exception):
    """Ctrl-C stopped the notebook."""


def run_one(path, out_dir, args, conn_dir, mode):
    """Runs one notebook; returns (status, retries, error text or None)."""
    stem = path.stem
    fig_dir = out_dir / stem
    fig_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MEMLAB_OUT=str(fig_dir))
    cwd = str(path.parent)
    retries = 0
    log_path = out_dir / f"{stem}.kernel.log"
    status_path = out_dir / f"{stem}.status.json"
    started, t0 = now_iso(), time.monotonic()
    record = dict(notebook=stem, status="running", started=started, finished=None, wall_s=None, error=None, mode=mode)
    write_json_atomic(status_path, record)
    nb = nbformat.read(path, as_version=4)
    interrupted = False
    with open(log_path, "w") as log:
        while True:
            nb = nbformat.read(path, as_version=4)
            reporter = Reporter(stem, nb, fig_dir, args.quiet)
            client = LiveClient(
                nb,
                kernel_name=args.kernel,
                timeout=None if args.cell_timeout < 0 else args.cell_timeout,
                startup_timeout=args.start_timeout,
                resources={"metadata": {"path": cwd}},
                on_cell_start=reporter.on_cell_start,
                on_cell_complete=reporter.on_cell_complete,
            )
            client.reporter = reporter
            status, error, one_line = "ok", None, None
            log.flush()
            log_start = log_path.stat().st_size
            def on_sigint(signum, frame, client=client):
                # Ctrl-C: end the kernel (its own session, so it did not get the signal); nbclient then stops with
                # DeadKernelError, which is reported as an interruption below. Before a kernel exists: plain stop.
                nonlocal interrupted
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
                interrupted = True
                logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # no "Task exception was never retrieved"
                proc = getattr(getattr(client.km, "provisioner", None), "process", None)
                if proc is None:
                    raise KeyboardInterrupt
                proc.kill()

            signal.signal(signal.SIGINT, on_sigint)
            signal.signal(signal.SIGTERM, conn_dir.on_signal)
            client.signal_handlers = {signal.SIGINT: on_sigint, signal.SIGTERM: conn_dir.on_signal}
            try:
                try:
                    retries += start_kernel(client, cwd, env, log, args.retries - retries, conn_dir)
                    client.execute()  # reuses the kernel started above, shuts it down at the end
                except BaseException as e:
                    if interrupted or isinstance(e, KeyboardInterrupt):
                        raise Interrupted() from None
                    raise
            except Interrupted:
                interrupted = True
                status, one_line = "interrupted", f"interrupted by Ctrl-C in section '{reporter.section or '?'}'"
            except CellExecutionError as e:
                status, (error, one_line) = "failed", cell_error(nb, e)
            except (CellTimeoutError, DeadKernelError, RuntimeError) as e:
                first_line = (str(e).strip().splitlines() or [""])[0]
                status, error = "failed", f"  {type(e).__name__}: {first_line}\n  kernel log: {log_path}"
                one_line = f"{type(e).__name__}: {first_line}"
                # The watchdog can end a broken kernel just after it answered kernel_info: run again, afresh.
                with open(log_path, errors="replace") as f:
                    f.seek(log_start)
                    watchdog = WATCHDOG_LINE in f.read()
                if isinstance(e, DeadKernelError) and watchdog and retries < args.retries:
                    retries += 1
                    print(f"  the watchdog ended the kernel during the notebook; retry {retries}/{args.retries}"
                          " from the start with a fresh kernel", flush=True)
                    kill_kernel(client)
                    continue
            finally:
                reporter.stop()
                kill_kernel(client)
            break
    nbformat.write(nb, out_dir / f"{stem}.ipynb")
    html, _ = HTMLExporter().from_notebook_node(nb)
    (out_dir / f"{stem}.html").write_text(html, encoding="utf-8")
    record.update(status=status, finished=now_iso(), wall_s=round(time.monotonic() - t0, 1), error=one_line)
    write_json_atomic(status_path, record)
    if interrupted:
        raise KeyboardInterrupt
    return status, retries, error


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, type=Path, help="folder for executed notebooks, HTML and figures")
    p.add_argument("--kernel", default="memlab", help="kernelspec name (default: memlab)")
    p.add_argument("--start-timeout", type=int, default=60, help="seconds to wait for kernel_info (default: 60)")
    p.add_argument("--retries", type=int, default=6, help="fresh kernels to try when one does not answer")
    p.add_argument("--cell-timeout", type=int, default=-1, help="seconds per cell, -1 for no limit (default)")
    p.add_argument("--quiet", action="store_true", help="print only one line per notebook")
    p.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    args = p.parse_args()

    mode = (os.environ.get("MEMLAB_MODE") or "paper").strip().lower()
    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    conn_dir = ConnectionDir()
    failed = []
    for nb_path in args.notebooks:
        nb_path = nb_path.resolve()
        t0 = time.monotonic()
        if not args.quiet:
            print(f"RUN   {nb_path.stem} (mode {mode})", flush=True)
        try:
            status, retries, error = run_one(nb_path, out_dir, args, conn_dir, mode)
        except KeyboardInterrupt:
            print(f"memlab: interrupted {nb_path.stem} after {time.monotonic() - t0:.0f}s (Ctrl-C); runs finished "
                  f"so far are saved and resume on the next run; marked in {out_dir / (nb_path.stem + '.status.json')}",
                  file=sys.stderr, flush=True)
            sys.stdout.flush()
            conn_dir.remove()
            os._exit(130)  # skips interpreter teardown, where jupyter_client's finalizers print noise
        note = f" (kernel start retries: {retries})" if retries else ""
        print(f"{status.upper():6} {time.monotonic() - t0:7.1f}s  {nb_path}{note}", flush=True)
        if error:
            print(error, flush=True)
            failed.append(nb_path)
    if failed:
        print(f"{len(failed)} of {len(args.notebooks)} notebooks failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

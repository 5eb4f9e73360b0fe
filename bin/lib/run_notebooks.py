#!/usr/bin/python3
"""Runs notebooks headless on a Jupyter kernel and saves each one executed, as .ipynb and as .html.

    /usr/bin/python3 bin/lib/run_notebooks.py --out OUTDIR [--kernel java] [--start-timeout 60]
                                             [--retries 6] [--cell-timeout -1] NOTEBOOK...

For each notebook the kernel runs in the notebook's folder, with this process's environment (MEMLAB_MODE and
the like pass through) plus MEMLAB_OUT=OUTDIR/<notebook stem>, where the library saves figures. A kernel that
does not answer kernel_info within --start-timeout seconds, or dies before it does, is replaced by a fresh one;
a notebook whose kernel the memlab watchdog ended mid-run is run again from the start. Both count against
--retries per notebook.
The executed notebook goes to OUTDIR/<stem>.ipynb and OUTDIR/<stem>.html, written also when a cell failed;
the kernel's own stdout and stderr go to OUTDIR/<stem>.kernel.log.
A notebook stops at its first failing cell; the error is printed and the exit status is 1 once all notebooks
have run. Needs nbclient and nbconvert (Debian's /usr/bin/python3 has them).
"""
import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def start_kernel(client, cwd, env, log, retries):
    """Starts the client's kernel, replacing it while it does not answer; returns the number of retries."""
    for attempt in range(retries + 1):
        client.km = client.create_kernel_manager()
        client.start_new_kernel(cwd=cwd, env=env, stdout=log, stderr=log)
        try:
            client.start_new_kernel_client()  # waits for kernel_info; shuts the kernel down on failure
            return attempt
        except RuntimeError as e:
            client.km = client.kc = None
            if attempt == retries:
                raise RuntimeError(f"kernel did not start ({e}) and no retries are left") from e
            print(f"  kernel did not answer ({e}); starting a fresh kernel", flush=True)


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def tail(lines, n=10):
    rows = ANSI.sub("", "\n".join(lines)).rstrip().splitlines()
    return "\n".join("    " + r for r in rows[-n:])


def cell_error(nb, e):
    """Describes the first error output in the notebook (the failed cell), else the exception."""
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return (f"  cell {index}: {out.get('ename')}: {ANSI.sub('', str(out.get('evalue')))}\n"
                        f"{tail(out.get('traceback', []))}")
    return f"  {getattr(e, 'ename', type(e).__name__)}: {getattr(e, 'evalue', '')}\n{tail(str(e).splitlines())}"


WATCHDOG_LINE = "so that Jupyter restarts the kernel"  # printed by memlab.kernel.WatchedKernel before it halts


def run_one(path, out_dir, args):
    """Runs one notebook; returns (status, retries, error text or None)."""
    stem = path.stem
    fig_dir = out_dir / stem
    fig_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MEMLAB_OUT=str(fig_dir))
    cwd = str(path.parent)
    retries = 0
    log_path = out_dir / f"{stem}.kernel.log"
    with open(log_path, "w") as log:
        while True:
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(
                nb,
                kernel_name=args.kernel,
                timeout=None if args.cell_timeout < 0 else args.cell_timeout,
                startup_timeout=args.start_timeout,
                resources={"metadata": {"path": cwd}},
            )
            status, error = "ok", None
            log.flush()
            log_start = log_path.stat().st_size
            try:
                retries += start_kernel(client, cwd, env, log, args.retries - retries)
                client.execute()  # reuses the kernel started above, shuts it down at the end
            except CellExecutionError as e:
                status, error = "error", cell_error(nb, e)
            except (CellTimeoutError, DeadKernelError, RuntimeError) as e:
                first_line = (str(e).strip().splitlines() or [""])[0]
                status, error = "error", f"  {type(e).__name__}: {first_line}\n  kernel log: {log_path}"
                # The watchdog can end a broken kernel just after it answered kernel_info: run again, afresh.
                with open(log_path, errors="replace") as f:
                    f.seek(log_start)
                    watchdog = WATCHDOG_LINE in f.read()
                if isinstance(e, DeadKernelError) and watchdog and retries < args.retries:
                    retries += 1
                    print(f"  the watchdog ended the kernel during the notebook; retry {retries}/{args.retries}"
                          " from the start with a fresh kernel", flush=True)
                    continue
            finally:
                if client.km is not None:
                    client._cleanup_kernel()
            break
    nbformat.write(nb, out_dir / f"{stem}.ipynb")
    html, _ = HTMLExporter().from_notebook_node(nb)
    (out_dir / f"{stem}.html").write_text(html, encoding="utf-8")
    return status, retries, error


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, type=Path, help="folder for executed notebooks, HTML and figures")
    p.add_argument("--kernel", default="java", help="kernelspec name (default: java)")
    p.add_argument("--start-timeout", type=int, default=60, help="seconds to wait for kernel_info (default: 60)")
    p.add_argument("--retries", type=int, default=6, help="fresh kernels to try when one does not answer")
    p.add_argument("--cell-timeout", type=int, default=-1, help="seconds per cell, -1 for no limit (default)")
    p.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    args = p.parse_args()

    out_dir = args.out.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = []
    for nb_path in args.notebooks:
        nb_path = nb_path.resolve()
        t0 = time.monotonic()
        status, retries, error = run_one(nb_path, out_dir, args)
        note = f" (kernel start retries: {retries})" if retries else ""
        print(f"{status.upper():5} {time.monotonic() - t0:7.1f}s  {nb_path}{note}", flush=True)
        if error:
            print(error, flush=True)
            failed.append(nb_path)
    if failed:
        print(f"{len(failed)} of {len(args.notebooks)} notebooks failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

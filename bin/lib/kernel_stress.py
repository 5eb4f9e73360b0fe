#!/usr/bin/python3
"""Starts the Java kernel many times and counts the starts that hang.

    /usr/bin/python3 bin/lib/kernel_stress.py [-n 50] [-t 30] [--kernel memlab] [--raw] [--restarts 5] [--load 0]

Each start launches the kernel through the installed kernelspec (jupyter_client's KernelManager), waits up to
-t seconds for a kernel_info reply, runs `1+1` and checks that it prints 2, then shuts the kernel down.

  hang      no reply within -t seconds although the kernel process is alive: what a user sees as a kernel
            that never starts.
  watchdog  the kernel process ended with the watchdog's status (3) before replying; the script starts a
            fresh kernel, as Jupyter's auto-restart would, up to --restarts times, and counts a watchdog restart.
  failure   anything else: another exit status, a wrong result, a kernel still dead after --restarts restarts,
            or a kernel that did not exit with status 0 after a normal shutdown request.

Any hang or failure makes the exit status 1. The summary also counts the message loops the launcher restarted
in place (its log lines "... restarted it"): start-up defects repaired without a new process.

--raw launches rapaio's own org.rapaio.jupyter.kernel.MainApp (same jar, same java, same env) without the
watchdog, to show the start-up defect that the watchdog handles. --load N runs N busy `yes` processes meanwhile.
"""
import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

WATCHDOG_EXIT = 3  # memlab.kernel.WatchedKernel.EXIT_DEAD_LOOP


def raw_spec_dir(kernel):
    """A temporary kernelspec folder holding a copy of `kernel` that runs rapaio's MainApp directly."""
    spec = KernelSpecManager().get_kernel_spec(kernel)
    argv = list(spec.argv)
    jar_at = argv.index("-jar")
    argv[jar_at:jar_at + 2] = ["-cp", argv[jar_at + 1], "org.rapaio.jupyter.kernel.MainApp"]
    root = Path(tempfile.mkdtemp(prefix="kernel-stress-"))
    (root / "kernels" / "java-raw").mkdir(parents=True)
    data = spec.to_dict()
    data.update(argv=argv, display_name=spec.display_name + " (raw)")
    (root / "kernels" / "java-raw" / "kernel.json").write_text(json.dumps(data, indent=1))
    return root


def one_start(make_km, timeout, log):
    """Starts one kernel; returns ('ok' | 'hang' | 'died' | 'failure', detail)."""
    km = make_km()
    km.start_kernel(stdout=log, stderr=log)
    proc = km.provisioner.process
    kc = km.client()
    kc.start_channels()
    try:
        deadline = time.monotonic() + timeout
        msg_id = kc.kernel_info()
        last_ask = time.monotonic()
        while True:
            if proc.poll() is not None:
                return "died", f"exit status {proc.returncode} before replying"
            if time.monotonic() > deadline:
                return "hang", f"no kernel_info reply in {timeout} s, process alive"
            if time.monotonic() - last_ask > 5:  # ask again, as jupyter_client's wait_for_ready does
                msg_id, last_ask = kc.kernel_info(), time.monotonic()
            try:
                msg = kc.get_shell_msg(timeout=0.2)
            except queue.Empty:
                continue
            if msg["msg_type"] == "kernel_info_reply":
                break
        msg_id = kc.execute("1+1")
        reply, results, idle = None, [], False
        while reply is None or not idle:
            if proc.poll() is not None:
                return "died", f"exit status {proc.returncode} during 1+1"
            if time.monotonic() > deadline:
                return "hang", "kernel_info answered but 1+1 did not finish in time"
            try:
                if reply is None:
                    msg = kc.get_shell_msg(timeout=0.2)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        reply = msg
                    continue
                msg = kc.get_iopub_msg(timeout=0.2)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "execute_result":
                data = msg["content"]["data"]
                results.append(data.get("text/plain") or data.get("text/html"))
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        if reply["content"]["status"] != "ok" or results != ["2"]:
            return "failure", f"1+1 gave status {reply['content']['status']}, results {results}"
        km.shutdown_kernel(now=False)
        if proc.returncode != 0:
            return "failure", f"exit status {proc.returncode} after a shutdown request"
        return "ok", ""
    finally:
        kc.stop_channels()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        km.cleanup_resources()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--starts", type=int, default=50)
    p.add_argument("-t", "--timeout", type=float, default=30, help="seconds to wait for a reply (default 30)")
    p.add_argument("--kernel", default="memlab", help="installed kernelspec (default: memlab)")
    p.add_argument("--raw", action="store_true", help="run rapaio's MainApp without the watchdog")
    p.add_argument("--restarts", type=int, default=5,
                   help="fresh kernels after a watchdog kill, per start (Jupyter's restart_limit is 5)")
    p.add_argument("--load", type=int, default=0, help="busy processes to run meanwhile (default 0)")
    p.add_argument("--log", type=Path, default=Path(tempfile.gettempdir()) / "kernel_stress.log",
                   help="file for the kernels' own output")
    args = p.parse_args()

    spec_root = None
    if args.raw:
        spec_root = raw_spec_dir(args.kernel)
        ksm = KernelSpecManager(kernel_dirs=[str(spec_root / "kernels")])

        def make_km():
            return KernelManager(kernel_name="java-raw", kernel_spec_manager=ksm)
    else:
        def make_km():
            return KernelManager(kernel_name=args.kernel)

    load = [subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) for _ in range(args.load)]
    counts = dict(ok=0, hangs=0, failures=0, watchdog_restarts=0, deaths_raw=0)
    t_start = time.monotonic()
    try:
        with open(args.log, "w") as log:
            for i in range(1, args.starts + 1):
                t0 = time.monotonic()
                restarts = 0
                while True:
                    log.write(f"\n===== start {i}, attempt {restarts + 1}\n")
                    log.flush()
                    t1 = time.monotonic()
                    outcome, detail = one_start(make_km, args.timeout, log)
                    log.write(f"===== {outcome} in {time.monotonic() - t1:.1f}s {detail}\n")
                    watchdog_kill = (outcome == "died" and not args.raw
                                     and detail.startswith(f"exit status {WATCHDOG_EXIT} "))
                    if not watchdog_kill or restarts >= args.restarts:
                        break
                    restarts += 1
                counts["watchdog_restarts"] += restarts
                if outcome == "ok":
                    counts["ok"] += 1
                elif outcome == "hang":
                    counts["hangs"] += 1
                else:
                    counts["failures"] += 1
                    counts["deaths_raw"] += args.raw and outcome == "died"
                note = f" after {restarts} watchdog restart(s)" if restarts else ""
                print(f"start {i:3}: {outcome:7} {time.monotonic() - t0:5.1f}s{note} {detail}".rstrip(), flush=True)
    finally:
        for proc in load:
            proc.kill()
            proc.wait()
        if spec_root:
            shutil.rmtree(spec_root, ignore_errors=True)

    mode = "raw MainApp" if args.raw else "watchdog"
    with open(args.log, errors="replace") as f:
        loop_repairs = sum(1 for line in f if line.startswith("[memlab-kernel]") and "restarted it" in line)
    print(f"starts={args.starts} ok={counts['ok']} hangs={counts['hangs']} failures={counts['failures']} "
          f"watchdog_restarts={counts['watchdog_restarts']} loop_repairs={loop_repairs} mode={mode} "
          f"seconds={time.monotonic() - t_start:.0f} log={args.log}")
    if counts["hangs"] or counts["failures"]:
        print(f"kernel_stress: FAILED: {counts['hangs']} hang(s), {counts['failures']} failed start(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

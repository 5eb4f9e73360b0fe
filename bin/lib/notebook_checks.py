#!/usr/bin/python3
"""Checks what a reader of a fresh clone meets, without running anything heavy.

    python3 bin/lib/notebook_checks.py [EXECUTED_DIR]

1. The clone stands alone: no tracked file points outside the repository (to the papers' or the catalogue's
   copies the developers keep beside it: "../shared/...").
2. Notebooks teach in short cells: no code cell over 25 lines.
3. Notebooks carry the gallery's metadata ("memlab": title, citation, figures).
4. With EXECUTED_DIR (the notebooks as a run saved them, e.g. out/test): each executed notebook is under 2 MB,
   so that a notebook saved from Jupyter after a quick run stays small.
Prints one line per problem and exits 1 if there is any.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX_CELL_LINES = 25
MAX_NOTEBOOK_BYTES = 2 * 1024 * 1024
OUTSIDE = ("../shared/", "shared/papers/", "shared/FIGURES.md", "shared/STYLE.md")


def tracked_files():
    out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z"], capture_output=True, text=True, check=True).stdout
    return [f for f in out.split("\0") if f]


def main(executed):
    problems = []
    this = os.path.relpath(os.path.abspath(__file__), ROOT)
    for rel in tracked_files():
        path = os.path.join(ROOT, rel)
        if rel == this or not os.path.isfile(path) or os.path.getsize(path) > 5_000_000:
            continue
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except UnicodeDecodeError:
            continue
        for needle in OUTSIDE:
            if needle in text:
                problems.append(f"{rel}: refers to '{needle}', outside the repository")
    notebooks = sorted(f for f in tracked_files() if f.startswith("notebooks/") and f.endswith(".ipynb"))
    for rel in notebooks:
        with open(os.path.join(ROOT, rel), encoding="utf-8") as fh:
            nb = json.load(fh)
        meta = nb.get("metadata", {}).get("memlab") or {}
        for key in ("title", "citation", "figures"):
            if not meta.get(key):
                problems.append(f"{rel}: notebook metadata memlab.{key} is missing (the gallery reads it)")
        for i, cell in enumerate(nb["cells"]):
            n = len("".join(cell["source"]).rstrip("\n").split("\n"))
            if cell["cell_type"] == "code" and n > MAX_CELL_LINES:
                problems.append(f"{rel}: code cell {i} has {n} lines (at most {MAX_CELL_LINES}: move the analysis into the library)")
    if executed:
        for rel in notebooks:
            path = os.path.join(executed, os.path.basename(rel))
            if not os.path.exists(path):
                problems.append(f"{path}: no executed notebook")
            elif os.path.getsize(path) > MAX_NOTEBOOK_BYTES:
                problems.append(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB executed (at most 2 MB)")
    for p in problems:
        print("notebook_checks: " + p)
    print(f"notebook_checks: {len(notebooks)} notebooks, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))

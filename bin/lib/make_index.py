"""Writes OUT/index.html: one section per executed notebook, linking its HTML export, the executed
notebook and every figure (HTML, PNG) and data file (CSV) it saved under OUT/<notebook>/.

    python3 make_index.py OUT MODE
"""
import html
import os
import sys
import time


def main(out, mode):
    rows = []
    for name in sorted(os.listdir(out)):
        if not name.endswith(".ipynb"):
            continue
        stem = name[:-6]
        links = [f'<a href="{html.escape(stem)}.html">notebook (HTML)</a>',
                 f'<a href="{html.escape(name)}">notebook (.ipynb)</a>']
        files = []
        folder = os.path.join(out, stem)
        if os.path.isdir(folder):
            for f in sorted(os.listdir(folder)):
                if f.endswith((".html", ".png", ".csv")):
                    files.append(f'<li><a href="{html.escape(stem)}/{html.escape(f)}">{html.escape(f)}</a></li>')
        rows.append(f"<h2>{html.escape(stem)}</h2><p>{' · '.join(links)}</p><ul>{''.join(files)}</ul>")
    page = ("<!doctype html><meta charset='utf-8'><title>memlab results</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}li{margin:.1em 0}</style>"
            f"<h1>memlab results</h1><p>mode: <b>{html.escape(mode)}</b>, written {time.strftime('%Y-%m-%d %H:%M')}</p>"
            + ("".join(rows) or "<p>no executed notebooks found</p>"))
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as fh:
        fh.write(page)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "?")

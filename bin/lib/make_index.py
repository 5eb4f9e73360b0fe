#!/usr/bin/python3
"""Writes the results gallery OUT/index.html and gives every saved figure page a header and a footer.

    python3 make_index.py OUT MODE

The gallery has one section per executed notebook (OUT/<stem>.ipynb): the paper's title and citation, taken from
the notebook's metadata "memlab" {"title", "citation", "figures": [ids in the paper's order]}, the notebook's run
status (OUT/<stem>.status.json, written by the runner: ok, failed, interrupted, running), and one card per figure in
the paper's order: thumbnail (<id>.png), title, caption, the computed "paper vs. ours" verdict (<id>.verdict.json,
written by memlab.notebook.Verdict), settings, seeds and wall time, and links to the interactive page, its CSV and
the notebook. A figure saved without a verdict of its own whose id extends one that has one (egl-stability-loss,
egl-stability) is shown inside that card. In quick mode a banner says these are smoke runs, not the papers' settings.

Each figure page OUT/<stem>/<id>.html gets, between <!-- memlab:header --> / <!-- memlab:footer --> markers (so
running this again replaces them), a link back to its card and its title above the figure, and its caption and
verdict below it.
"""
import html
import json
import os
import re
import sys
import time

HEADER = ("<!-- memlab:header -->", "<!-- /memlab:header -->")
FOOTER = ("<!-- memlab:footer -->", "<!-- /memlab:footer -->")

COLOURS = {"reproduced": "#1a7f37", "partly": "#9a6700", "not_reproduced": "#cf222e",
           "untestable": "#57606a", "reported": "#0969da"}

# inline, so that it holds on the figure pages too, which do not carry the gallery's style sheet
VERDICT_BOX = "padding:.2em .6em;margin:.5em 0;border-left:4px solid "

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1200px;margin:0 auto;padding:1em 1.5em}
h1{margin:.3em 0}h2{margin:1.4em 0 .2em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
.cite{color:#57606a;margin:.2em 0 .8em}
.banner{background:#fff8c5;border:1px solid #d4a72c;padding:.6em 1em;border-radius:6px;margin:.8em 0}
.failed{background:#ffebe9;border:1px solid #cf222e;padding:.6em 1em;border-radius:6px;margin:.6em 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:1em}
.card{border:1px solid #d0d7de;border-radius:8px;padding:.8em;min-width:0;overflow-wrap:anywhere}
.card img{width:100%;height:auto;border:1px solid #eaeef2;display:block;background:#fff}
.card h3{margin:.5em 0 .2em;font-size:1.05em}.card code{font-size:.85em}
.noimg{height:120px;display:flex;align-items:center;justify-content:center;background:#f6f8fa;color:#57606a}
.small{color:#57606a;font-size:.88em}.links a{margin-right:.8em}
.extra{margin-top:.5em}
"""


def esc(s):
    return html.escape(str(s if s is not None else ""), quote=True)


def read_json(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def notebook_meta(out, stem):
    nb = read_json(os.path.join(out, stem + ".ipynb")) or {}
    meta = (nb.get("metadata") or {}).get("memlab") or {}
    return {"title": meta.get("title") or stem, "citation": meta.get("citation") or "",
            "figures": list(meta.get("figures") or [])}


def figures_in(folder):
    """Figure ids saved in a notebook's folder: every <id>.html but the Plotly.js bundle and drawing pages."""
    if not os.path.isdir(folder):
        return []
    return sorted(f[:-5] for f in os.listdir(folder)
                  if f.endswith(".html") and not f.endswith(".png.html") and not f.startswith("plotly"))


def order(meta_ids, saved, verdict_ids):
    """Main figures (with a verdict, or listed in the metadata) in the paper's order, then the rest; extras
    (no verdict, id extending a main one) attached to their main figure."""
    main = [i for i in meta_ids if i in saved or i in verdict_ids]
    main += [i for i in sorted(verdict_ids) if i not in main]
    extras = {}
    for i in saved:
        if i in main:
            continue
        parent = next((m for m in sorted(main, key=len, reverse=True) if i.startswith(m + "-")), None)
        if parent:
            extras.setdefault(parent, []).append(i)
        else:
            main.append(i)
    return main, extras


def verdict_html(v):
    if not v:
        return f"<div style='{VERDICT_BOX}#d0d7de'><b>Verdict:</b> none saved for this figure</div>"
    colour = COLOURS.get(v.get("outcome") or "", "#57606a")
    parts = [f"<div style='{VERDICT_BOX}{colour}'>"]
    if v.get("claim"):
        parts.append(f"<div><b>Paper:</b> {esc(v['claim'])}</div>")
    parts.append(f"<div><b>Ours:</b> <b style='color:{colour}'>{esc(v.get('outcome_label') or v.get('outcome'))}</b>"
                 + (f" — {esc(v['ours'])}" if v.get("ours") else "") + "</div></div>")
    return "".join(parts)


def facts_html(v):
    if not v:
        return ""
    facts = []
    if v.get("settings"):
        facts.append(esc(v["settings"]))
    if v.get("seeds"):
        facts.append("seeds " + esc(", ".join(str(s) for s in v["seeds"])))
    if isinstance(v.get("wall_s"), (int, float)):
        facts.append(f"{v['wall_s']:.0f} s CPU wall time")
    return (f"<div class='small' style='color:#57606a;font-size:.88em'>{' · '.join(facts)}</div>"
            if facts else "")


def thumb(stem, folder, fid):
    if os.path.exists(os.path.join(folder, fid + ".png")):
        return (f"<a href='{esc(stem)}/{esc(fid)}.html'><img src='{esc(stem)}/{esc(fid)}.png' "
                f"alt='{esc(fid)}' loading='lazy'></a>")
    return "<div class='noimg'>no PNG (drawn with headless Chromium when it is installed)</div>"


def links(stem, folder, fid):
    out = [f"<a href='{esc(stem)}/{esc(fid)}.html'>interactive</a>"]
    if os.path.exists(os.path.join(folder, fid + ".csv")):
        out.append(f"<a href='{esc(stem)}/{esc(fid)}.csv'>data (CSV)</a>")
    return out


def card(stem, folder, fid, v, extras):
    title = (v or {}).get("title") or fid
    body = [f"<div class='card' id='{esc(fid)}'>", thumb(stem, folder, fid),
            f"<h3>{esc(title)} <code>{esc(fid)}</code></h3>"]
    if v and v.get("caption"):
        body.append(f"<div>{esc(v['caption'])}</div>")
    body.append(verdict_html(v))
    body.append(facts_html(v))
    lk = links(stem, folder, fid) + [f"<a href='{esc(stem)}.html'>notebook</a>"]
    body.append(f"<div class='links'>{''.join(lk)}</div>")
    for x in extras:
        body.append(f"<div class='extra' id='{esc(x)}'><div class='small'>also: <code>{esc(x)}</code></div>"
                    f"{thumb(stem, folder, x)}<div class='links'>{''.join(links(stem, folder, x))}</div></div>")
    body.append("</div>")
    return "".join(body)


def status_html(status):
    if not status:
        return ""
    s = status.get("status")
    if s == "ok":
        wall = status.get("wall_s")
        when = status.get("finished") or ""
        return (f"<div class='small'>ran {esc(when)}"
                + (f" in {wall:.0f} s" if isinstance(wall, (int, float)) else "") + "</div>")
    word = {"failed": "FAILED", "interrupted": "INTERRUPTED", "running": "STILL RUNNING (or killed)"}.get(s, esc(s))
    err = status.get("error")
    return (f"<div class='failed'><b>This notebook's last run {word}</b>"
            + (f": {esc(err)}" if err else "")
            + ". Figures below may be missing or left from an earlier run.</div>")


def decorate_page(path, stem, fid, v, mode):
    """Puts the link back, title, caption and verdict around a saved figure page; idempotent."""
    with open(path, encoding="utf-8") as fh:
        page = fh.read()
    for start, end in (HEADER, FOOTER):
        page = re.sub(re.escape(start) + ".*?" + re.escape(end) + "\n?", "", page, flags=re.S)
    title = (v or {}).get("title") or fid
    banner = ("<div class='banner' style='background:#fff8c5;border:1px solid #d4a72c;padding:.4em .8em;"
              "border-radius:6px'>Quick mode: a smoke run at tiny sizes, not the paper's settings.</div>"
              if mode == "quick" else "")
    head = (f"{HEADER[0]}<div style='font-family:system-ui,sans-serif;max-width:1200px;margin:.6em auto;padding:0 1em'>"
            f"<a href='../index.html#{esc(fid)}'>&larr; all figures</a> · <a href='../{esc(stem)}.html'>notebook</a>"
            f"<h2 style='margin:.3em 0'>{esc(title)} <code style='font-size:.7em'>{esc(fid)}</code></h2>{banner}</div>"
            f"{HEADER[1]}\n")
    caption = f"<p>{esc(v['caption'])}</p>" if v and v.get("caption") else ""
    foot = (f"{FOOTER[0]}<div style='font-family:system-ui,sans-serif;max-width:1200px;margin:.6em auto;padding:0 1em'>"
            f"{caption}{verdict_html(v)}{facts_html(v)}</div>{FOOTER[1]}\n")
    m = re.search(r"<body[^>]*>\n?", page)
    page = page[:m.end()] + head + page[m.end():] if m else head + page
    i = page.rfind("</body>")
    page = page[:i] + foot + page[i:] if i >= 0 else page + foot
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(page)


def main(out, mode):
    sections = []
    for name in sorted(os.listdir(out)):
        if not name.endswith(".ipynb"):
            continue
        stem = name[:-6]
        folder = os.path.join(out, stem)
        meta = notebook_meta(out, stem)
        saved = figures_in(folder)
        verdicts = {}
        if os.path.isdir(folder):
            for f in os.listdir(folder):
                if f.endswith(".verdict.json"):
                    v = read_json(os.path.join(folder, f))
                    if v:
                        verdicts[f[:-len(".verdict.json")]] = v
        main_ids, extras = order(meta["figures"], saved, set(verdicts))
        cards = []
        for fid in main_ids:
            cards.append(card(stem, folder, fid, verdicts.get(fid), extras.get(fid, [])))
            if fid in saved:
                decorate_page(os.path.join(folder, fid + ".html"), stem, fid, verdicts.get(fid), mode)
            for x in extras.get(fid, []):
                decorate_page(os.path.join(folder, x + ".html"), stem, x, None, mode)
        counts = {}
        for v in verdicts.values():
            counts[v.get("outcome_label") or v.get("outcome")] = counts.get(v.get("outcome_label") or v.get("outcome"), 0) + 1
        tally = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        sections.append(
            f"<section id='{esc(stem)}'><h2>{esc(meta['title'])}</h2>"
            f"<div class='cite'>{esc(meta['citation'])}</div>"
            f"<div class='links'><a href='{esc(stem)}.html'>notebook (HTML)</a><a href='{esc(name)}'>notebook (.ipynb)</a>"
            + (f"<span class='small'>verdicts: {esc(tally)}</span>" if tally else "") + "</div>"
            + status_html(read_json(os.path.join(out, stem + ".status.json")))
            + (f"<div class='cards'>{''.join(cards)}</div>" if cards else "<p>no figures saved</p>")
            + "</section>")
    banner = ("<div class='banner'><b>Quick mode.</b> These are smoke runs at tiny sizes and a few epochs, "
              "not the papers' settings: the verdicts describe these tiny runs only. "
              "<code>bin/memlab reproduce</code> runs the papers' settings.</div>" if mode == "quick" else "")
    page = ("<!doctype html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
            f"<title>memlab results ({esc(mode)} mode)</title><style>{STYLE}</style></head><body><main>"
            f"<h1>memlab results</h1><div class='small'>mode <b>{esc(mode)}</b>, written "
            f"{time.strftime('%Y-%m-%d %H:%M')} · what each figure is: docs/figures.md in the repository</div>"
            + banner + ("".join(sections) or "<p>no executed notebooks found</p>") + "</main></body></html>\n")
    with open(os.path.join(out, "index.html"), "w", encoding="utf-8") as fh:
        fh.write(page)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "?")

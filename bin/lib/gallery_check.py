#!/usr/bin/python3
"""Checks the results gallery and every figure page in headless Chromium, as a reader at 1280 px would see them.

    python3 gallery_check.py OUT

For OUT/index.html: every thumbnail is drawn (the image loaded, with a width), every saved verdict's outcome and
text appear on the page, and the page needs no horizontal scroll in a 1280 px wide window. For every figure page
OUT/<notebook>/<id>.html: the chart is drawn (Plotly made its SVG), the page links back to the gallery, the verdict
text (when the figure has one) is on it, and it needs no horizontal scroll at 1280 px. Prints one line per page and
exits 1 if any page fails. Each page is loaded in a 1280 px wide frame of a probe page that reads the frame's
layout after its scripts ran (Chromium's --dump-dom prints the probe's findings).
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

WIDTH = 1280

PROBE = """<!doctype html><meta charset='utf-8'>
<iframe id='f' src='%s' style='width:%dpx;height:%dpx;border:0'></iframe>
<pre id='result'>no result</pre>
<script>
const f = document.getElementById('f');
f.addEventListener('load', () => setTimeout(() => {
  const d = f.contentDocument, e = d.documentElement;
  const r = {scrollWidth: e.scrollWidth, clientWidth: e.clientWidth,
             images: [...d.images].map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]),
             svgs: d.querySelectorAll('.main-svg').length,
             backLinks: [...d.querySelectorAll('a')].filter(a => (a.getAttribute('href') || '').includes('index.html')).length,
             text: d.body.innerText};
  document.getElementById('result').textContent = JSON.stringify(r);
}, 4000));
</script>"""


def chromium():
    for name in (os.environ.get("MEMLAB_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def probe(exe, page, height, attempts=3):
    """Loads page in a WIDTH-wide frame; returns what the probe found (dict), or raises with Chromium's output.

    Headless Chromium now and then dies of a signal on a page it loads fine the next time (seen in CI: SIGSEGV
    after 26 good pages), so a run killed by a signal is tried again, up to `attempts` runs in all; any other
    failure, and a page that never yields a result, still fails."""
    for attempt in range(1, attempts + 1):
        try:
            return probe_once(exe, page, height)
        except ChromiumCrashed:
            if attempt == attempts:
                raise


class ChromiumCrashed(RuntimeError):
    """Chromium was killed by a signal before printing the probe's result."""


def failure(returncode, stderr):
    """The exception for a Chromium run that printed no result: ChromiumCrashed if a signal ended it."""
    kind = ChromiumCrashed if returncode < 0 else RuntimeError
    return kind(f"Chromium printed no probe result (exit {returncode}): {stderr[-500:]}")


def probe_once(exe, page, height):
    """One Chromium run of probe()."""
    with tempfile.TemporaryDirectory(prefix="memlab-gallery") as tmp:
        wrapper = os.path.join(tmp, "probe.html")
        with open(wrapper, "w", encoding="utf-8") as fh:
            fh.write(PROBE % ("file://" + os.path.abspath(page), WIDTH, height))
        cmd = [exe, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--mute-audio",
               "--allow-file-access-from-files", f"--user-data-dir={tmp}/profile", "--virtual-time-budget=30000",
               f"--window-size={WIDTH + 40},{height + 100}", "--dump-dom", "file://" + wrapper]
        if os.geteuid() == 0:
            cmd.insert(1, "--no-sandbox")
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        out = p.stdout
        start, end = out.find("<pre id=\"result\">"), out.find("</pre>")
        if start < 0 or end < 0:
            raise failure(p.returncode, p.stderr)
        text = out[start + len("<pre id=\"result\">"):end]
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
        if text == "no result":
            raise RuntimeError("the page did not finish loading")
        return json.loads(text)


def verdicts(out):
    found = {}
    for path in glob.glob(os.path.join(out, "*", "*.verdict.json")):
        with open(path, encoding="utf-8") as fh:
            v = json.load(fh)
        found[os.path.join(os.path.dirname(path), v["figure"] + ".html")] = v
    return found


def words(s):
    """The text as the browser shows it, compared loosely (whitespace collapsed)."""
    return " ".join(str(s).split())


def main(out):
    exe = chromium()
    if not exe:
        print("gallery_check: no Chromium (apt-get install chromium, or set MEMLAB_CHROMIUM)", file=sys.stderr)
        return 2
    vs = verdicts(out)
    failures = []

    index = os.path.join(out, "index.html")
    r = probe(exe, index, 20000)
    problems = []
    if r["scrollWidth"] > r["clientWidth"] + 1:
        problems.append(f"horizontal scroll: content {r['scrollWidth']} px in {r['clientWidth']} px")
    broken = [src for src, ok in r["images"] if not ok]
    if broken:
        problems.append(f"{len(broken)} thumbnails not drawn: {broken[:3]}")
    text = words(r["text"])
    for v in vs.values():
        for field in ("outcome_label", "ours"):
            if v.get(field) and words(v[field]) not in text:
                problems.append(f"verdict {field} of {v['figure']} missing")
    print(f"{'FAIL' if problems else 'ok  '} gallery {index}: {len(r['images'])} thumbnails, {len(vs)} verdicts"
          + ("".join(f"\n     {p}" for p in problems)))
    if problems:
        failures.append(index)

    pages = [p for p in glob.glob(os.path.join(out, "*", "*.html"))
             if not p.endswith(".png.html") and not os.path.basename(p).startswith("plotly")]
    for page in sorted(pages):
        r = probe(exe, page, 1000)
        problems = []
        if r["scrollWidth"] > r["clientWidth"] + 1:
            problems.append(f"horizontal scroll: content {r['scrollWidth']} px in {r['clientWidth']} px")
        if r["svgs"] == 0:
            problems.append("no chart drawn")
        if r["backLinks"] == 0:
            problems.append("no link back to the gallery")
        v = vs.get(page)
        if v and words(v.get("ours", "")) not in words(r["text"]):
            problems.append("verdict text missing")
        print(f"{'FAIL' if problems else 'ok  '} {os.path.relpath(page, out)}" + ("".join(f"\n     {p}" for p in problems)))
        if problems:
            failures.append(page)
    print(f"gallery_check: {len(pages) + 1 - len(failures)} of {len(pages) + 1} pages pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

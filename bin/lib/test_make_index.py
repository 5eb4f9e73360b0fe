#!/usr/bin/python3
"""Unit tests of the results gallery (make_index.py): order, extras, failure marker, page decoration, quick banner.

    python3 bin/lib/test_make_index.py
"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_index  # noqa: E402
import gallery_check  # noqa: E402

PAGE = "<!DOCTYPE html>\n<html><head></head>\n<body style=\"margin:0\">\n<div class='memlab-figure'></div>\n</body>\n</html>\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def verdict(fid, outcome="reproduced", ours="it held"):
    return json.dumps({"figure": fid, "title": fid.upper(), "caption": "cap " + fid, "claim": "claim " + fid,
                       "outcome": outcome, "outcome_label": outcome.replace("_", " "), "ours": ours,
                       "settings": "B 2", "seeds": [0, 1], "wall_s": 3.0, "mode": "quick"})


class GalleryTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = self.tmp.name
        nb = {"cells": [], "metadata": {"memlab": {"title": "01 · A paper", "citation": "Someone (2025), A paper",
                                                   "figures": ["b-fig", "a-fig"]}}}
        write(os.path.join(self.out, "01-x.ipynb"), json.dumps(nb))
        for fid in ("a-fig", "b-fig", "a-fig-loss", "stray"):
            write(os.path.join(self.out, "01-x", fid + ".html"), PAGE)
        write(os.path.join(self.out, "01-x", "a-fig.verdict.json"), verdict("a-fig", "not_reproduced", "ours <a> 0.3"))
        write(os.path.join(self.out, "01-x", "b-fig.verdict.json"), verdict("b-fig"))

    def tearDown(self):
        self.tmp.cleanup()

    def index(self, mode="paper"):
        make_index.main(self.out, mode)
        with open(os.path.join(self.out, "index.html"), encoding="utf-8") as fh:
            return fh.read()

    def test_cards_follow_the_papers_order_and_extras_join_their_figure(self):
        page = self.index()
        self.assertLess(page.index("id='b-fig'"), page.index("id='a-fig'"))
        self.assertLess(page.index("id='a-fig'"), page.index("id='a-fig-loss'"))
        self.assertLess(page.index("id='a-fig-loss'"), page.index("id='stray'"))
        self.assertIn("Someone (2025), A paper", page)
        self.assertIn("ours &lt;a&gt; 0.3", page)
        self.assertIn("not reproduced", page)

    def test_quick_mode_has_a_banner_and_paper_mode_none(self):
        self.assertIn("Quick mode.", self.index("quick"))
        self.assertNotIn("Quick mode.", self.index("paper"))

    def test_a_failed_run_is_marked(self):
        write(os.path.join(self.out, "01-x.status.json"), json.dumps({"status": "failed", "error": "boom in cell 3"}))
        page = self.index()
        self.assertIn("FAILED", page)
        self.assertIn("boom in cell 3", page)

    def test_figure_pages_get_link_back_and_verdict_once(self):
        self.index()
        self.index()  # twice: the header and footer are replaced, not repeated
        with open(os.path.join(self.out, "01-x", "a-fig.html"), encoding="utf-8") as fh:
            page = fh.read()
        self.assertEqual(1, page.count("../index.html#a-fig"))
        self.assertEqual(1, page.count("cap a-fig"))
        self.assertIn("ours &lt;a&gt; 0.3", page)
        self.assertLess(page.index("memlab:header"), page.index("memlab-figure"))
        self.assertLess(page.index("memlab-figure"), page.index("memlab:footer"))



class ProbeRetryTest(unittest.TestCase):
    """gallery_check.probe runs Chromium again only when it was killed by a signal."""

    def probe_with(self, outcomes, calls):
        def fake(exe, page, height):
            calls.append(page)
            outcome = outcomes[len(calls) - 1]
            if isinstance(outcome, Exception):
                raise outcome
            return outcome

        real = gallery_check.probe_once
        gallery_check.probe_once = fake
        try:
            return gallery_check.probe("chromium", "page.html", 1000)
        finally:
            gallery_check.probe_once = real

    def test_a_crash_then_a_result_gives_the_result(self):
        crash, calls = gallery_check.ChromiumCrashed("exit -11"), []
        self.assertEqual({"svgs": 1}, self.probe_with([crash, crash, {"svgs": 1}], calls))
        self.assertEqual(3, len(calls))

    def test_three_crashes_fail(self):
        crash, calls = gallery_check.ChromiumCrashed("exit -11"), []
        with self.assertRaises(gallery_check.ChromiumCrashed):
            self.probe_with([crash, crash, crash, {"svgs": 1}], calls)
        self.assertEqual(3, len(calls))

    def test_a_signal_is_a_crash_an_exit_code_is_not(self):
        self.assertIsInstance(gallery_check.failure(-11, "segfault"), gallery_check.ChromiumCrashed)
        self.assertNotIsInstance(gallery_check.failure(1, "bad flag"), gallery_check.ChromiumCrashed)
        self.assertNotIsInstance(gallery_check.failure(0, ""), gallery_check.ChromiumCrashed)

    def test_other_failures_are_not_retried(self):
        calls = []
        with self.assertRaises(RuntimeError):
            self.probe_with([RuntimeError("the page did not finish loading"), {"svgs": 1}], calls)
        self.assertEqual(1, len(calls))

if __name__ == "__main__":
    unittest.main()

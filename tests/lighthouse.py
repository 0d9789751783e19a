"""`make bench` (second half): Lighthouse scores of the real garden, served on 127.0.0.1.

Builds the garden, serves it the way a static host does (gzip, cache headers), and runs
npm's `lighthouse` (mobile preset, Debian's chromium via CHROME_PATH) on the home page, a
note and a tag page. Prints the four category scores per page. A report, never a test:
Lighthouse is noisy on a two-core machine, so nothing here passes or fails.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
from conftest import build_project, copy_real_garden  # noqa: E402

REPORTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "lighthouse"
PAGES = {"home": "", "note": "career/job-leave-triggers/", "tag page": "tags/career/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE = "lighthouse@12"  # 13 needs Node 22; the machines here have Node 20
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
                "--disable-component-update --disable-sync")


class StaticHost(http.server.SimpleHTTPRequestHandler):
    """Like GitHub Pages: gzip for text, and a cache lifetime for assets."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        compressible = path.suffix in {".html", ".css", ".js", ".json", ".xml", ".svg"}
        if not path.is_file() or not compressible or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return _Body(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def main() -> None:
    if not shutil.which("npx") or not Path("/usr/bin/chromium").exists():
        print("Lighthouse skipped: it needs npx and Debian's chromium (apt-get install chromium)")
        return
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="garden-lighthouse-") as temp:
        project = Path(temp) / "garden"
        copy_real_garden(project)
        site = build_project(project, strict=True).site
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                functools.partial(StaticHost, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        print("| page | " + " | ".join(CATEGORIES) + " |")
        print("|---|" + "---:|" * len(CATEGORIES))
        for name, url in PAGES.items():
            report = Path(temp) / f"{name}.json"
            subprocess.run(["npx", "--yes", LIGHTHOUSE, base + url, "--quiet", "--output=json",
                            f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}",
                            f"--only-categories={','.join(CATEGORIES)}"],
                           env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True)
            shutil.copy(report, REPORTS / report.name)  # the whole report, for humans to read
            scores = json.loads(report.read_text())["categories"]
            print(f"| {name} | " + " | ".join(f"{scores[c]['score']:.2f}" for c in CATEGORIES) + " |")
        httpd.shutdown()


if __name__ == "__main__":
    main()

"""`make bench`: how much the garden costs over a bare Material build of the same notes.

Generates synthetic gardens (about 300 words, 3 tags and 5 wikilinks per note) of 1,000 and
4,000 notes, builds each with the garden's full config and with a bare Material config
(search only, the same nav policy: sections, never every note), alternating, and prints
median seconds, the garden/bare ratio, peak memory, output size and the growth from the
small garden to the large one. A benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

import yaml

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
from conftest import REPO, engine_command, project_config, repo_mkdocs_yml, subprocess_env  # noqa: E402

SECTIONS = ["career", "leadership", "culture", "strategy", "policy", "mental-models", "journal", "notes"]
TAGS = [f"topic-{i:02d}" for i in range(30)]
WORDS = ["garden", "note", "career", "leader", "team", "strategy", "culture", "change", "policy", "model",
         "system", "review", "impact", "growth", "trust", "engineer", "decision", "market", "hours", "safety",
         "failure", "learning"]


def generate(root: Path, count: int, seed: int = 7) -> Path:
    """Write a synthetic garden of `count` notes into `root`; returns the project folder."""
    rng = random.Random(seed)
    docs = root / "docs"
    slugs = [f"note-{i:05d}" for i in range(count)]
    for i, slug in enumerate(slugs):
        section = SECTIONS[i % len(SECTIONS)]
        links = " ".join(f"[[{rng.choice(slugs)}]]" for _ in range(5))
        paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(5)]
        body = f"{paragraphs[0]}\n\n## Detail\n\n{paragraphs[1]} {links}\n\n" + "\n\n".join(paragraphs[2:])
        meta = {"title": f"Note {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
                "summary": " ".join(rng.choice(WORDS) for _ in range(12)),
                "tags": rng.sample(TAGS, 3), "created": f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}"}
        file = docs / section / f"{slug}.md"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n\n{body}\n", encoding="utf-8")
    (docs / "index.md").write_text("---\ntitle: Home\n---\n\nA synthetic garden.\n", encoding="utf-8")
    shutil.copytree(REPO / "docs" / "assets", docs / "assets")  # the garden's stylesheet
    (root / "tags.yml").write_text("".join(f"{t}: Synthetic tag {t}.\n" for t in TAGS), encoding="utf-8")
    return root


def bare_config(project: Path) -> Path:
    """Material as the garden configures it (theme, repository link, Markdown extensions), with
    search as the only plugin, no hooks or macros, and a nav of the same shape: home, one entry
    per section and three more (notes standing in for the section indexes, tags, changelog and
    graph pages the bare site cannot generate)."""
    garden = repo_mkdocs_yml()
    stand_ins = [f"{SECTIONS[i % len(SECTIONS)]}/note-{i:05d}.md" for i in range(len(SECTIONS) + 3)]
    config = {"site_name": "Bare", "docs_dir": "docs", "theme": {**garden["theme"], "custom_dir": None},
              "plugins": ["search"], "markdown_extensions": garden["markdown_extensions"],
              "nav": [{"Home": "index.md"}] + [{f"Entry {i}": path} for i, path in enumerate(stand_ins)]}
    config.update({key: garden[key] for key in ("site_url", "repo_url", "edit_uri") if key in garden})
    config["theme"].pop("custom_dir")
    path = project / "bare.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def timed_build(config: Path, site: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MB) of one `mkdocs build` in a fresh process.

    CPU time is the steadier figure on a shared two-core machine; both are reported."""
    start = time.perf_counter()
    process = subprocess.Popen(engine_command("build", "-q", "-f", str(config), "-d", str(site)),
                               env=subprocess_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        errors = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"build of {config} failed:\n{errors}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def site_size(site: Path) -> tuple[float, float]:
    """Total MB of HTML, and the mean KB of a note page."""
    pages = list(site.rglob("note-*/index.html"))
    total = sum(p.stat().st_size for p in site.rglob("*.html"))
    return total / 1e6, statistics.mean(p.stat().st_size for p in pages) / 1e3


def page_weight(page: Path) -> tuple[int, int]:
    """Bytes a reader downloads for one page (HTML + its CSS + its JS), raw and gzipped.

    Fonts are not counted because the theme loads none; images are not counted because a
    note page has none of its own."""
    html = page.read_bytes()
    assets = re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html)
    files = [page] + [(page.parent / asset.decode()).resolve() for asset in assets]
    raw = sum(f.stat().st_size for f in files)
    return raw, sum(len(gzip.compress(f.read_bytes())) for f in files)


def serve_latency(project: Path, config: Path, edits: int, port: int = 8765) -> list[float]:
    """Seconds from saving a note under `make serve` (`mkdocs serve --dirty`) until both the
    note shows the edit and the note it now links to lists it under "Linked from"."""
    server = subprocess.Popen(engine_command("serve", "--dirty", "-f", str(config), "--dev-addr",
                                             f"127.0.0.1:{port}"), env=subprocess_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    site_url = yaml.safe_load(config.read_text(encoding="utf-8")).get("site_url") or "/"
    mount = urllib.parse.urlsplit(site_url).path
    base = f"http://127.0.0.1:{port}{mount}"  # mkdocs serve mounts the site at site_url's path
    try:
        _wait_until(lambda: "<html" in _get(base), timeout=600)
        latencies = []
        for edit in range(edits):
            source, target = 10 + edit, 500 + edit  # the synthetic notes never link these ways
            file = project / "docs" / SECTIONS[source % len(SECTIONS)] / f"note-{source:05d}.md"
            marker = f"edited{edit}x"
            started = time.perf_counter()
            file.write_text(file.read_text(encoding="utf-8") + f"\n{marker} [[note-{target:05d}]]\n",
                            encoding="utf-8")
            source_url = f"{base}{SECTIONS[source % len(SECTIONS)]}/note-{source:05d}/"
            target_url = f"{base}{SECTIONS[target % len(SECTIONS)]}/note-{target:05d}/"
            backlink = f"note-{source:05d}/"
            _wait_until(partial(_shows_edit, source_url, marker, target_url, backlink), timeout=120)
            latencies.append(time.perf_counter() - started)
            time.sleep(0.5)  # let the server settle, as a person would before the next save
        return latencies
    finally:
        server.terminate()
        server.wait(timeout=30)


def _shows_edit(source_url: str, marker: str, target_url: str, backlink: str) -> bool:
    """Whether the edited note shows its new text, and its new target lists it as a backlink."""
    return marker in _get(source_url) and backlink in _get(target_url).split('id="backlinks"', 1)[-1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", errors="replace"))
    except OSError:
        return ""


def _wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the served site never showed the edit")
        time.sleep(0.02)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--edits", type=int, default=5, help="saves timed under make serve, per size")
    args = parser.parse_args()
    results: dict[int, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="garden-bench-") as temp:
        for size in args.sizes:
            project = generate(Path(temp) / f"garden-{size}", size)
            configs = {"garden": project_config(project), "bare": bare_config(project)}
            samples: dict[str, list[tuple[float, float, float]]] = {name: [] for name in configs}
            for _ in range(args.runs):
                for name, config in configs.items():  # alternate, so drift hits both alike
                    samples[name].append(timed_build(config, project / f"site-{name}"))
            results[size] = {}
            for name in configs:
                html_mb, page_kb = site_size(project / f"site-{name}")
                site = project / f"site-{name}"
                search_index = site / "search" / "search_index.json"
                weight, weight_gz = page_weight(site / SECTIONS[1] / "note-00001" / "index.html")
                results[size][name] = {"seconds": statistics.median(s for s, _, _ in samples[name]),
                                       "cpu": statistics.median(c for _, c, _ in samples[name]),
                                       "memory": max(m for _, _, m in samples[name]),
                                       "html_mb": html_mb, "page_kb": page_kb,
                                       "weight_kb": weight / 1e3, "weight_gz_kb": weight_gz / 1e3,
                                       "search_mb": search_index.stat().st_size / 1e6}
            results[size]["garden"]["serve"] = statistics.median(
                serve_latency(project, configs["garden"], args.edits))
            print(f"built and served {size} notes", file=sys.stderr)
    print(f"{args.runs} runs per config, alternating; medians.\n")
    print("| notes | config | wall s | CPU s | garden/bare (wall) | garden/bare (CPU) | peak MB | HTML MB "
          "| KB per note page | note page + CSS + JS, KB (gzip) | search index MB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, by_config in results.items():
        garden, bare = by_config["garden"], by_config["bare"]
        for name, r in by_config.items():
            ratios = (f"{garden['seconds'] / bare['seconds']:.2f} | {garden['cpu'] / bare['cpu']:.2f}"
                      if name == "garden" else " | ")
            print(f"| {size:,} | {name} | {r['seconds']:.1f} | {r['cpu']:.1f} | {ratios} "
                  f"| {r['memory']:.0f} | {r['html_mb']:.1f} | {r['page_kb']:.1f} "
                  f"| {r['weight_kb']:.0f} ({r['weight_gz_kb']:.0f}) | {r['search_mb']:.1f} |")
    print(f"\nServe latency (`make serve`, {args.edits} saves, median): from saving a note to both it "
          "and the note it newly links to showing the change.\n")
    print("| notes | edit-to-visible s |")
    print("|---:|---:|")
    for size, by_config in results.items():
        print(f"| {size:,} | {by_config['garden']['serve']:.2f} |")
    if len(results) >= 2:
        small, large = min(results), max(results)
        print()
        for name in ("garden", "bare"):
            growth = results[large][name]["cpu"] / results[small][name]["cpu"]
            print(f"- {name}: {small:,} → {large:,} notes ({large / small:.0f}× the notes) took "
                  f"{growth:.2f}× the CPU time")


if __name__ == "__main__":
    main()

"""Screenshots of the HTML reports and the dbt docs in headless Chromium, to look at them (`make screenshots`).

Installs nothing: it uses the Chromium on this machine (Debian's `chromium`, or CHROMIUM=/path) and says so
when there is none. The PNGs go to PROASN_HOME/reports/screenshots/.

    python -m tools.screenshots [--quality N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pipelines.settings import get_settings

# Tall enough for the whole page at 1280 px wide (Chromium's --screenshot takes the window, not the page).
HEIGHTS = {"index": 3000, "dbt-docs": 1100}
QUALITY_HEIGHT = 1100


def find_chromium() -> str | None:
    """CHROMIUM if set, else the first of the usual names on the PATH."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def pages(reports_dir: Path, quality: int) -> list[tuple[str, Path, int]]:
    """(name, page, window height): the index, the dbt docs when built, and `quality` agency pages (those
    with a rejected file first; 0 = every one)."""
    chosen = [("index", reports_dir / "index.html", HEIGHTS["index"])]
    if (reports_dir / "dbt-docs.html").exists():
        chosen.append(("dbt-docs", reports_dir / "dbt-docs.html", HEIGHTS["dbt-docs"]))
    agency_pages = sorted((reports_dir / "kualitas").glob("*.html"))
    agency_pages.sort(
        key=lambda p: "Ditolak" not in p.read_text(encoding="utf-8")
    )  # stable: rejections first
    for page in agency_pages if quality == 0 else agency_pages[:quality]:
        chosen.append((f"kualitas-{page.stem}", page, QUALITY_HEIGHT))
    return chosen


def screenshot(chromium: str, page: Path, out: Path, height: int) -> None:
    with tempfile.TemporaryDirectory(prefix="proasn-chromium-") as profile:
        command = [chromium, "--headless", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
                   f"--window-size=1280,{height}", "--virtual-time-budget=5000", f"--screenshot={out}",
                   page.resolve().as_uri()]  # fmt: skip
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    if not out.exists():
        raise RuntimeError(f"Chromium wrote no screenshot of {page}")


def take_screenshots(reports_dir: Path, chromium: str, quality: int = 3) -> list[Path]:
    out_dir = reports_dir / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, page, height in pages(reports_dir, quality):
        out = out_dir / f"{name}.png"
        out.unlink(missing_ok=True)
        screenshot(chromium, page, out, height)
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__.splitlines()[0])
    parser.add_argument("--quality", type=int, default=3, help="agency pages to take (0 = all)")
    args = parser.parse_args(argv)
    reports_dir = get_settings().reports_dir
    if not (reports_dir / "index.html").exists():
        print(f"No reports at {reports_dir}: a refresh writes them (`make run`).", file=sys.stderr)
        return 1
    chromium = find_chromium()
    if chromium is None:
        print("No Chromium found (looked for CHROMIUM, chromium, chromium-browser, google-chrome): install "
              "Debian's `chromium` package to take screenshots; nothing was installed.", file=sys.stderr)  # fmt: skip
        return 1
    for path in take_screenshots(reports_dir, chromium, args.quality):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

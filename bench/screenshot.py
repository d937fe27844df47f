"""Take docs/chat.png: a real `fuentes serve` over the sample articles answering "What did Peskov say?"
in Debian's Chromium, with citation [2] clicked so its span is highlighted in the article.

    python bench/screenshot.py [--out docs/chat.png]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from ui.testing import ROOT, SAMPLE_ARTICLES, launch_chromium, running_server

QUESTION = "What did Peskov say?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "chat.png")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), ingest=SAMPLE_ARTICLES) as server, \
            sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        page.goto(server.url + "/")
        page.fill("#fu-question textarea", QUESTION)
        page.press("#fu-question textarea", "Enter")
        expect(page.locator("#fu-sources-panel .fu-turn[data-turn='1']")).to_be_visible(timeout=30_000)
        page.locator("#fu-chat a[href='#fu-1-2']").click()
        expect(page.locator("mark.fu-active")).to_have_count(1)
        page.evaluate("window.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()

"""The chat in Debian's Chromium, driven by Playwright, against a real `fuentes serve` on a loopback port."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from ui.testing import SAMPLE_ARTICLES, launch_chromium, running_server

pytestmark = pytest.mark.browser

HOSTILE_TITLE = "Alerta <img src=x onerror=\"window.__pwned='title'\"> en Kiev"
HOSTILE = {
    "id": "hostil",
    "title": HOSTILE_TITLE,
    "url": "javascript:window.__pwned='url'",
    "text": ("<script>window.__pwned = 'script'</script> Alerta en Kiev.\n"
             "El alcalde de Kiev, Vitali Klitschko, dijo que \"<img src=x onerror=\"window.__pwned='img'\"> "
             "la ciudad resistirá <script>window.__pwned='quote'</script>\".\n"
             "Klitschko afirmó que los ataques con drones contra la capital se han intensificado esta semana.\n"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("browser"), ingest=SAMPLE_ARTICLES) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(server.url + "/")
    page.wait_for_selector("#fu-question textarea")
    yield page
    page.close()
    assert not errors, errors


def ask(page: Page, question: str) -> None:
    answers = page.locator("#fu-chat [data-testid=bot]").count()
    page.fill("#fu-question textarea", question)
    page.press("#fu-question textarea", "Enter")
    expect(page.locator("#fu-chat [data-testid=bot]")).to_have_count(answers + 1)
    # Streaming is done when the sources of this answer are shown and the markers are links.
    expect(page.locator(f"#fu-sources-panel .fu-turn[data-turn='{answers + 1}']")).to_be_visible()


def api_answer(server, question: str, **body) -> dict:
    with server.client() as client:
        return client.post("/api/ask", json={"question": question, **body}).json()


def test_ask_peskov_shows_his_cited_words(page, server):
    ask(page, "What did Peskov say?")
    answer = page.locator("#fu-chat [data-testid=bot]").last
    expect(answer).to_contain_text("esfuerzos muy constructivos")
    expect(answer.locator("a[href='#fu-1-1']")).to_have_text("[1]")
    expected = api_answer(server, "What did Peskov say?")["citations"]
    cards = page.locator("#fu-sources-panel .fu-card")
    expect(cards).to_have_count(len(expected))
    for card, citation in zip(cards.all(), expected):
        expect(card.locator(".fu-speaker")).to_have_text("Dmitri Peskov")
        expect(card.locator(".fu-cited")).to_have_text(citation["text"])


def test_copy_answer_copies_the_text_and_its_sources(page, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    ask(page, "What did Peskov say?")
    page.locator("#fu-sources-panel .fu-copy").click()
    expect(page.locator("#fu-sources-panel .fu-copy")).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    answer = api_answer(server, "What did Peskov say?")
    assert copied.startswith(answer["text"] + "\n\n[1] ")
    assert "— Dmitri Peskov (002_723bcfcd4b6f1e05, chars" in copied


def test_click_a_citation_highlights_its_span_in_the_article(page, server):
    ask(page, "What did Peskov say?")
    citation = api_answer(server, "What did Peskov say?")["citations"][2]
    page.locator(f"#fu-chat a[href='#fu-1-{citation['n']}']").click()
    active = page.locator(f"#fu-sources-panel mark.fu-active.c-1-{citation['n']}")
    expect(active).to_have_count(1)
    expect(active).to_have_text(citation["text"])
    expect(active).to_be_in_viewport()
    # The mark sits at its offsets in the article text shown.
    article = active.locator("xpath=ancestor::div[contains(@class,'fu-article-text')]")
    shown = article.evaluate("el => el.textContent")
    assert shown[citation["start"]:citation["end"]] == citation["text"]
    box = article.bounding_box()
    mark = active.bounding_box()
    assert box["y"] <= mark["y"] and mark["y"] + mark["height"] <= box["y"] + box["height"] + 1
    expect(page.locator(f"#fu-card-1-{citation['n']}")).to_have_class("fu-card fu-active")


def test_nothing_relevant_is_said_plainly(page):
    ask(page, "What is the recipe for gazpacho with strawberries?")
    expect(page.locator("#fu-chat [data-testid=bot]").last).to_contain_text("found nothing")
    expect(page.locator("#fu-sources-panel .fu-card")).to_have_count(0)


def test_upload_an_article_then_ask_about_it(page, tmp_path):
    article = tmp_path / "faro_cabo_mayor.txt"
    article.write_text(
        "El faro de Cabo Mayor reabre tras dos años de obras\n"
        "El Ayuntamiento de Santander reabrió el lunes el faro de Cabo Mayor después de dos años de obras de "
        "restauración que costaron 1,2 millones de euros.\n", encoding="utf-8")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#fu-upload input[type=file]").set_input_files(str(article))
    expect(page.locator("#fu-upload")).to_contain_text("faro_cabo_mayor.txt")
    page.locator("#fu-ingest").click()
    expect(page.locator("#fu-upload-status")).to_contain_text("Added 1", timeout=60_000)
    expect(page.locator("#fu-documents")).to_contain_text("faro_cabo_mayor")

    page.get_by_role("tab", name="Chat").click()
    ask(page, "¿Cuánto costaron las obras del faro?")
    expect(page.locator("#fu-chat [data-testid=bot]").last).to_contain_text("1,2 millones de euros")
    expect(page.locator("#fu-sources-panel .fu-doc-id").first).to_have_text("faro_cabo_mayor")


def test_hostile_article_runs_no_script_and_shows_as_text(page, server, tmp_path):
    hostile = tmp_path / "hostil.jsonl"
    hostile.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    server.upload([hostile])
    page.reload()
    page.wait_for_selector("#fu-question textarea")

    ask(page, "¿Qué dijo Klitschko?")
    answer = page.locator("#fu-chat [data-testid=bot]").last
    expect(answer).to_contain_text("<script>window.__pwned='quote'</script>")
    expect(answer).to_contain_text("<img src=x onerror=")
    panel = page.locator("#fu-sources-panel")
    expect(panel.locator(".fu-article-text").first).to_contain_text("<script>window.__pwned = 'script'</script>")
    expect(panel.locator(".fu-card .fu-title").first).to_have_text(HOSTILE_TITLE)
    expect(panel.locator(".fu-card .fu-url").first).to_have_text(HOSTILE["url"])
    assert panel.locator("a[href^='javascript']").count() == 0
    page.locator("#fu-chat a[href='#fu-1-1']").click()

    page.get_by_role("tab", name="Articles").click()
    expect(page.locator("#fu-documents")).to_contain_text(HOSTILE_TITLE)
    assert page.locator("img[src=x]").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_api_docs_render_the_operations_offline(browser, server):
    page = browser.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server.url + "/docs")
    # Rendered by Swagger UI from /openapi.json: these elements exist only once the schema was drawn.
    operation = page.locator(".opblock-summary-path", has_text="/api/ask")
    expect(operation.first).to_be_visible(timeout=30_000)
    with server.client() as client:
        paths = client.get("/openapi.json").json()["paths"]
    expect(page.locator(".opblock-summary-path")).to_have_count(sum(len(methods) for methods in paths.values()))
    assert page.get_by_text("Unable to render this definition").count() == 0
    assert all(url.startswith(server.url) for url in requested), [u for u in requested if not u.startswith(server.url)]
    page.close()


def test_dollar_signs_in_an_article_stay_verbatim(page, server, tmp_path):
    article = tmp_path / "formula_puente.txt"
    article.write_text(
        "El puente de León y su fórmula\n"
        "La ingeniera Rosa Paz explicó que la carga del puente de León se calcula con $$q = 5 kN/m^2$$ "
        "según el manual municipal.\n", encoding="utf-8")
    server.upload([article])
    page.reload()
    page.wait_for_selector("#fu-question textarea")
    ask(page, "¿Con qué fórmula se calcula la carga del puente de León?")
    answer = page.locator("#fu-chat [data-testid=bot]").last
    expect(answer).to_contain_text("$$q = 5 kN/m^2$$")
    assert page.locator("#fu-chat .katex, #fu-sources-panel .katex").count() == 0


CONTRAST = """(el) => {
  const rgb = (s) => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const style = getComputedStyle(el);
  const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_highlighted_spans_are_readable_in_both_themes(browser, server, theme):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, color_scheme=theme)
    page.set_default_timeout(20_000)
    page.goto(f"{server.url}/?__theme={theme}")
    page.wait_for_selector("#fu-question textarea")
    assert page.evaluate("document.body.classList.contains('dark')") == (theme == "dark")
    ask(page, "What did Peskov say?")
    page.locator("#fu-chat a[href='#fu-1-1']").click()
    mark = page.locator("#fu-sources-panel mark.fu-mark").first
    expect(mark).to_be_visible()
    assert mark.evaluate(CONTRAST) >= 4.5  # WCAG AA for normal text
    active = page.locator("#fu-sources-panel mark.fu-active").first
    assert active.evaluate(CONTRAST) >= 4.5
    page.close()

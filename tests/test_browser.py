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


def ask_and_wait(page: Page, question: str, timeout: float = 90_000) -> None:
    """`ask`, patient enough for a loaded machine (the chat answers in one queued event)."""
    answers = page.locator("#fu-chat [data-testid=bot]").count()
    page.fill("#fu-question textarea", question)
    page.press("#fu-question textarea", "Enter")
    expect(page.locator("#fu-chat [data-testid=bot]")).to_have_count(answers + 1, timeout=timeout)
    expect(page.locator(f"#fu-sources-panel .fu-turn[data-turn='{answers + 1}']")).to_be_visible(timeout=timeout)


def test_a_follow_up_in_the_chat_gets_the_persons_statements(page, server):
    ask_and_wait(page, "What did Peskov say?")
    ask_and_wait(page, "And what did he say about Europe?")
    answer = page.locator("#fu-chat [data-testid=bot]").last
    expect(answer).to_contain_text("Dmitri Peskov")
    history = [{"role": "user", "content": "What did Peskov say?"}]
    expected = api_answer(server, "And what did he say about Europe?", history=history)["citations"]
    assert expected
    cards = page.locator("#fu-sources-panel .fu-turn[data-turn='2'] .fu-card")
    expect(cards).to_have_count(len(expected))
    for card, citation in zip(cards.all(), expected):
        expect(card.locator(".fu-speaker")).to_have_text("Dmitri Peskov")
        expect(card.locator(".fu-cited")).to_have_text(citation["text"])

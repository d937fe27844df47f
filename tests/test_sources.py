"""Tests for index.sources: every format, every skip reason, and the sample articles, from real files."""
from __future__ import annotations

import datetime
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.sources import SUPPORTED_SUFFIXES, read_sources
from index.types import Document, SkippedFile

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "articles"
ZEROHEDGE_URL = "https://www.zerohedge.com/geopolitical/nato-revives-talk-sending-european-troops-ukraine-war"

PESKOV_BODY = (
    'El portavoz del Kremlin, Dmitri Peskov, elogió los "esfuerzos muy constructivos" de Trump.\n'
    "\n"
    'Criticó "los indignantes esfuerzos de los países europeos para provocar la continuación de la guerra".'
)

NEWS_PAGE = """<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<title>Peskov critica a Europa | Diario Ejemplo</title>
<meta property="og:title" content="Peskov critica los esfuerzos europeos">
<link rel="canonical" href="https://diario.example/mundo/peskov-europa">
<meta property="article:published_time" content="2025-08-28T09:30:00Z">
<script>window.dataLayer = [{"trackingSecret": "analytics-xyz"}];</script>
</head>
<body>
<header><nav><ul>
<li><a href="/">Portada</a></li><li><a href="/mundo">Mundo</a></li><li><a href="/deportes">Deportes</a></li>
</ul></nav></header>
<main><article>
<h1>Peskov critica los esfuerzos europeos</h1>
<p>El portavoz del Kremlin, Dmitri Peskov, elogió este jueves los "esfuerzos muy constructivos" de Trump
para encontrar una solución al conflicto en Ucrania.</p>
<script>trackPageView("article-123");</script>
<p>Sin embargo, criticó "los indignantes esfuerzos de los países europeos para provocar la continuación
de la guerra", según declaró a la prensa en Moscú.</p>
<p>Desde la reunión de Alaska, la "Coalición de los Dispuestos", liderada por Reino Unido y Francia, ha estado
trabajando intensamente para ofrecer a Kiev garantías de seguridad.</p>
</article></main>
<aside><h3>Lo más leído</h3><ul><li><a href="/paella">Receta de paella valenciana</a></li></ul></aside>
<footer><p>© 2025 Diario Ejemplo. Todos los derechos reservados.</p>
<p><a href="/privacidad">Política de privacidad</a></p></footer>
</body>
</html>
"""


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))  # write_text would translate newlines on some platforms
    return path


def read_one(path: Path) -> Document | SkippedFile:
    items = list(read_sources([path]))
    assert len(items) == 1, items
    return items[0]


def read_doc(path: Path) -> Document:
    item = read_one(path)
    assert isinstance(item, Document), item
    return item


def read_skip(path: Path) -> SkippedFile:
    item = read_one(path)
    assert isinstance(item, SkippedFile), item
    return item


# --- the sample corpus ---------------------------------------------------------------------------


def test_sample_articles_are_read_with_file_names_as_ids():
    docs = list(read_sources([SAMPLE_DIR]))

    assert [d.id for d in docs] == ["000_dd2e3692a9aa2054", "001_ab8ee154ac1eb8ca", "002_723bcfcd4b6f1e05"]
    assert all(isinstance(d, Document) for d in docs)
    for doc in docs:
        assert doc.source_path == str(SAMPLE_DIR / f"{doc.id}.txt")
        assert doc.meta == {"format": "txt"}
        assert doc.title and len(doc.title) <= 91 and "\n" not in doc.title


def test_sample_source_line_becomes_the_url_and_leaves_the_text():
    path = SAMPLE_DIR / "001_ab8ee154ac1eb8ca.txt"
    doc = read_doc(path)

    assert doc.url == ZEROHEDGE_URL
    assert "Fuente:" not in doc.text
    content = path.read_text(encoding="utf-8")
    assert doc.text == content[: content.rindex("\nFuente:")].rstrip()
    assert doc.title == "No ha sido ningún secreto que en Ucrania habrá una escalada antes de que se llegue a un…"


def test_sample_articles_without_source_line_keep_their_text_unchanged():
    for name in ("000_dd2e3692a9aa2054.txt", "002_723bcfcd4b6f1e05.txt"):
        doc = read_doc(SAMPLE_DIR / name)
        assert doc.url is None
        assert doc.text == (SAMPLE_DIR / name).read_text(encoding="utf-8").rstrip()


# --- .txt ----------------------------------------------------------------------------------------


def test_txt_short_first_line_is_the_title(tmp_path):
    text = "Peskov critica a Europa\n\n" + PESKOV_BODY
    path = write(tmp_path / "peskov.txt", text)

    assert read_doc(path) == Document(
        id="peskov",
        title="Peskov critica a Europa",
        text=text,
        source_path=str(path),
        meta={"format": "txt"},
    )


def test_txt_first_line_ending_in_a_period_gives_its_first_sentence(tmp_path):
    path = write(tmp_path / "a.txt", "Zelenski pide más ayuda. Dijo que el apoyo nunca es suficiente.\nOtra línea.")
    assert read_doc(path).title == "Zelenski pide más ayuda"


def test_txt_long_first_sentence_is_cut_at_a_word_boundary(tmp_path):
    first = (
        "En una entrevista con los medios británicos el 9 de noviembre el presidente ucraniano "
        "Volodymyr Zelensky dijo que el apoyo militar nunca es suficiente."
    )
    path = write(tmp_path / "a.txt", first + "\nSegundo párrafo.")
    title = read_doc(path).title

    assert title == "En una entrevista con los medios británicos el 9 de noviembre el presidente ucraniano…"
    assert first.startswith(title.removesuffix("…") + " ")


def test_txt_single_short_line_is_its_own_title(tmp_path):
    path = write(tmp_path / "a.txt", "Rusia rechaza tropas europeas en Ucrania")
    assert read_doc(path).title == "Rusia rechaza tropas europeas en Ucrania"


@pytest.mark.parametrize(
    "source_line",
    [
        f"Fuente: {ZEROHEDGE_URL}",
        f"SOURCE: {ZEROHEDGE_URL}",
        f"fuente - {ZEROHEDGE_URL}",
        f"  Source:{ZEROHEDGE_URL}  ",
    ],
)
def test_trailing_source_line_becomes_the_url(tmp_path, source_line):
    path = write(tmp_path / "a.txt", f"{PESKOV_BODY}\n\n{source_line}\n\n  \n")
    doc = read_doc(path)

    assert doc.url == ZEROHEDGE_URL
    assert doc.text == PESKOV_BODY


@pytest.mark.parametrize(
    "text",
    [
        f"Fuente: {ZEROHEDGE_URL}\n{PESKOV_BODY}",  # not the last line
        f"{PESKOV_BODY}\nFuente: agencia EFE",  # no url
        f"{PESKOV_BODY} Fuente: {ZEROHEDGE_URL}",  # not a line of its own
    ],
)
def test_source_mentions_that_are_not_a_final_source_line_stay_in_the_text(tmp_path, text):
    doc = read_doc(write(tmp_path / "a.txt", text))

    assert doc.url is None
    assert doc.text == text


def test_file_holding_only_a_source_line_is_skipped(tmp_path):
    skipped = read_skip(write(tmp_path / "a.txt", f"Fuente: {ZEROHEDGE_URL}\n"))
    assert skipped.reason == "no article text (only front matter or a source line): add the article text"


def test_markdown_with_only_front_matter_is_skipped(tmp_path):
    skipped = read_skip(write(tmp_path / "a.md", "---\ntitle: Borrador\n---\n\n"))
    assert skipped.reason == "no article text (only front matter or a source line): add the article text"


# --- text normalisation --------------------------------------------------------------------------


def test_utf8_bom_is_stripped(tmp_path):
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbf" + "Kiev responde\nTexto.".encode("utf-8"))
    doc = read_doc(path)

    assert doc.text == "Kiev responde\nTexto."
    assert doc.title == "Kiev responde"


def test_crlf_and_lone_cr_become_newlines(tmp_path):
    path = write(tmp_path / "a.txt", b"Titular\r\n\r\nPrimer p\xc3\xa1rrafo.\rSegundo.\r\n")
    assert read_doc(path).text == "Titular\n\nPrimer párrafo.\nSegundo."


def test_text_is_nfc(tmp_path):
    decomposed = "Zelenski visito\u0301 Kie\u0301v"
    path = write(tmp_path / "a.txt", decomposed)
    doc = read_doc(path)

    assert doc.text == "Zelenski visitó Kiév"
    assert unicodedata.is_normalized("NFC", doc.text)


def test_only_trailing_whitespace_is_removed(tmp_path):
    text = "  Sangría inicial\tcon  dobles  espacios\n\n\nY tres saltos."
    path = write(tmp_path / "a.txt", text + " \n\t\n")
    assert read_doc(path).text == text


# Surrogates can't be written as UTF-8, NUL makes a file binary, and a leading U+FEFF is read as a BOM.
article_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"), min_size=1
).filter(lambda text: unicodedata.normalize("NFC", text).strip())


@settings(max_examples=60, deadline=None)
@given(text=article_text)
def test_any_text_round_trips_to_normalised_text(tmp_path_factory, text):
    path = write(tmp_path_factory.mktemp("txt") / "article.txt", text)
    doc = read_doc(path)

    expected = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).rstrip()
    assert doc.text == expected
    assert "\r" not in doc.text and unicodedata.is_normalized("NFC", doc.text)
    assert doc.title and len(doc.title) <= 120 and "\n" not in doc.title


# --- .md -----------------------------------------------------------------------------------------


def test_markdown_front_matter_gives_title_url_and_date(tmp_path):
    path = write(
        tmp_path / "peskov.md",
        "---\n"
        "title: Peskov critica a Europa\n"
        "url: https://diario.example/peskov\n"
        "date: 2025-08-28\n"
        "author: Redacción\n"
        "---\n"
        "\n" + PESKOV_BODY + "\n",
    )
    assert read_doc(path) == Document(
        id="peskov",
        title="Peskov critica a Europa",
        text=PESKOV_BODY,
        url="https://diario.example/peskov",
        published="2025-08-28",
        source_path=str(path),
        meta={"format": "md"},
    )


def test_markdown_accepts_published_and_source_keys(tmp_path):
    path = write(
        tmp_path / "a.markdown",
        "---\npublished: 2024-11-25T10:00:00Z\nsource: https://diario.example/a\n---\n"
        "# Titular\n\n" + PESKOV_BODY,
    )
    doc = read_doc(path)

    assert (doc.published, doc.url, doc.title) == ("2024-11-25", "https://diario.example/a", "Titular")


def test_markdown_leading_heading_is_the_title_without_front_matter(tmp_path):
    text = "# Peskov critica a Europa\n\n" + PESKOV_BODY
    doc = read_doc(write(tmp_path / "a.md", text))

    assert doc.title == "Peskov critica a Europa"
    assert doc.text == text  # the heading stays: offsets are into the body as written


def test_markdown_front_matter_title_wins_over_heading(tmp_path):
    doc = read_doc(write(tmp_path / "a.md", "---\ntitle: Del front matter\n---\n# Del encabezado\n\nTexto."))
    assert doc.title == "Del front matter"


def test_markdown_source_line_fills_a_missing_url(tmp_path):
    text = f"---\ntitle: T\n---\n{PESKOV_BODY}\n\nFuente: {ZEROHEDGE_URL}\n"
    doc = read_doc(write(tmp_path / "a.md", text))
    assert (doc.url, doc.text) == (ZEROHEDGE_URL, PESKOV_BODY)


def test_unparseable_date_is_kept_raw(tmp_path):
    doc = read_doc(write(tmp_path / "a.md", "---\ntitle: T\ndate: ayer por la tarde\n---\nTexto."))

    assert doc.published is None
    assert doc.meta == {"format": "md", "published_raw": "ayer por la tarde"}


def test_markdown_with_broken_yaml_is_skipped(tmp_path):
    skipped = read_skip(write(tmp_path / "a.md", "---\ntitle: [sin cerrar\n---\nTexto."))

    assert skipped.reason.startswith("front matter is not valid YAML (")
    assert skipped.reason.endswith("): fix it or remove it")


# --- .html ---------------------------------------------------------------------------------------


def test_html_main_text_title_url_and_date_come_from_trafilatura(tmp_path):
    path = write(tmp_path / "peskov.html", NEWS_PAGE)
    doc = read_doc(path)

    assert doc.id == "peskov"
    assert doc.title == "Peskov critica los esfuerzos europeos"
    assert doc.url == "https://diario.example/mundo/peskov-europa"
    assert doc.published == "2025-08-28"
    assert doc.meta == {"format": "html"}
    assert "Dmitri Peskov, elogió este jueves" in doc.text
    assert "ofrecer a Kiev garantías de seguridad." in doc.text
    boilerplate = ("trackPageView", "analytics-xyz", "dataLayer", "Portada", "Deportes", "paella", "privacidad")
    for snippet in boilerplate:
        assert snippet not in doc.text


def test_html_without_main_text_is_skipped(tmp_path):
    page = (
        "<html><head><title>Diario</title></head><body><header><nav><a href='/'>Portada</a> "
        "<a href='/m'>Mundo</a></nav></header><div class='cookies'>Aceptar cookies</div>"
        "<footer>© 2025 Diario</footer></body></html>"
    )
    skipped = read_skip(write(tmp_path / "portada.htm", page))

    assert skipped.reason == (
        "no article text found in the HTML (trafilatura saw no main content): save the article itself as .txt or .md"
    )


# --- .jsonl --------------------------------------------------------------------------------------


def test_jsonl_reads_every_good_line_and_reports_each_bad_one(tmp_path):
    lines = [
        json.dumps({"id": "a1", "title": "Primero", "text": "Texto uno.", "url": "https://x.example/1",
                    "published": "2024-11-25T10:00:00Z"}),
        '{"id": "a2", "title": "roto", "text": ',
        json.dumps({"id": "a3", "title": "Sin texto"}),
        "",
        json.dumps({"title": "Sin id", "text": "Texto cinco.", "published": "hace dos días"}),
        json.dumps(["no", "es", "un", "objeto"]),
    ]
    path = write(tmp_path / "lote.jsonl", "\n".join(lines) + "\n")
    items = list(read_sources([path]))

    assert items == [
        Document(id="a1", title="Primero", text="Texto uno.", url="https://x.example/1",
                 published="2024-11-25", source_path=str(path), meta={"format": "jsonl", "line": 1}),
        SkippedFile(f"{path}:2",
                    "line 2: not valid JSON (Expecting value at column 39): fix or remove the line"),
        SkippedFile(f"{path}:3",
                    'line 3: no "text" (a non-empty string): add the article text or remove the line'),
        Document(id="lote-5", title="Sin id", text="Texto cinco.", source_path=str(path),
                 meta={"format": "jsonl", "line": 5, "published_raw": "hace dos días"}),
        SkippedFile(f"{path}:6", "line 6: expected a JSON object with id, title, text, url, published, "
                                 "got list: fix or remove the line"),
    ]


def test_jsonl_line_that_is_not_utf8_is_skipped_alone(tmp_path):
    good = json.dumps({"id": "ok", "text": "Bien."}).encode()
    path = write(tmp_path / "a.jsonl", good + b'\n{"id": "mal", "text": "Informaci\xf3n"}\n')
    items = list(read_sources([path]))

    assert [type(item) for item in items] == [Document, SkippedFile]
    assert items[1] == SkippedFile(
        f"{path}:2", "line 2: not UTF-8 text (byte 0xf3 at offset 32): re-save it as UTF-8"
    )


@settings(max_examples=40, deadline=None)
@given(
    day=st.dates(min_value=datetime.date(1900, 1, 1)),
    time_suffix=st.sampled_from(["", "T10:00:00Z", "T23:59:59+02:00", " 08:15", "T00:00:00.123456"]),
)
def test_iso_dates_and_datetimes_become_iso_dates(tmp_path_factory, day, time_suffix):
    record = {"id": "d", "text": "Texto.", "published": day.isoformat() + time_suffix}
    path = write(tmp_path_factory.mktemp("jsonl") / "a.jsonl", json.dumps(record))
    assert read_doc(path).published == day.isoformat()


# --- files that are skipped ----------------------------------------------------------------------


def test_binary_file_is_skipped(tmp_path):
    skipped = read_skip(write(tmp_path / "foto.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert skipped.reason.startswith("binary file, not text (it contains NUL bytes): export the article as .txt")


def test_latin1_file_is_skipped_with_the_offending_byte(tmp_path):
    path = write(tmp_path / "a.txt", "Kiev pide información".encode("latin-1"))
    assert read_skip(path) == SkippedFile(
        str(path), "not UTF-8 text (byte 0xf3 at offset 19): re-save it as UTF-8"
    )


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n", b"\xef\xbb\xbf\n"])
def test_empty_file_is_skipped(tmp_path, content):
    path = write(tmp_path / "a.txt", content)
    assert read_skip(path) == SkippedFile(
        str(path), "empty file (no text): add the article text or remove the file"
    )


def test_unsupported_suffix_is_skipped(tmp_path):
    path = write(tmp_path / "informe.PDF", b"%PDF-1.7")
    assert read_skip(path) == SkippedFile(
        str(path), "unsupported file type '.pdf': convert it to .txt, .md, .html or .jsonl"
    )


def test_missing_path_is_reported_not_raised(tmp_path):
    missing = tmp_path / "no-existe"
    assert list(read_sources([missing, str(missing) + ".txt"])) == [
        SkippedFile(str(missing), f"no such file or folder: {missing}"),
        SkippedFile(f"{missing}.txt", f"no such file or folder: {missing}.txt"),
    ]


def test_unreadable_file_is_skipped(tmp_path, monkeypatch):
    # Tests may run as root, who can read any file, so the refusal is simulated.
    path = write(tmp_path / "a.txt", "Texto.")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert read_skip(path) == SkippedFile(
        str(path), "can't be read (Permission denied): check that it exists and that you may read it"
    )


def test_file_over_20_mb_is_skipped_without_reading_it(tmp_path):
    path = tmp_path / "enorme.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: only the size matters
    assert read_skip(path) == SkippedFile(
        str(path), "too large (20.0 MB, limit 20 MB): split it into smaller files"
    )


# --- batches -------------------------------------------------------------------------------------


def test_duplicate_id_keeps_the_first_and_reports_the_second(tmp_path):
    first = write(tmp_path / "a" / "peskov.txt", "Uno.")
    second = write(tmp_path / "b" / "peskov.md", "Dos.")
    items = list(read_sources([tmp_path / "a", tmp_path / "b"]))

    assert [type(item) for item in items] == [Document, SkippedFile]
    assert items[0].text == "Uno."
    assert items[1] == SkippedFile(
        str(second), f"duplicate document id 'peskov', also in {first}: rename one of them"
    )


def test_duplicate_id_inside_a_jsonl_file_names_both_lines(tmp_path):
    path = write(
        tmp_path / "a.jsonl",
        "\n".join(json.dumps({"id": "x", "text": text}) for text in ("Uno.", "Dos.", "Tres.")),
    )
    items = list(read_sources([path]))

    assert [item.text for item in items if isinstance(item, Document)] == ["Uno."]
    assert items[1:] == [
        SkippedFile(f"{path}:2", f"duplicate document id 'x', also in {path}:1: rename one of them"),
        SkippedFile(f"{path}:3", f"duplicate document id 'x', also in {path}:1: rename one of them"),
    ]


def test_folders_are_recursed_in_name_order_skipping_hidden_entries(tmp_path):
    write(tmp_path / "b.txt", "Bravo.")
    write(tmp_path / "a.md", "Alfa.")
    write(tmp_path / "sub" / "deeper" / "c.jsonl", json.dumps({"id": "charlie", "text": "Charlie."}))
    write(tmp_path / "sub" / "d.htm", NEWS_PAGE)
    write(tmp_path / ".hidden.txt", "Oculto.")
    write(tmp_path / ".git" / "e.txt", "Oculto.")
    write(tmp_path / "sub" / ".cache" / "f.txt", "Oculto.")

    items = list(read_sources([tmp_path]))

    assert [item.id for item in items] == ["a", "b", "d", "charlie"]  # "d.htm" sorts before "deeper/"
    assert list(read_sources([tmp_path])) == items


def test_hidden_file_named_explicitly_is_read(tmp_path):
    path = write(tmp_path / ".borrador.txt", "Borrador.")
    assert read_doc(path).id == ".borrador"


def test_unsupported_file_inside_a_folder_is_reported_not_dropped(tmp_path):
    write(tmp_path / "a.txt", "Alfa.")
    write(tmp_path / "notas.docx", b"PK\x03\x04")

    items = list(read_sources([tmp_path]))

    assert [type(item) for item in items] == [Document, SkippedFile]
    assert items[1].path == str(tmp_path / "notas.docx")


def test_symlink_loops_are_followed_once(tmp_path):
    write(tmp_path / "news" / "a.txt", "Alfa.")
    (tmp_path / "news" / "again").symlink_to(tmp_path / "news", target_is_directory=True)
    (tmp_path / "news" / "x.txt").symlink_to(tmp_path / "news" / "y.txt")
    (tmp_path / "news" / "y.txt").symlink_to(tmp_path / "news" / "x.txt")

    items = list(read_sources([tmp_path / "news"]))

    assert [item.id for item in items if isinstance(item, Document)] == ["a"]
    assert [item.path for item in items if isinstance(item, SkippedFile)] == [
        str(tmp_path / "news" / "x.txt"),
        str(tmp_path / "news" / "y.txt"),
    ]
    assert all("can't be read (Too many levels of symbolic links)" in item.reason
               for item in items if isinstance(item, SkippedFile))


def test_a_file_named_twice_is_read_once(tmp_path):
    path = write(tmp_path / "a.txt", "Alfa.")
    assert list(read_sources([tmp_path, path, str(path)])) == [read_doc(path)]


def test_every_supported_suffix_is_read(tmp_path):
    contents = {
        ".txt": "Texto.",
        ".md": "Texto.",
        ".markdown": "Texto.",
        ".html": NEWS_PAGE,
        ".htm": NEWS_PAGE,
        ".jsonl": json.dumps({"text": "Texto."}),
    }
    assert set(contents) == set(SUPPORTED_SUFFIXES)
    for suffix, content in contents.items():
        write(tmp_path / f"x{suffix.replace('.', '_')}{suffix}", content)

    items = list(read_sources([tmp_path]))

    assert all(isinstance(item, Document) for item in items), items
    assert len(items) == len(SUPPORTED_SUFFIXES)


# --- hostile and malformed input: bounded, refused with a reason ---------------------------------
ALIAS_BOMB = (
    "---\n"
    'a: &a ["Sánchez","Sánchez","Sánchez","Sánchez","Sánchez","Sánchez","Sánchez","Sánchez","Sánchez"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "title: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "---\n"
    "El ministro Rubio visitó León el martes.\n"
)


def test_yaml_aliases_in_front_matter_are_refused(tmp_path):
    skipped = read_skip(write(tmp_path / "bomba.md", ALIAS_BOMB))
    assert "aliases" in skipped.reason and "front matter" in skipped.reason
    # A single harmless alias is refused too: metadata never needs one, and the rule stays simple.
    small = "---\nt: &t Rubio en León\ntitle: *t\n---\nEl ministro Rubio visitó León.\n"
    assert "aliases" in read_skip(write(tmp_path / "alias.md", small)).reason


def test_front_matter_size_is_bounded(tmp_path):
    from index.sources import MAX_FRONT_MATTER_CHARS

    filler = "\n".join(f"k{i}: Rosa Paz" for i in range(MAX_FRONT_MATTER_CHARS // 10))
    skipped = read_skip(write(tmp_path / "grande.md", f"---\n{filler}\n---\nTexto del artículo.\n"))
    assert f"limit is {MAX_FRONT_MATTER_CHARS:,}" in skipped.reason
    fits = "---\ntitle: La alcaldesa Paz\n" + "x: y\n" * 100 + "---\nTexto del artículo.\n"
    assert read_doc(write(tmp_path / "cabe.md", fits)).title == "La alcaldesa Paz"


@pytest.mark.parametrize("field, value, says", [
    ("title", ["Sánchez", "Rubio"], "title must be text, got list"),
    ("title", {"es": "Paz"}, "title must be text, got dict"),
    ("title", True, "title must be text, got bool"),
    ("url", ["https://diario.example/a"], "url must be text"),
    ("published", ["2025-03-01"], "published date must be text"),
])
def test_non_string_metadata_is_refused_with_its_type(tmp_path, field, value, says):
    line = {"id": "leon", "text": "La alcaldesa de León habló.", field: value}
    skipped = read_skip(write(tmp_path / "a.jsonl", json.dumps(line)))
    assert says in skipped.reason and skipped.reason.startswith("line 1:")


def test_numbers_as_metadata_are_converted_explicitly(tmp_path):
    line = {"id": 2025, "title": 1936, "text": "La Guerra Civil empezó en 1936."}
    doc = read_doc(write(tmp_path / "a.jsonl", json.dumps(line)))
    assert (doc.id, doc.title) == ("2025", "1936")
    doc = read_doc(write(tmp_path / "n.md", "---\ntitle: 1936\n---\nLa Guerra Civil empezó en 1936.\n"))
    assert doc.title == "1936"


@pytest.mark.parametrize("field, limit_name", [("title", "MAX_TITLE_CHARS"), ("url", "MAX_URL_CHARS"),
                                               ("published", "MAX_DATE_CHARS"), ("id", "MAX_ID_CHARS")])
def test_metadata_lengths_are_bounded(tmp_path, field, limit_name):
    import index.sources

    limit = getattr(index.sources, limit_name)
    at_limit = {"id": "leon", "text": "Rosa Paz habló en León.", field: "a" * limit}
    assert isinstance(read_one(write(tmp_path / "ok.jsonl", json.dumps(at_limit))), Document)
    over = {**at_limit, field: "a" * (limit + 1)}
    assert f"limit is {limit:,}" in read_skip(write(tmp_path / "over.jsonl", json.dumps(over))).reason


@pytest.mark.parametrize("doc_id", ["mundo/leon", "..", "a..b", "c:\\\\leon", "leon\u0007"])
def test_ids_an_api_path_cannot_name_are_refused(tmp_path, doc_id):
    skipped = read_skip(write(tmp_path / "a.jsonl", json.dumps({"id": doc_id, "text": "Rosa Paz habló."})))
    assert "id" in skipped.reason and "URL" in skipped.reason


def test_ids_with_dots_dashes_and_accents_are_kept(tmp_path):
    doc = read_doc(write(tmp_path / "a.jsonl", json.dumps({"id": "león-2025.03_v2", "text": "Rosa Paz habló."})))
    assert doc.id == "león-2025.03_v2"


@pytest.mark.parametrize("line, says", [
    ('{"id": "s1", "text": "Rubio dijo \\ud800 que no"}', "text contains a lone surrogate ('\\ud800') at position 11"),
    ('{"id": "s2", "text": "León", "title": "Paz \\udfff"}', "title contains a lone surrogate"),
    ('{"id": "\\ud83d", "text": "León"}', "id contains a lone surrogate"),
    ('{"id": "n1", "text": "Rosa\\u0000Paz"}', "text contains a NUL character"),
])
def test_lone_surrogates_and_nul_skip_only_their_line(tmp_path, line, says):
    good = json.dumps({"id": "bien", "text": "El alcalde de León, José Rosa, inauguró la plaza."})
    items = list(read_sources([write(tmp_path / "a.jsonl", f"{good}\n{line}\n{good.replace('bien', 'bien2')}")]))
    assert [type(i).__name__ for i in items] == ["Document", "SkippedFile", "Document"]
    assert says in items[1].reason and items[1].path.endswith("a.jsonl:2")


def test_article_length_and_line_length_are_bounded(tmp_path):
    from index.sources import MAX_DOCUMENT_CHARS, MAX_LINE_CHARS

    sentence = "El consejero Rubio visitó el puerto de León el lunes. "
    one_line = sentence * (MAX_LINE_CHARS // len(sentence) + 1)
    skipped = read_skip(write(tmp_path / "linea.txt", f"Titular\n{one_line}\n"))
    assert f"limit is {MAX_LINE_CHARS:,}" in skipped.reason and "paragraphs" in skipped.reason
    fits = "Titular\n" + "\n".join([sentence * (MAX_LINE_CHARS // len(sentence))] * 2)
    assert read_doc(write(tmp_path / "cabe.txt", fits)).text == fits.rstrip()

    paragraph = (sentence * 20).strip() + "\n"
    long_text = paragraph * (MAX_DOCUMENT_CHARS // len(paragraph) + 1)
    skipped = read_skip(write(tmp_path / "larga.txt", long_text))
    assert f"limit is {MAX_DOCUMENT_CHARS:,}" in skipped.reason

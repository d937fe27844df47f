"""The Gradio app: a chat whose answers sit beside their highlighted sources, and an Articles tab."""
from __future__ import annotations

from pathlib import Path

import gradio as gr
from gradio.utils import get_upload_folder as gradio_upload_folder

from index.errors import FuentesError

from . import render
from .service import Service
from .uploads import ALLOWED_SUFFIXES, Upload, UploadError

EXAMPLES = [
    "What did Peskov say?",
    "¿Qué dijo Zelensky sobre las tropas?",
    "¿Quién propuso enviar tropas a Ucrania?",
    "What did Barrot say about French troops?",
]
MAX_TURNS_SHOWN = 5  # sources of this many answers stay in the panel
CHAT_CONCURRENCY = 8  # questions answered at once; the service's read lock lets them run together
EMPTY_INDEX = ("**The index is empty.** Add articles in the **Articles** tab, or run "
               "`fuentes ingest data/articles` and reload this page.")
PLACEHOLDER = ("Ask about the articles in Spanish or English. Every line of an answer cites "
               "an exact passage; click a **[n]** to see it highlighted in its article.")


def read_uploaded(path: str) -> bytes:
    """The bytes of a file the browser uploaded; any other path a client names is refused.

    Gradio checks this itself only in an app started with `launch()`; ours is mounted, so the
    check is made here too (see `build`)."""
    upload_folder = Path(gradio_upload_folder()).resolve()
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(upload_folder) or not resolved.is_file():
        raise UploadError("that file was not uploaded through this page: choose the file again and retry")
    return resolved.read_bytes()


def build(service: Service) -> gr.Blocks:
    with gr.Blocks(title="fuentes", analytics_enabled=False) as app:
        gr.Markdown("## fuentes — answers cited to the exact passage", elem_id="fu-header")
        with gr.Tab("Chat", id="chat"):
            turns = gr.State([])  # sources HTML of each answer, oldest first
            with gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=420):
                    chatbot = gr.Chatbot(
                        label="Conversation", elem_id="fu-chat", height=560, buttons=[],
                        placeholder=PLACEHOLDER, feedback_options=None, sanitize_html=True,
                        render_markdown=True, autoscroll=True,
                        latex_delimiters=[],  # quotes are shown verbatim: "$$…$$" in an article is text, not math
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            show_label=False, placeholder="What did Peskov say?", scale=5, autofocus=True,
                            elem_id="fu-question", max_length=1000, submit_btn=False, lines=1, max_lines=4,
                        )
                        ask_button = gr.Button("Ask", variant="primary", scale=1, elem_id="fu-ask")
                    only_docs = gr.Dropdown(
                        label="Search only these articles (empty: all)", multiselect=True, choices=[],
                        elem_id="fu-only-docs",
                    )
                    gr.Examples(EXAMPLES, inputs=[question], label="Examples")
                    clear = gr.Button("New conversation", size="sm", variant="secondary")
                with gr.Column(scale=2, min_width=360):
                    sources = gr.HTML(render.sources_panel([]), elem_id="fu-sources-panel")

        with gr.Tab("Articles", id="articles"):
            index_note = gr.Markdown(elem_id="fu-index-note")
            documents_table = gr.Dataframe(
                headers=["title", "published", "chunks", "quotes", "url", "id"],
                datatype=["str", "str", "number", "number", "str", "str"],
                column_widths=["38%", "10%", "7%", "7%", "22%", "16%"],
                interactive=False, label="Documents in the index", elem_id="fu-documents", wrap=True,
            )
            with gr.Row():
                with gr.Column():
                    files = gr.File(
                        label=f"Add articles ({', '.join(ALLOWED_SUFFIXES)})", file_count="multiple",
                        file_types=list(ALLOWED_SUFFIXES), type="filepath", elem_id="fu-upload",
                    )
                    ingest_button = gr.Button("Add to the index", variant="primary", elem_id="fu-ingest")
                    upload_status = gr.Markdown(elem_id="fu-upload-status")
                with gr.Column():
                    remove_choice = gr.Dropdown(label="Remove an article", choices=[], elem_id="fu-remove-doc")
                    remove_button = gr.Button("Remove", variant="stop", elem_id="fu-remove")
                    remove_status = gr.Markdown()
            people_table = gr.Dataframe(
                headers=["name", "kind", "roles", "also called", "quotes"],
                datatype=["str", "str", "str", "str", "number"],
                column_widths=["22%", "10%", "30%", "30%", "8%"],
                interactive=False, label="People quoted", elem_id="fu-people", wrap=True,
            )
            speaker = gr.Dropdown(label="Quotes by", choices=[], elem_id="fu-speaker")
            quotes_table = gr.Dataframe(
                headers=["speaker", "article", "statement", "kind"], datatype=["str"] * 4,
                column_widths=["16%", "18%", "56%", "10%"],
                interactive=False, label="Quotes", elem_id="fu-quotes", wrap=True,
            )

        # ---- chat ----------------------------------------------------------------------------
        def respond(text, history, doc_ids, shown):
            text = (text or "").strip()
            if not text:
                raise gr.Error("Type a question first, e.g. “What did Peskov say?”")
            history = history + [{"role": "user", "content": render.md_text(text)}]
            yield "", history, gr.skip(), shown
            turn = sum(m["role"] == "assistant" for m in history) + 1  # numbers this answer's [n] links
            try:
                answer, docs = service.ask_with_sources(text, doc_ids=doc_ids or None)
            except FuentesError as exc:
                yield gr.skip(), history + [{"role": "assistant", "content": render.error_markdown(str(exc))}], \
                    gr.skip(), shown
                return
            shown = (shown + [render.sources_html(answer, turn, docs)])[-MAX_TURNS_SHOWN:]
            # The assistant builds the answer whole; it is streamed line by line so the first cited
            # line (with its sources beside it) shows while the rest is still being sent.
            lines = render.answer_markdown(answer, turn).split("\n")
            for i in range(1, len(lines) + 1):
                content = "\n".join(lines[:i])
                yield gr.skip(), history + [{"role": "assistant", "content": content}], \
                    (render.sources_panel(shown) if i == 1 else gr.skip()), shown

        for trigger in (question.submit, ask_button.click):
            trigger(respond, [question, chatbot, only_docs, turns], [question, chatbot, sources, turns],
                    concurrency_limit=CHAT_CONCURRENCY, concurrency_id="ask", show_progress="minimal")
        clear.click(lambda: ([], render.sources_panel([]), []), None, [chatbot, sources, turns], queue=False)

        # ---- articles ------------------------------------------------------------------------
        def listings(speaker_name=None):
            docs = service.documents()
            people = service.people()
            names = [p.name for p in people if p.n_quotes]
            speaker_name = speaker_name if speaker_name in names else (names[0] if names else None)
            doc_choices = [(f"{d.title[:80]} ({d.id})", d.id) for d in docs]
            note = EMPTY_INDEX if not docs else (f"{len(docs)} articles, "
                                                 f"{sum(d.n_chunks for d in docs)} passages, "
                                                 f"{sum(d.n_quotes for d in docs)} quotes.")
            return (
                note,
                [[d.title, d.published or "", d.n_chunks, d.n_quotes, d.url or "", d.id] for d in docs],
                [[p.name, p.kind, ", ".join(p.roles), ", ".join(a for a in p.aliases if a != p.name), p.n_quotes]
                 for p in people],
                gr.update(choices=names, value=speaker_name),
                quote_rows(speaker_name),
                gr.update(choices=doc_choices),
                gr.update(choices=doc_choices, value=None),
                gr.update(placeholder=EMPTY_INDEX if not docs else PLACEHOLDER),
            )

        def quote_rows(speaker_name):
            if not speaker_name:
                return []
            return [[q.speaker, q.doc_id, q.text, "direct" if q.direct else "reported"]
                    for q in service.quotes(speaker=speaker_name)]

        listing_outputs = [index_note, documents_table, people_table, speaker, quotes_table,
                           only_docs, remove_choice, chatbot]

        def ingest(paths, progress=gr.Progress()):
            if not paths:
                raise gr.Error("Choose one or more files first.")
            progress(0.1, desc=f"Reading and indexing {len(paths)} file(s)…")
            try:
                uploads = [Upload(Path(p).name, read_uploaded(p)) for p in paths]
                result = service.upload(uploads)
            except UploadError as exc:
                raise gr.Error(str(exc))
            progress(1.0, desc="Done")
            report = result.report
            lines = [f"**Added {len(report.added)}, replaced {len(report.replaced)}, unchanged "
                     f"{len(report.unchanged)}, skipped {len(report.skipped)}** — {report.n_chunks} passages, "
                     f"{report.n_quotes} quotes in {report.seconds:.1f}s. Ask about them in the Chat tab."]
            for item in report.skipped:
                name = result.names.get(item.path, Path(item.path).name)
                lines.append(f"- skipped {render.md_text(name)}: {render.md_text(item.reason)}")
            return "\n".join(lines), None

        ingest_button.click(ingest, [files], [upload_status, files]).then(listings, [speaker], listing_outputs)

        def remove(doc_id):
            if not doc_id:
                raise gr.Error("Choose an article to remove.")
            try:
                service.remove(doc_id)
            except FuentesError as exc:
                raise gr.Error(str(exc))
            return f"Removed {render.md_text(doc_id)}."

        remove_button.click(remove, [remove_choice], [remove_status]).success(listings, [speaker], listing_outputs)
        speaker.change(quote_rows, [speaker], [quotes_table])
        app.load(listings, [speaker], listing_outputs)
    # Gradio refuses file paths that were not uploaded to it only once an app "has launched";
    # a mounted app never does, so say it has: every file input then goes through that check.
    app.has_launched = True
    return app

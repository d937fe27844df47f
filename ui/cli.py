"""`fuentes serve`: the chat and the HTTP API on one port (registered as a `fuentes.commands` plugin)."""
from __future__ import annotations

import os

import click

from assistant.cli import INDEX_HELP, IndexLocation


@click.command()
@click.option("--index", "index_path", envvar="FUENTES_INDEX", type=IndexLocation(), help=INDEX_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on. Anything but loopback exposes the index to your network.")
@click.option("--port", default=7860, show_default=True, type=click.IntRange(1, 65535))
@click.option("--auth", envvar="FUENTES_AUTH", metavar="USER:PASSWORD",
              help="Require this login for the chat and HTTP Basic auth for the API (env FUENTES_AUTH).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              envvar="FUENTES_ALLOWED_HOSTS",
              help="Also serve requests whose Host is NAME (repeatable; env FUENTES_ALLOWED_HOSTS, space-separated), "
                   "e.g. the name a reverse proxy forwards. Local names and the --host address are always served.")
@click.option("--upload-seconds", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="An upload is ingested within this time or refused with nothing added "
                   "(large collections: `fuentes ingest`).")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(index_path, host, port, auth, allowed_hosts, upload_seconds, log_level):
    """Serve the chat at / and the JSON API at /api (OpenAPI docs at /docs).

    \b
    Examples:
      fuentes serve
      fuentes serve --index ./my-index --port 8000
      FUENTES_AUTH=ana:s3cret fuentes serve --host 0.0.0.0 --allowed-host news.example.org
    """
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from index.locations import parse_location
    from index.errors import FuentesError

    from .guard import allowed_host_names
    from .server import is_local, parse_auth, run

    try:
        credentials = parse_auth(auth)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--auth") from exc
    if not is_local(host):
        click.secho(f"Warning: listening on {host}: anyone who can reach this machine can ask questions, "
                    f"upload and delete articles.", fg="yellow", err=True)
        if not credentials:
            click.secho("Warning: no --auth given; add --auth user:password (or FUENTES_AUTH) to require a login.",
                        fg="yellow", err=True)
    index_path = index_path or parse_location(None)
    try:
        from .service import Service

        service = Service.open(index_path, upload_seconds=upload_seconds)
        documents = service.documents()
    except FuentesError as exc:
        raise click.ClickException(str(exc)) from exc
    shown_index = service.assistant.index.path  # a URL's password is never printed
    if not documents:
        click.echo(f"The index at {shown_index} is empty: upload articles in the Articles tab, or run\n"
                   f"  fuentes ingest data/articles --index {shown_index}", err=True)
    else:
        click.echo(f"Index: {shown_index} ({len(documents)} articles)", err=True)
    if allowed_hosts and not credentials:
        click.secho("Warning: --allowed-host without --auth: anyone who reaches the server under that name "
                    "can upload and delete articles.", fg="yellow", err=True)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)

    def listening() -> None:
        # Printed only once the socket accepts connections: scripts wait for this line.
        click.echo(f"Chat: http://{shown}:{port}/   API docs: http://{shown}:{port}/docs", err=True)

    run(service, host=host, port=port, auth=credentials, log_level=log_level,
        allowed_hosts=allowed_host_names(host, allowed_hosts), on_listening=listening)

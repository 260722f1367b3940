"""The `recoupe` command: each subcommand builds the core objects, calls one method, prints the outcome.

Exit status: 0 when everything was read and processed, 1 when some input or
step failed (each failure is one line on stderr, "recoupe: error: ..."), 2 on
a usage or configuration error. A new command is one `add_<name>` function
that registers its parser and handler, listed in `COMMANDS`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, TextIO

from .config import Options
from .engine import Engine, Progress, RunSummary, StepFailure
from .errors import ConfigError, InputError, RecoupeError
from .spark.command import add_engine_arguments, add_load, run_on_spark, wants_spark
from .store import Store

PROG = "recoupe"
DEFAULT_DB = "recoupe.db"
OK, FAILED, USAGE = 0, 1, 2


# -- output ----------------------------------------------------------------------------------------


def error_line(message: object, stream: TextIO | None = None) -> None:
    print(f"{PROG}: error: {message}", file=stream or sys.stderr, flush=True)


class LineProgress(Progress):
    """Failures as one line each on stderr, nothing else (no terminal, or --quiet)."""

    def input_error(self, error: InputError) -> None:
        error_line(error)

    def step_failure(self, failure: StepFailure) -> None:
        error_line(failure.line())


class BarProgress(LineProgress):
    """A rich progress bar on stderr, with failures printed above it."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, SpinnerColumn, TextColumn
        from rich.progress import TimeElapsedColumn

        self.console = Console(stderr=True)
        self.bar = RichProgress(
            SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=self.console, transient=True,
        )
        self.task = None
        self.bar.start()

    def phase(self, name: str, total: int | None) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, amount: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, amount)

    def _line(self, message: str) -> None:
        self.console.print(f"{PROG}: error: {message}", markup=False, highlight=False, soft_wrap=True)

    def input_error(self, error: InputError) -> None:
        self._line(str(error))

    def step_failure(self, failure: StepFailure) -> None:
        self._line(failure.line())

    def done(self) -> None:
        self.bar.stop()


def make_progress(quiet: bool) -> Progress:
    if quiet or not sys.stderr.isatty():
        return LineProgress()
    return BarProgress()


def summary_line(summary: RunSummary, store: Store) -> str:
    stories = len(store.stories())
    parts = [f"{summary.stored} new article{'s' * (summary.stored != 1)}"]
    if summary.skipped:
        parts.append(f"{summary.skipped} already stored")
    if summary.duplicates:
        parts.append(f"{summary.duplicates} exact duplicate{'s' * (summary.duplicates != 1)}")
    parts.append(f"{store.count_articles()} in store, {stories} stor{'ies' if stories != 1 else 'y'}")
    if summary.failures:
        parts.append(f"{summary.failures} failure{'s' * (summary.failures != 1)}")
    return f"{PROG}: " + ", ".join(parts)


# -- shared helpers -----------------------------------------------------------------------------------


def load_options(path: str | None) -> Options:
    if path is not None and not Path(path).is_file():
        raise ConfigError(f"{path}: no such configuration file")
    return Options.load(path)


def open_store(path: str, must_exist: bool = False) -> Store:
    if must_exist and not Path(path).is_file():
        raise InputError(path, "no such store (run `recoupe run` first, or pass --db)")
    return Store(path)


def run_engine(args: argparse.Namespace) -> tuple[int, Store, Engine]:
    from .pipeline import default_steps

    options = load_options(args.config)
    steps = default_steps(options)  # settings are checked before the store is touched
    store = open_store(args.db)
    try:
        engine = Engine(options, store, steps=steps, progress=make_progress(args.quiet))
        stdin = sys.stdin.buffer if "-" in args.inputs else None
        summary = engine.ingest(args.inputs, stdin=stdin)
    except BaseException:
        store.close()
        raise
    if not args.quiet:
        print(summary_line(summary, store), file=sys.stderr)
    return (OK if summary.ok else FAILED), store, engine


def write_outputs(engine: Engine, out: str, quiet: bool) -> int:
    """report.json, then the HTML and Markdown pages when their dependencies are installed."""
    report = engine.report()
    from .report.json import write_report

    path = write_report(report, out)
    status = OK
    try:
        from .report.html import write_site
        from .report.markdown import write_markdown

        write_site(report, out)
        write_markdown(report, out)
    except RecoupeError as exc:  # e.g. jinja2 missing: the JSON report is still there
        error_line(f"{out}: pages not written: {exc}")
        status = FAILED
    except Exception as exc:
        error_line(f"{out}: pages not written: {type(exc).__name__}: {exc}")
        status = FAILED
    if not quiet:
        print(f"{PROG}: report: {path}", file=sys.stderr)
    return status


# -- commands -------------------------------------------------------------------------------------------


def common(parser: argparse.ArgumentParser, config: bool = False, quiet: bool = False) -> None:
    parser.add_argument("--db", default=DEFAULT_DB, metavar="PATH", help=f"the store (default: {DEFAULT_DB})")
    if config:
        parser.add_argument("--config", metavar="FILE", help="a TOML file over the packaged defaults")
    if quiet:
        parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary line")


def add_run(sub) -> None:
    parser = sub.add_parser("run", help="read inputs, process them and write the report")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, - for stdin, or feed URL")
    parser.add_argument("--out", required=True, metavar="DIR", help="where report.json and the pages go")
    common(parser, config=True, quiet=True)
    add_engine_arguments(parser)
    parser.set_defaults(handler=cmd_run)


def cmd_run(args: argparse.Namespace) -> int:
    if wants_spark(args):
        return run_on_spark(args)
    status, store, engine = run_engine(args)
    with store:
        return max(status, write_outputs(engine, args.out, args.quiet))


def add_ingest(sub) -> None:
    parser = sub.add_parser("ingest", help="read inputs and process them into the store, without a report")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="file, folder, - for stdin, or feed URL")
    common(parser, config=True, quiet=True)
    parser.set_defaults(handler=cmd_ingest)


def cmd_ingest(args: argparse.Namespace) -> int:
    status, store, _ = run_engine(args)
    store.close()
    return status


def add_report(sub) -> None:
    parser = sub.add_parser("report", help="write the report of what the store holds")
    parser.add_argument("--out", required=True, metavar="DIR")
    common(parser, config=False, quiet=True)
    parser.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    with open_store(args.db, must_exist=True) as store:
        engine = Engine(Options(), store, steps=_no_steps())
        return write_outputs(engine, args.out, args.quiet)


def add_raw(sub) -> None:
    parser = sub.add_parser("raw", help="print the exact bytes an article was read from")
    parser.add_argument("article_id", metavar="ID")
    common(parser)
    parser.set_defaults(handler=cmd_raw)


def cmd_raw(args: argparse.Namespace) -> int:
    with open_store(args.db, must_exist=True) as store:
        try:
            data = store.raw(args.article_id)
        except KeyError:
            raise InputError(args.article_id, f"no such article in {args.db}") from None
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return OK


def add_articles(sub) -> None:
    parser = sub.add_parser("articles", help="a table of the stored articles")
    common(parser)
    parser.set_defaults(handler=cmd_articles)


def cmd_articles(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    with open_store(args.db, must_exist=True) as store:
        memberships = store.memberships()
        total = store.count_articles()
        table = Table("id", "format", "language", "title", "story", "signals",
                      title=f"{total} article{'s' * (total != 1)}")
        for article in store.iter_articles():
            table.add_row(
                article.id, article.format, article.language or "", article.title or "",
                memberships.get(article.id, ""), ", ".join(article.signals),
            )
    Console(file=sys.stdout).print(table)
    return OK


def add_serve(sub) -> None:
    parser = sub.add_parser("serve", help="serve the store's pages and JSON API on this machine")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--token", default=None, metavar="TOKEN",
                        help="a secret every reader must give (also read from RECOUPE_TOKEN); needed off loopback")
    parser.add_argument("--public", action="store_true",
                        help="serve off loopback without a token: the UI is public (and read-only)")
    common(parser)
    parser.set_defaults(handler=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    from .web.server import serve

    token = args.token if args.token is not None else os.environ.get("RECOUPE_TOKEN") or None
    serve(args.db, host=args.host, port=args.port, token=token, public=args.public)
    return OK


def add_show(sub) -> None:
    parser = sub.add_parser("show", help="a story's members and roles; --pairs prints aligned articles side by side")
    parser.add_argument("story_id", metavar="STORY")
    parser.add_argument("--pairs", action="store_true", help="each aligned pair of articles side by side")
    parser.add_argument("--width", type=int, default=None, help="columns of the output (default: the terminal's)")
    common(parser)
    parser.set_defaults(handler=cmd_show)


def cmd_show(args: argparse.Namespace) -> int:
    import shutil

    from .reuse.view import story_text

    with open_store(args.db, must_exist=True) as store:
        story = store.story(args.story_id)
        if story is None:
            raise InputError(args.story_id, f"no such story in {args.db}")
        reuse = store.story_results(args.story_id).get("reuse", {})
        articles = {member: store.get_article(member) for member in story["members"]}
    width = args.width or shutil.get_terminal_size((120, 40)).columns
    sys.stdout.write(story_text(story, reuse, articles, pairs=args.pairs, width=width))
    return OK


def add_eval(sub) -> None:
    from .evaluate import add_eval_parser

    add_eval_parser(sub)


COMMANDS: list[Callable] = [add_run, add_ingest, add_report, add_raw, add_articles, add_serve, add_show, add_eval,
                            add_load]


def _no_steps():
    from .pipeline import Pipeline

    return Pipeline()


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG, description="A news story engine: groups articles into stories, finds who copied whom, "
                               "cross-checks the facts.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed by argparse
        return exc.code if isinstance(exc.code, int) else USAGE
    try:
        return args.handler(args)
    except ConfigError as exc:
        error_line(exc)
        return USAGE
    except RecoupeError as exc:
        error_line(exc)
        return FAILED
    except KeyboardInterrupt:
        error_line("interrupted")
        return 130
    except BrokenPipeError:
        return FAILED


if __name__ == "__main__":
    sys.exit(main())

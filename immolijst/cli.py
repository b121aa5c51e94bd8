"""The ``immolijst`` command line: a thin edge over the libraries.

Each command parses its arguments, calls the library and renders the result
with rich. No rule lives here.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pandas as pd
from rich.console import Console
from rich.table import Table

from immolijst.settings import Settings, load_settings

if TYPE_CHECKING:
    from listings._store import Store

__all__ = ["cli", "main"]

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

#: Bundled sample data (real Immoweb rental adverts), see ``immolijst/data/SAMPLE_SOURCES.md``.
SAMPLE_LISTINGS = Path(__file__).parent / "data" / "sample_listings.jsonl"


class Context:
    """What every command gets: the settings (with the global options applied)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def store(self) -> Store:
        """Open the configured store (created and migrated when new)."""
        from listings._store import Store

        return Store(self.settings.database_url)


pass_ctx = click.make_pass_decorator(Context)


def _date_option(help_text: str) -> Any:
    return click.option(
        "--date",
        "on",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help=help_text + " (YYYY-MM-DD; default: today).",
    )


def _as_date(value: Any) -> date:
    return value.date() if value is not None else date.today()


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: immolijst --db sqlite:///immo.sqlite3 db stats",
)
@click.option(
    "--db",
    "database_url",
    envvar="IMMOLIJST_DATABASE_URL",
    default=None,
    help="SQLAlchemy URL of the store (default: a SQLite file in your data directory).",
)
@click.version_option(package_name="immolijst")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """Immolijst: affordable rental homes for woonclub clients in Zuid-West-Vlaanderen.

    Gathers rental adverts, stores them with their history, and tells for a
    household what each home really costs after the Flemish rent allowances.
    """
    ctx.obj = Context(load_settings(database_url=database_url))


# -- db ---------------------------------------------------------------------------------


@cli.group()
def db() -> None:
    """Create, upgrade and inspect the store.

    Example: immolijst db init
    """


@db.command("init")
@pass_ctx
def db_init(ctx: Context) -> None:
    """Create the store (or check it exists) at the configured URL.

    Example: immolijst --db sqlite:///immo.sqlite3 db init
    """
    with ctx.store() as store:
        console.print(
            f"Store ready at [bold]{store.url}[/] (schema revision {store.current_revision()})."
        )


@db.command("upgrade")
@pass_ctx
def db_upgrade(ctx: Context) -> None:
    """Bring an existing store's schema to the newest revision.

    Example: immolijst db upgrade
    """
    from listings._store import Store

    store = Store(ctx.settings.database_url, create=False)
    with store:
        store.upgrade()
        console.print(f"Store at revision {store.current_revision()}.")


@db.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@pass_ctx
def db_stats(ctx: Context, as_json: bool) -> None:
    """Show per-source counts of active and gone listings and the last crawl run.

    Example: immolijst db stats --json
    """
    with ctx.store() as store:
        stats = store.stats()
    if as_json:
        click.echo(json.dumps(stats, indent=2, default=str))
        return
    table = Table(title="Store", show_lines=False)
    for column in ("source", "active", "gone", "last run", "status"):
        table.add_column(column, justify="right" if column in ("active", "gone") else "left")
    for source, row in stats["sources"].items():
        run = row.get("last_run") or {}
        table.add_row(
            source,
            str(row["active"]),
            str(row["gone"]),
            str(run.get("finished_at") or run.get("started_at") or "-"),
            str(run.get("status") or "-"),
        )
    console.print(table)
    totals = stats["totals"]
    console.print(
        f"Total: {totals['active']} active, {totals['gone']} gone listings, "
        f"{totals['observations']} observations, {totals['runs']} crawl runs "
        f"({stats['database']})."
    )


# -- import / export / list ------------------------------------------------------------------


def _import_file(ctx: Context, path: Path) -> tuple[int, int]:
    from listings._io import read_jsonl

    report = read_jsonl(path, normalise=True)
    for error in report.errors:
        for field, value, reason in error.problems:
            err_console.print(
                f"[red]line {error.line}[/]: {field} = {value!r}: {reason}", highlight=False
            )
    if report.listings:
        with ctx.store() as store:
            result = store.upsert(report.listings)
        linked = _dedupe(ctx)
        console.print(
            f"Imported {len(report.listings)} listings from {path.name} "
            f"({result.new} new, {result.updated} updated, {result.unchanged} unchanged); "
            f"{len(report.errors)} bad rows; {linked.active_dwellings} active dwellings."
        )
    else:
        console.print(f"No valid listings in {path.name}; {len(report.errors)} bad rows.")
    return len(report.listings), len(report.errors)


@cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_ctx
def import_(ctx: Context, file: Path) -> None:
    """Import listings from a JSON Lines FILE (one object per line, Listing field names).

    Good rows go into the store; every bad row is reported with its line number,
    field and reason, and the exit code is 1 if any row was bad.

    Example: immolijst import listings.jsonl
    """
    _good, bad = _import_file(ctx, file)
    if bad:
        sys.exit(1)


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "jsonl"]),
    required=True,
    help="File format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Output file (default: listings.<format> in the current directory).",
)
@click.option(
    "--region",
    type=click.Choice(["w13", "all"]),
    default="all",
    show_default=True,
    help="Only the W13 region, or every listing.",
)
@click.option("--include-gone", is_flag=True, help="Also export listings no longer online.")
@pass_ctx
def export(ctx: Context, fmt: str, output: Path | None, region: str, include_gone: bool) -> None:
    """Export the store's listings as CSV, XLSX or JSON Lines.

    Example: immolijst export --format xlsx -o lijst.xlsx --region w13
    """
    from listings._frame import frame
    from listings._io import export_frame

    target = output or Path(f"listings.{fmt}")
    with ctx.store() as store:
        data = frame(store, region=None if region == "all" else region, include_gone=include_gone)
    rows = export_frame(data, target, fmt)
    console.print(f"Wrote {rows} listings to {target}.")


def _missing(value: Any) -> bool:
    """Tell whether a DataFrame cell is unknown (None, NaN, NaT or pandas.NA)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _listing_table(data: Any, limit: int, title: str) -> Table:
    table = Table(title=title)
    for column, justify in (
        ("source", "left"),
        ("id", "left"),
        ("type", "left"),
        ("place", "left"),
        ("rent", "right"),
        ("charges", "right"),
        ("bedrooms", "right"),
        ("m²", "right"),
        ("EPC", "left"),
    ):
        table.add_column(
            column,
            justify=justify,  # type: ignore[arg-type]
            no_wrap=column in ("id", "place", "rent"),
        )

    def show(value: Any, fmt: str = "{}") -> str:
        if _missing(value):
            return "-"
        return fmt.format(value)

    for row in data.head(limit).itertuples(index=False):
        town = row.locality if _missing(row.municipality) else row.municipality
        place = " ".join(str(p) for p in (row.postcode, town) if not _missing(p))
        epc = " ".join(
            p for p in (show(row.epc_label, "{}"), show(row.epc_kwh_m2, "{:.0f}")) if p != "-"
        )
        table.add_row(
            row.source,
            row.source_id,
            show(row.property_type),
            place,
            show(row.rent_eur, "€ {:,.0f}").replace(",", "."),
            show(row.charges_eur, "€ {:,.0f}").replace(",", "."),
            show(row.bedrooms, "{:.0f}"),
            show(row.living_area_m2, "{:.0f}"),
            epc or "-",
        )
    return table


@cli.command("list")
@click.option("--region", type=click.Choice(["w13", "all"]), default="w13", show_default=True)
@click.option("--municipality", "municipalities", multiple=True, help="Repeat for several.")
@click.option(
    "--type", "property_types", multiple=True, help="apartment, house, studio, room, other."
)
@click.option("--min-rent", type=float, default=None, help="Lowest rent, EUR/month.")
@click.option("--max-rent", type=float, default=None, help="Highest rent, EUR/month.")
@click.option("--limit", type=int, default=20, show_default=True)
@pass_ctx
def list_(
    ctx: Context,
    region: str,
    municipalities: Sequence[str],
    property_types: Sequence[str],
    min_rent: float | None,
    max_rent: float | None,
    limit: int,
) -> None:
    """List active listings in the store, cheapest first.

    Example: immolijst list --municipality Kortrijk --max-rent 800
    """
    from listings._frame import frame

    with ctx.store() as store:
        data = frame(
            store,
            region=None if region == "all" else region,
            municipalities=list(municipalities) or None,
            property_types=list(property_types) or None,
            rent_min=min_rent,
            rent_max=max_rent,
        )
    data = data.sort_values(["rent_eur", "source", "source_id"], na_position="last")
    console.print(_listing_table(data, limit, f"{len(data)} active listings"))


# -- demo: the README's main job ------------------------------------------------------------------


@cli.command("demo")
@click.option(
    "--sample",
    is_flag=True,
    help="Import the bundled sample listings instead of replaying the recorded crawls.",
)
@click.option(
    "--replay",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Recording set to replay (default: the first bundled set).",
)
@click.option("--limit", type=int, default=15, show_default=True, help="Listings to show.")
@pass_ctx
def demo(ctx: Context, sample: bool, replay: Path | None, limit: int) -> None:
    """Run the main job offline into the configured store and show what came in.

    Replays the bundled recorded crawls of every source (no internet needed),
    prints a summary per source and the first listings of the W13 region.
    With --sample it imports the bundled sample listings instead.

    Example: immolijst --db sqlite:///demo.sqlite3 demo
    """
    from listings._frame import frame

    if sample:
        good, bad = _import_file(ctx, SAMPLE_LISTINGS)
        console.print(
            f"Sample data: {good} listings imported, {bad} rows rejected by validation "
            "(shown above with line, field and reason)."
        )
        region = None
    else:
        from scrapers.run import DEFAULT_RECORDINGS

        summaries = _run_crawl(ctx, None, replay or DEFAULT_RECORDINGS, None, None)
        failed = [s.source for s in summaries if s.status != "complete"]
        if failed:
            err_console.print(f"[yellow]Not complete:[/] {', '.join(failed)}")
        _print_dedupe(_dedupe(ctx))
        region = "w13"
    with ctx.store() as store:
        data = frame(store, region=region)
    data = data.sort_values(["rent_eur", "source", "source_id"], na_position="last")
    console.print(_listing_table(data, limit, f"First {min(limit, len(data))} of {len(data)}"))


# -- dwellings ---------------------------------------------------------------------------


@cli.command("dedupe")
@click.option("--full", is_flag=True, help="Compare every advert again, not only new ones.")
@click.option(
    "--evaluate",
    "evaluate_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Link a labelled JSON Lines file in a scratch store and report precision/recall/F1.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@pass_ctx
def dedupe_cmd(ctx: Context, full: bool, evaluate_file: Path | None, as_json: bool) -> None:
    """Link the store's adverts into dwellings: one home, however many adverts.

    Incremental: only new or changed adverts are compared with the existing
    dwellings, whose ids never change. With --evaluate FILE (one advert per line,
    the Listing fields plus `true_dwelling`) it links that file in a scratch store
    instead and prints pairwise precision, recall and F1.

    Example: immolijst dedupe --evaluate tests/listings/data/dedupe_labelled.jsonl --json
    """
    from dataclasses import asdict

    if evaluate_file is not None:
        from listings._dedupe_eval import evaluate_links, format_report, read_labelled
        from listings.errors import ImportRowError

        try:
            adverts, labels = read_labelled(evaluate_file)
        except ImportRowError as exc:
            raise click.ClickException(f"{evaluate_file.name}: {exc}") from exc
        scores = evaluate_links(adverts, labels)
        click.echo(json.dumps(scores) if as_json else format_report(scores))
        return
    result = _dedupe(ctx, full=full)
    if as_json:
        click.echo(json.dumps(asdict(result)))
        return
    _print_dedupe(result)


def _dedupe(ctx: Context, *, full: bool = False) -> Any:
    from listings._dwellings import dedupe

    with ctx.store() as store:
        return dedupe(store, full=full)


def _print_dedupe(result: Any) -> None:
    console.print(
        f"Dwellings: {result.compared} adverts compared, {result.new_dwellings} new dwellings, "
        f"{result.joined} joined an existing one, {result.merged} merged; "
        f"{result.active_dwellings} active of {result.dwellings} dwellings."
    )


# -- matcher -------------------------------------------------------------------------------


@cli.command("parameters")
@_date_option("Show the value in force on this date")
@click.option(
    "--overrides",
    "override_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Directory with admin overrides (default: IMMOLIJST_PARAMETERS_DIR).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@pass_ctx
def parameters(ctx: Context, on: Any, override_dir: Path | None, as_json: bool) -> None:
    """List every rule parameter with its value on a date, status and source.

    Parameters whose last confirmed value is older than the date are flagged as
    stale: the matcher then uses the latest value and marks results as estimated.

    Example: immolijst parameters --date 2024-06-01
    """
    from matcher._parameters import parameter_report

    day = _as_date(on)
    rows = parameter_report(day, override_dir or ctx.settings.parameters_dir)
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str, ensure_ascii=False))
        return
    table = Table(title=f"Rule parameters on {day.isoformat()}")
    for column in ("name", "value", "unit", "from", "status", "last confirmed", "source"):
        table.add_column(column, overflow="fold")
    for row in rows:
        status = str(row["status"])
        if row.get("stale"):
            status = f"[yellow]{status} (stale)[/]"
        if row.get("overridden"):
            status += " [cyan]override[/]"
        value = row["value"]
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        table.add_row(
            str(row["name"]),
            str(value),
            str(row.get("unit", "")),
            str(row.get("effective_from", "")),
            status,
            str(row.get("last_confirmed") or "-"),
            str(row.get("reference", "")),
        )
    console.print(table)
    stale = [str(r["name"]) for r in rows if r.get("stale")]
    if stale:
        err_console.print(
            f"[yellow]Warning:[/] {len(stale)} parameters have no confirmed value for "
            f"{day.isoformat()}; the latest value is used and marked estimated: {', '.join(stale)}"
        )


def _load_household(path: Path) -> Any:
    from matcher._household import load_household
    from matcher.errors import HouseholdError

    try:
        return load_household(path)
    except HouseholdError as exc:
        # Problems name the field path and the reason; values are not echoed (personal data).
        for problem in exc.problems:
            err_console.print(f"[red]{path.name}[/]: {problem.path}: {problem.reason}")
        sys.exit(2)


@cli.command("explain")
@click.argument("household", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("listing", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_date_option("Evaluate on this date")
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON.")
@pass_ctx
def explain(ctx: Context, household: Path, listing: Path, on: Any, as_json: bool) -> None:
    """Explain what one LISTING (JSON) costs HOUSEHOLD (YAML/JSON): allowances, cost, verdict.

    Example: immolijst explain gezin.yaml woning.json --date 2024-06-01
    """
    from pydantic import ValidationError

    from listings import Listing, validation_problems
    from matcher._evaluation import evaluate
    from matcher._parameters import load_parameters

    hh = _load_household(household)
    try:
        item = Listing.model_validate_json(listing.read_text(encoding="utf-8"))
    except ValidationError as exc:
        for field, value, reason in validation_problems(exc):
            err_console.print(f"[red]{listing.name}[/]: {field} = {value!r}: {reason}")
        sys.exit(2)
    params = load_parameters(ctx.settings.parameters_dir)
    result = evaluate(hh, item, _as_date(on), params=params)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    _print_evaluation(result)


def _print_evaluation(result: Any) -> None:
    from matcher._texts import format_eur

    colour = {"green": "green", "amber": "yellow", "red": "red"}[result.verdict]
    label = getattr(result, "verdict_label", result.verdict)
    console.print(f"[bold {colour}]{label.upper()}[/] ({result.verdict})  {result.listing.url}")
    for reason in result.reasons:
        console.print(f"  • {reason}")
    for allowance in result.allowances:
        state = {True: "ja", False: "nee", None: "onbekend"}[allowance.eligible]
        console.print(
            f"  {allowance.name}: {state}, {format_eur(allowance.monthly_eur)}/maand"
            + (f", eenmalig {format_eur(allowance.one_off_eur)}" if allowance.one_off_eur else "")
        )
        for condition in allowance.conditions:
            mark = {True: "[green]✔[/]", False: "[red]✘[/]", None: "[yellow]?[/]"}[
                condition.outcome
            ]
            console.print(f"      {mark} {condition.reason}")
    if result.estimated:
        console.print("  [yellow]Onder voorbehoud:[/] " + "; ".join(result.estimated))


@cli.command("shortlist")
@click.argument("household", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_date_option("Evaluate on this date")
@click.option("--limit", type=int, default=20, show_default=True, help="How many to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the shortlist as JSON.")
@pass_ctx
def shortlist_cmd(ctx: Context, household: Path, on: Any, limit: int, as_json: bool) -> None:
    """Rank the store's active dwellings for HOUSEHOLD: affordable and suitable first.

    One row per dwelling, however many adverts it has (run `immolijst dedupe` after
    changing the store by other means than import or scrape).

    Example: immolijst shortlist gezin.yaml --limit 10
    """
    from listings._dwellings import dwellings_frame
    from matcher._parameters import load_parameters
    from matcher._shortlist import shortlist
    from matcher._texts import format_eur, format_percent

    hh = _load_household(household)
    with ctx.store() as store:
        data = dwellings_frame(store, region=None)
    params = load_parameters(ctx.settings.parameters_dir)
    result = shortlist(hh, data, _as_date(on), limit=limit, params=params)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    table = Table(title=f"Immolijst ({len(result.evaluations)} woningen)")
    for column in ("#", "oordeel", "woning", "huur", "premie", "netto/maand", "aandeel"):
        table.add_column(column)
    for rank, ev in enumerate(result.evaluations, start=1):
        table.add_row(
            str(rank),
            getattr(ev, "verdict_label", ev.verdict),
            f"{ev.listing.source} {ev.listing.source_id}",
            format_eur(ev.cost.rent_eur) if ev.cost.rent_eur is not None else "-",
            format_eur(ev.cost.allowance_eur or 0),
            format_eur(ev.cost.net_monthly_eur) if ev.cost.net_monthly_eur is not None else "-",
            format_percent(ev.ratios.housing_share) if ev.ratios.housing_share is not None else "-",
        )
    console.print(table)


# -- scrapers ------------------------------------------------------------------------------


@cli.command("extract")
@click.argument("source")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", default=None, help="The page's URL (default: guessed from the source).")
def extract_cmd(source: str, file: Path, url: str | None) -> None:
    """Run SOURCE's extractor on a saved page FILE and print the listings as JSON.

    Problems (dropped items, a bot-challenge page) go to stderr. For debugging a source.

    Example: immolijst extract immoweb saved/classified.html --url https://www.immoweb.be/en/classified/21553855
    """
    from scrapers.extract import extract

    body = file.read_bytes()
    extraction = extract(source, url or f"file://{file.resolve()}", body)
    listings, problems = extraction.validated()
    click.echo(
        json.dumps(
            [item.model_dump(mode="json") for item in listings], indent=2, ensure_ascii=False
        )
    )
    if extraction.challenge:
        err_console.print(f"[red]bot challenge[/]: {extraction.challenge}")
    for problem in problems:
        err_console.print(f"[yellow]{problem.code}[/] {problem.url}: {problem.message}")
    if extraction.next_page:
        err_console.print(f"next page: {extraction.next_page}")


@cli.command("scrape")
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option(
    "--replay",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Serve every request from the cassettes in this directory (offline).",
)
@click.option(
    "--record",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Crawl live and write the responses as cassettes into this directory.",
)
@click.option("--postcodes", default=None, help="Comma-separated postcodes (default: W13).")
@pass_ctx
def scrape(
    ctx: Context,
    sources: Sequence[str],
    replay: Path | None,
    record: Path | None,
    postcodes: str | None,
) -> None:
    """Crawl the sources into the store and print a summary per source.

    Example: immolijst scrape --source immoweb --replay scrapers/recordings/2026-11-20
    """
    if replay and record:
        raise click.UsageError("--replay and --record exclude each other")
    summaries = _run_crawl(ctx, list(sources) or None, replay, record, postcodes)
    _print_dedupe(_dedupe(ctx))
    if any(s.status != "complete" for s in summaries):
        sys.exit(3)


def _run_crawl(
    ctx: Context,
    sources: list[str] | None,
    replay: Path | None,
    record: Path | None,
    postcodes: str | None,
) -> list[Any]:
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from scrapers.run import run_crawl

    spider_args = {"postcodes": postcodes} if postcodes else None
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err_console) as bar:
        task = bar.add_task("crawling", total=None)

        def progress(source: str, info: dict[str, Any]) -> None:
            bar.update(task, description=f"{source}: {info.get('pages', 0)} pages")

        summaries = run_crawl(
            sources,
            store_url=ctx.settings.database_url,
            replay_dir=replay,
            record_dir=record,
            settings={
                "IMMOLIJST_CONTACT": ctx.settings.contact,
                # The summary table says what matters; Scrapy's own log on demand.
                "LOG_LEVEL": os.environ.get("IMMOLIJST_LOG_LEVEL", "WARNING"),
            },
            spider_args=spider_args,
            progress=progress,
        )
    console.print(_summary_table(summaries))
    return summaries


def _summary_table(summaries: Sequence[Any]) -> Table:
    table = Table(title="Crawl summary")
    for column in ("source", "status", "pages", "seen", "new", "updated", "dropped", "rent %"):
        table.add_column(column, justify="left" if column in ("source", "status") else "right")
    for summary in summaries:
        counts = summary.counts
        dropped = counts.get("dropped") or {}
        coverage = (counts.get("coverage") or {}).get("rent_eur")
        colour = "green" if summary.status == "complete" else "yellow"
        table.add_row(
            summary.source,
            f"[{colour}]{summary.status}[/]",
            str(counts.get("pages", 0)),
            str(counts.get("seen", 0)),
            str(counts.get("new", 0)),
            str(counts.get("updated", 0)),
            ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())) or "0",
            f"{coverage * 100:.0f}" if coverage is not None else "-",
        )
    return table


# -- nightly -------------------------------------------------------------------------------


@cli.command("nightly")
@click.option(
    "--replay",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Replay recorded cassettes instead of crawling live.",
)
@click.option("--source", "sources", multiple=True, help="Only this source (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@pass_ctx
def nightly(ctx: Context, replay: Path | None, sources: Sequence[str], as_json: bool) -> None:
    """Crawl, link dwellings, find new matches and raise alarms: the scheduler's job.

    Exit codes: 0 all complete, 1 failed, 2 done with alarms or partial sources,
    75 another run holds the lock. Logs are JSON lines on stderr.

    Example: immolijst nightly
    """
    from immolijst.nightly import configure_logging, run_nightly

    configure_logging()
    report = run_nightly(ctx.settings, replay_dir=replay, sources=list(sources) or None)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    sys.exit(report.exit_code)


# -- web app ---------------------------------------------------------------------------------


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port to listen on.")
@pass_ctx
def serve_cmd(ctx: Context, host: str, port: int) -> None:
    """Start the web app on HOST:PORT against the configured store.

    Example: immolijst serve --port 8000
    """
    from immolijst.web.app import serve

    serve(ctx.settings, host=host, port=port)


@cli.group()
def user() -> None:
    """Manage the web app's accounts (no self-registration).

    Example: immolijst user add an --role worker
    """


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["worker", "admin"]), required=True)
@click.password_option(help="Password (asked twice when left out; at least 8 characters).")
@pass_ctx
def user_add(ctx: Context, name: str, role: str, password: str) -> None:
    """Create a web app account NAME with a role.

    Example: immolijst user add an --role worker
    """
    from immolijst.web.app import add_user
    from immolijst.web.db import AppDBError

    try:
        add_user(ctx.settings.database_url, name, role, password)
    except (AppDBError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    console.print(f"User {name} ({role}) created.")


@cli.command("purge")
@click.option("--older-than", "older_than", required=True, help="A period: 12m, 30d, 1y.")
@pass_ctx
def purge(ctx: Context, older_than: str) -> None:
    """Delete saved households not opened or changed for a period.

    Example: immolijst purge --older-than 12m
    """
    from immolijst.web.app import parse_duration, purge_households

    try:
        period = parse_duration(older_than)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--older-than") from exc
    count = purge_households(ctx.settings.database_url, period)
    console.print(f"Deleted {count} households not opened or changed in {older_than}.")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="immolijst")


if __name__ == "__main__":  # pragma: no cover
    main()

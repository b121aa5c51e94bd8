"""Pages of the immolijst: a household's ranked dwellings, one dwelling explained, exports, sources.

Routes (URLs carry only the opaque household id, a dwelling id and filter values):

* ``GET /huishoudens/{id}/immolijst`` – the ranked dwellings with filters
  (``gemeente``, ``type``, ``slaapkamers``, ``oordeel``), sort (``sorteer``)
  and ``pagina``;
* ``GET /huishoudens/{id}/woningen/{dwelling_id}`` – one dwelling for one
  household: allowance conditions, formula, parameters with their source,
  next steps, adverts and price history;
* ``POST /huishoudens/{id}/immolijst.pdf`` and ``.xlsx`` – the printable
  immolijst (PDF) and the worker's export (XLSX), with CSRF and an audit entry;
* ``GET /bronnen`` – the sources status (admins only);
* ``GET /miniaturen/{name}`` – a locally stored thumbnail (never fetched online).

Opening or exporting a household writes an audit entry (``open`` / ``export``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from immolijst.nightly import latest_alarms, mark_matches_seen
from immolijst.report import Filters, Item, immolijst, next_steps, render_pdf, select_items
from immolijst.report._dwellings_api import dwelling_detail, load_dwellings
from immolijst.report._format import bar_max, cost_bar_svg, eur_or_unknown, format_date
from immolijst.report._format import percent_or_unknown as pct
from immolijst.report._items import THUMBNAIL_SUFFIXES, rank_dwellings, thumbnail_file
from immolijst.report.sources import source_status
from immolijst.report.xlsx import export_frame, render_xlsx
from immolijst.settings import Settings
from immolijst.web.app import render as _app_render
from immolijst.web.auth import current_user
from immolijst.web.households import household_for
from immolijst.web.messages import msg
from listings import W13_MUNICIPALITIES, Observation, Store
from matcher import Household, HouseholdError, Parameters, evaluate, load_household, load_parameters

__all__ = ["PDF_LIMIT", "PER_PAGE", "routes"]

#: Dwellings per page of the immolijst.
PER_PAGE: Final = 25
#: Dwellings printed when the worker selects none (the first of the filtered list).
PDF_LIMIT: Final = 10
#: Most dwellings a worker can select for one PDF.
PDF_MAX: Final = 50
_THUMB_NAME: Final = re.compile(r"^[0-9a-f]{64}\.(jpg|jpeg|png|webp)$")
_TYPES: Final = ("apartment", "house", "studio", "room", "other")
_NO_STORE: Final = {"Cache-Control": "no-store"}
#: Formatters the templates use (amounts always with cents, unknown as a word).
_FORMATTERS: Final = {"eur2": eur_or_unknown, "pct": pct, "day": format_date}


# -- shared state -----------------------------------------------------------------------


class _Dwellings:
    """The dwellings frame of the store, reloaded when the store changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Any, ...] | None = None
        self._frame: pd.DataFrame | None = None

    @staticmethod
    def _version(store: Store) -> tuple[Any, ...]:
        import sqlalchemy as sa

        from listings._dwelling_schema import dwellings_table as d
        from listings._schema import listings_table as t

        query = sa.select(
            sa.func.count(),
            sa.func.max(t.c.last_seen_at),
            sa.func.max(t.c.gone_at),
            sa.func.max(t.c.id),
        ).select_from(t)
        dq = sa.select(sa.func.count(), sa.func.max(d.c.updated_at)).select_from(d)
        with store._read() as conn:
            row = tuple(conn.execute(query).one())
            extra = tuple(conn.execute(dq).one())
        return (*row, *extra)

    def get(self, store: Store) -> pd.DataFrame:
        key = self._version(store)
        with self._lock:
            if self._frame is None or key != self._key:
                self._frame = load_dwellings(store)
                self._key = key
            return self._frame


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """Render a template of this module with the amount formatters added."""
    return _app_render(request, name, {**_FORMATTERS, **context}, status_code=status_code)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _store(request: Request) -> Store:
    state = request.app.state
    store: Store | None = getattr(state, "w2_store", None)
    if store is None:
        store = Store(_settings(request).database_url)
        state.w2_store = store
        state.w2_dwellings = _Dwellings()
    return store


def _dwellings(request: Request) -> pd.DataFrame:
    store = _store(request)
    cache: _Dwellings = request.app.state.w2_dwellings
    return cache.get(store)


def _params(request: Request) -> Parameters:
    return load_parameters(_settings(request).parameters_dir)


def _thumbnails_dir(request: Request) -> Path:
    return _settings(request).data_dir / "thumbnails"


def _household(request: Request, action: str) -> tuple[Any, Household | None]:
    record = household_for(request, request.path_params["household_id"], action=action)
    try:
        return record, load_household(record.data)
    except HouseholdError:
        return record, None


# -- immolijst page -------------------------------------------------------------------


def _page_number(query: Mapping[str, str]) -> int:
    raw = query.get("pagina", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 6 else 1


def _immolijst_context(request: Request, record: Any, household: Household) -> dict[str, Any]:
    filters = Filters.from_query(request.query_params)
    page = _page_number(request.query_params)
    result = immolijst(
        household,
        _dwellings(request),
        on=date.today(),
        params=_params(request),
        filters=filters,
        page=page,
        per_page=PER_PAGE,
        thumbnails_dir=_thumbnails_dir(request),
    )
    scale = bar_max([item.evaluation for item in result.items])
    rows = [
        {
            "item": item,
            "bar": cost_bar_svg(item.evaluation, scale),
            "thumb": item.thumbnail.name if item.thumbnail is not None else None,
        }
        for item in result.items
    ]

    def page_url(number: int) -> str:
        from urllib.parse import urlencode

        query = {**filters.query(), "pagina": str(number)}
        return f"?{urlencode(query)}"

    return {
        "record": record,
        "result": result,
        "rows": rows,
        "filters": filters,
        "municipalities": W13_MUNICIPALITIES,
        "types": _TYPES,
        "verdicts": ("green", "amber", "red"),
        "sorts": ("rang", "netto", "huur", "oppervlakte"),
        "prev_url": page_url(result.page - 1) if result.page > 1 else None,
        "next_url": page_url(result.page + 1) if result.page < result.pages else None,
        "pdf_limit": PDF_LIMIT,
        "today": format_date(result.on),
    }


async def immolijst_page(request: Request) -> Response:
    """Show the household's immolijst: ranked dwellings with filters, sort and export forms."""
    record, household = _household(request, "open")
    if household is None:
        return render(request, "immolijst_error.html", {"record": record}, status_code=409)
    await run_in_threadpool(mark_matches_seen, request.app.state.db.engine, record.id)
    context = await run_in_threadpool(_immolijst_context, request, record, household)
    return render(request, "immolijst.html", context)


# -- dwelling page ----------------------------------------------------------------------


def _price_changes(history: Sequence[Observation]) -> list[Observation]:
    """Keep the first sighting, every price change and the last sighting."""
    out: list[Observation] = []
    for obs in history:
        if not out or (obs.rent_eur, obs.charges_eur) != (out[-1].rent_eur, out[-1].charges_eur):
            out.append(obs)
    if history and out[-1] is not history[-1]:
        out.append(history[-1])
    return out


def _param_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_param_value(v)}" for k, v in value.items())
    return str(value)


def _dwelling_context(
    request: Request, record: Any, household: Household, dwelling_id: int
) -> dict[str, Any] | None:
    store = _store(request)
    dwelling = dwelling_detail(store, dwelling_id)
    if dwelling is None:
        return None
    params = _params(request)
    on = date.today()
    listing = dwelling.listing()
    evaluation = evaluate(household, listing, on, params=params)
    histories = [
        (advert, _price_changes(store.history(advert.source, advert.source_id)))
        for advert in dwelling.adverts
    ]
    item = Item(
        rank=0,
        dwelling_id=dwelling_id,
        listing=listing,
        evaluation=evaluation,
        adverts=(),
        thumbnail=thumbnail_file(_thumbnails_dir(request), listing.image_urls),
    )
    return {
        "record": record,
        "dwelling": dwelling,
        "item": item,
        "ev": evaluation,
        "bar": cost_bar_svg(evaluation, bar_max([evaluation])),
        "histories": histories,
        "steps": next_steps([evaluation], on=on, params=params),
        "param_value": _param_value,
        "conflicts": dict(getattr(dwelling, "conflicts", {}) or {}),
        "thumb": item.thumbnail.name if item.thumbnail is not None else None,
        "back_url": request.url_for("immolijst", household_id=record.id).path,
    }


async def dwelling_page(request: Request) -> Response:
    """Show one dwelling for one household with the full explanation."""
    record, household = _household(request, "open")
    if household is None:
        return render(request, "immolijst_error.html", {"record": record}, status_code=409)
    dwelling_id = int(request.path_params["dwelling_id"])
    context = await run_in_threadpool(_dwelling_context, request, record, household, dwelling_id)
    if context is None:
        raise HTTPException(404)
    return render(request, "dwelling.html", context)


# -- exports ----------------------------------------------------------------------------


def _selected_ids(form: FormData) -> list[int]:
    ids: list[int] = []
    for raw in form.getlist("woning"):
        text = str(raw)
        if text.isdigit() and len(text) < 19:
            ids.append(int(text))
    return ids[:PDF_MAX]


def _form_filters(form: FormData) -> Filters:
    return Filters.from_query({k: str(v) for k, v in form.items() if isinstance(v, str)})


def _download(body: bytes, media_type: str, filename: str) -> Response:
    headers = {**_NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


def _pdf(request: Request, household: Household, form: FormData) -> bytes:
    params = _params(request)
    on = date.today()
    ids = _selected_ids(form)
    items = select_items(
        household,
        _dwellings(request),
        ids,
        on=on,
        params=params,
        filters=_form_filters(form),
        limit=PDF_MAX if ids else PDF_LIMIT,
        thumbnails_dir=_thumbnails_dir(request),
    )
    show_income = form.get("toon_inkomen") == "ja"
    return render_pdf(
        household, items, on=on, show_income=show_income, settings=_settings(request), params=params
    )


async def immolijst_pdf(request: Request) -> Response:
    """Return the printable immolijst as PDF (POST with CSRF; audited as ``export``)."""
    record, household = _household(request, "export")
    if household is None:
        return render(request, "immolijst_error.html", {"record": record}, status_code=409)
    form = await request.form()
    body = await run_in_threadpool(_pdf, request, household, form)
    return _download(body, "application/pdf", msg("pdf.filename"))


def _xlsx(request: Request, household: Household, form: FormData) -> bytes:
    dwellings = _dwellings(request)
    ids = _selected_ids(form)
    filters = _form_filters(form) if not ids else Filters()
    ranked, _, _ = rank_dwellings(
        household, dwellings, on=date.today(), params=_params(request), filters=filters
    )
    if ids:
        ranked = ranked[ranked["dwelling_id"].astype("int64").isin(set(ids))]
    return render_xlsx(export_frame(dwellings, ranked))


async def immolijst_xlsx(request: Request) -> Response:
    """Return every field of the filtered or selected dwellings as XLSX (audited)."""
    record, household = _household(request, "export")
    if household is None:
        return render(request, "immolijst_error.html", {"record": record}, status_code=409)
    form = await request.form()
    body = await run_in_threadpool(_xlsx, request, household, form)
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        msg("xlsx.filename"),
    )


# -- sources ----------------------------------------------------------------------------


def _sources_context(request: Request) -> dict[str, Any]:
    store = _store(request)
    extra = getattr(request.app.state, "source_warnings", None)
    statuses = source_status(store, extra_warnings=extra() if callable(extra) else ())
    stats = store.stats()
    dwellings = len(_dwellings(request))
    return {
        "statuses": statuses,
        "alarms": latest_alarms(_settings(request).database_url),
        "warnings": [w for s in statuses for w in s.warnings],
        "totals": stats["totals"],
        "dwellings": dwellings,
    }


async def sources_page(request: Request) -> Response:
    """Show the sources status to admins: last crawl, counts, coverage, warnings."""
    if not current_user(request).is_admin:
        raise HTTPException(403)
    context = await run_in_threadpool(_sources_context, request)
    return render(request, "sources.html", context)


async def thumbnail(request: Request) -> Response:
    """Serve a thumbnail from the local store (``<data_dir>/thumbnails``)."""
    name = request.path_params["name"]
    if not _THUMB_NAME.match(name) or not name.endswith(THUMBNAIL_SUFFIXES):
        raise HTTPException(404)
    path = _thumbnails_dir(request) / name
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, headers={"Cache-Control": "private, max-age=86400"})


def routes() -> list[BaseRoute]:
    """Return the routes of this module (the app factory mounts them)."""
    return [
        Route(
            "/huishoudens/{household_id}/immolijst",
            immolijst_page,
            methods=["GET"],
            name="immolijst",
        ),
        Route(
            "/huishoudens/{household_id}/woningen/{dwelling_id:int}",
            dwelling_page,
            methods=["GET"],
            name="dwelling",
        ),
        Route(
            "/huishoudens/{household_id}/immolijst.pdf",
            immolijst_pdf,
            methods=["POST"],
            name="immolijst_pdf",
        ),
        Route(
            "/huishoudens/{household_id}/immolijst.xlsx",
            immolijst_xlsx,
            methods=["POST"],
            name="immolijst_xlsx",
        ),
        Route("/bronnen", sources_page, methods=["GET"], name="sources"),
        Route("/miniaturen/{name}", thumbnail, methods=["GET"], name="thumbnail"),
    ]

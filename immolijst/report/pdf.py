"""The printable immolijst: a PDF for the client, rendered with WeasyPrint.

The PDF is built from the Jinja2 templates in ``immolijst/report/templates``
(``immolijst.html`` + ``print.css``). Rendering never goes online: QR codes
are inline SVG data URIs made with segno, thumbnails come from the local store
as data URIs (or are left out), and :class:`OfflineFetcher` refuses every
URL that is not a ``data:`` URI or a file inside the template directory or
the thumbnail directory.

The client's copy shows no income figures (income, share of income, the
reasons that quote them, the allowance formula) unless ``show_income`` is set.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import segno
from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

from immolijst.report._format import (
    bar_max,
    cost_bar_svg,
    eur_or_unknown,
    format_date,
    percent_or_unknown,
)
from immolijst.report._items import Item
from immolijst.report._next_steps import next_steps
from immolijst.settings import Settings
from immolijst.web.messages import choice_label, msg
from matcher import Evaluation, Household, Parameters, load_parameters

__all__ = ["TEMPLATES_DIR", "OfflineFetcher", "client_reasons", "render_html", "render_pdf"]

logger = logging.getLogger(__name__)

#: Directory of the report templates and ``print.css``.
TEMPLATES_DIR = Path(__file__).parent / "templates"


class OfflineFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that never goes online.

    ``data:`` URIs are served; ``file:`` URLs only when they lie inside one of
    ``allowed_dirs``; every other URL (``http``, ``https``, ``ftp`` ...) is
    refused and remembered in :attr:`refused`.
    """

    def __init__(self, allowed_dirs: Sequence[Path] = ()) -> None:
        """Create a fetcher that reads files only below ``allowed_dirs``."""
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.allowed_dirs = [Path(d).resolve() for d in allowed_dirs]
        self.refused: list[str] = []

    def _allowed_file(self, url: str) -> bool:
        from urllib.parse import unquote, urlparse

        path = Path(unquote(urlparse(url).path)).resolve()
        return any(path.is_relative_to(d) for d in self.allowed_dirs)

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` when it is local; raise :class:`ValueError` for anything else."""
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data" or (scheme == "file" and self._allowed_file(url)):
            return super().fetch(url, headers)
        self.refused.append(url)
        logger.info("refused to fetch a %s URL while rendering", scheme)
        raise ValueError(f"offline rendering: refused {scheme} URL")


def client_reasons(evaluation: Evaluation, *, show_income: bool) -> list[str]:
    """Return the evaluation's reasons, without the ones that quote income figures.

    The matcher's reasons are: the headline, then the affordability lines
    (share of income, woonquote, what is left; or "no income"), then the
    allowance and suitability lines. Without ``show_income`` the affordability
    lines are left out.
    """
    reasons = list(evaluation.reasons)
    if show_income or not reasons:
        return reasons
    cost, ratios = evaluation.cost, evaluation.ratios
    if cost.rent_eur is None or cost.net_monthly_eur is None:
        n_income = 0
    elif ratios.rent_share is None or ratios.housing_share is None or ratios.residual_eur is None:
        n_income = 1
    else:
        n_income = 3
    return [reasons[0], *reasons[1 + n_income :]]


def _qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").png_data_uri(scale=4, border=2))


def _thumbnail_uri(path: Path | None) -> str | None:
    if path is None:
        return None
    kind = mimetypes.guess_type(path.name)[0] or "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(msg=msg, choice_label=choice_label)
    env.filters.update(eur=eur_or_unknown, pct=percent_or_unknown, day=format_date)
    return env


def render_html(
    household: Household,
    evaluations: Sequence[Item],
    *,
    on: date,
    show_income: bool,
    params: Parameters | None = None,
) -> str:
    """Return the HTML of the printable immolijst (what :func:`render_pdf` renders)."""
    params = params or load_parameters()
    scale = bar_max([item.evaluation for item in evaluations])
    rows = [
        {
            "item": item,
            "qr": _qr_data_uri(item.main_url),
            "thumbnail": _thumbnail_uri(item.thumbnail),
            "bar": cost_bar_svg(item.evaluation, scale),
            "reasons": client_reasons(item.evaluation, show_income=show_income),
        }
        for item in evaluations
    ]
    template = _environment().get_template("immolijst.html")
    return template.render(
        rows=rows,
        on=on,
        show_income=show_income,
        income=household.net_monthly_income() if show_income else None,
        steps=next_steps([item.evaluation for item in evaluations], on=on, params=params),
    )


def render_pdf(
    household: Household,
    evaluations: Sequence[Item],
    *,
    on: date,
    show_income: bool,
    settings: Settings | None = None,
    params: Parameters | None = None,
) -> bytes:
    """Render the printable immolijst of ``evaluations`` (ranked dwellings) as PDF bytes.

    ``evaluations`` are :class:`~immolijst.report.Item` objects (a dwelling with
    its :class:`matcher.Evaluation`), in the order to print. ``show_income``
    adds the household's income and the shares of income (the worker's
    choice; off for the client's copy). ``settings`` gives the parameter
    override directory when ``params`` is not given. Nothing is fetched from
    the internet.
    """
    if params is None:
        params = load_parameters(settings.parameters_dir if settings is not None else None)
    html = render_html(household, evaluations, on=on, show_income=show_income, params=params)
    fetcher = OfflineFetcher([TEMPLATES_DIR])
    document = HTML(string=html, base_url=str(TEMPLATES_DIR) + "/", url_fetcher=fetcher)
    stylesheet = CSS(filename=str(TEMPLATES_DIR / "print.css"), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[stylesheet])
    assert isinstance(pdf, bytes)
    return pdf

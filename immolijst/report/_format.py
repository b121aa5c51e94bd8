"""Formatting helpers shared by the web pages and the printable immolijst."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime
from html import escape

from markupsafe import Markup

from immolijst.web.messages import msg
from matcher import Evaluation, format_eur, format_percent

__all__ = ["bar_max", "cost_bar_svg", "eur_or_unknown", "format_date", "percent_or_unknown"]

#: Bar colours (contrast ≥ 3:1 against white, as WCAG asks of graphics).
_COLOURS = {"rent": "#1f4e79", "charges": "#8a4500", "energy": "#2e6b30", "allowance": "#767676"}
_BAR_WIDTH = 160.0


def _num(value: float | None) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0.0
    return float(value)


def eur_or_unknown(value: float | None) -> str:
    """Format an amount the Belgian way, or the word for unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return msg("list.unknown")
    return format_eur(value, cents=True)


def percent_or_unknown(value: float | None) -> str:
    """Format a fraction as a Belgian percentage, or the word for unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return msg("list.unknown")
    return format_percent(value)


def format_date(value: date | datetime | None) -> str:
    """Format a date the Belgian way (``27/11/2026``); '' for None."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def bar_max(evaluations: Sequence[Evaluation]) -> float:
    """Return the gross cost (rent + charges + energy) of the dearest evaluation, at least 1."""
    gross = [
        _num(e.cost.rent_eur) + _num(e.cost.charges_eur) + _num(e.cost.energy_eur)
        for e in evaluations
    ]
    return max([1.0, *gross])


def cost_bar_svg(evaluation: Evaluation, scale_max: float) -> Markup:
    """Return an inline SVG bar of the monthly cost: rent, charges, energy; minus the allowance.

    The upper bar stacks rent, charges and energy; the lower line shows what
    the household pays (dark) and what the allowance pays back (grey). It has
    ``role="img"`` and a Dutch ``aria-label`` with the amounts. Only SVG
    attributes are used (no inline style), so it passes a strict CSP.
    """
    cost = evaluation.cost
    parts = [
        ("rent", _num(cost.rent_eur)),
        ("charges", _num(cost.charges_eur)),
        ("energy", _num(cost.energy_eur)),
    ]
    unit = _BAR_WIDTH / scale_max
    label = msg(
        "list.bar.label",
        rent=eur_or_unknown(cost.rent_eur),
        charges=eur_or_unknown(cost.charges_eur),
        energy=eur_or_unknown(cost.energy_eur),
        allowance=eur_or_unknown(cost.allowance_eur),
    )
    shapes: list[str] = []
    x = 0.0
    for name, amount in parts:
        width = max(0.0, amount * unit)
        if width > 0:
            shapes.append(
                f'<rect x="{x:.1f}" y="0" width="{width:.1f}" height="10" fill="{_COLOURS[name]}"/>'
            )
        x += width
    gross = x
    allowance = min(gross, max(0.0, _num(cost.allowance_eur) * unit))
    net = gross - allowance
    if net > 0:
        shapes.append(f'<rect x="0" y="12" width="{net:.1f}" height="4" fill="#000000"/>')
    if allowance > 0:
        shapes.append(
            f'<rect x="{net:.1f}" y="12" width="{allowance:.1f}" height="4" '
            f'fill="{_COLOURS["allowance"]}"/>'
        )
    return Markup(
        f'<svg class="costbar" role="img" aria-label="{escape(label)}" '
        f'width="{_BAR_WIDTH:.0f}" height="16" viewBox="0 0 {_BAR_WIDTH:.0f} 16" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(shapes)}</svg>'
    )

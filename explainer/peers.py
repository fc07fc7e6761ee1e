"""Peers compared: China's little giants beside Germany's, Japan's and Korea's champions.

Derived tables for notebook 5, computed from ``data/`` so that every number a chart or a
sentence shows can be traced to a sourced row:

- :func:`schemes` and :func:`side_by_side`: the five designs in one table, kept as data
  (``peer_schemes.csv``);
- :func:`named_rounds`: firms named round by round, China's batches included
  (``peer_counts.csv`` and ``designation_batches.csv``);
- :func:`scale_table`: the scale made comparable, firms named per year and firms holding the
  label per 10,000 SMEs (``sme_counts.csv``);
- :func:`support_per_firm`: money per firm per year in one currency, at currency rates that
  are marked assumptions and can be changed (``peer_support.csv``, ``peer_currency.csv``);
- :func:`model_settings` and :func:`design_runs`: which setting of notebook 4's
  picking-winners model stands for each state design, and what the model gives there.

Nothing here draws; :mod:`explainer.charts.peers` draws these tables.

Examples
--------
>>> table = scale_table()
>>> round(float(table.set_index("scheme").loc["germany-hidden-champions", "holding_per_10k"]), 1)
4.6
>>> support = support_per_firm(rates={"KRW": 1000}).set_index("scheme")
>>> float(support.loc["korea-sobujang", "eur_per_year_m"])
3.64
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from explainer.data import load_table
from explainer.models.picking_winners import simulate_picking_winners
from explainer.models.subsidy import subsidy_arithmetic

__all__ = [
    "CHINA",
    "LINE_LABELS",
    "PER_SMES",
    "currency_rates",
    "design_runs",
    "model_settings",
    "named_rounds",
    "scale_table",
    "schemes",
    "side_by_side",
    "support_per_firm",
]

#: The id of China's row in ``peer_schemes.csv``.
CHINA = "china-little-giants"

#: Scale is shown per this many SMEs.
PER_SMES = 10_000

#: What each place on the line from "recognise proven winners" (1) to "pick future winners" (5)
#: means. Our classification, from who chooses and what the chooser sees.
LINE_LABELS = {
    1: "Nobody chooses: winners are counted afterwards",
    2: "The state recognises results already won",
    3: "The state picks on a track record and promise",
    4: "The state picks on a track record, a plan and priority fields",
    5: "The state picks promise in fields it has chosen",
}


def schemes() -> pd.DataFrame:
    """The five designs (``peer_schemes.csv``) in reading order, with a short label each."""
    table = load_table("peer_schemes").sort_values("order").reset_index(drop=True)
    table["label"] = [f"{c}: {s}" for c, s in zip(table["country"], table["short_name"])]
    table["line_label"] = table["line_position"].map(LINE_LABELS)
    return table


def side_by_side() -> pd.DataFrame:
    """The designs side by side, one row each, with readable column names (for display)."""
    table = schemes()
    years = [
        f"{first}–{last}" if pd.notna(last) else f"{first} on"
        for first, last in zip(table["first_year"], table["last_year"])
    ]
    duration = [f"{y} years" if pd.notna(y) else "–" for y in table["support_years"]]
    return pd.DataFrame(
        {
            "Country": table["country"],
            "Scheme": table["scheme"],
            "In its own script": _native(table),
            "Who chooses": table["who_chooses"],
            "The chooser sees": table["chooser_sees"],
            "Criteria": table["criteria"],
            "How many firms": table["firms_named"],
            "Years": years,
            "Support": table["support"],
            "For how long": duration,
            "Reviewed?": ["yes" if r else "no" for r in table["reviewed"]],
            "Review": table["review"],
            "source_ids": table["source_ids"],
        }
    )


def _native(table: pd.DataFrame) -> list[str]:
    """The native name with its romanisation in brackets, where there is one."""
    return [
        f"{name} ({roman})" if isinstance(roman, str) and roman else name
        for name, roman in zip(table["native_name"], table["romanisation"])
    ]


def named_rounds() -> pd.DataFrame:
    """Firms named round by round by the four state schemes, in one tidy table.

    Returns columns ``scheme``, ``year``, ``firms`` (named in that round), ``applicants``
    (empty where unknown), ``firms_alt`` and ``applicants_alt`` (another source's figure, where
    they disagree) and ``source_ids``. China's rounds are its national batches: the final
    designation where one was found, the public-notice list otherwise.
    """
    counts = load_table("peer_counts")
    counts["year"] = counts["date"].dt.year
    named = counts[counts["measure"] == "named"]
    applicants = counts[counts["measure"] == "applicants"].set_index(["scheme", "year"])
    rows = []
    for _, row in named.iterrows():
        key = (row["scheme"], row["year"])
        applied = applicants.loc[key] if key in applicants.index else None
        rows.append(
            {
                "scheme": row["scheme"],
                "year": int(row["year"]),
                "firms": int(row["firms"]),
                "firms_alt": row["firms_alt"],
                "applicants": applied["firms"] if applied is not None else pd.NA,
                "applicants_alt": applied["firms_alt"] if applied is not None else pd.NA,
                "source_ids": _merge_ids(
                    row["source_ids"], () if applied is None else applied["source_ids"]
                ),
            }
        )
    rounds = pd.concat([pd.DataFrame(rows), _china_rounds()], ignore_index=True)
    for column in ("firms_alt", "applicants", "applicants_alt"):
        rounds[column] = rounds[column].astype("Int64")
    return rounds.sort_values(["scheme", "year"]).reset_index(drop=True)


def _merge_ids(*groups: Any) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for source_id in group:
            seen.setdefault(source_id)
    return tuple(seen)


def _china_rounds() -> pd.DataFrame:
    """China's national batches as rounds: final count where known, else the public list."""
    batches = load_table("designation_batches")
    firms = batches["final_count"].fillna(batches["public_notice_count"])
    return pd.DataFrame(
        {
            "scheme": CHINA,
            "year": batches["year"].astype(int),
            "firms": firms.astype(int),
            "firms_alt": pd.NA,
            "applicants": pd.NA,
            "applicants_alt": pd.NA,
            "source_ids": batches["source_ids"],
        }
    )


def _holding(scheme: str, rounds: pd.DataFrame) -> tuple[int, str, tuple[str, ...]]:
    """Firms holding the label now, how that was counted, and the sources."""
    if scheme == CHINA:
        stock = load_table("designation_stock").sort_values("date").iloc[-1]
        return int(stock["stock"]), "net stock after re-reviews", tuple(stock["source_ids"])
    counts = load_table("peer_counts")
    if scheme == "germany-hidden-champions":
        row = counts.set_index("id").loc["de-simon-2021"]
        return int(row["firms"]), "Simon's count (2021)", tuple(row["source_ids"])
    own = rounds[rounds["scheme"] == scheme]
    if scheme == "japan-gnt":  # each edition replaces the last
        latest = own.sort_values("year").iloc[-1]
        return int(latest["firms"]), "latest edition", tuple(latest["source_ids"])
    cumulative = counts[(counts["scheme"] == scheme) & (counts["measure"] == "named (cumulative)")]
    cumulative = cumulative.sort_values("date")
    if len(cumulative):
        row = cumulative.iloc[-1]
        return int(row["firms"]), "all rounds (no review)", tuple(row["source_ids"])
    return int(own["firms"].sum()), "all rounds found (no review)", _merge_ids(*own["source_ids"])


def scale_table() -> pd.DataFrame:
    """Scale made comparable: firms named per year, and per 10,000 SMEs of the country.

    For each design: the rounds found, the years from the first to the last round, the firms
    named in them and per year (their total divided by those years, counted inclusively), the
    firms holding the label now, and both per :data:`PER_SMES` SMEs. Germany's hidden champions
    are counted, not named, so they have no yearly rate. World Class 300's rounds are known
    only in part, so its yearly rate uses the 300 reached over 2011–2018.

    SME definitions differ between countries (see ``sme_counts.csv``); the per-SME figures are a
    guide to orders of magnitude, not exact comparisons.
    """
    rounds = named_rounds()
    smes = load_table("sme_counts").set_index("country")
    rows = []
    for _, scheme in schemes().iterrows():
        own = rounds[rounds["scheme"] == scheme["id"]]
        holding, how, holding_ids = _holding(scheme["id"], rounds)
        sme = smes.loc[scheme["country"]]
        first, last = int(scheme["first_year"]), _last_year(scheme, own)
        named = _named_total(scheme["id"], own, holding)
        years = last - first + 1 if named else pd.NA
        per_year = named / years if named else pd.NA
        rows.append(
            {
                "scheme": scheme["id"],
                "label": scheme["label"],
                "rounds_found": len(own),
                "first_year": first,
                "last_year": last,
                "firms_named": named or pd.NA,
                "named_per_year": per_year,
                "smes": int(sme["smes"]),
                "named_per_year_per_10k": per_year / sme["smes"] * PER_SMES if named else pd.NA,
                "holding": holding,
                "holding_counted_as": how,
                "holding_per_10k": holding / sme["smes"] * PER_SMES,
                "source_ids": _merge_ids(*own["source_ids"], holding_ids, sme["source_ids"]),
            }
        )
    table = pd.DataFrame(rows)
    for column in ("named_per_year", "named_per_year_per_10k"):
        table[column] = pd.to_numeric(table[column], errors="coerce")
    table["firms_named"] = table["firms_named"].astype("Int64")
    return table


def _last_year(scheme: pd.Series, own: pd.DataFrame) -> int:
    if pd.notna(scheme["last_year"]):
        return int(scheme["last_year"])
    return int(own["year"].max()) if len(own) else int(scheme["first_year"])


def _named_total(scheme: str, own: pd.DataFrame, holding: int) -> int:
    """Firms named over the scheme's life: 0 for a count nobody issues (Germany)."""
    if scheme == "germany-hidden-champions":
        return 0
    if scheme == "korea-wc300":  # only two rounds found; the 300 are the whole
        return holding
    return int(own["firms"].sum())


def currency_rates(rates: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The currency table with a reader's rates applied (units per euro).

    Parameters
    ----------
    rates : mapping, optional
        ``{"KRW": 1350, ...}``: rates to use instead of the defaults in ``peer_currency.csv``.

    Raises
    ------
    ValueError
        If a currency is unknown, or a rate is not a number within its bounds; the message
        names the currency and the allowed range.
    """
    table = load_table("peer_currency").set_index("currency")
    for currency, value in (rates or {}).items():
        if currency not in table.index:
            known = ", ".join(table.index)
            raise ValueError(f"rates: unknown currency {currency!r}; allowed: {known}")
        low, high = table.loc[currency, "minimum"], table.loc[currency, "maximum"]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not low <= value <= high
        ):
            raise ValueError(
                f"rates[{currency!r}] must be a number from {low:g} to {high:g} units per euro "
                f"(got {value!r})"
            )
        table.loc[currency, "per_euro"] = float(value)
    table.loc[table.index != "EUR", "basis"] = [
        "assumption" if (rates or {}).get(c) is None else "reader's choice"
        for c in table.index[table.index != "EUR"]
    ]
    return table.reset_index()


def support_per_firm(rates: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Money per named firm per year, in million euros, for every design.

    Korea's figures are the most a firm could get (reported maxima, divided by their years).
    China publishes no amount per firm: its figure is notebook 3's average for a funded key
    firm at that notebook's default assumptions
    (:func:`explainer.models.subsidy.subsidy_arithmetic`), so it is an average under
    assumptions, not a maximum. Japan's and Germany's schemes carry no money we could find,
    drawn as zero.

    Parameters
    ----------
    rates : mapping, optional
        Units per euro for ``KRW``, ``JPY`` and ``CNY``; see :func:`currency_rates`.

    Returns
    -------
    pandas.DataFrame
        ``scheme``, ``label``, ``local_per_year_m`` and ``currency``, ``eur_per_year_m``,
        ``kind`` (maximum, average under assumptions, none found), ``basis``, ``source_ids``.
    """
    per_euro = currency_rates(rates).set_index("currency")["per_euro"]
    support = load_table("peer_support")
    labels = schemes().set_index("id")["label"]
    rows = []
    for scheme, items in support.groupby("scheme", sort=False):
        local = float((items["amount_m"] / items["years"]).sum())
        currency = items["currency"].iloc[0]
        rows.append(
            {
                "scheme": scheme,
                "local_per_year_m": local,
                "currency": currency,
                "kind": items["kind"].iloc[0],
                "basis": "derived" if len(items) > 1 or items["years"].iloc[0] > 1 else "reported",
                "source_ids": _merge_ids(*items["source_ids"]),
            }
        )
    rows.append(_china_support())
    table = pd.DataFrame(rows)
    table["eur_per_year_m"] = [
        round(v / per_euro[c], 2) for v, c in zip(table["local_per_year_m"], table["currency"])
    ]
    table["label"] = table["scheme"].map(labels)
    order = schemes()["id"].tolist()
    table = table.set_index("scheme").loc[order].reset_index()
    columns = ["scheme", "label", "local_per_year_m", "currency", "eur_per_year_m", "kind"]
    return table[[*columns, "basis", "source_ids"]]


def _china_support() -> dict[str, Any]:
    """Notebook 3's central support per funded key firm per year, at its defaults."""
    result = subsidy_arithmetic()
    fund = load_table("central_fund")
    return {
        "scheme": CHINA,
        "local_per_year_m": round(float(result.support_per_firm_year_m_yuan), 2),
        "currency": "CNY",
        "kind": "average under assumptions",
        "basis": "assumption",
        "source_ids": _merge_ids(*fund["source_ids"]),
    }


def model_settings(scheme: str) -> dict[str, float]:
    """The picking-winners settings that stand for one state design (``peer_model_settings.csv``).

    Every setting not listed stays at the model's default. Germany's design has none: nobody
    picks, so it is the model's market strategy as it is.

    Raises
    ------
    ValueError
        If ``scheme`` is not a design in ``peer_schemes.csv``.
    """
    known = schemes()["id"].tolist()
    if scheme not in known:
        raise ValueError(f"scheme must be one of {', '.join(known)} (got {scheme!r})")
    settings = load_table("peer_model_settings")
    own = settings[settings["scheme"] == scheme]
    return {name: float(value) for name, value in zip(own["parameter"], own["value"])}


def design_runs(**common: Any) -> pd.DataFrame:
    """Run notebook 4's model once per design and return the planner's and market's results.

    Parameters
    ----------
    **common
        Settings applied to every run (e.g. ``seed=7``), before each design's own settings.

    Returns
    -------
    pandas.DataFrame
        One row per design: ``scheme``, ``label``, ``settings`` (as text), the average
        ``planner_value_per_yuan``, ``market_value_per_yuan`` and the planner's
        ``planner_spent_on_failures_share`` over the simulated worlds. For Germany the planner
        columns are empty: nobody picks.
    """
    rows = []
    for _, scheme in schemes().iterrows():
        settings = model_settings(scheme["id"])
        result = simulate_picking_winners(**{**common, **settings})
        summary = result.summary.set_index(["strategy", "output"])["mean"]
        picks = scheme["who_chooses"] != "nobody"
        rows.append(
            {
                "scheme": scheme["id"],
                "label": scheme["label"],
                "settings": ", ".join(f"{k} = {v:g}" for k, v in settings.items()) or "defaults",
                "planner_value_per_yuan": summary["planner", "value_per_yuan"] if picks else pd.NA,
                "market_value_per_yuan": summary["market", "value_per_yuan"],
                "planner_spent_on_failures_share": (
                    summary["planner", "spent_on_failures_share"] if picks else pd.NA
                ),
            }
        )
    table = pd.DataFrame(rows)
    for column in ("planner_value_per_yuan", "planner_spent_on_failures_share"):
        table[column] = pd.to_numeric(table[column], errors="coerce")
    return table

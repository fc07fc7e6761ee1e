"""Subsidy arithmetic: what the central fund for little giants means per firm.

In February 2021 the Ministry of Finance and MIIT set aside more than 10 billion yuan of
central money for 2021-2025 to support "key" little giants, in three rounds of at most three
years each, and SME public-service platforms. This module turns such a fund into money per
funded firm per year and compares it with the average little giant's R&D spending.

How rounds fit into the fund's years
------------------------------------
A new round of key firms is selected each year, and each round's firms are supported for
``round_years`` years. Only rounds that can finish inside the fund's window are started, so::

    rounds = fund_years - round_years + 1      (at least 1)

A five-year fund with three-year rounds runs rounds starting in years 1, 2 and 3, which end
in years 3, 4 and 5: the three rounds the 2021 notice describes. (Back-to-back rounds,
``ceil(fund_years / round_years)``, would give two, and the second would run past the fund.)
If a round is longer than the fund, one round runs and is cut short at the fund's end, so a
firm is supported for ``min(round_years, fund_years)`` years. The money for firms is shared
equally over every funded firm-year.

All money is in million yuan, except the fund itself (billion yuan, as reported) and
:func:`article_framing_per_firm` (yuan).

Examples
--------
>>> result = subsidy_arithmetic(fund_bn_yuan=10, fund_years=5, firm_share=0.9,
...                             key_firms_per_round=400, round_years=3, local_match=1.0,
...                             reference_rd_m_yuan=30, all_little_giants=12000)
>>> result.rounds, result.funded_firm_rounds, result.funded_firm_years
(3, 1200, 3600)
>>> round(result.support_per_firm_year_m_yuan, 3)
2.5
>>> round(result.support_per_firm_year_with_local_m_yuan, 3)
5.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from explainer.parameters import parameter_specs, validate_parameters, validate_value

__all__ = [
    "SubsidyResult",
    "article_framing_per_firm",
    "rounds_in_fund",
    "subsidy_arithmetic",
]

MODEL = "subsidy_arithmetic"
PARAMETER_TABLE = "parameters_explorer"
MILLION_PER_BILLION = 1000.0


@dataclass(frozen=True, eq=False)
class SubsidyResult:
    """What :func:`subsidy_arithmetic` returns.

    ``table`` holds every quantity below as one row (``quantity``, ``value``, ``unit``), in
    reading order; the attributes hold the same numbers for code. Money is in million yuan
    (``_m_yuan``), shares in percent (``_pct``).

    Attributes
    ----------
    fund_m_yuan, firm_money_m_yuan, platform_money_m_yuan : float
        The fund and its split; firm money plus platform money equals the fund.
    local_money_m_yuan : float
        Local governments' matching money for the funded firms (on top of the fund).
    rounds : int
        Rounds of key firms the fund runs (see the module notes).
    support_years : int
        Years each funded firm is supported: ``min(round_years, fund_years)``.
    funded_firm_rounds : int
        ``rounds * key_firms_per_round``: places on the key-firm lists. A firm named in two
        rounds counts twice, so this is at most the number of different firms funded.
    funded_firm_years : int
        ``funded_firm_rounds * support_years``.
    support_per_firm_m_yuan : float
        Central money per funded firm over its whole round.
    support_per_firm_year_m_yuan : float
        Central money per funded firm per year.
    support_per_firm_year_with_local_m_yuan : float
        The same with local matching: ``central * (1 + local_match)``.
    share_funded_pct : float
        Funded firm-rounds as a percentage of all little giants (can pass 100 if the
        assumptions fund more places than there are little giants).
    support_share_of_rd_pct, support_with_local_share_of_rd_pct : float
        Yearly support per funded firm as a percentage of the reference firm's yearly R&D.
    fund_per_little_giant_m_yuan : float
        The whole fund divided by all little giants: the spread-thin reading.
    parameters : dict
        The validated inputs, by name.
    """

    table: pd.DataFrame
    fund_m_yuan: float
    firm_money_m_yuan: float
    platform_money_m_yuan: float
    local_money_m_yuan: float
    rounds: int
    support_years: int
    funded_firm_rounds: int
    funded_firm_years: int
    support_per_firm_m_yuan: float
    support_per_firm_year_m_yuan: float
    support_per_firm_year_with_local_m_yuan: float
    share_funded_pct: float
    support_share_of_rd_pct: float
    support_with_local_share_of_rd_pct: float
    fund_per_little_giant_m_yuan: float
    parameters: dict[str, float | int] = field(default_factory=dict)

    def summary(self) -> str:
        """One plain-English sentence on what the fund gives a funded firm.

        Examples
        --------
        >>> result = subsidy_arithmetic(fund_bn_yuan=10, fund_years=5, firm_share=0.9,
        ...                             key_firms_per_round=400, round_years=3,
        ...                             local_match=0, reference_rd_m_yuan=30,
        ...                             all_little_giants=12000)
        >>> print(result.summary())  # doctest: +NORMALIZE_WHITESPACE
        Of a 10 billion yuan fund over 5 years, 9,000 million yuan goes to firms: 3 rounds
        of 400 key firms (1,200 places, 10% of 12,000 little giants) get 2.50 million yuan
        each a year for 3 years, 8.3% of the average little giant's R&D of 30 million yuan a
        year.
        """
        p = self.parameters
        years = "year" if self.support_years == 1 else "years"
        rounds = "round" if self.rounds == 1 else "rounds"
        local = (
            f" ({self.support_per_firm_year_with_local_m_yuan:,.2f} with local matching)"
            if p["local_match"] > 0
            else ""
        )
        return (
            f"Of a {p['fund_bn_yuan']:g} billion yuan fund over {p['fund_years']} years, "
            f"{self.firm_money_m_yuan:,.0f} million yuan goes to firms: {self.rounds} {rounds} "
            f"of {p['key_firms_per_round']:,} key firms ({self.funded_firm_rounds:,} places, "
            f"{self.share_funded_pct:.0f}% of {p['all_little_giants']:,} little giants) get "
            f"{self.support_per_firm_year_m_yuan:,.2f} million yuan each a year{local} for "
            f"{self.support_years} {years}, {self.support_share_of_rd_pct:.1f}% of the average "
            f"little giant's R&D of {p['reference_rd_m_yuan']:g} million yuan a year."
        )


def rounds_in_fund(fund_years: int, round_years: int) -> int:
    """Rounds of key firms a fund can run: one starts each year, each finishing inside it.

    Parameters
    ----------
    fund_years : int
        Years the fund runs (at least 1).
    round_years : int
        Years each round's firms are supported (at least 1).

    Returns
    -------
    int
        ``max(fund_years - round_years + 1, 1)``.

    Examples
    --------
    >>> rounds_in_fund(5, 3)   # 2021-2025 with rounds of three years: the notice's three
    3
    >>> rounds_in_fund(3, 3), rounds_in_fund(2, 3)
    (1, 1)
    """
    return max(fund_years - round_years + 1, 1)


def subsidy_arithmetic(
    *,
    fund_bn_yuan: float = 10.0,
    fund_years: int = 5,
    firm_share: float = 0.8,
    key_firms_per_round: int = 661,
    round_years: int = 3,
    local_match: float = 0.0,
    reference_rd_m_yuan: float = 30.0,
    all_little_giants: int = 17600,
) -> SubsidyResult:
    """Split a central fund between firms and platforms and work out support per firm.

    Parameters
    ----------
    fund_bn_yuan : float
        Central money over the fund's life, billion yuan.
    fund_years : int
        Years the fund runs.
    firm_share : float
        Share of the fund paid to key firms (0 to 1); the rest funds SME public-service
        platforms.
    key_firms_per_round : int
        Key firms selected in each round.
    round_years : int
        Years each round's firms are supported.
    local_match : float
        Local money per central yuan for the same firms (0 = none, 1 = one for one).
    reference_rd_m_yuan : float
        Yearly R&D spending of the average little giant, million yuan, for comparison.
    all_little_giants : int
        All national little giants, to say what share the fund reaches.

    Returns
    -------
    SubsidyResult
        A one-row-per-quantity table and the same numbers as attributes.

    Raises
    ------
    ValueError
        If a parameter is of the wrong type, NaN, infinite or outside the range recorded in
        ``data/parameters_explorer.csv``; the message names it, its value and the range.

    Notes
    -----
    Rounds follow the rule in the module notes: one new round a year, each finishing
    inside the fund, ``rounds = max(fund_years - round_years + 1, 1)``. Money for firms is
    shared equally over funded firm-years; in practice awards differ from firm to firm, so
    read the result as an average.

    References
    ----------
    Ids in ``data/sources.csv``: ``mof-miit-2021-fund-notice`` (more than 10 billion yuan for
    2021-2025; three rounds of at most three years; more than 1,000 key firms and service
    platforms), ``kczg-2025-key-firm-lists`` (782, 656 and 546 firms on the 2021-2022 lists),
    ``xinhua-2025-17600`` (more than 17,600 little giants; R&D above 30 million yuan per firm
    in 2024). Every default and its source is a row of ``data/parameters_explorer.csv``.

    Examples
    --------
    The 2021 notice as planned: more than 1,000 key firms in three rounds, all the money to
    firms (an upper bound, since platforms get some):

    >>> result = subsidy_arithmetic(fund_bn_yuan=10, fund_years=5, firm_share=1.0,
    ...                             key_firms_per_round=334, round_years=3, local_match=0,
    ...                             reference_rd_m_yuan=30, all_little_giants=10000)
    >>> round(result.support_per_firm_m_yuan, 2)   # million yuan per firm over three years
    9.98
    >>> result.firm_money_m_yuan + result.platform_money_m_yuan == result.fund_m_yuan
    True
    """
    p = _validate(
        {
            "fund_bn_yuan": fund_bn_yuan,
            "fund_years": fund_years,
            "firm_share": firm_share,
            "key_firms_per_round": key_firms_per_round,
            "round_years": round_years,
            "local_match": local_match,
            "reference_rd_m_yuan": reference_rd_m_yuan,
            "all_little_giants": all_little_giants,
        }
    )
    fund = p["fund_bn_yuan"] * MILLION_PER_BILLION
    firm_money = fund * p["firm_share"]
    platform_money = fund - firm_money  # by difference, so the two always add up to the fund
    rounds = rounds_in_fund(int(p["fund_years"]), int(p["round_years"]))
    support_years = min(int(p["round_years"]), int(p["fund_years"]))
    firm_rounds = rounds * int(p["key_firms_per_round"])
    firm_years = firm_rounds * support_years
    per_firm_year = firm_money / firm_years
    with_local = per_firm_year * (1.0 + p["local_match"])
    result = {
        "fund_m_yuan": fund,
        "firm_money_m_yuan": firm_money,
        "platform_money_m_yuan": platform_money,
        "local_money_m_yuan": firm_money * p["local_match"],
        "rounds": rounds,
        "support_years": support_years,
        "funded_firm_rounds": firm_rounds,
        "funded_firm_years": firm_years,
        "support_per_firm_m_yuan": firm_money / firm_rounds,
        "support_per_firm_year_m_yuan": per_firm_year,
        "support_per_firm_year_with_local_m_yuan": with_local,
        "share_funded_pct": 100.0 * firm_rounds / p["all_little_giants"],
        "support_share_of_rd_pct": 100.0 * per_firm_year / p["reference_rd_m_yuan"],
        "support_with_local_share_of_rd_pct": 100.0 * with_local / p["reference_rd_m_yuan"],
        "fund_per_little_giant_m_yuan": fund / p["all_little_giants"],
    }
    table = pd.DataFrame(
        {
            "quantity": [label for label, _ in _ROWS.values()],
            "value": [float(result[key]) for key in _ROWS],
            "unit": [unit for _, unit in _ROWS.values()],
        }
    )
    return SubsidyResult(table=table, parameters=dict(p), **result)


def article_framing_per_firm(fund_bn_yuan: float = 10.0, firms: int = 10000) -> float:
    """Yuan per firm if the whole fund were spread over every little giant in its aim.

    The 2022 news story, like the fund notice itself, ties the 10 billion yuan to about
    10,000 new little giants. But the notice pays about a thousand key firms a round and some
    service platforms, not the 10,000; this is the figure a reader who divides one number by
    the other would work out, and no firm received it.

    Parameters
    ----------
    fund_bn_yuan : float
        The fund, billion yuan (same range as in :func:`subsidy_arithmetic`).
    firms : int
        Firms it is spread over (same range as ``all_little_giants``).

    Returns
    -------
    float
        Yuan per firm over the fund's whole life.

    Raises
    ------
    ValueError
        If either input is invalid; the message names it, its value and the range.

    Examples
    --------
    >>> article_framing_per_firm()
    1000000.0
    >>> article_framing_per_firm(10, 4762)  # doctest: +ELLIPSIS
    2099958.0...
    """
    specs = parameter_specs(PARAMETER_TABLE, MODEL)
    fund = validate_value(specs["fund_bn_yuan"], fund_bn_yuan)
    count = validate_value(dataclasses.replace(specs["all_little_giants"], name="firms"), firms)
    return fund * MILLION_PER_BILLION * 1e6 / count


# --- internals -------------------------------------------------------------------------------

# Rows of SubsidyResult.table: attribute -> (plain-language quantity, unit)
_ROWS: dict[str, tuple[str, str]] = {
    "fund_m_yuan": ("Central fund", "million yuan"),
    "firm_money_m_yuan": ("Money for key firms", "million yuan"),
    "platform_money_m_yuan": ("Money for service platforms", "million yuan"),
    "local_money_m_yuan": ("Local matching money (on top of the fund)", "million yuan"),
    "rounds": ("Rounds of key firms", "rounds"),
    "support_years": ("Years each funded firm is supported", "years"),
    "funded_firm_rounds": ("Places on key-firm lists (firms x rounds)", "firm-rounds"),
    "funded_firm_years": ("Funded firm-years", "firm-years"),
    "support_per_firm_m_yuan": ("Central support per funded firm, whole round", "million yuan"),
    "support_per_firm_year_m_yuan": (
        "Central support per funded firm per year",
        "million yuan per year",
    ),
    "support_per_firm_year_with_local_m_yuan": (
        "Central and local support per funded firm per year",
        "million yuan per year",
    ),
    "share_funded_pct": ("Places as a share of all little giants", "%"),
    "support_share_of_rd_pct": ("Central support as a share of the average firm's R&D", "%"),
    "support_with_local_share_of_rd_pct": (
        "Central and local support as a share of the average firm's R&D",
        "%",
    ),
    "fund_per_little_giant_m_yuan": (
        "Whole fund spread over all little giants",
        "million yuan per firm",
    ),
}


def _validate(values: Mapping[str, object]) -> dict[str, float | int]:
    """Check values against the records in ``data/parameters_explorer.csv``."""
    return validate_parameters(PARAMETER_TABLE, MODEL, values)

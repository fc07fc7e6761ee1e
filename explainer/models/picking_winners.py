"""The "picking winners" simulation: a planner against a market, on the same start-ups.

This is a thinking tool with stated assumptions, not a forecast. It does not describe China's
little-giant programme or any real fund; it asks one question in a stylised world: *when a few
start-ups matter most and nobody can see which, how much does it help to pick early on a noisy
signal, and how much does it cost to favour some sectors?*

The world
---------
Each simulated world holds ``n_firms`` start-ups. Each firm has a *potential*: the value it
would create if it had all the money it could use. Potential is log-normal and heavy-tailed:
``log potential = tail_sigma * Z - tail_sigma**2 / 2`` in units of ``firm_capital_need``, so the
average firm's potential equals one capital need whatever the spread. Each firm is in a favoured
sector with probability ``favoured_share``, independently of its potential. Firms in favoured
sectors then get ``favoured_premium`` added to their log potential, and every firm's log
potential is lowered by the same amount, ``log(1 + favoured_share * (exp(favoured_premium) - 1))``,
so that the average potential is still one capital need. At the default premium of 0, favoured
sectors are no better and no worse than the others.

The two strategies spend the same ``budget`` on the same firms
--------------------------------------------------------------
**Planner.** Sees every firm through a noisy signal,
``log signal = log potential + planner_noise * Z + sector_bias * [favoured]``, and splits the
whole budget equally among its ``picks`` best firms by signal, where
``picks = round(n_firms ** (1 - concentration))`` (at least 1). Concentration 0 funds every
firm; 1 puts all the money on one firm; for 2,000 firms, 0.5 funds 45.

**Market.** Knows nothing at first. It splits ``(1 - follow_on_share) * budget`` equally among
``n_first_bets`` firms chosen at random, then sees early results,
``early result = log potential + market_noise * Z``, and splits ``follow_on_share * budget``
equally among the ``min(picks, n_first_bets)`` first bets with the best early results. Both
strategies therefore end with the same number of big bets; they differ in what they know when
they choose them.

Value, failures and hits
------------------------
- A firm given money ``m`` creates ``potential * (1 - exp(-m / firm_capital_need))``: the first
  yuan do the most, and no amount of money creates more than the firm's potential.
- A firm *fails* if its potential is below its capital need: even with unlimited money it would
  not create as much value as the money it needs. With a spread of 1.5 about 77% of firms fail.
- A *hit* is one of the top 1% of firms by potential in its world (at least one firm).

Assumptions (all ours, none calibrated to data)
-----------------------------------------------
1. Potential is log-normal; its mean is one capital need, so a random bet roughly breaks even
   at best and only information makes a strategy pay.
2. By default (``favoured_premium = 0``) favoured sectors are no better than others on average,
   so the planner's bias is pure distortion. This assumption decides much of the comparison;
   a positive premium makes favoured sectors truly better bets, a negative one worse.
3. The planner's signal errors and the market's early-result errors are independent, normal in
   log points and the same size for every firm.
4. Early results do not depend on the size of a first bet, and money does not change potential.
5. Each strategy spends its whole budget once (the market in two steps: first bets, then
   follow-ons); there are no later rounds, no exits, no private co-investment and no
   competition between funded firms.
6. Firms are drawn independently and numbered in random order, so the market's "random" first
   bets are simply the first ``n_first_bets`` firms.

Every adjustable number is a record in ``data/parameters_simulation.csv`` (label, unit, default,
range and the reason for the default); the keyword defaults below are read from it. The two
fixed choices are :data:`HIT_TOP_SHARE` (1%) and the failure line (one capital need).

References
----------
.. [1] W. R. Kerr, R. Nanda and M. Rhodes-Kropf, "Entrepreneurship as Experimentation",
   *Journal of Economic Perspectives* 28(3), 2014: success is rare, "extremely skewed" and
   unknowable until an investment is made, which is the market strategy's premise here.
.. [2] G. E. P. Box and M. E. Muller, "A Note on the Generation of Random Normal Deviates",
   *Annals of Mathematical Statistics* 29(2), 1958 (how the normal draws are made).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from explainer.parameters import defaults, parameter_specs, validate_parameters, validate_value

__all__ = [
    "HIT_TOP_SHARE",
    "MODEL",
    "OUTPUTS",
    "STRATEGIES",
    "TABLE",
    "SimulationResult",
    "noise_sweep",
    "planner_picks",
    "simulate_picking_winners",
]

TABLE = "parameters_simulation"
"""The data-package resource that holds this model's parameter records."""

MODEL = "simulate_picking_winners"
"""The ``model`` value of this model's rows in that resource."""

HIT_TOP_SHARE = 0.01
"""A hit is one of this top share of firms by potential in its world."""

STRATEGIES = ("planner", "market")

OUTPUTS = (
    "value_per_yuan",
    "value_created",
    "money_spent",
    "hits_found",
    "hit_share",
    "spent_on_hits_share",
    "spent_on_failures_share",
    "favoured_money_share",
    "firms_funded",
)
"""The per-draw outputs, in the order of the columns of ``SimulationResult.draws``."""

_DEFAULTS: dict[str, Any] = defaults(TABLE, MODEL)


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _validate(values: Mapping[str, object]) -> dict[str, Any]:
    """Check inputs against their records (filling in defaults) and return plain numbers.

    Raises ValueError naming the parameter, the allowed range and the value given.
    """
    clean = validate_parameters(TABLE, MODEL, values)
    if clean["n_first_bets"] > clean["n_firms"]:
        raise ValueError(
            f"n_first_bets must be between 1 and n_firms = {clean['n_firms']} "
            f"(got {clean['n_first_bets']})"
        )
    return clean


def planner_picks(n_firms: int, concentration: float) -> int:
    """Number of firms that get the big bets: ``round(n_firms ** (1 - concentration))``, >= 1.

    The scale is logarithmic so that each step of the slider cuts the number of picks by the
    same factor.

    Examples
    --------
    >>> [planner_picks(2000, c) for c in (0, 0.25, 0.5, 0.75, 1)]
    [2000, 299, 45, 7, 1]
    """
    return max(1, min(n_firms, round(n_firms ** (1.0 - concentration))))


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _World:
    """The random draws shared by both strategies (and by every point of a noise sweep)."""

    log_potential: np.ndarray  # (n_draws, n_firms), log of potential / capital need
    planner_z: np.ndarray  # (n_draws, n_firms), standard normal signal errors
    favoured: np.ndarray  # (n_draws, n_firms), bool
    market_z: np.ndarray  # (n_draws, n_first_bets), standard normal early-result errors
    hit_cutoff: np.ndarray  # (n_draws, 1), log potential of the smallest hit
    n_hits: int


def _standard_normal(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Standard normal draws in single precision, by the Box-Muller transform.

    Two uniforms ``u, v`` give two independent normals ``r cos(2 pi v)`` and
    ``r sin(2 pi v)`` with ``r = sqrt(-2 log(1 - u))`` (Box and Muller, 1958). On a small
    machine this is two to three times as fast as ``rng.standard_normal`` and keeps a slider
    responsive. Single
    precision caps draws at about 5.8 standard deviations (a chance of 1 in 100 million),
    which changes nothing here. Same seed, same draws on the same machine; across machines
    the last digit of single-precision sines and logarithms may differ, far below anything
    the outputs show.
    """
    size = shape[0] * shape[1]
    half = (size + 1) // 2
    uniform = rng.random((2, half), dtype=np.float32)
    radius = np.log1p(-uniform[0])  # 1 - u lies in (0, 1], so the log is finite
    radius *= np.float32(-2.0)
    np.sqrt(radius, out=radius)
    angle = uniform[1]
    angle *= np.float32(2.0 * np.pi)
    normal = np.empty(2 * half, dtype=np.float32)
    np.multiply(radius, np.cos(angle), out=normal[:half])
    np.multiply(radius, np.sin(angle), out=normal[half:])
    return normal[:size].reshape(shape)


def _draw_world(p: Mapping[str, Any]) -> _World:
    rng = np.random.default_rng(p["seed"])
    shape = (p["n_draws"], p["n_firms"])
    sigma = p["tail_sigma"]
    # The draw order is fixed, so changing any parameter other than the three sizes leaves
    # every draw unchanged: sliders move one thing at a time (common random numbers).
    # Single precision halves the memory traffic; sums are taken in double precision.
    log_potential = _standard_normal(rng, shape)
    log_potential *= np.float32(sigma)
    log_potential -= np.float32(0.5 * sigma**2)  # mean potential = one capital need
    planner_z = _standard_normal(rng, shape)
    favoured = rng.random(shape, dtype=np.float32) < np.float32(p["favoured_share"])
    market_z = _standard_normal(rng, (p["n_draws"], p["n_first_bets"]))
    premium = p["favoured_premium"]
    if premium:  # skipped at the default, so the default world is drawn exactly as before
        log_potential += np.float32(premium) * favoured
        # keep the average potential at one capital need: E[exp(q * favoured)] = 1 + s(e^q - 1)
        log_potential -= np.float32(np.log1p(p["favoured_share"] * np.expm1(premium)))
    n_firms = p["n_firms"]
    n_hits = max(1, round(HIT_TOP_SHARE * n_firms))
    cutoff = np.partition(log_potential, n_firms - n_hits, axis=1)[:, n_firms - n_hits]
    return _World(log_potential, planner_z, favoured, market_z, cutoff[:, None], n_hits)


def _gain(money: np.ndarray | float, capital_need: float) -> np.ndarray | float:
    """Share of its potential a firm realises with ``money``: ``1 - exp(-money / need)``.

    Diminishing returns: the first yuan do the most, and the share never reaches 1.
    """
    return -np.expm1(-np.asarray(money) / capital_need)


def _planner_signal(world: _World, planner_noise: float, sector_bias: float) -> np.ndarray:
    signal = world.planner_z * np.float32(planner_noise)
    signal += world.log_potential
    if sector_bias:
        signal += np.float32(sector_bias) * world.favoured
    return signal


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` largest scores in each row (in no particular order)."""
    n = scores.shape[1]
    if k >= n:
        return np.broadcast_to(np.arange(n), scores.shape)
    return np.argpartition(scores, n - k, axis=1)[:, n - k :]


@dataclass(frozen=True)
class _Round:
    """One round of equal bets: ``amount`` million yuan to each of some firms in every world.

    A strategy's rounds are nested (a later round backs only firms an earlier round backed),
    so a firm's money is the sum of the amounts of the rounds that include it.
    """

    log_potential: np.ndarray  # (n_draws, firms in the round)
    favoured: np.ndarray  # (n_draws, firms in the round), bool
    amount: float


def _gather(world: _World, firms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Log potential and favoured flags of the given firms (column indices per world)."""
    return (
        np.take_along_axis(world.log_potential, firms, axis=1),
        np.take_along_axis(world.favoured, firms, axis=1),
    )


def _outcomes(rounds: list[_Round], world: _World, capital_need: float) -> dict[str, np.ndarray]:
    """Per-world outputs of one strategy's nested rounds of bets."""
    rounds = [round_ for round_ in rounds if round_.amount > 0]
    value = spent = on_hits = on_failures = on_favoured = 0.0
    already = 0.0  # money each firm of this round got in earlier rounds
    for round_ in rounds:
        potential = np.exp(round_.log_potential, dtype=np.float64).sum(axis=1)
        gain = _gain(already + round_.amount, capital_need) - _gain(already, capital_need)
        value = value + capital_need * gain * potential
        already += round_.amount
        spent = spent + round_.amount * round_.log_potential.shape[1]
        on_hits = on_hits + round_.amount * (round_.log_potential >= world.hit_cutoff).sum(axis=1)
        # A firm fails if its potential is below one capital need: log potential below 0.
        on_failures = on_failures + round_.amount * (round_.log_potential < 0).sum(axis=1)
        on_favoured = on_favoured + round_.amount * round_.favoured.sum(axis=1)
    funded = rounds[0]  # the widest round: every funded firm is in it
    n_draws = funded.log_potential.shape[0]
    hits_found = (funded.log_potential >= world.hit_cutoff).sum(axis=1)
    spent = np.full(n_draws, spent)
    return {
        "value_per_yuan": value / spent,
        "value_created": value,
        "money_spent": spent,
        "hits_found": hits_found,
        "hit_share": hits_found / world.n_hits,
        "spent_on_hits_share": on_hits / spent,
        "spent_on_failures_share": on_failures / spent,
        "favoured_money_share": on_favoured / spent,
        "firms_funded": np.full(n_draws, funded.log_potential.shape[1]),
    }


def _run_planner(
    world: _World, p: Mapping[str, Any], picks: int
) -> tuple[np.ndarray, list[_Round]]:
    """The planner's picks (column indices per world) and its one round of bets."""
    signal = _planner_signal(world, p["planner_noise"], p["sector_bias"])
    chosen = _top_k(signal, picks)
    return chosen, [_Round(*_gather(world, chosen), p["budget"] / picks)]


def _run_market(
    world: _World, p: Mapping[str, Any], picks: int
) -> tuple[np.ndarray, np.ndarray, list[_Round]]:
    """The market's early results, its follow-on picks and its two rounds of bets.

    First bets go to firms ``0 .. n_first_bets - 1`` (a random sample, since firms are drawn
    independently); follow-ons to the ``min(picks, n_first_bets)`` best early results.
    """
    n_bets = p["n_first_bets"]
    budget, follow_share = p["budget"], p["follow_on_share"]
    first = _Round(
        world.log_potential[:, :n_bets],
        world.favoured[:, :n_bets],
        (1.0 - follow_share) * budget / n_bets,
    )
    early = world.market_z * np.float32(p["market_noise"])
    early += first.log_potential
    follow_ons = min(picks, n_bets)
    backed = _top_k(early, follow_ons)
    follow = _Round(
        np.take_along_axis(first.log_potential, backed, axis=1),
        np.take_along_axis(first.favoured, backed, axis=1),
        follow_share * budget / follow_ons,
    )
    return early, backed, [first, follow]


def _by_strategy(
    planner: Mapping[str, np.ndarray], market: Mapping[str, np.ndarray]
) -> pd.DataFrame:
    n_draws = len(planner["value_per_yuan"])
    columns: dict[str, Any] = {
        "draw": np.tile(np.arange(n_draws), 2),
        "strategy": np.repeat(np.array(STRATEGIES, dtype=object), n_draws),
    }
    for name in OUTPUTS:
        columns[name] = np.concatenate([planner[name], market[name]])
    return pd.DataFrame(columns)


def _summarise(planner: Mapping[str, np.ndarray], market: Mapping[str, np.ndarray]) -> pd.DataFrame:
    # One (strategy x output, draw) array so that the percentiles take a single call.
    values = np.array([outputs[name] for outputs in (planner, market) for name in OUTPUTS], float)
    p5, p95 = np.percentile(values, [5, 95], axis=1)
    return pd.DataFrame(
        {
            "strategy": np.repeat(np.array(STRATEGIES, dtype=object), len(OUTPUTS)),
            "output": np.tile(np.array(OUTPUTS, dtype=object), len(STRATEGIES)),
            "mean": values.mean(axis=1),
            "p5": p5,
            "p95": p95,
        }
    )


def _example_firms(
    world: _World,
    p: Mapping[str, Any],
    planner: tuple[np.ndarray, list[_Round]],
    market: tuple[np.ndarray, np.ndarray, list[_Round]],
) -> pd.DataFrame:
    """Firm-by-firm view of the first world (draw 0), for a chart or a student's curiosity."""
    n_firms, n_bets, need = p["n_firms"], p["n_first_bets"], p["firm_capital_need"]
    chosen, (planner_round,) = planner
    early, backed, (first, follow) = market
    log_potential = world.log_potential[0].astype(np.float64)
    signal = log_potential + p["planner_noise"] * world.planner_z[0]
    signal += p["sector_bias"] * world.favoured[0]
    planner_money = np.zeros(n_firms)
    planner_money[chosen[0]] = planner_round.amount
    market_money = np.zeros(n_firms)
    market_money[:n_bets] = first.amount
    market_money[backed[0]] += follow.amount
    market_view = np.full(n_firms, np.nan)
    market_view[:n_bets] = need * np.exp(early[0].astype(np.float64))
    return pd.DataFrame(
        {
            "firm": np.arange(n_firms),
            "potential": need * np.exp(log_potential),
            "favoured": world.favoured[0],
            "hit": log_potential >= world.hit_cutoff[0, 0],
            "fails": log_potential < 0,
            "planner_view": need * np.exp(signal),
            "market_view": market_view,
            "planner_money": planner_money,
            "market_money": market_money,
        }
    )


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """What :func:`simulate_picking_winners` returns.

    Attributes
    ----------
    parameters : Mapping[str, int | float]
        The validated inputs (read-only).
    picks : int
        How many firms get the big bets: the planner's picks, and the market's follow-on bets
        (at most ``n_first_bets``).
    draws : pandas.DataFrame
        One row per world and strategy: ``draw``, ``strategy`` (``"planner"`` or ``"market"``)
        and the outputs in :data:`OUTPUTS`:

        - ``value_per_yuan``: value created per yuan spent;
        - ``value_created``: value created, million yuan;
        - ``money_spent``: money spent, million yuan (the whole budget);
        - ``hits_found``, ``hit_share``: hits (top 1% of firms) that got any money, as a count
          and as a share of all hits in that world;
        - ``spent_on_hits_share``: share of the money that went to hits;
        - ``spent_on_failures_share``: share of the money that went to firms that fail;
        - ``favoured_money_share``: share of the money that went to favoured sectors;
        - ``firms_funded``: number of firms that got any money.
    summary : pandas.DataFrame
        One row per strategy and output: ``strategy``, ``output``, ``mean``, ``p5`` and ``p95``
        (5th and 95th percentiles across worlds).
    example_firms : pandas.DataFrame
        The first world firm by firm: ``firm``, ``potential`` (million yuan), ``favoured``,
        ``hit``, ``fails``, ``planner_view`` and ``market_view`` (the potential each strategy
        believed, million yuan; the market's is missing for firms it never tried),
        ``planner_money`` and ``market_money`` (million yuan).
    """

    parameters: Mapping[str, Any]
    picks: int
    draws: pd.DataFrame
    summary: pd.DataFrame
    example_firms: pd.DataFrame

    def summary_sentence(self) -> str:
        """One plain-English sentence: who made more value per yuan, by how much, how often.

        Examples
        --------
        >>> result = simulate_picking_winners(n_firms=500, n_draws=20, n_first_bets=200)
        >>> print(result.summary_sentence())  # doctest: +NORMALIZE_WHITESPACE
        In these 20 simulated worlds, the planner created 0.84 yuan of value per yuan spent
        against the market's 0.77 (9% more on average) and did better in 12 of the 20 worlds
        (60%); this follows from the stated assumptions and is not a forecast.
        """
        table = self.draws.pivot(index="draw", columns="strategy", values="value_per_yuan")
        planner, market = table["planner"].to_numpy(), table["market"].to_numpy()
        n_draws = len(planner)
        worlds = f"{n_draws} simulated world" + ("" if n_draws == 1 else "s")
        mean_planner, mean_market = planner.mean(), market.mean()
        if mean_planner >= mean_market:
            winner, loser = "planner", "market"
            best, other, wins = mean_planner, mean_market, int((planner > market).sum())
        else:
            winner, loser = "market", "planner"
            best, other, wins = mean_market, mean_planner, int((market > planner).sum())
        gap = 100.0 * (best / other - 1.0)
        return (
            f"In these {worlds}, the {winner} created {best:.2f} yuan of value per yuan spent "
            f"against the {loser}'s {other:.2f} ({gap:.0f}% more on average) and did better "
            f"in {wins} of the {n_draws} worlds ({100.0 * wins / n_draws:.0f}%); "
            "this follows from the stated assumptions and is not a forecast."
        )


def simulate_picking_winners(
    *,
    n_firms: int = _DEFAULTS["n_firms"],
    tail_sigma: float = _DEFAULTS["tail_sigma"],
    planner_noise: float = _DEFAULTS["planner_noise"],
    sector_bias: float = _DEFAULTS["sector_bias"],
    favoured_share: float = _DEFAULTS["favoured_share"],
    favoured_premium: float = _DEFAULTS["favoured_premium"],
    concentration: float = _DEFAULTS["concentration"],
    n_first_bets: int = _DEFAULTS["n_first_bets"],
    market_noise: float = _DEFAULTS["market_noise"],
    follow_on_share: float = _DEFAULTS["follow_on_share"],
    budget: float = _DEFAULTS["budget"],
    firm_capital_need: float = _DEFAULTS["firm_capital_need"],
    n_draws: int = _DEFAULTS["n_draws"],
    seed: int = _DEFAULTS["seed"],
) -> SimulationResult:
    """Simulate a planner and a market backing the same heavy-tailed start-ups.

    A thinking tool with stated assumptions, not a forecast: the module docstring lists every
    assumption. Defaults, units and allowed ranges come from ``data/parameters_simulation.csv``.
    The function is pure: the same inputs always give the same result, and nothing outside it
    changes.

    Parameters
    ----------
    n_firms : int
        Start-ups in each simulated world.
    tail_sigma : float
        Spread of log potential, log points; larger means a heavier tail.
    planner_noise : float
        Standard deviation of the planner's signal error, log points.
    sector_bias : float
        Added to the planner's log signal for firms in favoured sectors, log points.
    favoured_share : float
        Probability that a firm is in a favoured sector.
    favoured_premium : float
        Added to the log potential of firms in favoured sectors, log points (then every firm's
        potential is scaled so the average stays one capital need); 0 means favoured sectors
        are no better than others, the default.
    concentration : float
        0 to 1; the planner funds ``round(n_firms ** (1 - concentration))`` firms equally, and
        the market makes that many follow-on bets (see :func:`planner_picks`).
    n_first_bets : int
        Firms the market backs at random with small equal first bets (at most ``n_firms``).
    market_noise : float
        Standard deviation of the error in the market's early results, log points.
    follow_on_share : float
        Share of the budget the market keeps for follow-on bets on the best early results.
    budget : float
        Money each strategy spends in each world, million yuan.
    firm_capital_need : float
        Money at which a firm realises about 63% of its potential, million yuan; also the
        average potential and the failure line.
    n_draws : int
        Number of independent simulated worlds.
    seed : int
        Seed for :func:`numpy.random.default_rng`.

    Returns
    -------
    SimulationResult
        Tidy per-world outputs (``draws``), their mean and 5-95% band by strategy
        (``summary``), the first world firm by firm (``example_firms``) and a
        ``summary_sentence()``.

    Raises
    ------
    ValueError
        If an input is not a number, is a bool, NaN or infinite, is not whole where a whole
        number is needed, or is outside its range; the message names the parameter, the
        allowed range and the value given.

    Examples
    --------
    >>> result = simulate_picking_winners(n_firms=500, n_draws=20, n_first_bets=50, seed=1)
    >>> result.picks
    22
    >>> sorted(result.draws["strategy"].unique())
    ['market', 'planner']
    >>> bool((result.draws["money_spent"] <= 1000 * (1 + 1e-12)).all())
    True
    >>> perfect = simulate_picking_winners(
    ...     n_firms=500, n_draws=20, n_first_bets=50, planner_noise=0, sector_bias=0
    ... )
    >>> perfect.summary.query("strategy == 'planner' and output == 'hit_share'")["mean"].item()
    1.0
    >>> simulate_picking_winners(planner_noise=5)
    Traceback (most recent call last):
    ...
    ValueError: planner_noise must be between 0 and 3 (got 5)
    """
    p = _validate(
        {
            "n_firms": n_firms,
            "tail_sigma": tail_sigma,
            "planner_noise": planner_noise,
            "sector_bias": sector_bias,
            "favoured_share": favoured_share,
            "favoured_premium": favoured_premium,
            "concentration": concentration,
            "n_first_bets": n_first_bets,
            "market_noise": market_noise,
            "follow_on_share": follow_on_share,
            "budget": budget,
            "firm_capital_need": firm_capital_need,
            "n_draws": n_draws,
            "seed": seed,
        }
    )
    picks = planner_picks(p["n_firms"], p["concentration"])
    world = _draw_world(p)
    need = p["firm_capital_need"]
    planner_run = _run_planner(world, p, picks)
    market_run = _run_market(world, p, picks)
    planner = _outcomes(planner_run[-1], world, need)
    market = _outcomes(market_run[-1], world, need)
    return SimulationResult(
        parameters=MappingProxyType(dict(p)),
        picks=picks,
        draws=_by_strategy(planner, market),
        summary=_summarise(planner, market),
        example_firms=_example_firms(world, p, planner_run, market_run),
    )


def noise_sweep(noise_values: Iterable[float], **other_params: Any) -> pd.DataFrame:
    """Value per yuan of each strategy as the planner's signal noise grows.

    Every point uses the same seed and so the same firms and the same random errors (common
    random numbers): only the size of the planner's error changes, so the curve is smooth and
    the market's line is flat. Where the planner's line crosses the market's is where, under
    these assumptions, its early information stops paying for its early commitment.

    Parameters
    ----------
    noise_values : iterable of float
        Values of ``planner_noise`` to try, each within its allowed range.
    **other_params
        Any other keyword of :func:`simulate_picking_winners` (not ``planner_noise``);
        the rest take their defaults.

    Returns
    -------
    pandas.DataFrame
        One row per strategy and noise value: ``strategy``, ``planner_noise``,
        ``value_per_yuan_mean``, ``value_per_yuan_p5``, ``value_per_yuan_p95`` and
        ``planner_better_share`` (share of worlds where the planner did better).

    Examples
    --------
    >>> sweep = noise_sweep([0, 1, 2], n_firms=500, n_draws=20, n_first_bets=50)
    >>> sweep["strategy"].tolist()
    ['planner', 'planner', 'planner', 'market', 'market', 'market']
    >>> sweep["planner_noise"].tolist()
    [0.0, 1.0, 2.0, 0.0, 1.0, 2.0]
    >>> bool(sweep["value_per_yuan_mean"].iloc[0] > sweep["value_per_yuan_mean"].iloc[2])
    True
    """
    if "planner_noise" in other_params:
        raise ValueError("noise_sweep sets planner_noise itself; pass the values as noise_values")
    p = _validate(other_params)
    noise_spec = parameter_specs(TABLE, MODEL)["planner_noise"]
    noises = [validate_value(noise_spec, value) for value in noise_values]
    picks = planner_picks(p["n_firms"], p["concentration"])
    world = _draw_world(p)
    need = p["firm_capital_need"]
    market = _outcomes(_run_market(world, p, picks)[-1], world, need)["value_per_yuan"]
    market_band = np.percentile(market, [5, 95])
    planner_rows, market_rows = [], []
    for noise in noises:
        _, rounds = _run_planner(world, {**p, "planner_noise": noise}, picks)
        planner = _outcomes(rounds, world, need)["value_per_yuan"]
        better = float((planner > market).mean())
        p5, p95 = np.percentile(planner, [5, 95])
        planner_rows.append(("planner", noise, planner.mean(), p5, p95, better))
        market_rows.append(("market", noise, market.mean(), *market_band, better))
    columns = [
        "strategy",
        "planner_noise",
        "value_per_yuan_mean",
        "value_per_yuan_p5",
        "value_per_yuan_p95",
        "planner_better_share",
    ]
    return pd.DataFrame(planner_rows + market_rows, columns=columns)

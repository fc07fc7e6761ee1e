"""The "picking winners" simulation: a one-shot planner against a staged market, on the same firms.

This is a thinking tool with stated assumptions, not a forecast. It does not describe China's
little-giant programme or any real fund; it asks one question in a stylised world: *when a few
start-ups matter most, is it better to choose once on what can be seen beforehand, or to pay for
small first bets and choose on what they reveal?*

The contest is built to be fair: how **skewed** outcomes are and how **foreseeable** they are
are separate settings, the market tries every firm by default, and the price of its experiments
is a setting of its own. Neither side wins by construction: with equal information and cheap
first bets the two strategies are the same strategy.

The world
---------
Each simulated world holds ``n_firms`` start-ups. Each firm has a *potential*: the value it
would create if it had all the money it could use. With ``Z`` standard normal,
``log potential = tail_sigma * Z - tail_sigma**2 / 2`` in units of ``firm_capital_need``, so the
average firm's potential equals one capital need whatever the spread (``tail_sigma``: how
skewed outcomes are). Each firm is in a favoured sector with probability ``favoured_share``,
independently of its potential; favoured firms get ``favoured_premium`` added to their log
potential, and every firm's log potential is lowered by
``log(1 + favoured_share * (exp(favoured_premium) - 1))`` so that the average stays one capital
need. At the default premium of 0 favoured sectors are no better and no worse than others.

Both strategies spend the same ``budget`` on the same firms
-----------------------------------------------------------
Noise is measured **relative to the spread** (how foreseeable outcomes are): an error of
``noise * tail_sigma * E`` (``E`` standard normal) is added to log potential, so a noise of 1
always gives a view whose correlation with log potential is ``1 / sqrt(2)`` (0.71), however
skewed the firms are. ``picks = round(n_firms ** (1 - concentration))`` (at least 1).

**Planner (one shot).** Sees every firm before any money goes in, through
``log signal = log potential + planner_noise * tail_sigma * E + sector_bias * [favoured]``, and
splits the whole budget equally among its ``picks`` best firms by signal.

**Market (staged).** Makes equal first bets on ``max(1, round(market_coverage * n_firms))``
firms, together costing ``first_bet_share * budget`` (the price of experimenting), then sees
early results, ``log potential + market_noise * tail_sigma * E'``, and splits the rest of the
budget equally among the ``min(picks, first bets)`` best. Both end with the same number of big
bets; they differ in what they know when they choose them and in what the knowing costs.

Nothing in the model says who runs each strategy. A state agency that stages its grants (the US
SBIR programme's Phase 1 then Phase 2) runs the second strategy; a private fund that backs a few
firms on a pitch deck runs the first.

Value, failures and hits
------------------------
- A firm given money ``m`` creates ``potential * (1 - exp(-m / firm_capital_need))``: the first
  yuan do the most, and no amount of money creates more than the firm's potential.
- A firm *fails* if its potential is below its capital need. With a spread of 1.5 about 77% do.
- A *hit* is one of the top 1% of firms by potential in its world (at least one firm). The
  outputs count hits given any money (``hit_share``), hits given a big bet
  (``hits_backed_share``) and the share of the money that reached hits
  (``spent_on_hits_share``), which is the one that answers "did the money find the winners?".

Assumptions (all ours, none calibrated to data)
-----------------------------------------------
1. Potential is log-normal with mean one capital need, so a random bet roughly breaks even at
   best and only information makes a strategy pay.
2. By default favoured sectors are no better than others and the planner gives them no bonus.
3. Errors are independent, normal in log points, proportional to the spread and the same size
   for every firm; the planner's and the market's errors are independent of each other.
4. Early results do not depend on the size of a first bet, and money does not change potential.
5. Each strategy spends its whole budget once (the market in two steps); there are no later
   rounds, exits or co-investment, and funded firms do not compete with each other.
6. Firms are drawn independently in random order, so the market's first bets at a coverage
   below 1 are simply the first firms.

What the model leaves out
-------------------------
Spillovers to other firms (Lane's downstream effects), the security value of making a
chokepoint technology at home, crowding private money in or out, political selection of firms
or officials' careers, learning across rounds, and the effect of a public track record on
private investors. In this model the planner can win only by seeing better (or by the market's
experiments costing more than they reveal); every one of the omitted effects could move the
answer either way, and the notebook says so.

Every adjustable number is a record in ``data/parameters_simulation.csv`` (label, unit, default,
range and the reason for the default); the keyword defaults below are read from it. The two
fixed choices are :data:`HIT_TOP_SHARE` (1%) and the failure line (one capital need).

References
----------
.. [1] W. R. Kerr, R. Nanda and M. Rhodes-Kropf, "Entrepreneurship as Experimentation",
   *Journal of Economic Perspectives* 28(3), 2014: success is rare, extremely skewed and hard to
   know until an investment is made, which is the staged strategy's premise here.
.. [2] S. T. Howell, "Financing Innovation: Evidence from R&D Grants", *American Economic
   Review* 107(4), 2017: a state programme that stages (SBIR Phase 1, then Phase 2).
.. [3] G. E. P. Box and M. E. Muller, "A Note on the Generation of Random Normal Deviates",
   *Annals of Mathematical Statistics* 29(2), 1958 (how the normal draws are made).
"""

from __future__ import annotations

import functools
import json
import platform
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from explainer.parameters import defaults, parameter_specs, validate_parameters, validate_value

__all__ = [
    "CLOSE_GAP",
    "CLOSE_WINS",
    "HIT_TOP_SHARE",
    "MODEL",
    "OUTPUTS",
    "STRATEGIES",
    "TABLE",
    "SimulationResult",
    "crossing",
    "first_bets",
    "noise_sweep",
    "planner_picks",
    "simulate_picking_winners",
    "sweep",
]

TABLE = "parameters_simulation"
"""The data-package resource that holds this model's parameter records."""

MODEL = "simulate_picking_winners"
"""The ``model`` value of this model's rows in that resource."""

HIT_TOP_SHARE = 0.01
"""A hit is one of this top share of firms by potential in its world."""

CLOSE_GAP = 0.05
"""A result is called *close* if the averages differ by less than this share ..."""

CLOSE_WINS = 0.65
"""... or if the side ahead on average does better in fewer than this share of worlds."""

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
    "hits_backed_share",
)
"""The per-draw outputs, in the order of the columns of ``SimulationResult.draws``."""

_DEFAULTS: dict[str, Any] = defaults(TABLE, MODEL)
_SIZES = ("seed", "n_firms", "n_draws")


# --------------------------------------------------------------------------------------------
# Validation and derived sizes
# --------------------------------------------------------------------------------------------


def _validate(values: Mapping[str, object]) -> dict[str, Any]:
    """Check inputs against their records (filling in defaults) and return plain numbers.

    Raises ValueError naming the parameter, the allowed range and the value given.
    """
    return validate_parameters(TABLE, MODEL, values)


def planner_picks(n_firms: int, concentration: float) -> int:
    """Number of firms that get the big bets: ``round(n_firms ** (1 - concentration))``, >= 1.

    The scale is logarithmic so that each step of the slider cuts the number of picks by the
    same factor.

    Examples
    --------
    >>> [planner_picks(2000, c) for c in (0, 0.3, 0.5, 0.75, 1)]
    [2000, 205, 45, 7, 1]
    """
    return max(1, min(n_firms, round(n_firms ** (1.0 - concentration))))


def first_bets(n_firms: int, market_coverage: float) -> int:
    """Number of firms the market tries: ``round(market_coverage * n_firms)``, at least 1.

    Examples
    --------
    >>> [first_bets(2000, c) for c in (0.0001, 0.5, 1)]
    [1, 1000, 2000]
    """
    return max(1, min(n_firms, round(market_coverage * n_firms)))


# --------------------------------------------------------------------------------------------
# Random draws, cached: most settings do not change them
# --------------------------------------------------------------------------------------------


def _standard_normal(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Standard normal draws in single precision, by the Box-Muller transform.

    Two uniforms ``u, v`` give two independent normals ``r cos(2 pi v)`` and
    ``r sin(2 pi v)`` with ``r = sqrt(-2 log(1 - u))`` (Box and Muller, 1958). On a small
    machine this is two to three times as fast as ``rng.standard_normal``. Single precision
    caps draws at about 5.8 standard deviations (a chance of 1 in 100 million), which changes
    nothing here. Same seed, same draws on the same machine.
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


@dataclass(frozen=True)
class _Draws:
    """The random numbers of one (seed, n_firms, n_draws): every other setting reuses them."""

    z: np.ndarray  # (n_draws, n_firms) standard normal: a firm's place in the spread of potential
    planner_e: np.ndarray  # (n_draws, n_firms) standard normal planner errors
    market_e: np.ndarray  # (n_draws, n_firms) standard normal early-result errors
    sector_u: np.ndarray  # (n_draws, n_firms) uniform; favoured if below favoured_share
    z_cutoff: np.ndarray  # (n_draws, 1) smallest z among the hits (used when premium = 0)
    n_hits: int


@functools.lru_cache(maxsize=2)
def _draws(seed: int, n_firms: int, n_draws: int) -> _Draws:
    """Draw (once) the random numbers for these sizes; the arrays are read-only."""
    rng = np.random.default_rng(seed)
    shape = (n_draws, n_firms)
    # The draw order is fixed, so any setting other than these three leaves every draw
    # unchanged: sliders move one thing at a time (common random numbers).
    z = _standard_normal(rng, shape)
    planner_e = _standard_normal(rng, shape)
    sector_u = rng.random(shape, dtype=np.float32)
    market_e = _standard_normal(rng, shape)
    n_hits = max(1, round(HIT_TOP_SHARE * n_firms))
    z_cutoff = np.partition(z, n_firms - n_hits, axis=1)[:, n_firms - n_hits][:, None]
    for array in (z, planner_e, market_e, sector_u, z_cutoff):
        array.setflags(write=False)
    return _Draws(z, planner_e, market_e, sector_u, z_cutoff, n_hits)


@dataclass(frozen=True)
class _World:
    """The firms of every world at one spread and sector setting (shared by both strategies)."""

    draws: _Draws
    sigma: float
    log_potential: np.ndarray  # (n_draws, n_firms), log of potential / capital need
    potential: np.ndarray  # (n_draws, n_firms), potential / capital need
    favoured: np.ndarray  # (n_draws, n_firms), bool
    hit: np.ndarray  # (n_draws, n_firms), bool: top 1% by potential
    fails: np.ndarray  # (n_draws, n_firms), bool: potential below one capital need

    @property
    def n_hits(self) -> int:
        return self.draws.n_hits


@functools.lru_cache(maxsize=2)
def _world(
    seed: int, n_firms: int, n_draws: int, sigma: float, share: float, premium: float
) -> _World:
    draws = _draws(seed, n_firms, n_draws)
    log_potential = draws.z * np.float32(sigma)
    log_potential -= np.float32(0.5 * sigma**2)  # mean potential = one capital need
    favoured = draws.sector_u < np.float32(share)
    if premium:
        log_potential += np.float32(premium) * favoured
        # keep the average potential at one capital need: E[exp(q * favoured)] = 1 + s(e^q - 1)
        log_potential -= np.float32(np.log1p(share * np.expm1(premium)))
        k = n_firms - draws.n_hits
        cutoff = np.partition(log_potential, k, axis=1)[:, k][:, None]
        hit = log_potential >= cutoff
    else:  # potential rises with z, so the hits are the top z (found once per draw)
        hit = draws.z >= draws.z_cutoff
    potential = np.exp(log_potential)
    fails = log_potential < 0
    for array in (log_potential, potential, favoured, hit, fails):
        array.setflags(write=False)
    return _World(draws, sigma, log_potential, potential, favoured, hit, fails)


def _world_for(p: Mapping[str, Any]) -> _World:
    return _world(
        p["seed"],
        p["n_firms"],
        p["n_draws"],
        float(p["tail_sigma"]),
        float(p["favoured_share"]),
        float(p["favoured_premium"]),
    )


# --------------------------------------------------------------------------------------------
# The two strategies
# --------------------------------------------------------------------------------------------


def _gain(money: np.ndarray | float, capital_need: float) -> np.ndarray | float:
    """Share of its potential a firm realises with ``money``: ``1 - exp(-money / need)``."""
    return -np.expm1(-np.asarray(money) / capital_need)


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` largest scores in each row (in no particular order)."""
    n = scores.shape[1]
    if k >= n:
        return np.broadcast_to(np.arange(n), scores.shape)
    return np.argpartition(scores, n - k, axis=1)[:, n - k :]


def _planner_signal(world: _World, noise: float, bias: float, rows: slice) -> np.ndarray:
    """The planner's log signal of every firm in the given worlds (rows)."""
    signal = world.draws.planner_e[rows] * np.float32(noise * world.sigma)
    signal += world.log_potential[rows]
    if bias:
        signal += np.float32(bias) * world.favoured[rows]
    return signal


def _early_results(world: _World, noise: float, n_bets: int, rows: slice) -> np.ndarray:
    """The market's log early results of the firms it tried (the first ``n_bets``)."""
    early = world.draws.market_e[rows, :n_bets] * np.float32(noise * world.sigma)
    early += world.log_potential[rows, :n_bets]
    return early


@dataclass(frozen=True)
class _Sums:
    """Totals over a set of funded firms, one number per world."""

    potential: np.ndarray  # sum of potential / capital need (float64)
    hits: np.ndarray
    fails: np.ndarray
    favoured: np.ndarray
    n_firms: int  # firms in the set, in every world


def _sums(world: _World, firms: slice | np.ndarray) -> _Sums:
    """Totals over the given firms: a column slice, or (n_draws, k) column indices."""
    if isinstance(firms, slice):
        pick = lambda a: a[:, firms]  # noqa: E731
    else:
        flat = (firms + (np.arange(firms.shape[0]) * world.potential.shape[1])[:, None]).ravel()
        shape = firms.shape
        pick = lambda a: a.ravel()[flat].reshape(shape)  # noqa: E731
    potential = pick(world.potential)
    return _Sums(
        potential.sum(axis=1, dtype=np.float64),
        np.count_nonzero(pick(world.hit), axis=1),
        np.count_nonzero(pick(world.fails), axis=1),
        np.count_nonzero(pick(world.favoured), axis=1),
        potential.shape[1],
    )


_WorldKey = tuple[int, int, int, float, float, float]


_SPREAD_FREE = 0.0  # a spread no world can have (its minimum is 0.25): "rank on the raw draws"


def _ranking_key(key: _WorldKey, sector_matters: bool) -> _WorldKey:
    """The world a ranking needs. Without a sector premium or bonus a firm's log signal is
    ``spread * (Z + noise * E)`` less a constant, so the order of firms is the same at every
    spread: one ranking then serves every spread (a spread slider re-ranks nothing)."""
    if sector_matters:
        return key
    return (*key[:3], _SPREAD_FREE, 0.0, 0.0)


def _read_only(array: np.ndarray) -> np.ndarray:
    if array.flags.writeable:
        array.setflags(write=False)
    return array


#: Recent rankings: the indices of the best firms and the scores of every firm (read-only).
_RANKINGS: OrderedDict[tuple[Any, ...], tuple[np.ndarray, np.ndarray]] = OrderedDict()
_RANKINGS_KEPT = 4  # each holds every firm's score: 1.6 MB at the default size


def _best(key: tuple[Any, ...], k: int, score: Callable[[], np.ndarray]) -> np.ndarray:
    """Column indices of the ``k`` best scores in each world (in no particular order).

    The best firms are kept with every firm's score (one ``argpartition`` of every firm): the first
    ranking keeps ``k``; a later call that asks for more keeps twice as many, so a
    concentration slider that asks for fewer, or a few more, picks selects among those few
    instead of ranking every firm again.
    """
    kept = _RANKINGS.get(key)
    if kept is None or kept[0].shape[1] < k:
        values = _read_only(score())
        top = _top_k(values, min(values.shape[1], k if kept is None else 2 * k))
        kept = (_read_only(np.array(top)), values)
        _RANKINGS[key] = kept
    _RANKINGS.move_to_end(key)
    while len(_RANKINGS) > _RANKINGS_KEPT:
        _RANKINGS.popitem(last=False)
    indices, values = kept
    if indices.shape[1] == k:
        return indices
    scores = np.take_along_axis(values, indices, axis=1)
    return np.take_along_axis(indices, _top_k(scores, k), axis=1)


def _planner_pick(rank_key: _WorldKey, noise: float, bias: float, picks: int) -> np.ndarray:
    """Column indices of the planner's ``picks`` best firms by signal, in every world."""

    def score() -> np.ndarray:
        if rank_key[3] == _SPREAD_FREE:
            draws = _draws(*rank_key[:3])
            values = draws.planner_e * np.float32(noise)
            values += draws.z
            return values
        return _planner_signal(_world(*rank_key), noise, bias, slice(None))

    return _best(("planner", rank_key, noise, bias), picks, score)


def _market_pick(rank_key: _WorldKey, noise: float, n_bets: int, follow_ons: int) -> np.ndarray:
    """Column indices of the market's ``follow_ons`` best early results among its first bets."""

    def score() -> np.ndarray:
        if rank_key[3] == _SPREAD_FREE:
            draws = _draws(*rank_key[:3])
            values = draws.market_e[:, :n_bets] * np.float32(noise)
            values += draws.z[:, :n_bets]
            return values
        return _early_results(_world(*rank_key), noise, n_bets, slice(None))

    return _best(("market", rank_key, noise, n_bets), follow_ons, score)


@functools.lru_cache(maxsize=8)
def _planner_choice(key: _WorldKey, noise: float, bias: float, picks: int) -> _Sums:
    """Totals over the planner's picks (cached: most slider moves keep them)."""
    rank_key = _ranking_key(key, sector_matters=bool(bias) or bool(key[5]))
    return _sums(_world(*key), _planner_pick(rank_key, noise, bias, picks))


@functools.lru_cache(maxsize=8)
def _market_choice(
    key: _WorldKey, noise: float, n_bets: int, follow_ons: int
) -> tuple[_Sums, _Sums]:
    """Totals over the market's first bets and over its follow-ons (cached likewise)."""
    rank_key = _ranking_key(key, sector_matters=bool(key[5]))
    backed = _market_pick(rank_key, noise, n_bets, follow_ons)
    return _first_round(key, n_bets), _sums(_world(*key), backed)


@functools.lru_cache(maxsize=8)
def _first_round(key: _WorldKey, n_bets: int) -> _Sums:
    return _sums(_world(*key), slice(0, n_bets))


def _world_key(p: Mapping[str, Any]) -> _WorldKey:
    return (
        int(p["seed"]),
        int(p["n_firms"]),
        int(p["n_draws"]),
        float(p["tail_sigma"]),
        float(p["favoured_share"]),
        float(p["favoured_premium"]),
    )


@dataclass(frozen=True)
class _Plan:
    """One strategy's bets: totals over its widest round and (the market) its follow-ons."""

    wide: _Sums
    wide_amount: float
    big: _Sums | None
    big_amount: float


def _outcomes(plan: _Plan, n_hits: int, need: float) -> dict[str, np.ndarray]:
    """Per-world outputs of one strategy's bets."""
    wide, amount = plan.wide, plan.wide_amount
    n_draws = len(wide.potential)
    gain_wide = float(_gain(amount, need))
    value = gain_wide * wide.potential
    on_hits = amount * wide.hits
    on_failures = amount * wide.fails
    on_favoured = amount * wide.favoured
    spent = amount * wide.n_firms
    hits_backed = wide.hits
    if plan.big is not None:
        big, extra_amount = plan.big, plan.big_amount
        extra = float(_gain(amount + extra_amount, need)) - gain_wide
        value = value + extra * big.potential
        hits_backed = big.hits
        on_hits = on_hits + extra_amount * big.hits
        on_failures = on_failures + extra_amount * big.fails
        on_favoured = on_favoured + extra_amount * big.favoured
        spent += extra_amount * big.n_firms
    value = need * value
    return {
        "value_per_yuan": value / spent,
        "value_created": value,
        "money_spent": np.full(n_draws, spent),
        "hits_found": wide.hits,
        "hit_share": wide.hits / n_hits,
        "spent_on_hits_share": on_hits / spent,
        "spent_on_failures_share": on_failures / spent,
        "favoured_money_share": on_favoured / spent,
        "firms_funded": np.full(n_draws, wide.n_firms),
        "hits_backed_share": hits_backed / n_hits,
    }


def _plan_planner(p: Mapping[str, Any], picks: int) -> _Plan:
    """The planner's one round of equal bets on its ``picks`` best firms by signal."""
    chosen = _planner_choice(
        _world_key(p), float(p["planner_noise"]), float(p["sector_bias"]), picks
    )
    return _Plan(chosen, p["budget"] / picks, None, 0.0)


def _plan_market(p: Mapping[str, Any], picks: int) -> _Plan:
    """The market's two rounds: first bets on the firms it tries, then follow-ons."""
    n_bets = first_bets(p["n_firms"], p["market_coverage"])
    follow_ons = min(picks, n_bets)
    first, backed = _market_choice(_world_key(p), float(p["market_noise"]), n_bets, follow_ons)
    budget, share = p["budget"], p["first_bet_share"]
    return _Plan(first, share * budget / n_bets, backed, (1 - share) * budget / follow_ons)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


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


def _example_firms(p: Mapping[str, Any], picks: int) -> pd.DataFrame:
    """Firm-by-firm view of the first world (draw 0), for a chart or a student's curiosity."""
    world = _world_for(p)
    n_firms, need, budget = p["n_firms"], p["firm_capital_need"], p["budget"]
    first = slice(0, 1)
    signal = _planner_signal(world, p["planner_noise"], p["sector_bias"], first)
    n_bets = first_bets(n_firms, p["market_coverage"])
    early = _early_results(world, p["market_noise"], n_bets, first)
    follow_ons = min(picks, n_bets)
    planner_money = np.zeros(n_firms)
    planner_money[_top_k(signal, picks)[0]] = budget / picks
    market_money = np.zeros(n_firms)
    market_money[:n_bets] = p["first_bet_share"] * budget / n_bets
    market_money[_top_k(early, follow_ons)[0]] += (1 - p["first_bet_share"]) * budget / follow_ons
    market_view = np.full(n_firms, np.nan)
    market_view[:n_bets] = need * np.exp(early[0].astype(np.float64))
    return pd.DataFrame(
        {
            "firm": np.arange(n_firms),
            "potential": need * world.potential[0].astype(np.float64),
            "favoured": world.favoured[0],
            "hit": world.hit[0],
            "fails": world.fails[0],
            "planner_view": need * np.exp(signal[0].astype(np.float64)),
            "market_view": market_view,
            "planner_money": planner_money,
            "market_money": market_money,
        }
    )


def _share_words(count: int, total: int) -> str:
    """``count`` of ``total`` as a percentage that never rounds to 0% or 100% unless it is."""
    share = 100.0 * count / total
    if 0 < count < total:
        share = min(max(share, 1.0), 99.0)
        if share in (1.0, 99.0) and round(100.0 * count / total) in (0, 100):
            return f"{'under 1' if share == 1.0 else 'over 99'}%"
    return f"{share:.0f}%"


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
    n_first_bets : int
        How many firms the market tried (:func:`first_bets`).
    planner_amount, first_bet_amount, follow_on_amount : float
        Money per firm, million yuan: each planner pick; each market first bet; each market
        follow-on (on top of the first bet).
    draws : pandas.DataFrame
        One row per world and strategy: ``draw``, ``strategy`` (``"planner"`` or ``"market"``)
        and the outputs in :data:`OUTPUTS`:

        - ``value_per_yuan``: value created per yuan spent;
        - ``value_created``: value created, million yuan;
        - ``money_spent``: money spent, million yuan (the whole budget);
        - ``hits_found``, ``hit_share``: hits (top 1% of firms) that got any money, as a count
          and as a share of all hits in that world;
        - ``spent_on_hits_share``: share of the money that reached hits;
        - ``spent_on_failures_share``: share of the money that went to firms that fail;
        - ``favoured_money_share``: share of the money that went to favoured sectors;
        - ``firms_funded``: number of firms that got any money;
        - ``hits_backed_share``: share of the hits given a big bet (a planner's pick or a
          market follow-on).
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
    n_first_bets: int
    planner_amount: float
    first_bet_amount: float
    follow_on_amount: float
    draws: pd.DataFrame
    summary: pd.DataFrame
    example_firms: pd.DataFrame

    def mean(self, output: str, strategy: str) -> float:
        """The average of one output for one strategy across the worlds."""
        found = self._means.get((output, strategy))
        if found is None:
            raise ValueError(
                f"output must be one of {', '.join(OUTPUTS)} and strategy one of "
                f"{', '.join(STRATEGIES)} (got {output!r}, {strategy!r})"
            )
        return found

    @functools.cached_property
    def _means(self) -> dict[tuple[str, str], float]:
        """``summary``'s averages by (output, strategy), read once (a notebook asks often)."""
        summary = self.summary
        return {
            (str(output), str(strategy)): float(mean)
            for output, strategy, mean in zip(
                summary["output"], summary["strategy"], summary["mean"], strict=True
            )
        }

    def _per_world(self, output: str) -> tuple[np.ndarray, np.ndarray]:
        """One output of the planner and of the market, world by world (in draw order)."""
        draws = self.draws.sort_values("draw", kind="stable")
        strategy = draws["strategy"].to_numpy()
        values = draws[output].to_numpy()
        return values[strategy == "planner"], values[strategy == "market"]

    def planner_wins(self) -> int:
        """In how many worlds the planner made more value per yuan than the market."""
        planner, market = self._per_world("value_per_yuan")
        return int((planner > market).sum())

    def is_close(self) -> bool:
        """Whether the result is close (:data:`CLOSE_GAP`, :data:`CLOSE_WINS`)."""
        planner = self.mean("value_per_yuan", "planner")
        market = self.mean("value_per_yuan", "market")
        n_draws = int(self.parameters["n_draws"])
        wins = self.planner_wins()
        leader_wins = wins if planner >= market else n_draws - wins
        gap = max(planner, market) / min(planner, market) - 1.0
        return gap < CLOSE_GAP or leader_wins < CLOSE_WINS * n_draws

    def summary_sentence(self) -> str:
        """One plain-English sentence: who made more value per yuan, by how much, how often.

        Examples
        --------
        >>> result = simulate_picking_winners(n_firms=500, n_draws=20)
        >>> print(result.summary_sentence())  # doctest: +NORMALIZE_WHITESPACE
        In these 20 simulated worlds, the market created 1.49 yuan of value per yuan spent
        against the planner's 1.26 (18% more on average) and did better in 20 of the 20 worlds
        (100%); this follows from the stated assumptions and is not a forecast.

        With equal information and cheap first bets the two strategies are nearly the same:

        >>> even = simulate_picking_winners(
        ...     n_firms=500, n_draws=20, market_noise=1, first_bet_share=0.05
        ... )
        >>> print(even.summary_sentence())  # doctest: +NORMALIZE_WHITESPACE
        In these 20 simulated worlds, the planner created 1.26 yuan of value per yuan spent
        against the market's 1.25 (1% more on average) and did better in 11 of the 20 worlds
        (55%); this follows from the stated assumptions and is not a forecast. A close result:
        small changes in the assumptions could reverse it.
        """
        planner, market = self._per_world("value_per_yuan")
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
        more = "under 1%" if gap < 1.0 else f"{gap:.0f}%"
        close = (
            " A close result: small changes in the assumptions could reverse it."
            if self.is_close()
            else ""
        )
        return (
            f"In these {worlds}, the {winner} created {best:.2f} yuan of value per yuan spent "
            f"against the {loser}'s {other:.2f} ({more} more on average) and did better "
            f"in {wins} of the {n_draws} worlds ({_share_words(wins, n_draws)}); "
            f"this follows from the stated assumptions and is not a forecast.{close}"
        )

    def sector_sentence(self) -> str:
        """Where the planner's money went by sector, beside the favoured sectors' share of firms.

        With no bonus and no real edge (the defaults) the planner's money follows the favoured
        sectors' share of start-ups; a bonus pulls more money there than that share.

        Examples
        --------
        >>> result = simulate_picking_winners(n_firms=500, n_draws=20)
        >>> result.sector_sentence()  # doctest: +ELLIPSIS
        "Favoured sectors hold 30% of the start-ups and got ...% of the planner's money."
        """
        share = self.draws.loc[self.draws["strategy"] == "planner", "favoured_money_share"]
        favoured = self.parameters["favoured_share"]
        return (
            f"Favoured sectors hold {favoured:.0%} of the start-ups and got "
            f"{share.mean():.0%} of the planner's money."
        )


def _run(p: Mapping[str, Any]) -> tuple[int, int, _Plan, _Plan]:
    """The number of picks and of hits, and both strategies' bets, at validated settings."""
    picks = planner_picks(p["n_firms"], p["concentration"])
    n_hits = max(1, round(HIT_TOP_SHARE * p["n_firms"]))
    return picks, n_hits, _plan_planner(p, picks), _plan_market(p, picks)


def simulate_picking_winners(
    *,
    n_firms: int = _DEFAULTS["n_firms"],
    tail_sigma: float = _DEFAULTS["tail_sigma"],
    favoured_share: float = _DEFAULTS["favoured_share"],
    favoured_premium: float = _DEFAULTS["favoured_premium"],
    planner_noise: float = _DEFAULTS["planner_noise"],
    sector_bias: float = _DEFAULTS["sector_bias"],
    concentration: float = _DEFAULTS["concentration"],
    market_coverage: float = _DEFAULTS["market_coverage"],
    market_noise: float = _DEFAULTS["market_noise"],
    first_bet_share: float = _DEFAULTS["first_bet_share"],
    budget: float = _DEFAULTS["budget"],
    firm_capital_need: float = _DEFAULTS["firm_capital_need"],
    n_draws: int = _DEFAULTS["n_draws"],
    seed: int = _DEFAULTS["seed"],
) -> SimulationResult:
    """Simulate a one-shot planner and a staged market backing the same heavy-tailed start-ups.

    A thinking tool with stated assumptions, not a forecast: the module docstring lists every
    assumption and what the model leaves out. Defaults, units and allowed ranges come from
    ``data/parameters_simulation.csv``. The function is pure: the same inputs always give the
    same result (random draws are cached per seed and size, read-only).

    Parameters
    ----------
    n_firms : int
        Start-ups in each simulated world.
    tail_sigma : float
        Spread of log potential, log points: how skewed outcomes are.
    favoured_share : float
        Probability that a firm is in a favoured sector.
    favoured_premium : float
        Added to the log potential of favoured-sector firms, log points (then every firm's
        potential is scaled so the average stays one capital need).
    planner_noise : float
        The planner's signal error before investing, as a multiple of the spread.
    sector_bias : float
        Added to the planner's log signal for favoured-sector firms, log points.
    concentration : float
        0 to 1; the planner funds ``round(n_firms ** (1 - concentration))`` firms equally, and
        the market makes that many follow-on bets (see :func:`planner_picks`).
    market_coverage : float
        Share of the start-ups the market tries with a first bet (see :func:`first_bets`).
    market_noise : float
        The error in the market's early results, as a multiple of the spread.
    first_bet_share : float
        Share of the budget the market's first bets cost together (the price of experimenting).
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

    Raises
    ------
    ValueError
        If an input is not a number, is a bool, NaN or infinite, is not whole where a whole
        number is needed, or is outside its range; the message names the parameter, the
        allowed range and the value given.

    Examples
    --------
    >>> result = simulate_picking_winners(n_firms=500, n_draws=20, seed=1)
    >>> result.picks, result.n_first_bets
    (77, 500)
    >>> bool((result.draws["money_spent"] <= 1000 * (1 + 1e-12)).all())
    True
    >>> perfect = simulate_picking_winners(n_firms=500, n_draws=20, planner_noise=0)
    >>> perfect.mean("hits_backed_share", "planner")
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
            "favoured_share": favoured_share,
            "favoured_premium": favoured_premium,
            "planner_noise": planner_noise,
            "sector_bias": sector_bias,
            "concentration": concentration,
            "market_coverage": market_coverage,
            "market_noise": market_noise,
            "first_bet_share": first_bet_share,
            "budget": budget,
            "firm_capital_need": firm_capital_need,
            "n_draws": n_draws,
            "seed": seed,
        }
    )
    picks, n_hits, planner_plan, market_plan = _run(p)
    need = p["firm_capital_need"]
    planner = _outcomes(planner_plan, n_hits, need)
    market = _outcomes(market_plan, n_hits, need)
    return SimulationResult(
        parameters=MappingProxyType(dict(p)),
        picks=picks,
        n_first_bets=market_plan.wide.n_firms,
        planner_amount=planner_plan.wide_amount,
        first_bet_amount=market_plan.wide_amount,
        follow_on_amount=market_plan.big_amount,
        draws=_by_strategy(planner, market),
        summary=_summarise(planner, market),
        example_firms=_example_firms(p, picks),
    )


# --------------------------------------------------------------------------------------------
# Sweeps: one setting at a time, on the same worlds
# --------------------------------------------------------------------------------------------

_SWEEP_COLUMNS = [
    "strategy",
    "parameter",
    "value",
    "value_per_yuan_mean",
    "value_per_yuan_p5",
    "value_per_yuan_p95",
    "spent_on_hits_share_mean",
    "planner_better_share",
]


def sweep(parameter: str, values: Iterable[float], **other_params: Any) -> pd.DataFrame:
    """Value per yuan of each strategy as one setting moves, on the same simulated worlds.

    Every point uses the same seed and so the same firms and the same random errors (common
    random numbers): only ``parameter`` changes. Sizes (``n_firms``, ``n_draws``, ``seed``)
    cannot be swept.

    Parameters
    ----------
    parameter : str
        The setting to move, e.g. ``"planner_noise"``, ``"market_coverage"`` or
        ``"first_bet_share"``.
    values : iterable of float
        Its values, each within its allowed range.
    **other_params
        Any other keyword of :func:`simulate_picking_winners`; the rest take their defaults.

    Returns
    -------
    pandas.DataFrame
        One row per strategy and value (planner rows first): ``strategy``, ``parameter``,
        ``value``, ``value_per_yuan_mean``, ``value_per_yuan_p5``, ``value_per_yuan_p95``,
        ``spent_on_hits_share_mean`` and ``planner_better_share`` (share of worlds where the
        planner did better).

    Examples
    --------
    >>> frame = sweep("market_coverage", [0.1, 1], n_firms=500, n_draws=20)
    >>> frame["strategy"].tolist(), frame["value"].tolist()
    (['planner', 'planner', 'market', 'market'], [0.1, 1.0, 0.1, 1.0])
    """
    specs = parameter_specs(TABLE, MODEL)
    if parameter not in specs or parameter in _SIZES:
        allowed = ", ".join(name for name in specs if name not in _SIZES)
        raise ValueError(f"parameter must be one of {allowed} (got {parameter!r})")
    if parameter in other_params:
        raise ValueError(f"sweep sets {parameter} itself; pass its values as values")
    p = _validate(other_params)
    points = tuple(validate_value(specs[parameter], value) for value in values)
    rows = _swept(parameter, points, tuple(sorted(p.items())))
    return pd.DataFrame(list(rows), columns=_SWEEP_COLUMNS)


@functools.lru_cache(maxsize=32)
def _swept(
    parameter: str, points: tuple[float, ...], settings: tuple[tuple[str, Any], ...]
) -> tuple[tuple[Any, ...], ...]:
    """The rows of :func:`sweep` at validated settings: computed once per process, and kept
    across kernels in the content-keyed disk cache (:mod:`explainer.cache`).

    A notebook draws the same sweeps in every kernel (the panel's noise sweep at the defaults,
    the flip chart's four), each a dozen runs of the model; a sweep is a pure function of the
    settings, the seed and this module's code, so its rows are kept under a key of all of
    them (with numpy's version and the machine, since the draws are made in single precision).
    Numbers are stored as JSON, which writes every float exactly; nothing is unpickled.
    """
    from explainer import cache

    key = cache.content_key("picking_sweep", parameter, points, settings, _code_version())
    kept = cache.read_text("picking_sweep", key, ".json")
    if kept is not None:
        try:
            return tuple(tuple(row) for row in json.loads(kept))
        except (ValueError, TypeError):
            pass  # a damaged entry: compute afresh and write it again
    rows = _sweep_rows(parameter, points, dict(settings))
    cache.write_text("picking_sweep", key, json.dumps(rows), ".json")
    return tuple(tuple(row) for row in rows)


def _code_version() -> str:
    """What the model's results depend on besides their inputs: this package's code
    (:func:`explainer.cache.code_version`), numpy's version and the machine (single-precision
    draws may differ between them)."""
    from explainer import cache

    return f"{cache.code_version()}|{np.__version__}|{platform.machine()}"


def _sweep_rows(
    parameter: str, points: tuple[float, ...], p: Mapping[str, Any]
) -> list[tuple[Any, ...]]:
    """Run the model at each point of one setting: the rows of :func:`sweep`, planner first."""
    need = p["firm_capital_need"]
    planner_rows, market_rows = [], []
    for point in points:
        q = {**p, parameter: point}
        _, n_hits, planner_plan, market_plan = _run(q)
        planner = _outcomes(planner_plan, n_hits, need)
        market = _outcomes(market_plan, n_hits, need)
        better = float((planner["value_per_yuan"] > market["value_per_yuan"]).mean())
        for rows, name, out in (
            (planner_rows, "planner", planner),
            (market_rows, "market", market),
        ):
            p5, p95 = np.percentile(out["value_per_yuan"], [5, 95])
            rows.append(
                (
                    name,
                    parameter,
                    float(point),
                    float(out["value_per_yuan"].mean()),
                    float(p5),
                    float(p95),
                    float(out["spent_on_hits_share"].mean()),
                    better,
                )
            )
    return planner_rows + market_rows


def crossing(frame: pd.DataFrame) -> float | None:
    """Where the planner's average value per yuan crosses the market's in a :func:`sweep`.

    Linear interpolation between the two sweep points where the sign of the gap changes
    (the first such change); ``None`` if the lines do not cross within the swept values.

    Examples
    --------
    >>> frame = pd.DataFrame({"strategy": ["planner"] * 3 + ["market"] * 3,
    ...     "value": [0, 1, 2] * 2, "value_per_yuan_mean": [3, 2, 1, 1.5, 1.5, 1.5]})
    >>> crossing(frame)
    1.5
    """
    planner = frame[frame["strategy"] == "planner"].sort_values("value")
    market = frame[frame["strategy"] == "market"].sort_values("value")
    x = planner["value"].to_numpy(float)
    gap = planner["value_per_yuan_mean"].to_numpy(float) - market["value_per_yuan_mean"].to_numpy(
        float
    )
    for i in range(len(x) - 1):
        if gap[i] == 0:
            return float(x[i])
        if gap[i] * gap[i + 1] < 0:
            return float(x[i] + (x[i + 1] - x[i]) * gap[i] / (gap[i] - gap[i + 1]))
    if len(x) and gap[-1] == 0:
        return float(x[-1])
    return None


def noise_sweep(noise_values: Iterable[float], **other_params: Any) -> pd.DataFrame:
    """Value per yuan of each strategy as the planner's signal noise grows.

    :func:`sweep` of ``planner_noise``, with the columns named as the noise chart expects:
    ``strategy``, ``planner_noise``, ``value_per_yuan_mean``, ``value_per_yuan_p5``,
    ``value_per_yuan_p95`` and ``planner_better_share``. The market's line is flat (its
    outcomes do not depend on the planner's noise).

    Examples
    --------
    >>> frame = noise_sweep([0, 1, 2], n_firms=500, n_draws=20)
    >>> frame["planner_noise"].tolist()
    [0.0, 1.0, 2.0, 0.0, 1.0, 2.0]
    >>> bool(frame["value_per_yuan_mean"].iloc[0] > frame["value_per_yuan_mean"].iloc[2])
    True
    """
    if "planner_noise" in other_params:
        raise ValueError("noise_sweep sets planner_noise itself; pass the values as noise_values")
    frame = sweep("planner_noise", noise_values, **other_params)
    frame = frame.rename(columns={"value": "planner_noise"})
    return frame[
        [
            "strategy",
            "planner_noise",
            "value_per_yuan_mean",
            "value_per_yuan_p5",
            "value_per_yuan_p95",
            "planner_better_share",
        ]
    ]

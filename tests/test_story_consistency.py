"""One story across the notebooks: every chart's words are complete and agree with its marks,
and a figure told in two places is told with one date and one qualifier.

These tests were written after a reader found "null" in hover texts, a share written 62% in
a chart's description and 63% in its hover text (Python rounds half to even, the charts' d3
formats half up), and the 17,600 little giants dated 13 Nov 2025 in one notebook and "the end
of 2025" in another. Each test below would have caught one of those kinds.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from explainer import charts, data
from explainer.charts import policy, trade
from explainer.sources import citation

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: Words a reader must never see where a value should be.
EMPTY = re.compile(r"\b(null|NaN|nan|None|undefined)\b")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(%?)(?![\d]|\.\d)")
_DATES = re.compile(
    r"\b\d{4}[–-]\d{2,4}\b|\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* "
    r"\d{4}\b|\b(?:19|20)\d{2}\b"
)


def _panel_specs() -> dict[str, tuple[dict[str, Any], list[float]]]:
    """The explorer's two charts at each preset, with the preset's values (words may state
    a setting, such as the pass rate, that is not drawn)."""
    from explainer.widgets.explorer import PipelinePanel, SubsidyPanel

    found = {}
    for panel in (PipelinePanel(), SubsidyPanel()):
        for name, values in panel.presets.items():
            panel.set(**values)
            settings = [float(v) for v in values.values()]
            settings += [100 * v for v in settings if 0 < v <= 1]  # a share written as %
            found[f"{type(panel).__name__}-{name}"] = (dict(panel.chart_view.chart), settings)
    return found


@pytest.fixture(scope="module")
def every_chart() -> dict[str, tuple[dict[str, Any], list[float]]]:
    """Every chart the narrative notebooks draw (the simulation's chart is tested with its
    model), as a Vega-Lite spec with the numbers its words may state beyond its data."""
    found: dict[str, tuple[dict[str, Any], list[float]]] = {}
    for module, names in [
        (
            policy,
            [
                "designations_and_stock",
                "policy_timeline",
                "batches_against_target",
                "reviews_chart",
                "regions_chart",
                "provinces_chart",
                "sectors_chart",
                "key_firms_chart",
            ],
        ),
        (
            trade,
            [
                "tariff_chart",
                "phase_one_totals_chart",
                "phase_one_promises_chart",
                "phase_one_shares_chart",
            ],
        ),
    ]:
        for name in names:
            found[name] = (charts.spec_dict(getattr(module, name)()), [])
    first, last = policy.record_years()
    for count in ("final", "public_notice"):
        for year in (first, last):
            found[f"record-{count}-{year}"] = (
                policy.record_spec(policy.record_up_to(count, year)),
                [],
            )
    found.update(_panel_specs())
    return found


def _seen(spec: dict[str, Any]) -> tuple[str, list[str]]:
    """What a reader sees: the SVG's hover texts and drawn text, and the description."""
    svg = charts.to_svg(spec)
    shown = re.findall(r'aria-label="([^"]*)"', svg) + re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return spec.get("description", ""), [html.unescape(s) for s in shown]


def _layers(
    spec: dict[str, Any], data_name: str | None = None
) -> Iterable[tuple[dict, str | None]]:
    """Each (unit spec, name of its dataset), the dataset inherited from a parent layer."""
    name = (spec.get("data") or {}).get("name", data_name)
    if "mark" in spec:
        yield spec, name
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []):
            yield from _layers(child, name)


def _tooltip_fields(encoding: dict[str, Any]) -> list[str]:
    tips = encoding.get("tooltip", [])
    tips = tips if isinstance(tips, list) else [tips]
    return [t["field"] for t in tips if isinstance(t, dict) and "field" in t]


def _half_up(value: float, digits: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def _values(spec: dict[str, Any], extra: Iterable[float]) -> set[float]:
    """Numbers a chart's words may state: its data (shares also as %), sums per group, and
    the extra settings."""
    found = {float(v) for v in extra}
    for rows in spec.get("datasets", {}).values():
        frame = pd.DataFrame(rows)
        numbers = frame.select_dtypes("number")
        keys = [c for c in frame if c not in numbers and pd.api.types.is_string_dtype(frame[c])]
        for column in numbers:
            series = numbers[column].dropna().astype(float)
            found |= set(series) | set(series * 100) | {float(series.sum())}
            for key in keys:
                found |= set(frame.groupby(key)[column].sum().astype(float))
    return {v for v in found if pd.notna(v)}


# --- no empty values ---------------------------------------------------------------------------


def test_no_chart_shows_null_nan_or_none(every_chart: dict) -> None:
    bad = {}
    for name, (spec, _) in every_chart.items():
        description, shown = _seen(spec)
        words = [w for w in [description, *shown] if EMPTY.search(w)]
        if words:
            bad[name] = words[:3]
    assert not bad, f"charts show an empty value as a word: {bad}"


def test_no_tooltip_field_is_empty(every_chart: dict) -> None:
    """A live Vega view (not only the SVG) shows tooltips: no tooltip field may be empty."""
    bad = []
    for name, (spec, _) in every_chart.items():
        datasets = spec.get("datasets", {})
        for unit, data_name in _layers(spec):
            rows = datasets.get(data_name, (unit.get("data") or {}).get("values", []))
            for field in _tooltip_fields(unit.get("encoding", {})):
                empty = [r for r in rows if r.get(field) is None or r.get(field) != r.get(field)]
                if empty:
                    bad.append((name, field, len(empty)))
    assert not bad, f"tooltip fields with empty values (they show as 'null'): {bad}"


def test_no_citation_prints_a_doubled_full_stop() -> None:
    for source_id in data.load_table("sources")["id"]:
        text = citation(source_id)
        assert not re.search(r"(?<!\.)\.\.(?!\.)", text), text


# --- words agree with marks --------------------------------------------------------------------


def test_percent_rounds_half_up_as_the_charts_do() -> None:
    assert policy.percent(0.625) == "63%"
    assert policy.percent(0.6249) == "62%"
    assert policy.percent(0.8704, 2) == "87.04%"
    assert policy.percent(1) == "100%"


def test_every_chart_states_only_numbers_its_marks_bear_out(every_chart: dict) -> None:
    """Each number in a chart's description is shown in the chart, or is one of its data
    values, group sums, differences or ratios rounded half up, as the chart's own formats
    round; a number that only Python's half-to-even rounding gives ("62%" for 0.625, beside a
    hover text of "63%") is a clash."""
    clashes, nowhere = {}, {}
    for name, (spec, extra) in every_chart.items():
        description, shown = _seen(spec)
        seen = " ".join(shown)
        values = _values(spec, extra)
        pairs = list(itertools.permutations(values, 2))
        derived = values | {a - b for a, b in pairs} | {100 * a / b for a, b in pairs if b}
        for number, pct in _NUMBER.findall(_DATES.sub(" ", description)):
            plain = number.replace(",", "")
            digits = len(plain.split(".")[1]) if "." in plain else 0
            stated = Decimal(plain)
            near = [
                v
                for v in values
                if abs(Decimal(repr(v)) - stated) <= Decimal(5).scaleb(-digits - 1)
            ]
            if near and all(_half_up(v, digits) != stated for v in near):
                clashes.setdefault(name, []).append(number + pct)
            if float(plain) <= 12 and not digits and not pct:
                continue  # a count of marks ("8 dashed lines") or a setting such as a cycle
            if re.search(rf"(?<![\d.,]){re.escape(number + pct)}(?!\d)", seen):
                continue
            if not any(_half_up(v, digits) == stated for v in derived):
                nowhere.setdefault(name, []).append(number + pct)
    assert not clashes, f"descriptions round differently from the chart's marks: {clashes}"
    assert not nowhere, f"descriptions state numbers the chart does not bear out: {nowhere}"


def test_the_reviews_chart_says_one_share_in_words_and_hover() -> None:
    chart = policy.reviews_chart()
    spec = charts.spec_dict(chart)
    description, shown = _seen(spec)
    for row in policy.review_attrition().itertuples():
        share = policy.percent(row.kept_share)
        assert f"batch {row.batch} {share}" in description
        assert any(f"Kept, share of those named: {share}" in s and row.label in s for s in shown)


# --- one date, one qualifier across the notebooks ----------------------------------------------


def _reader_texts() -> dict[str, str]:
    """Everything a reader reads as prose: notebook Markdown, and the data texts the notebooks
    show as definitions (slider meanings, preset notes, claims)."""
    texts = {}
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        texts[path.name] = "\n\n".join(
            c.source for c in notebook.cells if c.cell_type == "markdown"
        )
    parameters = data.load_table("parameters_explorer")
    texts["parameters_explorer"] = " ".join(parameters["description"].fillna("")) + " "
    texts["parameters_explorer"] += " ".join(parameters["note"].fillna(""))
    presets = data.load_table("presets_explorer")["note"].dropna()
    texts["presets_explorer"] = " ".join(presets)
    claims = data.load_table("article_claims")
    texts["article_claims"] = " ".join(claims["claim"]) + " " + " ".join(claims["record"])
    return texts


def _sentences(text: str, needle: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:])\s+|\n", text) if needle in s]


_MONTHS = "January February March April May June July August September October November December"
_VAGUE = re.compile(
    r"\b(?:the )?(?:end|start|beginning|middle) of (\d{4})\b|\b(?:late|early|mid)-?(\d{4})\b"
)
_QUALIFIERS = {
    "about": re.compile(r"\b(?:about|around|roughly|some|nearly|almost|~)\s*$", re.I),
    "more_than": re.compile(r"\b(?:more than|over|above|at least)\s*$", re.I),
}


def test_a_reported_stock_has_one_date_and_one_qualifier_everywhere() -> None:
    """A net-stock figure told in prose carries the date of its report (the month at least),
    never a vaguer or different time in the same year, and never a contradicting qualifier."""
    stock = data.load_table("designation_stock")
    latest_by_figure = stock.sort_values("date").drop_duplicates("stock", keep="first")
    problems = []
    for row in latest_by_figure.itertuples():
        figure = f"{int(row.stock):,}"
        month = _MONTHS.split()[row.date.month - 1]
        for where, text in _reader_texts().items():
            for sentence in _sentences(text, figure):
                after = sentence[sentence.index(figure) + len(figure) :][:45]
                for vague in _VAGUE.finditer(after):
                    if int(vague.group(1) or vague.group(2)) == row.date.year:
                        problems.append((where, figure, vague.group(0)))
                dated = re.search(
                    rf"\b(?:in|on|of) (?:\d{{1,2}} )?({'|'.join(_MONTHS.split())}) (\d{{4}})", after
                )
                same_year = dated and int(dated.group(2)) == row.date.year
                if same_year and row.date_precision != "year" and dated.group(1) != month:
                    problems.append((where, figure, dated.group(0)))
                before = sentence[: sentence.index(figure)]
                for kind, pattern in _QUALIFIERS.items():
                    if (
                        pattern.search(before)
                        and kind != row.qualifier
                        and row.qualifier != "exact"
                    ):
                        problems.append((where, figure, f"{kind} vs {row.qualifier}"))
    assert not problems, f"a stock figure told with another date or qualifier: {problems}"


def test_the_first_batch_says_which_date_is_which() -> None:
    """Batch 1 has two dates (notice dated 5 June 2019, published 13 June): prose that gives
    the day says which one it is."""
    notice = data.load_table("designation_batches").set_index("batch").loc[1, "notice_date"]
    for where, text in _reader_texts().items():
        for day in re.finditer(r"\b(\d{1,2}) June 2019\b", text):
            sentence = next(s for s in _sentences(text, day.group(0)))
            if not re.search(r"batch|248|first (?:national )?list", sentence, re.I):
                continue
            if int(day.group(1)) == notice.day:
                assert re.search(r"dated|notice", sentence), (where, sentence)
            else:
                assert re.search(r"publish", sentence), (where, sentence)


def test_the_fund_lesson_is_the_notice_s_own() -> None:
    """The fund notice itself aims at ~10,000 new little giants; no prose may say the story
    merged two policies, and the prose that divides the fund says whom it pays."""
    wrong = re.compile(
        r"merg(?:ed|es|ing) (?:the )?two|two (?:separate )?policies|as if one paid", re.I
    )
    for where, text in _reader_texts().items():
        assert not wrong.search(text), (where, wrong.search(text).group(0))
    aim = data.load_table("policy_targets").set_index("id").loc["fund-2021-drive-10000"]
    fund = data.load_table("central_fund").iloc[0]
    assert aim["target_value"] == fund["target_firms_driven"]
    assert aim["issued"] == fund["announced"]


# --- honest times ------------------------------------------------------------------------------


def _minutes(path: Path) -> tuple[float, float]:
    """Minutes to read a notebook and to do its exercises, by one rule: prose at 150 words a
    minute, a minute for each chart, table or panel a code cell shows, five minutes an
    exercise plus the time to read its question."""
    notebook = nbformat.read(path, as_version=4)
    prose = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    shown = [
        c
        for c in notebook.cells
        if c.cell_type == "code"
        and not c.source.startswith("from ")
        and "references(" not in c.source
    ]
    start = prose.find("## Exercises")
    body, exercises = (prose, "") if start < 0 else (prose[:start], prose[start:])
    questions = re.sub(r"<details.*?</details>", " ", exercises, flags=re.S)
    words = len(re.findall(r"\w+", body))
    count = len(re.findall(r"^#{3,4} Exercise", exercises, flags=re.M))
    reading = words / 150 + len(shown)
    return reading, reading + len(re.findall(r"\w+", questions)) / 150 + 5 * count


def _stated_times() -> dict[str, list[int]]:
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4)
    table = next(c.source for c in start.cells if c.source.startswith("## The notebooks"))
    found = {}
    for link, times in re.findall(r"\]\((0\d_[\w]+\.ipynb)\)[^|]*\|[^|]*\| ([^|]+) \|", table):
        found[link] = [int(n) for n in re.findall(r"\d+", times)]
    return found


def test_the_start_page_times_follow_the_prose() -> None:
    stated = _stated_times()
    assert set(stated) == {p.name for p in NOTEBOOKS}, "every notebook needs a row with a time"
    for path in NOTEBOOKS:
        reading, working = _minutes(path)
        times = stated[path.name]
        assert abs(times[0] - reading) <= max(5, 0.35 * reading), (path.name, times, round(reading))
        if len(times) > 1:
            assert abs(times[1] - working) <= max(5, 0.35 * working), (
                path.name,
                times,
                round(working),
            )
        header = nbformat.read(path, as_version=4).cells[0].source
        header += nbformat.read(path, as_version=4).cells[1].source
        said = re.search(
            r"\*Time: about (\d+) minutes[^*;]*(?:; (\d+) with the exercises)?", header
        )
        assert said, f"{path.name}: no '*Time: about N minutes' line"
        if path.name != "00_start_here.ipynb":
            assert int(said.group(1)) == times[0], (path.name, said.group(0), times)
            if len(times) > 1:
                assert said.group(2) and int(said.group(2)) == times[1], (path.name, said.group(0))


def test_the_whole_set_adds_up() -> None:
    stated = _stated_times()
    reading = sum(t[0] for name, t in stated.items() if not name.startswith("06"))
    working = sum(t[-1] for name, t in stated.items() if not name.startswith("06"))
    start = nbformat.read(ROOT / "notebooks" / "00_start_here.ipynb", as_version=4).cells[0].source
    hours = [float(h) for h in re.findall(r"about ([\d.]+) hours", start)]
    assert len(hours) == 2, start
    assert abs(hours[0] * 60 - reading) <= 15 and abs(hours[1] * 60 - working) <= 15, (
        hours,
        reading,
        working,
    )
    words = dict(
        enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight"])
    )
    readme = " ".join((ROOT / "README.md").read_text().split())
    for h in hours:  # the README says the same, in words: "two and a half hours"
        said = words[int(h)] + (" and a half" if h % 1 else "")
        assert said in readme, f"README.md should say '{said}' as the start page does"


def test_hover_text_is_the_tooltip_alone_and_names_empty_values() -> None:
    import altair as alt

    from explainer.charts.hover import EMPTY_WORDS, with_tooltip_hover

    frame = pd.DataFrame({"start": [0.0, 0.6], "end": [0.6, 1.0], "share": [0.6, None]})
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x="start:Q", x2="end:Q", tooltip=[alt.Tooltip("share:Q", title="Share", format=".0%")]
        )
    )
    _, shown = _seen(charts.spec_dict(alt.layer(with_tooltip_hover(bars))))
    labels = [s for s in shown if s.startswith("Share")]
    assert sorted(labels) == ["Share: 60%", f"Share: {EMPTY_WORDS}"]
    svg = charts.to_svg(charts.spec_dict(alt.layer(with_tooltip_hover(bars))))
    marks = re.findall(r'aria-label="([^"]*)" role="graphics-symbol"', svg)
    assert sorted(marks) == ["Share: 60%", f"Share: {EMPTY_WORDS}"]  # no raw start or end

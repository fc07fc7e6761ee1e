"""Chart layer: each chart gets a title, a source line and a description; renders offline."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from explainer import charts, data


@pytest.fixture(scope="module")
def source_id() -> str:
    return data.load_table("sources")["id"].iloc[0]


def _chart() -> alt.Chart:
    frame = pd.DataFrame({"year": [2019, 2020, 2021], "firms": [248, 1584, 2930]})
    return (
        alt.Chart(frame).mark_bar().encode(x="year:O", y="firms:Q", tooltip=["year:O", "firms:Q"])
    )


def test_sourced_sets_title_source_line_and_description(source_id: str) -> None:
    chart = charts.sourced(
        _chart(), title="Batches", description="Bars rise.", sources=[source_id], subtitle="Ctx"
    )
    spec = charts.spec_dict(chart, validate=True)  # validates against the Vega-Lite schema
    assert spec["title"]["text"] == "Batches"
    assert spec["title"]["subtitle"][0] == "Ctx"
    assert spec["title"]["subtitle"][1].startswith("Source: ")
    assert spec["description"] == "Bars rise."
    assert spec["config"]["range"]["category"] == charts.PALETTE


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"title": " ", "description": "d"}, "needs a title"),
        ({"title": "t", "description": ""}, "needs a text description"),
    ],
)
def test_sourced_refuses_missing_parts(source_id: str, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        charts.sourced(_chart(), sources=[source_id], **kwargs)


def test_sourced_refuses_unknown_source() -> None:
    with pytest.raises(ValueError, match="unknown source id"):
        charts.sourced(_chart(), title="t", description="d", sources=["made-up"])


def test_figure_is_inline_svg_with_caption_and_tooltips(source_id: str) -> None:
    chart = charts.sourced(_chart(), title="Batches", description="A & B", sources=[source_id])
    html = charts.figure_html(chart)
    assert html.startswith('<figure class="lg-figure"') and "<svg" in html
    assert "<figcaption" in html and "A &amp; B" in html
    assert "<title>" in html  # hover tooltips, drawn without any script
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_palette_is_okabe_ito() -> None:
    assert charts.PALETTE[:3] == ["#0072B2", "#E69F00", "#009E73"]


def test_setup_enables_offline_renderer(source_id: str) -> None:
    charts.setup()
    assert alt.renderers.active == charts.THEME_NAME
    bundle = charts.sourced(
        _chart(), title="t", description="d", sources=[source_id]
    )._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "<svg" in bundle["text/html"]
    alt.renderers.enable("default")


def test_hover_text_leaves_the_chart_given_unchanged() -> None:
    # A panel's layers are built once and cached; writing their hover text must not change
    # them, or a chart drawn before and after differs (as a cached template once showed).

    from explainer.charts.hover import with_tooltip_hover

    frame = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    base = alt.Chart(frame).mark_point().encode(x="x:Q", y="y:Q", tooltip=["x:Q", "y:Q"])
    layered = alt.layer(base, base.mark_line())
    before = layered.to_dict()
    hovered = with_tooltip_hover(layered)
    assert layered.to_dict() == before
    assert all("description" in layer["encoding"] for layer in hovered.to_dict()["layer"])

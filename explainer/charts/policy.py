"""Charts of the little-giant policy record: batches, the net stock and the targets."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explainer.charts import PALETTE, sourced
from explainer.data import load_table

__all__ = ["batch_counts", "designations_and_stock", "little_giant_target"]


def little_giant_target() -> pd.Series:
    """The 14th Five-Year SME plan's target for national little giants, as a table row."""
    targets = load_table("policy_targets")
    rows = targets[targets["metric"].str.contains("little giant", case=False)]
    rows = rows[rows["target_value"] == rows["target_value"].max()]
    return rows.sort_values("issued").iloc[-1]


def batch_counts() -> pd.DataFrame:
    """One row per national batch: the count to chart and which count it is.

    The final designated count is used where it is known; otherwise the public-notice count,
    labelled as such (the two differ because some listed firms are not confirmed).
    """
    batches = load_table("designation_batches")
    has_final = batches["final_count"].notna()
    date = batches["notice_date"].fillna(pd.to_datetime(batches["year"].astype(str) + "-07-01"))
    return pd.DataFrame(
        {
            "batch": batches["batch"],
            "year": batches["year"],
            "date": date,
            "firms": batches["final_count"].where(has_final, batches["public_notice_count"]),
            "count": has_final.map(
                {True: "Final designation", False: "Public-notice list (no final figure)"}
            ),
            "source_ids": batches["source_ids"],
        }
    )


def designations_and_stock() -> alt.LayerChart:
    """Bars: firms named in each national batch. Line: the net stock. Rule: the 2025 target."""
    bars = batch_counts()
    stock = load_table("designation_stock")
    target = little_giant_target()
    counts = ["Final designation", "Public-notice list (no final figure)"]
    bar_layer = (
        alt.Chart(bars)
        .mark_bar(size=22)
        .encode(
            x=alt.X("date:T", title="Year", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("firms:Q", title="Little giants (firms)"),
            color=alt.Color(
                "count:N",
                title="Batch size",
                scale=alt.Scale(domain=counts, range=[PALETTE[0], PALETTE[4]]),
                legend=alt.Legend(orient="top-left", direction="vertical"),
            ),
            tooltip=[
                alt.Tooltip("batch:Q", title="Batch"),
                alt.Tooltip("year:Q", title="Year"),
                alt.Tooltip("firms:Q", title="Firms", format=","),
                alt.Tooltip("count:N", title="Count"),
            ],
        )
    )
    line = (
        alt.Chart(stock.assign(series="Net stock holding the title"))
        .mark_line(color=PALETTE[1], point=alt.OverlayMarkDef(color=PALETTE[1]))
        .encode(
            x="date:T",
            y="stock:Q",
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%b %Y"),
                alt.Tooltip("stock:Q", title="Net stock", format=","),
                alt.Tooltip("qualifier:N", title="As reported"),
            ],
        )
    )
    deadline = pd.Timestamp(target["deadline"]).year
    label = f"Target: {target['target_value']:,.0f} by {deadline}"
    target_frame = pd.DataFrame({"y": [target["target_value"]], "label": [label]})
    rule = alt.Chart(target_frame).mark_rule(strokeDash=[8, 6], color="#000000").encode(y="y:Q")
    text = (
        alt.Chart(target_frame)
        .mark_text(align="left", dy=-10, fontSize=15, x=8)
        .encode(y="y:Q", text="label:N")
    )
    chart = alt.layer(bar_layer, line, rule, text)
    last = stock.sort_values("date").iloc[-1]
    description = (
        f"Bars show the firms named in each national batch from {bars['year'].min()} to "
        f"{bars['year'].max()}; the orange line shows the net number holding the title, which "
        f"passed the {target['target_value']:,.0f} target and reached about "
        f"{last['stock']:,} by {last['date']:%B %Y}."
    )
    return sourced(
        chart,
        title="National little giants: batches, net stock and the 2025 target",
        subtitle="Orange line: firms holding the title after three-yearly re-reviews",
        description=description,
        sources=[bars, stock, pd.DataFrame([target])],
    )

"""The timeline explorer: filter the events by who acted, what kind and when; read one in full.

:class:`TimelineExplorer` is an app object in the same drivable pattern as
:class:`explainer.widgets.base.Panel`: set values with :meth:`TimelineExplorer.set`, read
:attr:`~TimelineExplorer.values`, :attr:`~TimelineExplorer.result` (the visible events),
:attr:`~TimelineExplorer.summary` and :attr:`~TimelineExplorer.detail`, and find the figure in
``chart_view.chart``. Its controls are lists and a date range rather than sliders built from
parameter records, so it does not subclass ``Panel``; it keeps the same method names.

The filtering itself is the pure function :func:`filter_events`. Dates are whole months: a
range from ``"2018-03"`` to ``"2019-12"`` runs from 1 March 2018 to 31 December 2019. An
event known only to the month or the year is shown when its month or year overlaps the
range, is written "May 2019" or "2018" (never "1 Jan 2018"), is listed before the events
dated to the day within its period, and is drawn hollow in the middle of that period.

Examples
--------
>>> app = TimelineExplorer(actors=["United States"], categories=["export controls"])
>>> app.result["event"].iloc[0]
'US cuts ZTE off from American suppliers'
>>> app.set(actors=["Beijing"])
Traceback (most recent call last):
...
ValueError: actors: 'Beijing' is not one of: China central, China local, United States, market
"""

from __future__ import annotations

import datetime
import functools
import html
import os
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from explainer.charts.trade import (
    period_end,
    timeline_choices,
    timeline_event_rows,
    timeline_frame,
    timeline_order,
)
from explainer.data import load_table
from explainer.parameters import value_text
from explainer.sources import collect_ids, publication_date
from explainer.text import when_column
from explainer.widgets.base import STATIC_ENV, ChartView, panel_box

__all__ = ["TimelineExplorer", "filter_events", "month_bounds"]

SETTINGS = ("actors", "categories", "start", "end", "event")


def filter_events(
    events: pd.DataFrame,
    *,
    actors: Iterable[str],
    categories: Iterable[str],
    start: pd.Timestamp,
    end: pd.Timestamp,
    ends: pd.Series | None = None,
) -> pd.DataFrame:
    """The events whose actor and category are chosen and whose period overlaps [start, end].

    An event's period is the day, month or year its ``date_precision`` says it is known to,
    so an event dated only "2018" is kept for any range that reaches into 2018. A pure
    function: the same table and choices always give the same rows, in reading order (see
    :func:`explainer.charts.trade.timeline_order`). ``ends``: each event's last day
    (:func:`~explainer.charts.trade.period_end`) if already worked out, as the explorer
    does once for all its moves.
    """
    if ends is None:
        ends = period_end(events["date"], events["date_precision"])
    ends = ends.set_axis(events.index)
    mask = (
        events["actor"].isin(list(actors))
        & events["category"].isin(list(categories))
        & (events["date"] <= end)
        & (ends >= start)
    )
    return timeline_order(events[mask])


def month_bounds(value: Any, name: str = "date") -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the month that ``value`` (a date or ``"YYYY-MM"``) falls in.

    Raises
    ------
    ValueError
        If ``value`` is not a date or a date string (``None``, a number, a list, "soon").
    """
    problem = f"{name}: expected a date such as '2019-05' (got {value_text(value)})"
    if not isinstance(value, (str, datetime.date, pd.Timestamp)):
        raise ValueError(problem)
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(problem) from None
    if pd.isna(day):
        raise ValueError(problem)
    month = day.to_period("M")
    return month.start_time, month.end_time.normalize()


class TimelineExplorer:
    """Filter the timeline by actor, category and dates; select an event to read it in full.

    Parameters
    ----------
    events : DataFrame, optional
        Rows in the shape of ``data/timeline.csv`` (the whole table by default).
    **values
        Starting settings, as for :meth:`set`.
    """

    title = "Explore the timeline"

    def __init__(self, events: pd.DataFrame | None = None, **values: Any) -> None:
        table = load_table("timeline") if events is None else events
        table = timeline_order(table).reset_index(drop=True)
        self.events = table.assign(when=when_column(table["date"], table["date_precision"]))
        self.actor_choices, self.category_choices = timeline_choices()
        first, last = self.events["date"].min(), self.events["date"].max()
        self.months = list(pd.period_range(first, last, freq="M").start_time)
        self._details: dict[str | None, str] = {}
        self.defaults: dict[str, Any] = {
            "actors": self.actor_choices,
            "categories": self.category_choices,
            "start": self.months[0],
            "end": month_bounds(self.months[-1])[1],
            "event": None,
        }
        # worked out once for every move: the rows a live view is sent once, each event's
        # last possible day and its line in the event list
        self._event_rows = timeline_event_rows(self.events)
        self._ends = period_end(self.events["date"], self.events["date_precision"])
        self._labels = {r.id: f"{r.when} · {r.event}" for r in self.events.itertuples()}
        self._all_sources = collect_ids(self.events)  # cited when no event is shown
        self._build_controls()
        self.chart_view = ChartView(height="470px")
        self.summary_widget = widgets.HTML(layout=widgets.Layout(min_height="2em"))
        self.detail_widget = widgets.HTML(layout=widgets.Layout(flex="1 1 0%", min_width="320px"))
        self.result = self.events.iloc[0:0]
        self.summary = ""
        self.detail = ""
        self._updating = False
        self.set(**{**self.defaults, **values})

    # --- controls --------------------------------------------------------------------------
    def _build_controls(self) -> None:
        style = {"description_width": "110px"}
        self.controls: dict[str, widgets.Widget] = {
            "actors": widgets.SelectMultiple(
                options=self.actor_choices,
                value=self.actor_choices,
                rows=4,
                description="Who acted",
                style=style,
                layout=widgets.Layout(width="360px"),
            ),
            "categories": widgets.SelectMultiple(
                options=self.category_choices,
                value=self.category_choices,
                rows=8,
                description="Kind of event",
                style=style,
                layout=widgets.Layout(width="380px"),
            ),
            "dates": widgets.SelectionRangeSlider(
                options=[(f"{m:%b %Y}", m) for m in self.months],
                index=(0, len(self.months) - 1),
                description="Dates",
                style=style,
                continuous_update=True,
                layout=widgets.Layout(width="820px"),
            ),
            "event": widgets.Select(
                options=[],
                rows=10,
                description="Event",
                style=style,
                layout=widgets.Layout(width="520px"),
            ),
        }
        self.reset_button = widgets.Button(description="Show everything", icon="undo")
        self.reset_button.on_click(lambda _: self.reset())
        for control in self.controls.values():
            control.observe(self._on_change, names="value")

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if not self._updating:
            self.update()

    # --- driving it from code --------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """The current settings: actors, categories, start, end (whole months) and event."""
        start, end = self.controls["dates"].value
        return {
            "actors": tuple(self.controls["actors"].value),
            "categories": tuple(self.controls["categories"].value),
            "start": start,
            "end": month_bounds(end)[1],
            "event": self.controls["event"].value,
        }

    def set(self, **values: Any) -> None:
        """Change one or more settings at once (one update), each checked first.

        Parameters
        ----------
        actors, categories : str or iterable of str
            The lanes and kinds of event to show (an empty list shows none).
        start, end : date or str
            The first and last month shown, e.g. ``"2018-03"``.
        event : str or None
            Id of the event to read; it must be among the events the filters leave visible.

        Raises
        ------
        ValueError
            For an unknown setting, actor, category or event id, a date outside the
            timeline, a start after the end, or an event the filters hide. Nothing changes.
        """
        unknown = sorted(set(values) - set(SETTINGS))
        if unknown:
            raise ValueError(f"no setting named {unknown[0]!r}; settings: {', '.join(SETTINGS)}")
        new = {**self.values, **values}
        actors = self._check_choices("actors", new["actors"], self.actor_choices)
        categories = self._check_choices("categories", new["categories"], self.category_choices)
        start, end = self._check_dates(new["start"], new["end"])
        visible = filter_events(
            self.events,
            actors=actors,
            categories=categories,
            start=start,
            end=end,
            ends=self._ends,
        )
        event = self._check_event(new["event"], visible, explicit="event" in values)
        self._updating = True
        try:
            self.controls["actors"].value = actors
            self.controls["categories"].value = categories
            self.controls["dates"].value = (start, self._month_start(end))
            self._show_events(visible, event)
        finally:
            self._updating = False
        self.update()

    def reset(self) -> None:
        """Show every event over the whole timeline again."""
        self.set(**self.defaults)

    def select(self, event_id: str) -> None:
        """Select one visible event (the same as ``set(event=event_id)``)."""
        self.set(event=event_id)

    @property
    def selected(self) -> pd.Series | None:
        """The selected event's row, or None when no event is visible."""
        event_id = self.controls["event"].value
        if event_id is None:
            return None
        return self.events.loc[self.events["id"] == event_id].iloc[0]

    def update(self) -> None:
        """Re-filter and redraw from the controls' current values (controls call this)."""
        values = self.values
        visible = filter_events(
            self.events,
            actors=values["actors"],
            categories=values["categories"],
            start=values["start"],
            end=values["end"],
            ends=self._ends,
        )
        event = values["event"] if values["event"] in set(visible["id"]) else None
        self._updating = True
        try:
            event = self._show_events(visible, event)
        finally:
            self._updating = False
        self.result = visible
        self.chart_view.show(
            timeline_frame(
                visible,
                self._event_rows,
                start=values["start"],
                end=values["end"],
                actors=values["actors"],
                selected=event,
                total=len(self.events),
                cited=self._all_sources,
            )
        )
        self.summary = self._summarise(values, visible)
        self.summary_widget.value = f'<p style="font-size:18px">{html.escape(self.summary)}</p>'
        self.detail = self._describe(event)
        self.detail_widget.value = self.detail

    # --- checks --------------------------------------------------------------------------------
    @staticmethod
    def _check_choices(name: str, chosen: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
        if isinstance(chosen, str):
            items: tuple[Any, ...] = (chosen,)
        elif isinstance(chosen, Iterable) and not isinstance(chosen, Mapping):
            items = tuple(chosen)
        else:
            raise ValueError(
                f"{name}: expected one of {', '.join(allowed)}, or a list of them "
                f"(got {value_text(chosen)})"
            )
        for item in items:
            if item not in allowed:
                raise ValueError(f"{name}: {value_text(item)} is not one of: {', '.join(allowed)}")
        return tuple(a for a in allowed if a in items)

    def _check_dates(self, start: Any, end: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
        first, last = self.months[0], self.months[-1]
        low, high = month_bounds(start, "start")[0], month_bounds(end, "end")[1]
        for name, value, month in (("start", start, low), ("end", end, self._month_start(high))):
            if not first <= month <= last:
                raise ValueError(
                    f"{name} must be between {first:%b %Y} and {last:%b %Y} "
                    f"(got {value_text(value)})"
                )
        if low > high:
            raise ValueError(f"start ({low:%b %Y}) must not be after end ({high:%b %Y})")
        return low, high

    def _check_event(self, event: Any, visible: pd.DataFrame, *, explicit: bool) -> str | None:
        if event is None:
            return None
        if not isinstance(event, str):
            raise ValueError(
                f"event: expected an event id (a string) or None (got {value_text(event)})"
            )
        if event not in set(self.events["id"]):
            raise ValueError(f"event: no event with id {value_text(event)} in the timeline")
        if event not in set(visible["id"]):
            if explicit:
                raise ValueError(
                    f"event: {value_text(event)} is hidden by the current filters; "
                    f"{len(visible)} events are visible"
                )
            return None
        return event

    @staticmethod
    def _month_start(day: pd.Timestamp) -> pd.Timestamp:
        return day.to_period("M").start_time

    # --- what it shows -------------------------------------------------------------------------
    def _show_events(self, visible: pd.DataFrame, event: str | None) -> str | None:
        """Fill the event list; keep ``event`` selected, else the first visible one."""
        options = [(self._labels[i], i) for i in visible["id"]]
        chooser = self.controls["event"]
        if [o[1] for o in chooser.options] != [o[1] for o in options]:
            chooser.options = options
        if event is None and options:
            event = options[0][1]
        chooser.value = event
        return event

    def _summarise(self, values: Mapping[str, Any], visible: pd.DataFrame) -> str:
        def listed(chosen: tuple[str, ...], allowed: tuple[str, ...], every: str) -> str:
            return every if len(chosen) == len(allowed) else ", ".join(chosen) or "none"

        who = listed(values["actors"], self.actor_choices, "all actors")
        kinds = listed(values["categories"], self.category_choices, "all kinds")
        return (
            f"Showing {len(visible)} of {len(self.events)} events ({who}; {kinds}; "
            f"{values['start']:%b %Y} to {values['end']:%b %Y})."
        )

    @staticmethod
    @functools.lru_cache(maxsize=512)
    def _cite(source_id: str) -> str:
        """One source as a reference: publisher, title, date and address (written once)."""
        row = load_table("sources").set_index("id").loc[source_id]
        url = html.escape(row["url"], quote=True)
        return (
            f"{html.escape(row['publisher'])}, \u201c{html.escape(row['title'])}\u201d, "
            f"{publication_date(source_id)}. "
            f'<a href="{url}" target="_blank" rel="noopener">{url}</a> '
            f"<small>[{html.escape(source_id)}]</small>"
        )

    def _describe(self, event: str | None) -> str:
        if event not in self._details:  # an event's detail never changes: written once
            self._details[event] = self._detail_html(event)
        return self._details[event]

    def _detail_html(self, event: str | None) -> str:
        if event is None:
            return "<p><em>No event matches these filters. Widen them to see more.</em></p>"
        row = next(self.events.loc[self.events["id"] == event].itertuples())
        items = "".join(f"<li>{self._cite(s)}</li>" for s in row.source_ids)
        return (
            '<div class="lg-event tex2jax_ignore" style="font-size:16px;max-width:820px">'
            f'<h4 style="margin:0.2em 0">{html.escape(row.when)}: {html.escape(row.event)}</h4>'
            f"<p><strong>Who acted:</strong> {html.escape(row.actor)} &nbsp; "
            f"<strong>Kind:</strong> {html.escape(row.category)}</p>"
            f"<p>{html.escape(row.detail)}</p>"
            f"<p><strong>Sources</strong></p><ol>{items}</ol></div>"
        )

    # --- display -------------------------------------------------------------------------------
    @functools.cached_property
    def view(self) -> widgets.Widget:
        """Everything the explorer shows, in one container (built once, updated in place)."""
        filters = widgets.HBox([self.controls["actors"], self.controls["categories"]])
        reading = widgets.HBox(
            [self.controls["event"], self.detail_widget],
            layout=widgets.Layout(align_items="flex-start"),
        )
        controls = widgets.VBox([filters, self.controls["dates"], self.reset_button])
        controls.add_class("lg-controls")
        return panel_box(
            [
                widgets.HTML(f"<h3>{html.escape(self.title)}</h3>"),
                controls,
                self.summary_widget,
                self.chart_view.widget,
                reading,
            ]
        )

    def static_html(self) -> str:
        """The explorer at its current settings as plain HTML, for pages without a kernel."""
        rows = "".join(
            f"<tr><td>{html.escape(r.when)}</td><td>{html.escape(r.actor)}</td>"
            f"<td>{html.escape(r.category)}</td><td><strong>{html.escape(r.event)}</strong> "
            f"{html.escape(r.detail)} <small>[{html.escape('; '.join(r.source_ids))}]</small>"
            "</td></tr>"
            for r in self.result.itertuples()
        )
        return (
            # tex2jax_ignore: event texts hold dollar amounts, which MathJax would typeset.
            f'<div class="lg-panel-static tex2jax_ignore"><h3>{html.escape(self.title)}</h3>'
            f"{self.summary_widget.value}{self.chart_view.figure_html()}"
            '<table class="lg-timeline"><thead><tr><th>Date</th><th>Who</th><th>Kind</th>'
            f"<th>Event</th></tr></thead><tbody>{rows}</tbody></table></div>"
        )

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        display(HTML(self.static_html()) if os.environ.get(STATIC_ENV) else self.view)

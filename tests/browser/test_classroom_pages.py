"""What a teacher hands out or projects, read in the browser at 1280x720.

Handouts (student and teacher copies), static decks, live slides (Voilà ``lg-slides``) and app
pages (``lg-app``): answers folded where they must be, print media, axe-core (0 serious or
critical violations), chart text size, no sideways scrolling, slides that fit the screen,
arrow keys that stay in a control, and the projector layout's type sizes and full labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import axe
import checks
import harness
import pytest

from classroom import build

pytestmark = pytest.mark.browser

SCREEN = {"width": 1280, "height": 720}
#: Smallest chart text a projector or a printed page may show, in CSS pixels.
MIN_CHART_TEXT = 12.0

HANDOUTS = [
    f"{path.stem}{build.HANDOUT_KINDS[kind][0]}"
    for path in build.notebook_paths()
    for kind in build.handout_kinds(path)
]
DECKS = [f"{path.stem}.slides.html" for path in build.notebook_paths()]

#: In-page measures shared by the tests (evaluated as a function expression).
MEASURE = (
    """() => {
  const visible = (el) => el.checkVisibility ? el.checkVisibility() :
      !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const folds = [...document.querySelectorAll('details')].map((d) => {
    const inside = [...d.children].filter((c) => c.tagName !== 'SUMMARY');
    const summary = d.querySelector('summary');
    return {open: d.open, summary: summary ? summary.textContent.trim() : '',
            summaryShown: !!summary && visible(summary),
            contentShown: inside.some(visible),
            text: inside.map((c) => c.textContent).join(' ').trim().length};
  });
  // Each chart's smallest text as rendered: its font size times the SVG's drawn scale.
  const {smallest, where} = ("""
    + checks.SMALLEST_CHART_TEXT
    + """)('figure.lg-figure svg');
  const doc = document.scrollingElement || document.documentElement;
  const wide = [...document.querySelectorAll('table, figure, pre, .jp-OutputArea-output')]
      .filter((e) => e.scrollWidth > e.clientWidth + 1 &&
          getComputedStyle(e).overflowX !== 'visible')
      .map((e) => e.tagName + ' ' + e.scrollWidth + '>' + e.clientWidth);
  return {folds, smallest: smallest === Infinity ? null : smallest, where,
          sideways: doc.scrollWidth > doc.clientWidth + 1, wide: wide.slice(0, 5)};
}"""
)


@pytest.fixture(scope="module")
def handouts(classroom_pages: Any, chromium: Path) -> dict[str, Path]:
    return {p.name: p for p in classroom_pages.get("handouts")}


@pytest.fixture(scope="module")
def decks(classroom_pages: Any, chromium: Path) -> dict[str, Path]:
    return {p.name: p for p in classroom_pages.get("slides")}


@pytest.mark.parametrize("name", HANDOUTS)
def test_handout_as_a_teacher_and_a_printer_see_it(
    name: str, handouts: dict[str, Path], page: Any
) -> None:
    kind = name.rsplit(".", 2)[-2]
    page.set_viewport_size(SCREEN)
    page.goto(handouts[name].as_uri())
    seen = page.evaluate(MEASURE)
    failures = []
    for fold in seen["folds"]:
        label = fold["summary"][:40]
        if not fold["text"]:
            failures.append(f"empty fold {label!r}")
        if not fold["summaryShown"]:
            failures.append(f"fold {label!r}: its summary is not shown")
        if kind == "student" and (fold["open"] or fold["contentShown"]):
            failures.append(f"fold {label!r}: the answer shows in a student handout")
        if kind == "teacher" and not fold["contentShown"]:
            failures.append(f"fold {label!r}: the answer is hidden in the teacher's copy")
    if seen["smallest"] is not None and seen["smallest"] < MIN_CHART_TEXT:
        failures.append(f"chart text {seen['smallest']:.1f} px ({seen['where']})")
    if seen["sideways"] or seen["wide"]:
        failures.append(f"scrolls sideways at 1280 px: {seen['wide']}")
    failures += [axe.describe([v]) for v in axe.violations(page)]

    # On paper: a student's answers stay hidden even if opened on screen; a teacher's show.
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    page.emulate_media(media="print")
    printed = page.evaluate(MEASURE)["folds"]
    page.emulate_media(media="screen")
    shown = [f["summary"][:40] for f in printed if f["contentShown"]]
    if kind == "student" and shown:
        failures.append(f"printed student handout shows answers: {shown[:3]}")
    if kind == "teacher" and len(shown) != len(printed):
        failures.append("printed teacher's copy hides answers")
    page.screenshot(path=harness.SCREENSHOTS / f"handout-{name}.png")
    assert not failures, f"{name}:\n- " + "\n- ".join(failures)


@pytest.mark.parametrize("name", DECKS)
def test_static_deck_slides_fit_the_screen(name: str, decks: dict[str, Path], page: Any) -> None:
    page.set_viewport_size(SCREEN)
    page.goto(decks[name].as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    page.wait_for_timeout(300)  # the re-flow runs once reveal.js is ready
    seen = page.evaluate(
        """() => {
          const leaves = [...document.querySelectorAll('.reveal .slides section')]
              .filter((s) => !s.querySelector('section'));
          const tall = [];
          for (const s of leaves) {
            const at = Reveal.getIndices(s);
            Reveal.slide(at.h, at.v);
            const r = s.getBoundingClientRect();
            if (s.scrollHeight > s.clientHeight + 1 || r.bottom > innerHeight + 1)
              tall.push([at.h, at.v, s.scrollHeight, (s.textContent || '').trim().slice(0, 40)]);
          }
          Reveal.slide(0, 0);
          const box = (q) => { const e = document.querySelector(q); if (!e) return null;
              const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
          const folds = [...document.querySelectorAll('details')].map((d) => d.open);
          return {tall, slides: leaves.length, counter: box('.slide-number'),
                  arrows: [box('.controls .navigate-left'), box('.controls .navigate-right')],
                  open: folds.filter(Boolean).length};
        }"""
    )
    failures = [f"slide {h}/{v} is {px} px tall: {text!r}" for h, v, px, text in seen["tall"]]
    counter = seen["counter"]
    for arrow in filter(None, seen["arrows"]):
        if counter and not (
            counter[2] <= arrow[0]
            or arrow[2] <= counter[0]
            or counter[3] <= arrow[1]
            or arrow[3] <= counter[1]
        ):
            failures.append(f"the slide counter {counter} covers a navigation arrow {arrow}")
    if seen["open"]:
        failures.append(f"{seen['open']} answer folds open in a deck")
    page.screenshot(path=harness.SCREENSHOTS / f"deck-{name}.png")
    assert not failures, f"{name} ({seen['slides']} slides):\n- " + "\n- ".join(failures)


# --- live pages: Voilà -----------------------------------------------------------------------
def _open(page: Any, server: harness.Server, name: str, template: str | None = None) -> None:
    query = f"?token={server.token}" + (f"&template={template}" if template else "")
    page.set_viewport_size(SCREEN)
    page.goto(f"{server.url}/voila/render/{name}{query}", timeout=300_000)
    page.locator("#loading").wait_for(state="detached", timeout=300_000)
    page.locator(".widget-slider").first.wait_for(state="attached", timeout=60_000)
    page.wait_for_timeout(1000)


#: App mode at 1280x720: text sizes, full labels, the chart beside its controls, folds.
APP_LAYOUT = """() => {
  const q = (s) => [...document.querySelectorAll(s)];
  const size = (e) => parseFloat(getComputedStyle(e).fontSize);
  const shown = (e) => e.getClientRects().length > 0;
  const prose = q('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li').filter(shown);
  const controls = q(
      '.widget-label, .widget-readout, .jupyter-widgets button, .widget-dropdown select')
      .filter(shown).filter((e) => e.textContent.trim() || e.tagName === 'SELECT');
  const cut = q('.widget-label, .jupyter-widgets button, .widget-upload').filter(shown)
      .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)
      .map((e) => e.textContent.trim().slice(0, 60));
  const slider = q('.widget-slider').find(shown);
  const box = slider && slider.closest('.lg-controls, .widget-vbox');
  const panel = box && box.parentElement;
  const chart = panel && [...panel.children].find(
      (c) => c.querySelector('figure.lg-figure') || c.classList.contains('lg-chart'));
  const r = (e) => {
    const b = e.getBoundingClientRect();
    return [b.left, b.top, b.right, b.bottom];
  };
  const inside = (d) => [...d.children].filter((c) => c.tagName !== 'SUMMARY')
      .map((c) => c.textContent).join('').trim().length;
  return {
    body: prose.length ? Math.min(...prose.map(size)) : null,
    control: controls.length ? Math.min(...controls.map(size)) : null,
    cut, controls: box ? r(box) : null, chart: chart ? r(chart) : null,
    folds: q('details').map((d) => ({open: d.open, text: inside(d)})),
  };
}"""


@pytest.mark.parametrize("number", harness.APP_NUMBERS)
def test_app_page_fits_a_projector(
    number: str, voila: Any, sandbox: harness.Sandbox, page: Any
) -> None:
    path = checks.notebook_or_skip(number, sandbox)
    _open(page, voila.get(), path.name)
    seen = page.evaluate(APP_LAYOUT)
    failures = []
    if seen["body"] is None or seen["body"] < 18:
        failures.append(f"body text {seen['body']} px (at least 18)")
    if seen["control"] is None or seen["control"] < 16:
        failures.append(f"controls and labels {seen['control']} px (at least 16)")
    uploads = [t.strip() for t in page.locator(".lg-scenario-upload").all_text_contents()]
    if any(t != "Load scenario" for t in uploads):
        failures.append(f"upload buttons read {uploads} (not 'Load scenario')")
    if seen["cut"]:
        failures.append(f"labels cut short: {seen['cut'][:3]}")
    controls, chart = seen["controls"], seen["chart"]
    if not (controls and chart):
        failures.append("no panel with controls and a chart found")
    elif not (chart[0] >= controls[2] - 1 and chart[1] < controls[3] and controls[1] < chart[3]):
        failures.append(f"the chart {chart} is not beside its controls {controls}")
    for fold in seen["folds"]:
        if fold["open"] or not fold["text"]:
            failures.append(f"a fold open or empty in app mode: {fold}")
    page.screenshot(path=harness.SCREENSHOTS / f"app-projector-{path.stem}.png")
    failures += [axe.describe([v]) for v in axe.violations(page)]
    failures += [f"console error: {e}" for e in page.lg_console_errors]
    failures += [f"script error: {e}" for e in page.lg_page_errors]
    assert not failures, f"{path.name} in app mode at 1280x720:\n- " + "\n- ".join(failures)


def test_live_slides_keep_arrow_keys_in_a_control(
    voila: Any, sandbox: harness.Sandbox, page: Any
) -> None:
    path = checks.notebook_or_skip("04", sandbox)
    _open(page, voila.get(), path.name, template="lg-slides")
    start = page.evaluate("() => Reveal.getIndices()")
    page.keyboard.press("ArrowRight")  # on the page itself: the next slide
    assert page.evaluate("() => Reveal.getIndices()") != start, "arrow key did not turn the slide"
    at = page.evaluate(
        """() => { const s = [...document.querySelectorAll('.reveal .slides section')]
              .find((x) => !x.querySelector('section') && x.querySelector('.widget-slider'));
            const i = Reveal.getIndices(s); Reveal.slide(i.h, i.v); return Reveal.getIndices(); }"""
    )
    page.wait_for_timeout(500)
    handle = page.locator("section.present .noUi-handle").first
    slider = page.locator("section.present .widget-slider").first
    before = slider.locator(".widget-readout").first.text_content()
    handle.focus()
    failures = []
    for key in ("ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"):
        page.keyboard.press(key)
        page.wait_for_timeout(200)
        if page.evaluate("() => Reveal.getIndices()") != at:
            failures.append(f"{key} in a slider turned the slide")
            page.evaluate(f"() => Reveal.slide({at['h']}, {at['v']})")
            handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(500)
    if slider.locator(".widget-readout").first.text_content() == before:
        failures.append("the arrow keys did not move the slider")
    # Controls and chart on the screen together once a control has the focus.
    both = page.evaluate(
        """() => { const s = Reveal.getCurrentSlide();
            const on = (e) => { if (!e) return false; const r = e.getBoundingClientRect();
                return r.bottom > 0 && r.top < innerHeight && r.height > 0; };
            return [on(s.querySelector('.widget-slider')),
                    on(s.querySelector('figure.lg-figure svg'))]; }"""
    )
    if not all(both):
        failures.append(f"controls and chart not on the screen together: {both}")
    page.screenshot(path=harness.SCREENSHOTS / f"live-slides-{path.stem}.png")
    failures += [f"console error: {e}" for e in page.lg_console_errors]
    failures += [f"script error: {e}" for e in page.lg_page_errors]
    assert not failures, "live slides:\n- " + "\n- ".join(failures)

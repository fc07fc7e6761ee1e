// In-page helpers for the browser tests, installed once per page as `window.__lg`.
// Evaluated by Playwright as a function expression (see harness.install_lib).
() => {
  if (window.__lg) return;
  const MARKS = 'g.role-mark > *';  // Vega draws each mark inside a `role-mark` group

  // The outermost output area holding `el` (a panel can sit inside an Output widget).
  const outer = (el) => {
    let out = el.closest('.jp-OutputArea-output');
    let up;
    while (out && out.parentElement && (up = out.parentElement.closest('.jp-OutputArea-output'))) {
      out = up;
    }
    return out;
  };
  const cellOf = (el) => {
    const cell = el && el.closest('.jp-CodeCell');
    return cell ? [...document.querySelectorAll('.jp-CodeCell')].indexOf(cell) : -1;
  };
  const size = (el) => {
    const r = el.getBoundingClientRect();
    return [Math.round(r.width), Math.round(r.height)];
  };
  const isShown = (el) => {
    const [w, h] = size(el);
    const style = getComputedStyle(el);
    return w > 0 && h > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };

  // Marks in an SVG: Vega's mark items, or, for a hand-drawn SVG, its shapes (not the
  // background rectangle).
  const SHAPES = 'circle, ellipse, line, polyline, polygon, path, rect';
  const markCount = (svg) => {
    if (svg.querySelector('.role-mark, .mark-group')) return svg.querySelectorAll(MARKS).length;
    return [...svg.querySelectorAll(SHAPES)].filter((e, i) => !(i === 0 && e.tagName === 'rect')).length;
  };
  // A chart: drawn if its SVG (or canvas) has a size and, for SVG, at least one mark.
  const describe = (el, kind) => {
    const g = el.querySelector('svg, canvas');
    const titled = el.querySelector('.role-title-text') || el.querySelector('svg > title');
    const title = ((titled || {}).textContent || '').trim();
    const inWidget = !!el.closest('.jupyter-widgets');
    if (!g) return {kind, drawn: false, why: 'no svg or canvas', title, marks: 0, inWidget};
    const [width, height] = size(g);
    const marks = g.tagName.toLowerCase() === 'canvas' ? -1 : markCount(g);
    const drawn = width > 0 && height > 0 && marks !== 0;
    const why = drawn ? '' : (marks === 0 ? 'no marks' : 'zero size');
    return {kind, drawn, why, title, marks, width, height, inWidget};
  };
  const charts = (root) => {
    const figures = [...root.querySelectorAll('figure.lg-figure')].map((f) => describe(f, 'lg-figure'));
    const embeds = [...root.querySelectorAll('.vega-embed')]
      .filter((e) => !e.closest('figure.lg-figure'))
      .map((e) => describe(e, 'vega-embed'));
    // Altair's default HTML output loads Vega from a CDN: offline it stays an empty div.
    const stranded = [...root.querySelectorAll('[id^="altair-viz-"]')]
      .filter((e) => !e.classList.contains('vega-embed') && !e.querySelector('.vega-embed'))
      .map(() => ({kind: 'altair-html', drawn: false, title: '', marks: 0,
                   why: 'Altair HTML output not drawn (its scripts come from the network)'}));
    return [...figures, ...embeds, ...stranded];
  };

  // Everything a reader would read as a failure.
  const PROBLEM = new RegExp([
    'Loading widget\\.\\.\\.', 'Error displaying widget', 'Failed to load (model|view) class',
    'Failed to create view', 'Could not create a view', 'There was an error when executing cell',
    'Not possible:',
  ].join('|'));
  const WIDGET_AS_TEXT = /^\s*\w*(Box|Slider|Widget|Output|HTML|Button|Dropdown|Tab|Accordion|Text|Select\w*)\((children|value|layout|description|options|outputs)=/;
  const problems = (root) => {
    const found = [];
    root.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach((e) => {
      const text = e.textContent;
      if (/Error|Traceback|Exception/.test(text)) {
        found.push({kind: 'error output', cell: cellOf(e), text: text.slice(0, 3000)});
      }
    });
    root.querySelectorAll('.jupyter-widgets-error-widget').forEach((e) => {
      found.push({kind: 'widget error', cell: cellOf(e), text: e.textContent.slice(0, 1000)});
    });
    root.querySelectorAll('.jp-OutputArea').forEach((area) => {
      if (area.parentElement && area.parentElement.closest('.jp-OutputArea')) return;
      const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const m = n.nodeValue.match(PROBLEM);
        if (!m) continue;
        const holder = n.parentElement.closest('.widget-html-content, .jp-OutputArea-output') || n.parentElement;
        const kind = m[0].startsWith('Not possible') ? 'panel refused its values' : 'widget or cell failed';
        found.push({kind, cell: cellOf(n.parentElement), text: holder.textContent.slice(0, 600)});
      }
    });
    root.querySelectorAll('[data-mime-type="text/plain"]').forEach((e) => {
      if (WIDGET_AS_TEXT.test(e.textContent)) {
        found.push({kind: 'widget shown as text (no widget manager)', cell: cellOf(e),
                    text: e.textContent.slice(0, 300)});
      }
    });
    return found;
  };

  // Widgets displayed at the top level of an output, rendered (not an error box).
  const widgetViews = (root) => [...root.querySelectorAll('.jp-OutputArea-output')]
    .filter((o) => !(o.parentElement && o.parentElement.closest('.jupyter-widgets')))
    .filter((o) => [...o.children].some((c) => c.classList.contains('jupyter-widgets')
                                           && !c.classList.contains('jupyter-widgets-error-widget')))
    .map((o) => { const [width, height] = size(o); return {width, height, text: o.textContent.slice(0, 80)}; });

  // A panel: an output with at least one slider. Its summary is its text outside the
  // chart and the sliders; its chart signature is the markup of its SVGs.
  const TEXTS = '.widget-html-content, .widget-htmlmath-content, .jp-RenderedMarkdown, .jp-RenderedHTML, .jp-RenderedText';
  const summaryText = (panel) => [...panel.querySelectorAll(TEXTS)]
    .filter((e) => !e.querySelector('figure, svg') && !e.closest('figure') && !e.closest('.widget-slider'))
    .map((e) => e.textContent.trim()).filter(Boolean).join('\n');
  const chartSig = (panel) => [...panel.querySelectorAll('figure.lg-figure svg, .vega-embed svg')]
    .map((s) => s.outerHTML).join('\n');
  // Did any of these mutation records land in (or add) an element matching `sel`?
  const CHART = 'figure.lg-figure, .vega-embed';
  const touches = (records, sel) => records.some((r) => {
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    return (el && el.closest(sel)) || [...r.addedNodes].some(
      (n) => n.nodeType === 1 && (n.matches(sel) || n.querySelector(sel)));
  });
  const panels = (root) => {
    const outs = [];
    root.querySelectorAll('.widget-slider').forEach((s) => {
      const o = outer(s);
      if (o && !outs.includes(o)) outs.push(o);
    });
    return outs.map((o, index) => {
      o.setAttribute('data-lg-panel', String(index));
      const heading = o.querySelector('h1, h2, h3, h4');
      return {index, title: heading ? heading.textContent.trim() : '',
              sliders: o.querySelectorAll('.widget-slider').length,
              charts: o.querySelectorAll('figure.lg-figure, .vega-embed').length,
              summary: summaryText(o)};
    });
  };

  // Icon glyphs in widgets (Font Awesome): load each icon's font as the browser would; an
  // icon whose font has no face (its style sheet came from the network) is missing.
  const icons = async (root) => {
    const els = [...root.querySelectorAll('.jupyter-widgets .fa')];
    const missing = [];
    for (const e of els) {
      const before = getComputedStyle(e, '::before');
      const glyph = (before.content || '').replace(/^"|"$/g, '');
      if (!glyph || glyph === 'none') { missing.push(`${e.className}: no glyph`); continue; }
      const faces = await document.fonts.load(`${before.fontWeight} 16px ${before.fontFamily}`, glyph);
      if (!faces.length || faces.some((f) => f.status !== 'loaded')) {
        missing.push(`${e.className}: no font for it (${before.fontFamily})`);
      }
    }
    return {count: els.length, missing};
  };

  // Chinese characters in charts, and whether this browser has a font for them: with none,
  // they are drawn as empty boxes, as wide as a character no font has.
  const cjk = () => {
    const text = [...document.querySelectorAll('figure.lg-figure svg text')].map((t) => t.textContent).join('');
    const chars = [...new Set(text.match(/[\u3400-\u9fff]/g) || [])].slice(0, 8);
    if (!chars.length) return {chars: '', fontMissing: false};
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = '20px "Helvetica Neue", Helvetica, Arial, sans-serif';
    const missing = ctx.measureText(String.fromCodePoint(0x10FFFD).repeat(chars.length)).width;
    return {chars: chars.join(''), fontMissing: Math.abs(ctx.measureText(chars.join('')).width - missing) < 0.5};
  };

  const inspect = async () => ({charts: charts(document), problems: problems(document),
                                widgetViews: widgetViews(document), icons: await icons(document),
                                cjk: cjk()});

  // One measured move: the keydown time, and when the panel's chart and summary change.
  let move = null;
  document.addEventListener('keydown', (e) => {
    if (move && move.key === null) move.key = e.timeStamp;  // same clock as performance.now()
  }, true);
  const arm = (i) => {
    if (move) move.stop();
    const panel = document.querySelector(`[data-lg-panel="${i}"]`);
    const st = {key: null, chart: null, summary: null, refused: null,
                before: {chart: chartSig(panel), summary: summaryText(panel),
                         refused: /Not possible:/.test(panel.textContent)}};
    // The callback compares markup only when a change reached the chart or the texts: the
    // slider's own changes on a key press would otherwise cost a full copy of the chart's
    // markup, on the thread that is about to draw the very change being timed.
    const observer = new MutationObserver((records) => {
      const now = performance.now();
      if (st.chart === null && touches(records, CHART) && chartSig(panel) !== st.before.chart) st.chart = now;
      // The texts are HTML: a live chart's redraw (hundreds of SVG records) is not looked at.
      if (!touches(records.filter((r) => !(r.target instanceof SVGElement)), TEXTS)) return;
      if (st.summary === null && summaryText(panel) !== st.before.summary) st.summary = now;
      const m = panel.textContent.match(/Not possible:.{0,300}/);
      if (m && !st.before.refused) st.refused = m[0];
      if (st.chart !== null && st.summary !== null) observer.disconnect();
    });
    observer.observe(panel, {subtree: true, childList: true, characterData: true, attributes: true});
    st.stop = () => observer.disconnect();
    move = st;
  };
  const moveState = () => ({key: move.key, chart: move.chart, summary: move.summary, refused: move.refused});
  const anyChange = () => move.chart !== null || move.summary !== null || move.refused !== null;
  const bothChanged = () => (move.chart !== null && move.summary !== null) || move.refused !== null;
  const stop = () => { if (move) move.stop(); };

  // JupyterLab: Run All has finished when the kernel is idle, no cell is queued or running,
  // and every non-empty code cell has an execution count, unless an error stopped the run.
  const codeCells = () => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const notRun = () => codeCells().map((c, index) => {
    const code = (c.querySelector('.cm-content') || {}).textContent || '';
    const prompt = (c.querySelector('.jp-InputPrompt') || {}).textContent || '';
    return {index, code: code.trim(), prompt};
  }).filter((c) => c.code !== '' && !/\[\d+\]/.test(c.prompt)).map((c) => c.index);
  const runFinished = () => {
    const cells = codeCells();
    const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
    const idle = !indicator || indicator.getAttribute('data-status') === 'idle';
    const busy = cells.some((c) => /\[\*\]/.test((c.querySelector('.jp-InputPrompt') || {}).textContent || ''));
    const stopped = !!document.querySelector('.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]');
    return cells.length > 0 && idle && !busy && (notRun().length === 0 || stopped);
  };

  // Voilà: code inputs a reader can see (an app must show none).
  const visibleCode = () => [...document.querySelectorAll(
    '.jp-CodeCell .jp-InputArea, .jp-CodeCell .jp-InputPrompt, .cm-editor, .jp-CodeMirrorEditor')]
    .filter(isShown).map((e) => e.textContent.slice(0, 120));

  window.__lg = {charts, problems, widgetViews, panels, summaryText, chartSig, icons, inspect,
                 arm, moveState, anyChange, bothChanged, stop, runFinished, notRun, visibleCode};
}

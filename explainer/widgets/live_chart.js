// A live chart (explainer.widgets.live.LiveChart): a compiled Vega spec drawn once in the
// browser, then fed only what changes: the named data sets of a move (one model attribute
// each, so an unchanged set is never sent) and the words (title and subtitle as Vega
// signals, the description as the figure's caption and the SVG's ARIA label).
//
// The chart lays itself out for the width it has: a single view (a top-level numeric width)
// gets the plot width that makes the whole figure (axes, legends, title, padding) as wide as
// its column, and follows the column as it resizes (a ResizeObserver, debounced), so its text
// keeps its designed size instead of shrinking with a scaled SVG. Below a minimum plot width,
// and for charts it cannot re-lay out (concatenations), the SVG is scaled to fit as before.
// A fit is a Vega run in the browser only: no kernel traffic, not a data update
// (el.dataset.lgFits counts fits; lgBuilds and lgUpdates keep their meaning).
//
// The Vega runtime (vega-embed with Vega, from vl-convert's offline bundle) lives in ONE
// shared model (VegaRuntime) that every chart references; it is imported once per page and
// kept in a module-level map of promises, keyed by the runtime's version. Nothing is
// fetched from the network.

const RUNTIMES = (globalThis.__lgVegaRuntimes ??= new Map());

async function loadRuntime(model) {
  const ref = String(model.get("runtime") || "");
  const id = ref.startsWith("IPY_MODEL_") ? ref.slice("IPY_MODEL_".length) : ref;
  const runtime = await model.widget_manager.get_model(id);
  const key = runtime.get("key");
  if (!RUNTIMES.has(key)) {
    const url = URL.createObjectURL(
      new Blob([runtime.get("source")], { type: "text/javascript" }),
    );
    const loaded = import(/* webpackIgnore: true */ url).then((module) => {
      URL.revokeObjectURL(url);
      globalThis.__lgVegaLoads = (globalThis.__lgVegaLoads || 0) + 1;
      return module.lgEmbed;
    });
    RUNTIMES.set(key, loaded);
  }
  return RUNTIMES.get(key);
}

// The plot may shrink to this share of its designed width (not below MIN_PLOT px) and grow to
// MAX_GROWTH times it; beyond those bounds the SVG is scaled instead.
const MIN_SHARE = 0.6;
const MIN_PLOT = 240;
const MAX_GROWTH = 1.25;
const FIT_DELAY_MS = 120;

// The designed plot width of a spec the view can re-lay out, or null: a single view with a
// numeric top-level width (layered charts compile to one) and the default "pad" autosize.
// Concatenated and faceted charts (a top-level layout) keep their size and are scaled.
function fitWidthOf(spec) {
  if (spec.layout || typeof spec.width !== "number") return null;
  const autosize = spec.autosize;
  const type = typeof autosize === "string" ? autosize : autosize && autosize.type;
  if (type && type !== "pad") return null;
  return spec.width;
}

function render({ model, el }) {
  el.classList.add("lg-chart", "lg-live-chart");
  const figure = document.createElement("figure");
  figure.className = "lg-figure";
  figure.style.cssText = "margin:0 0 1em 0;max-width:100%;overflow-x:auto";
  const holder = document.createElement("div");
  holder.className = "tex2jax_ignore lg-vega";
  const caption = document.createElement("figcaption");
  caption.className = "tex2jax_ignore";
  caption.style.cssText = "font-size:15px;color:#333;max-width:820px;margin-top:4px";
  const lead = document.createElement("strong");
  lead.textContent = "Chart description.";
  const text = document.createElement("span");
  caption.append(lead, " ", text);
  figure.append(holder, caption);
  el.append(figure);

  let view = null;
  let alive = true;
  let queue = Promise.resolve();
  let pending = null; // {rebuild, names: Set, words}
  let designed = null; // the spec's plot width, if the view can re-lay out
  let fittedTo = 0; // the column width the view was last fitted to
  let settled = 0; // the SVG's width after that fit
  let fitTimer = null;
  el.dataset.lgUpdates = "0";
  el.dataset.lgBuilds = "0";
  el.dataset.lgFits = "0";

  const slots = () => model.get("slots") || {};
  const rows = (name) => structuredClone(model.get(slots()[name]) || []);

  function setCaption(words) {
    text.textContent = words.description || "";
  }

  // Vega gives an empty layer (a mark container with no data) an image role and no label; a
  // screen reader would announce an unnamed image (axe svg-img-alt). It shows nothing, so it
  // is hidden, as the static SVG path does (explainer.charts._unlabelled_hidden).
  function hideUnlabelled() {
    const roles = '[role="graphics-symbol"], [role="img"]';
    for (const node of holder.querySelectorAll(roles)) {
      const named = node.getAttribute("aria-label") || node.getAttribute("aria-labelledby");
      // Only what differs is written: Vega keeps its nodes from one redraw to the next.
      if (named) {
        if (node.hasAttribute("aria-hidden")) node.removeAttribute("aria-hidden");
      } else if (node.getAttribute("aria-hidden") !== "true") {
        node.setAttribute("aria-hidden", "true");
      }
    }
  }

  async function build() {
    const embed = await loadRuntime(model);
    if (!alive) return;
    const spec = structuredClone(model.get("spec"));
    const words = model.get("words") || {};
    for (const entry of spec.data || []) {
      if (entry.name in slots()) entry.values = rows(entry.name);
    }
    for (const signal of spec.signals || []) {
      if (signal.name === "lg_title") signal.value = words.title || "";
      if (signal.name === "lg_subtitle") signal.value = words.subtitle || [];
    }
    spec.description = words.description || "";
    listenToSlots();
    if (view) view.finalize();
    const result = await embed(holder, spec, {
      mode: "vega",
      renderer: "svg",
      actions: false,
    });
    view = result.view;
    designed = fitWidthOf(spec);
    fittedTo = 0;
    const svg = holder.querySelector("svg");
    if (svg) {
      // A chart wider than its column at its smallest layout is scaled to fit (the SVG has a
      // viewBox): it shrinks, never cut.
      svg.style.maxWidth = "100%";
      svg.style.height = "auto";
    }
    await fit();
    setCaption(words);
    hideUnlabelled();
    el.dataset.lgBuilds = String(Number(el.dataset.lgBuilds) + 1);
  }

  // The SVG's own width (all of the figure: padding, axes, legends, title), in CSS pixels.
  function naturalWidth() {
    const svg = holder.querySelector("svg");
    if (!svg) return 0;
    const box = svg.viewBox && svg.viewBox.baseVal;
    return (box && box.width) || parseFloat(svg.getAttribute("width")) || 0;
  }

  // Give the plot the width that makes the figure as wide as its column (the figure, a block:
  // vega-embed's holder is an inline block, as wide as the chart it holds). Vega reports the
  // space around the plot (padding, axes, legends, title) as the SVG's width less the plot's.
  // If the figure is still too wide after that, either the axes changed with the width (the
  // plot narrows by the difference) or a legend or the title is what makes it wide: the plot
  // then keeps the largest width that does not widen the figure, which is scaled to fit.
  // At most two Vega runs; nothing if the column is hidden (a slide not shown) or unchanged.
  async function fit() {
    if (!view || designed === null) return;
    const column = Math.floor(figure.clientWidth);
    if (!column || Math.abs(column - fittedTo) < 2) return;
    fittedTo = column;
    const low = Math.min(designed, Math.max(MIN_PLOT, Math.round(designed * MIN_SHARE)));
    const high = Math.round(designed * MAX_GROWTH);
    const clamp = (width) => Math.max(low, Math.min(high, Math.floor(width)));
    const before = view.width();
    const natural = naturalWidth();
    let plot = clamp(column - (natural - before));
    if (Math.abs(plot - before) < 2) {
      settled = natural;
      return;
    }
    view.width(plot);
    await view.runAsync();
    const now = naturalWidth();
    if (now > column + 1) {
      const narrowed = before - plot;
      const held = narrowed > 0 && natural - now < narrowed - 1;
      const next = clamp(held ? before - Math.max(0, natural - now) : plot - (now - column));
      if (Math.abs(next - plot) >= 2) {
        plot = next;
        view.width(plot);
        await view.runAsync();
      }
    }
    settled = naturalWidth();
    hideUnlabelled();
    el.dataset.lgFits = String(Number(el.dataset.lgFits) + 1);
  }

  // Refit once the column has settled (resizes come in bursts); in the same queue as the
  // builds and updates, so a fit never runs in the middle of one.
  function scheduleFit() {
    clearTimeout(fitTimer);
    fitTimer = setTimeout(() => {
      queue = queue.then(fit).catch((error) => console.error("[lg-live-chart] fit", error));
    }, FIT_DELAY_MS);
  }
  const resizes =
    typeof ResizeObserver === "function"
      ? new ResizeObserver(() => {
          // A column of the same width (the chart's own height changed): nothing to do.
          if (Math.abs(Math.floor(figure.clientWidth) - fittedTo) >= 2) scheduleFit();
        })
      : null;
  if (resizes) resizes.observe(figure);

  async function update(names, wordsChanged) {
    if (!view) return;
    for (const name of names) {
      view.change(name, view.changeset().remove(() => true).insert(rows(name)));
    }
    if (wordsChanged) {
      const words = model.get("words") || {};
      view.signal("lg_title", words.title || "");
      view.signal("lg_subtitle", words.subtitle || []);
      view.description(words.description || "");
      setCaption(words);
    }
    await view.runAsync();
    hideUnlabelled();
    el.dataset.lgUpdates = String(Number(el.dataset.lgUpdates) + 1);
    // New data can widen the axes (longer labels): refit after the repaint if the figure grew
    // past its column (not if it was already wider, held by its legend or title). The column's
    // width is the one last fitted to (the observer keeps it current): reading the page's
    // layout here would cost the key press a reflow.
    const natural = naturalWidth();
    if (designed !== null && fittedTo && natural > fittedTo + 1 && Math.abs(natural - settled) >= 2) {
      fittedTo = 0;
      scheduleFit();
    }
  }

  // Changes that arrive together (one kernel message) are applied in one Vega run.
  function schedule(change) {
    if (!pending) {
      pending = { rebuild: false, names: new Set(), words: false };
      queueMicrotask(() => {
        const job = pending;
        pending = null;
        queue = queue
          .then(() => (job.rebuild || !view ? build() : update(job.names, job.words)))
          .catch((error) => {
            console.error("[lg-live-chart]", error);
            holder.textContent = `The chart could not be drawn: ${error}`;
          });
      });
    }
    if (change.rebuild) pending.rebuild = true;
    if (change.name) pending.names.add(change.name);
    if (change.words) pending.words = true;
  }

  const listeners = [];
  const heard = new Set();
  function listen(attribute, change) {
    if (heard.has(attribute)) return;
    heard.add(attribute);
    const callback = () => schedule(change);
    model.on(`change:${attribute}`, callback);
    listeners.push([attribute, callback]);
  }
  function listenToSlots() {
    for (const [name, attribute] of Object.entries(slots())) listen(attribute, { name });
  }
  listen("spec", { rebuild: true });
  listen("slots", { rebuild: true });
  listen("words", { words: true });
  listenToSlots();
  schedule({ rebuild: true });

  return () => {
    alive = false;
    clearTimeout(fitTimer);
    if (resizes) resizes.disconnect();
    for (const [attribute, callback] of listeners) model.off(`change:${attribute}`, callback);
    if (view) view.finalize();
  };
}

export default { render };

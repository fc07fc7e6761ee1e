// A live chart (explainer.widgets.live.LiveChart): a compiled Vega spec drawn once in the
// browser, then fed only what changes: the named data sets of a move (one model attribute
// each, so an unchanged set is never sent) and the words (title and subtitle as Vega
// signals, the description as the figure's caption and the SVG's ARIA label).
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
  el.dataset.lgUpdates = "0";
  el.dataset.lgBuilds = "0";

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
      if (named) node.removeAttribute("aria-hidden");
      else node.setAttribute("aria-hidden", "true");
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
    const svg = holder.querySelector("svg");
    if (svg) {
      // Fit the column (the SVG has a viewBox): a wide chart shrinks a little, never cut.
      svg.style.maxWidth = "100%";
      svg.style.height = "auto";
    }
    setCaption(words);
    hideUnlabelled();
    el.dataset.lgBuilds = String(Number(el.dataset.lgBuilds) + 1);
  }

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
    for (const [attribute, callback] of listeners) model.off(`change:${attribute}`, callback);
    if (view) view.finalize();
  };
}

export default { render };

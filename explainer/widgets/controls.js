// Keyboard and accessibility help for the sliders of the explainer's panels
// (explainer.widgets.base.ControlHelper). Installed once per page, whatever the number of
// panels:
//
// - every slider handle gets an accessible name: its label's text (axe rule
//   aria-input-field-name);
// - in a panel (.lg-panel), on a slider marked .lg-step-keys (those that send their value
//   while moving), an arrow key moves it by about 1% of its range (a whole
//   number of the record's steps), Shift+arrow by one step, Page Up/Down by 10%; Home and End
//   go to the bounds. An arrow key in a control never reaches the page (slides do not turn);
// - a scenario upload button (.lg-scenario-upload) reads "Load scenario", without the file
//   count ipywidgets writes after its label on every update ("Load scenario (0)").

const MARK = "__lgControlHelper";

// `root` itself if it matches `selector`, then every element under it that does.
function within(root, selector) {
  const found = [...root.querySelectorAll(selector)];
  return root instanceof Element && root.matches(selector) ? [root, ...found] : found;
}

function nameHandles(root) {
  for (const slider of within(root, ".widget-slider, .jupyter-widget-slider")) {
    const label = slider.querySelector(".widget-label, label");
    const name = (label && label.textContent.trim()) || "";
    for (const handle of slider.querySelectorAll(".noUi-handle")) {
      if (name && handle.getAttribute("aria-label") !== name) {
        handle.setAttribute("aria-label", name);
      }
    }
  }
}

function labelUploads(root) {
  for (const button of within(root, ".lg-scenario-upload")) {
    for (const node of button.childNodes) {
      // ipywidgets rebuilds the button's children on each update (a childList change, which
      // the observer below sees); editing the text node's data is not one, so no loop.
      if (node.nodeType === Node.TEXT_NODE && / \(\d+\)$/.test(node.data)) {
        node.data = node.data.replace(/ \(\d+\)$/, "");
      }
    }
  }
}

function decimals(step) {
  const text = String(step);
  if (text.includes("e-")) return Number(text.split("e-")[1]);
  return text.includes(".") ? text.split(".")[1].length : 0;
}

function onKey(event) {
  const handle = event.target;
  if (!(handle instanceof Element) || !handle.classList.contains("noUi-handle")) return;
  if (!handle.closest(".lg-panel")) return;
  if (!handle.closest(".lg-step-keys")) return; // the slider's own keys (see keepInPanel)
  const target = handle.closest(".noUi-target");
  const api = target && target.noUiSlider;
  if (!api) return;
  const keys = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown"];
  if (!keys.includes(event.key)) return;
  const options = api.options || {};
  const min = Number(handle.getAttribute("aria-valuemin"));
  const max = Number(handle.getAttribute("aria-valuemax"));
  const step = Number(options.step) || (max - min) / 100;
  const span = max - min;
  const page = ["PageUp", "PageDown"].includes(event.key);
  const share = page ? 0.1 : event.shiftKey ? 0 : 0.01;
  const steps = Math.max(1, Math.round((share * span) / step));
  const up = ["ArrowRight", "ArrowUp", "PageUp"].includes(event.key);
  const now = Number(api.get());
  const places = decimals(step);
  let next = now + (up ? 1 : -1) * steps * step;
  next = Math.min(max, Math.max(min, Number(next.toFixed(places))));
  event.preventDefault();
  event.stopPropagation();
  if (next !== now) {
    api.set(next); // fires "update": the slider (continuous_update on) sends its value
    target.dispatchEvent(new CustomEvent("lg-step", { bubbles: true, detail: { next } }));
  }
}

// Keys pressed on a slider handle stop at the panel: the slider has handled them, and the
// page (a slide show) must not turn a slide.
const PANEL_KEYS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "PageUp", "PageDown",
  "Home", "End", " "];

function keepInPanel(event) {
  const target = event.target;
  if (target instanceof Element && target.classList.contains("noUi-handle")
      && PANEL_KEYS.includes(event.key)) {
    event.stopPropagation();
  }
}

function guardPanels(root) {
  for (const panel of within(root, ".lg-panel")) {
    if (panel.dataset.lgKeys) continue;
    panel.dataset.lgKeys = "1";
    panel.addEventListener("keydown", keepInPanel);
  }
}

function install() {
  if (globalThis[MARK]) return;
  globalThis[MARK] = true;
  document.addEventListener("keydown", onKey, true);
  nameHandles(document);
  guardPanels(document);
  labelUploads(document);
  // Only what changed is looked at again, once per frame: a slider's new label, a panel or
  // a button added to the page. A chart's marks are not (a live chart redraws its SVG on every
  // step), nor is the rest of the page: JupyterLab's page holds every cell, and scanning it
  // all cost each slider step ~2.5 ms of the thread about to draw the chart.
  const changed = new Set();
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const target = record.target;
      const element = target instanceof Element ? target : target.parentElement;
      if (!element || element instanceof SVGElement) continue;
      if (!changed.size) requestAnimationFrame(refresh);
      changed.add(element.closest(".widget-slider, .jupyter-widget-slider, .lg-scenario-upload") || element);
    }
  });
  function refresh() {
    for (const root of changed) {
      if (!root.isConnected) continue;
      nameHandles(root);
      guardPanels(root);
      labelUploads(root);
    }
    changed.clear();
  }
  observer.observe(document.body, { childList: true, subtree: true });
}

function render({ el }) {
  el.style.display = "none";
  install();
  nameHandles(document);
  guardPanels(document);
  labelUploads(document);
}

export default { render };

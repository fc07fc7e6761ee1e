// Static decks (make slides): no slide taller than the screen.
//
// A notebook "slide" can hold more than a 1280x720 slide shows (a long table, a source list).
// Once reveal.js has laid the deck out, each slide whose content is taller than the slide is
// re-flowed into as many slides as it needs: its blocks (paragraphs, headings, lists, tables,
// charts, folds), in order, packed slide by slide; a list or table too tall for one slide is
// split between its items or rows (a table repeats its header); a single block still too tall
// (a chart) is scaled down to fit. Nothing is dropped and the order is kept. reveal.js runs
// with navigationMode "linear", so the right arrow walks through every slide.
(function () {
  "use strict";

  const MARGIN = 48; // px of the slide height kept free (reveal's padding, the slide counter)
  const CONTENT = ".jp-RenderedHTMLCommon";

  // The blocks of a slide, in order: each rendered cell's children, each in a wrapper that
  // keeps the cell's classes (so its styles still apply).
  function blocks(section) {
    const found = [];
    section.querySelectorAll(CONTENT).forEach((content) => {
      if (content.parentElement.closest(CONTENT)) return; // nested: taken with its parent
      [...content.children].forEach((child) => {
        const wrap = content.cloneNode(false);
        wrap.removeAttribute("id");
        wrap.appendChild(child);
        found.push(wrap);
      });
    });
    return found;
  }

  // A block too tall for a slide: split a list between items, a table between rows.
  function pieces(wrap, limit, measure) {
    if (measure(wrap) <= limit) return [wrap];
    const block = wrap.firstElementChild;
    const tag = block ? block.tagName : "";
    let parts = [];
    if ((tag === "DIV" || tag === "DETAILS") && block.children.length === 1) {
      // A wrapper around one thing (a panel's table): split what it wraps, keep the wrapper.
      const inner = wrap.cloneNode(false);
      inner.appendChild(block.firstElementChild);
      const split = pieces(inner, limit, measure);
      if (split.length > 1) {
        return split.map((piece) => {
          const w = wrap.cloneNode(false);
          const shell = block.cloneNode(false);
          while (piece.firstChild) shell.appendChild(piece.firstChild);
          w.appendChild(shell);
          return w;
        });
      }
      block.appendChild(inner.firstElementChild); // could not split: put it back
    } else if ((tag === "DIV" || tag === "DETAILS") && block.children.length > 1) {
      // A static panel (heading, settings, summary, chart) or an open fold: by its parts.
      parts = packInto(block, [...block.children], limit, measure, wrap, () => {});
      parts = parts.flatMap((part) => pieces(part, limit, measure));
    } else if (tag === "UL" || tag === "OL") {
      parts = packInto(block, [...block.children], limit, measure, wrap, (shell, n) => {
        if (tag === "OL") shell.setAttribute("start", String(n + 1));
      });
    } else if (tag === "TABLE" && block.tBodies.length === 1) {
      const body = block.tBodies[0];
      const rows = [...body.rows];
      parts = packInto(body, rows, limit, measure, wrap, () => {}, block);
    }
    if (parts.length > 1) return parts;
    const height = measure(wrap);
    wrap.style.zoom = String(Math.max(0.45, limit / height)); // a chart or one long paragraph
    return [wrap];
  }

  // Pack `items` (children of `container`) into copies of the block, each fitting `limit`.
  function packInto(container, items, limit, measure, wrap, onShell, table) {
    const parts = [];
    let shell = null;
    let count = 0;
    const fresh = () => {
      const w = wrap.cloneNode(false);
      let holder;
      if (table) {
        const t = table.cloneNode(false);
        if (table.tHead) t.appendChild(table.tHead.cloneNode(true));
        holder = container.cloneNode(false);
        t.appendChild(holder);
        w.appendChild(t);
      } else {
        holder = container.cloneNode(false);
        w.appendChild(holder);
      }
      onShell(holder, count);
      parts.push(w);
      return holder;
    };
    for (const item of items) {
      if (!shell) shell = fresh();
      shell.appendChild(item);
      if (shell.children.length > 1 && measure(parts[parts.length - 1]) > limit) {
        shell.removeChild(item);
        shell = fresh();
        shell.appendChild(item);
      }
      count += 1;
    }
    return parts;
  }

  function reflow(section, limit) {
    if (section.scrollHeight <= limit) return;
    const probe = section.cloneNode(false); // measures blocks in a slide's own width and styles
    probe.removeAttribute("id");
    probe.style.cssText = "display:block;visibility:hidden;position:absolute;top:0;height:auto;max-height:none;overflow:visible";
    section.after(probe);
    const page = () => {
      const div = document.createElement("div");
      div.className = "lg-page";
      return div;
    };
    const probePage = probe.appendChild(page());
    // A wrapper's height in layout px: its block's box and margins (the wrapper itself may
    // stretch to its container), times any scale given to it.
    const measure = (el) => {
      probePage.replaceChildren(el);
      const block = el.firstElementChild || el;
      const style = getComputedStyle(block);
      const box = block.getBoundingClientRect().height / (Reveal.getScale() || 1);
      const margins = parseFloat(style.marginTop) + parseFloat(style.marginBottom);
      return box + margins; // a scaled (zoomed) block reports its scaled box
    };
    const all = blocks(section).flatMap((b) => pieces(b, limit, measure));
    section.replaceChildren();
    let current = section;
    let holder = section.appendChild(page());
    let used = 0;
    for (const block of all) {
      const height = measure(block);
      if (used > 0 && used + height > limit) {
        const next = section.cloneNode(false);
        next.removeAttribute("id");
        next.classList.remove("present", "past", "future");
        next.classList.add("lg-continued");
        current.after(next);
        current = next;
        holder = next.appendChild(page());
        used = 0;
      }
      holder.appendChild(block);
      used += height;
    }
    probe.remove();
  }

  window.lgPaginate = function (Reveal) {
    const limit = Reveal.getConfig().height - MARGIN;
    const slides = [...document.querySelectorAll(".reveal .slides section")].filter(
      (s) => !s.querySelector("section")
    );
    const start = Reveal.getIndices();
    for (const s of slides) {
      const at = Reveal.getIndices(s); // show it (and its stack), so that it can be measured
      Reveal.slide(at.h, at.v);
      reflow(s, limit);
    }
    Reveal.sync();
    Reveal.slide(start.h, start.v);
    Reveal.layout();
  };
})();

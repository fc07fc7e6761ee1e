/*
  Lets Voila shut a page's kernel down when the reader leaves (lg-app and lg-slides).

  Voila 0.5 sends the shutdown as a beacon on `beforeunload` (POST voila/api/shutdown/<kernel>)
  with the value of the `_xsrf` cookie as its XSRF token. The page that serves a notebook never
  issues that cookie (only Voila's template pages, e.g. the notebook list, do), so a reader who
  opens an app directly (`make app`, a Binder link) has none: the server refuses the shutdown
  with a 403 ("'_xsrf' argument missing from POST", a console error) and the kernel keeps its
  memory until the server stops (voila-dashboards/voila#1458).

  When the page has no `_xsrf` cookie, this gives it one: a random token the server accepts as
  it accepts its own (Tornado compares the cookie with the token sent, the double-submit check;
  a token is never sent to another site). XSRF protection stays on. It runs before Voila's own
  `beforeunload` listener, which is added later, when the widgets start.
*/
(function () {
  function baseUrl() {
    try {
      const data = document.getElementById("jupyter-config-data");
      const url = data && JSON.parse(data.textContent || "{}").baseUrl;
      if (url) return url;
    } catch (error) {
      /* the default below */
    }
    return "/";
  }
  function ensureXsrfCookie() {
    if (/(^|;\s*)_xsrf=/.test(document.cookie)) return;
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const token = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    document.cookie = `_xsrf=${token}; path=${baseUrl()}; SameSite=Strict`;
  }
  ensureXsrfCookie();
  window.addEventListener("DOMContentLoaded", ensureXsrfCookie);
  window.addEventListener("beforeunload", ensureXsrfCookie);
})();

/* sciday's one confirmation dialog (docs/conventions.md, "Confirmation").
 *
 * A button, a link or a form that carries data-confirm="…what will happen…" asks first in a
 * Bootstrap modal; data-confirm-ok names the button that goes ahead (default: the element's own text).
 * No inline script or handler is needed, so it works under a Content-Security-Policy without
 * 'unsafe-inline'. Without JavaScript the action simply happens (the service still checks every rule).
 */
(function () {
  "use strict";
  var modalEl = null;
  var pending = null;

  function modal() {
    if (!modalEl) modalEl = document.getElementById("sciday-confirm");
    return modalEl;
  }

  function ask(text, okLabel, proceed) {
    var el = modal();
    if (!el || !window.bootstrap) { if (window.confirm(text)) proceed(); return; }
    el.querySelector("[data-confirm-text]").textContent = text;
    var ok = el.querySelector("[data-confirm-ok]");
    ok.textContent = okLabel || ok.getAttribute("data-default-label");
    pending = proceed;
    window.bootstrap.Modal.getOrCreateInstance(el).show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = modal();
    if (!el) return;
    el.querySelector("[data-confirm-ok]").addEventListener("click", function () {
      var go = pending;
      pending = null;
      window.bootstrap.Modal.getOrCreateInstance(el).hide();
      if (go) go();
    });
  });

  function labelOf(node) {
    return node.getAttribute("data-confirm-ok") || (node.textContent || node.value || "").trim();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter || null;
    var source = submitter && submitter.hasAttribute("data-confirm") ? submitter
      : (form.hasAttribute("data-confirm") ? form : null);
    if (!source || form.dataset.confirmed === "1") { delete form.dataset.confirmed; return; }
    event.preventDefault();
    ask(source.getAttribute("data-confirm"), labelOf(source === form && submitter && !form.hasAttribute("data-confirm-ok") ? submitter : source), function () {
      form.dataset.confirmed = "1";
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    });
  }, true);

  // htmx's hx-confirm="…" asks in the same dialog.
  document.addEventListener("htmx:confirm", function (event) {
    if (!event.detail || !event.detail.question) return;
    event.preventDefault();
    ask(event.detail.question, null, function () { event.detail.issueRequest(true); });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-confirm]") : null;
    if (!link) return;
    event.preventDefault();
    ask(link.getAttribute("data-confirm"), labelOf(link), function () { window.location.href = link.href; });
  }, true);
})();

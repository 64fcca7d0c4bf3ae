/* sciday's few behaviours, bound from data- attributes: the Content-Security-Policy allows no
   inline script, no on...= handler and no style= attribute, so pages declare, this file acts.
   - data-select-on-focus: the field's text is selected when it gets the focus (one-time secrets);
   - img data-fallback-src: if the image (a thumbnail not made yet) fails, show this one instead;
   - data-print: a button that prints the page;
   - data-progress="42": a progress bar's width in percent. */
(function () {
  "use strict";

  function fallback(img) {
    var src = img.getAttribute("data-fallback-src");
    if (src && img.getAttribute("src") !== src) {
      img.removeAttribute("data-fallback-src");
      img.setAttribute("src", src);
    }
  }

  function prepare(root) {
    root.querySelectorAll("img[data-fallback-src]").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0) { fallback(img); }
    });
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-progress")) || 0));
      bar.style.width = value + "%";
    });
  }

  // An image's error event does not bubble, but the document sees it in the capture phase.
  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img && img.tagName === "IMG" && img.hasAttribute("data-fallback-src")) { fallback(img); }
  }, true);

  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field && field.hasAttribute && field.hasAttribute("data-select-on-focus")) { field.select(); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });

  // htmx swaps new content in: prepare it too (htmx:load fires for every new element).
  document.addEventListener("htmx:load", function (event) { prepare(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { prepare(document); });
  } else {
    prepare(document);
  }
})();

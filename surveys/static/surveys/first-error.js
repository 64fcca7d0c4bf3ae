/* The answer page after a refused submission: bring the person to the first question that needs
   attention (scrolled into view, its first answer field focused), since the banner at the top alone
   leaves a phone user three screens away from it. No inline script: loaded with <script src>. */
(function () {
  "use strict";
  function firstInvalid() {
    var blocks = document.querySelectorAll("#survey-form [data-invalid]");
    for (var i = 0; i < blocks.length; i += 1) {
      if (!blocks[i].hidden) { return blocks[i]; }
    }
    return null;
  }
  function bring(block) {
    var field = block.querySelector("input:not([disabled]):not([type=hidden]), textarea:not([disabled]), select:not([disabled])");
    block.scrollIntoView({block: "start"});
    if (field) {
      field.focus({preventScroll: true});
    } else {
      block.setAttribute("tabindex", "-1");
      block.focus({preventScroll: true});
    }
  }
  function start() {
    var block = firstInvalid();
    if (!block) { return; }
    bring(block);
    var link = document.querySelector("[data-first-error-link]");
    if (link) {
      link.setAttribute("href", "#" + block.id);
      link.addEventListener("click", function (event) { event.preventDefault(); bring(block); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

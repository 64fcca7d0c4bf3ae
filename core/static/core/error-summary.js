/* A form refused with errors: its summary at the top (core/_form_fields.html) gets the focus, so that a
   screen reader reads it and a keyboard user can follow its links to each field. Loaded by base.html. */
(function () {
  "use strict";
  function start() {
    if (document.querySelector("#survey-form [data-invalid]")) { return; }  // the survey brings the person to the question
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.focus({preventScroll: true});
    summary.scrollIntoView({block: "start"});
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) { return; }
        event.preventDefault();
        field.scrollIntoView({block: "center"});
        field.focus();
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

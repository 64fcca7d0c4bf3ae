// The submitter's video page: while the video is transcoding, ask for its state every few seconds and
// reload once it is done (no inline script: the CSP forbids it).
(function () {
  var box = document.querySelector("[data-video-status]");
  if (!box) return;
  var done = (box.getAttribute("data-done-states") || "").split(" ");
  var label = box.querySelector("[data-status-label]");
  if (done.indexOf(label && label.getAttribute("data-state") || "") >= 0) return;
  var bar = box.querySelector("[data-status-progress]");
  var first = true;
  function poll() {
    fetch(box.getAttribute("data-video-status"), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (bar) { bar.value = data.progress; bar.textContent = data.progress + "%"; }
        if (label) label.textContent = data.state_label;
        if (data.state !== "processing") { if (!first) window.location.reload(); return; }
        first = false;
        window.setTimeout(poll, 3000);
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  if (document.querySelector("[data-video-processing]")) { first = false; poll(); }
})();

// Count one view when the video on the page starts playing for the first time (no inline script: CSP).
(function () {
  var video = document.querySelector("video[data-played-url]");
  if (!video) return;
  var counted = false;
  video.addEventListener("play", function () {
    if (counted) return;
    counted = true;
    var body = new FormData();
    body.append("played", "1");
    fetch(video.getAttribute("data-played-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": video.getAttribute("data-csrf")}
    }).catch(function () { counted = false; });
  });
})();

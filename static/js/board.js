// Refreshes the live part of a workshop page (the board, the presenter view) every few
// seconds, without a page reload. It changes the page only when the part changed, stops (and
// says so) when the session ended, and can be paused (WCAG 2.2.2). Without JavaScript the
// board's "Refresh the board" link reloads it.
(function () {
  "use strict";
  var live = document.querySelector("[data-live]");
  var toggle = document.querySelector("[data-live-pause]");
  var full = document.getElementById("presenter-fullscreen");
  if (full && document.fullscreenEnabled) {
    full.hidden = false;
    full.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
  }
  if (!live || !toggle || !window.fetch) return;
  var url = live.getAttribute("data-refresh-url");
  var paused = false;
  var timer = null;
  toggle.hidden = false;

  function refresh() {
    if (paused || document.hidden) return;
    fetch(url, { credentials: "same-origin" })
      .then(function (r) {
        if (r.redirected || !r.ok) {  // signed out, or the page is gone: stop
          stop(toggle.getAttribute("data-msg-stopped"));
          return null;
        }
        return r.text();
      })
      .then(function (html) {
        if (typeof html === "string" && html.trim() !== live.innerHTML.trim()) {
          live.innerHTML = html;
        }
      })
      .catch(function () { /* keep the last version; try again next time */ });
  }

  function stop(message) {
    clearInterval(timer);
    paused = true;
    toggle.textContent = message;
    toggle.disabled = true;
  }

  toggle.addEventListener("click", function () {
    paused = !paused;
    toggle.setAttribute("aria-pressed", paused ? "true" : "false");
    toggle.textContent = toggle.getAttribute(paused ? "data-label-resume" : "data-label-pause");
    if (!paused) refresh();
  });
  timer = setInterval(refresh, 5000);
})();

// Refreshes the workshop board's live part every few seconds, without a page reload.
// It changes the page only when the board changed, stops (and says so) when the session
// ended, and can be paused (WCAG 2.2.2). Without JavaScript the "Refresh the board" link
// reloads it.
(function () {
  "use strict";
  var live = document.getElementById("board-live");
  var toggle = document.getElementById("board-pause");
  if (!live || !window.fetch) return;
  var url = live.getAttribute("data-refresh-url");
  var paused = false;
  var timer = null;
  toggle.hidden = false;

  function refresh() {
    if (paused || document.hidden) return;
    fetch(url, { credentials: "same-origin" })
      .then(function (r) {
        if (r.redirected || !r.ok) {  // signed out, or the board is gone: stop
          stop(toggle.getAttribute("data-msg-stopped"));
          return null;
        }
        return r.text();
      })
      .then(function (html) {
        if (html !== null && html !== undefined && html !== live.innerHTML) {
          live.innerHTML = html;
        }
      })
      .catch(function () { /* keep the last board; try again next time */ });
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

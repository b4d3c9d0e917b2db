// Refreshes the workshop board's live part every few seconds, without a page reload.
// Without JavaScript the board still works: its "Refresh the board" link reloads it.
(function () {
  "use strict";
  var live = document.getElementById("board-live");
  if (!live || !window.fetch) return;
  var url = live.getAttribute("data-refresh-url");
  function refresh() {
    if (document.hidden) return;
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) live.innerHTML = html; })
      .catch(function () { /* keep the last board; try again next time */ });
  }
  setInterval(refresh, 5000);
})();

// While a PDF report is being prepared, asks the server every few seconds where it stands
// and shows the matching part of templates/assess/_pdf_status.html: the download link when
// ready, a retry button if it failed. Without JavaScript the "Check again" link does this.
(function () {
  "use strict";
  var box = document.querySelector("[data-pdf-status-url]");
  if (!box || !window.fetch || box.getAttribute("data-state") !== "preparing") return;
  var url = box.getAttribute("data-pdf-status-url");
  var tries = 0;
  var timer = null;

  function show(state, slow) {
    var part = state === "preparing" && slow ? "slow" : state;
    box.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.getAttribute("data-when") !== part;
    });
    box.setAttribute("data-state", state);
  }

  function check() {
    tries += 1;
    if (tries > 300) { clearInterval(timer); return; }  // ten minutes: stop asking
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok && !r.redirected ? r.json() : null; })
      .then(function (status) {
        if (!status) { clearInterval(timer); return; }  // signed out or gone
        if (status.state === "ready") {
          var size = box.querySelector("[data-size]");
          if (size && status.size_label) size.textContent = status.size_label;
        }
        show(status.state, status.slow);
        if (status.state !== "preparing") clearInterval(timer);
      })
      .catch(function () { /* offline for a moment: ask again next time */ });
  }

  timer = setInterval(check, 2000);
})();

// Shows a conditional question only while its condition on the same page holds.
// Without JavaScript every question stays visible with a note saying when it applies.
(function () {
  "use strict";
  var dependents = document.querySelectorAll("[data-show-if-question]");
  if (!dependents.length) return;

  function chosen(code) {
    var inputs = document.querySelectorAll('input[name="q_' + code + '"]');
    var values = [];
    inputs.forEach(function (input) { if (input.checked) values.push(input.value); });
    return values;
  }

  function update() {
    dependents.forEach(function (el) {
      var source = el.getAttribute("data-show-if-question");
      var wanted = el.getAttribute("data-show-if-choices").split(" ");
      var sourceOnPage = document.querySelector('input[name="q_' + source + '"]');
      if (!sourceOnPage) return;
      var show = chosen(source).some(function (v) { return wanted.indexOf(v) !== -1; });
      el.hidden = !show;
    });
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches('input[type="radio"], input[type="checkbox"]')) update();
  });
  update();
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();

// Saving without losing typed answers: the form is sent in the background, so if the server
// fails (503) or the network drops, the page and everything typed on it stay, the person is
// told, and "Try again" sends the same answers. Without JavaScript the form posts normally.
(function () {
  "use strict";
  var form = document.querySelector("form[data-save-safely]");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("save-status");
  var lastSubmitter = null;

  function tell(message) {
    status.hidden = false;
    status.querySelector("[data-message]").textContent = message;
    status.focus();
  }

  function send(submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    function failed(message) {
      buttons.forEach(function (b) { b.disabled = false; });
      tell(message);
    }
    // Not form.action: the buttons are named "action", which shadows that property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Save-Mode": "background" }
    }).then(function (response) {
      if (response.status === 204) {
        window.location.assign(response.headers.get("X-Next"));  // saved
      } else if (response.status === 409) {
        response.text().then(failed);  // refused, e.g. the workshop closed meanwhile
      } else if (response.status >= 500 || response.status === 429) {
        failed(form.getAttribute("data-msg-server").replace("%s", response.status));
      } else {
        // Answers to correct, or a refusal: let the browser post the form as usual so the
        // server's page with its messages is shown.
        form.setAttribute("data-native", "1");
        buttons.forEach(function (b) { b.disabled = false; });
        if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
      }
    }, function () {
      failed(form.getAttribute("data-msg-network"));
    });
  }

  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-native")) return;
    event.preventDefault();
    lastSubmitter = event.submitter || null;
    send(lastSubmitter);
  });
  status.querySelector("[data-retry]").addEventListener("click", function () {
    status.hidden = true;
    send(lastSubmitter);
  });
})();

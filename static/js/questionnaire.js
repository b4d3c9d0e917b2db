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

  var retry = status.querySelector("[data-retry]");

  function send(submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach(function (b) { b.disabled = true; });
    retry.disabled = true;
    function failed(message) {
      buttons.forEach(function (b) { b.disabled = false; });
      retry.disabled = false;
      tell(message);
    }
    function native() {
      // Answers to correct: let the browser post the form so the page shows the messages.
      form.setAttribute("data-native", "1");
      buttons.forEach(function (b) { b.disabled = false; });
      if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
    }
    var controller = window.AbortController ? new AbortController() : null;
    var timeout = controller ? setTimeout(function () { controller.abort(); }, 20000) : null;
    // Not form.action: the buttons are named "action", which shadows that property.
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Save-Mode": "background" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timeout);
      var next = response.headers.get("X-Next");
      if (response.status === 204 && next) {
        window.location.assign(next);  // saved
      } else if (response.status === 409) {
        response.text().then(failed);  // refused, e.g. the workshop closed meanwhile
      } else if (response.redirected || response.status === 401 || response.status === 403) {
        // Signed out or the page expired: keep everything typed and say what to do.
        failed(form.getAttribute("data-msg-signed-out"));
      } else if (response.status === 400 || response.status === 413) {
        failed(form.getAttribute("data-msg-refused"));
      } else if (response.status >= 500 || response.status === 429) {
        failed(form.getAttribute("data-msg-server").replace("%s", response.status));
      } else {
        native();
      }
    }, function () {
      clearTimeout(timeout);
      failed(form.getAttribute("data-msg-network"));
    });
  }

  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-native")) return;
    event.preventDefault();
    lastSubmitter = event.submitter || null;
    send(lastSubmitter);
  });
  retry.addEventListener("click", function () {
    status.hidden = true;
    send(lastSubmitter);
  });
})();

// The progress line counts, by the server's rule (selectors.progress), the questions that
// apply given the answers so far and those of them answered, and follows each answer given
// on this page. Without JavaScript the server's count for the saved answers stays.
(function () {
  "use strict";
  var count = document.getElementById("progress-count");
  var data = document.getElementById("progress-rules");
  if (!count || !data) return;
  var rules = JSON.parse(data.textContent);
  var codes = Object.keys(rules.conditions);

  function chosen(code) {
    var inputs = document.querySelectorAll('input[name="q_' + code + '"]');
    if (!inputs.length) return rules.saved[code] || [];
    var values = [];
    inputs.forEach(function (input) { if (input.checked) values.push(input.value); });
    return values;
  }

  function applies(code, seen) {
    var condition = rules.conditions[code];
    if (condition === undefined) return false;
    if (condition === null) return true;
    if (seen.indexOf(code) !== -1) return false;  // a cycle is a bank error: hidden
    if (!applies(condition[0], seen.concat([code]))) return false;
    return chosen(condition[0]).some(function (v) { return condition[1].indexOf(v) !== -1; });
  }

  function update() {
    var total = 0, answered = 0;
    codes.forEach(function (code) {
      if (!applies(code, [])) return;
      total += 1;
      if (chosen(code).length) answered += 1;
    });
    var text = count.getAttribute("data-pattern")
      .replace("{answered}", answered).replace("{total}", total);
    if (count.textContent !== text) count.textContent = text;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches('input[type="radio"], input[type="checkbox"]')) update();
  });
  update();
})();

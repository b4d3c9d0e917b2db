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

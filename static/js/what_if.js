// What if: the verdict follows every change without pressing the button. Each change posts
// the answers to the server, which runs the rules and sends the verdict back as HTML; this
// script only copies its parts in. Without JavaScript the page's button, the "Clear answer"
// buttons and the reset link post or reload the page and the server does the same.
(function () {
  "use strict";
  var form = document.querySelector("form[data-whatif]");
  if (!form || !window.fetch || !window.FormData || !window.DOMParser) return;
  var url = form.getAttribute("data-verdict-url");
  var sent = 0;
  var timer = null;

  function show(el, visible) { if (el) el.hidden = !visible; }

  function inputs(question) {
    return question.querySelectorAll('input[type="radio"], input[type="checkbox"]');
  }

  // A question differs from the saved or submitted answers when any box is not as it was.
  function mark(question) {
    var changed = false;
    var answered = false;
    inputs(question).forEach(function (input) {
      if (input.checked) answered = true;
      if (input.checked !== input.hasAttribute("data-submitted")) changed = true;
    });
    question.classList.toggle("is-changed", changed);
    show(question.querySelector("[data-whatif-was]"), changed);
    show(question.querySelector("[data-whatif-clear]"), answered);
  }

  function failed() {
    var error = form.querySelector("[data-whatif-error]");
    error.textContent = form.getAttribute("data-msg-failed");
    show(error, true);
    show(form.querySelector("[data-whatif-show]"), true);
  }

  function apply(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    fresh.querySelectorAll("[data-whatif-part]").forEach(function (part) {
      var name = part.getAttribute("data-whatif-part");
      var here = form.querySelector('[data-whatif-part="' + name + '"]');
      // Only what changed is replaced, so the live region speaks only when the verdict moves.
      if (here && here.innerHTML !== part.innerHTML) {
        here.replaceChildren.apply(here, Array.prototype.slice.call(part.childNodes));
      }
    });
    show(form.querySelector("[data-whatif-error]"), false);
    show(form.querySelector("[data-whatif-show]"), false);
  }

  function send() {
    var mine = ++sent;
    form.setAttribute("aria-busy", "true");
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        // 400: some answer is not a valid choice; the verdict says so.
        if (!response.ok && response.status !== 400) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) { if (mine === sent) apply(html); })
      .catch(function () { if (mine === sent) failed(); })
      .then(function () { if (mine === sent) form.removeAttribute("aria-busy"); });
  }

  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(send, 120);
  }

  form.addEventListener("change", function (event) {
    var question = event.target.closest("[data-whatif-question]");
    if (!question) return;
    mark(question);
    refresh();
  });

  form.addEventListener("click", function (event) {
    var clear = event.target.closest("[data-whatif-clear]");
    if (clear) {
      event.preventDefault();
      var question = clear.closest("[data-whatif-question]");
      var boxes = inputs(question);
      boxes.forEach(function (input) { input.checked = false; });
      mark(question);
      // The button hides itself; focus goes back to the question it cleared.
      if (boxes.length) boxes[0].focus();
      refresh();
      return;
    }
    if (event.target.closest("[data-whatif-reset]")) {
      event.preventDefault();
      form.querySelectorAll("[data-whatif-question]").forEach(function (question) {
        inputs(question).forEach(function (input) {
          input.checked = input.hasAttribute("data-submitted");
        });
        mark(question);
      });
      refresh();
    }
  });

  show(form.querySelector("[data-whatif-show]"), false);
  form.classList.add("whatif-live");
})();

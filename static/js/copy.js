// Copy buttons (registration/_copy_button.html): the text of the element they name goes to
// the clipboard; where the browser refuses, the text is selected for the person to copy.
// The result is said in a status region beside the button. Without JavaScript the buttons
// stay hidden and the text stays selectable.
(function () {
  "use strict";
  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function textOf(el) {
    var items = el.querySelectorAll("li");
    if (!items.length) return el.textContent.trim();
    return Array.prototype.map.call(items, function (li) { return li.textContent.trim(); })
      .join("\n");
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) return;
    var status = button.parentNode.querySelector("[data-copy-status]");
    button.hidden = false;

    function say(message) {
      status.textContent = "";
      // A fresh text node, so that the same message said twice is announced twice.
      window.setTimeout(function () { status.textContent = message; }, 50);
    }

    function fallback() {
      select(target);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      say(button.getAttribute(copied ? "data-copied" : "data-selected"));
    }

    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(textOf(target)).then(function () {
          say(button.getAttribute("data-copied"));
        }, fallback);
      } else {
        fallback();
      }
    });
  });
})();

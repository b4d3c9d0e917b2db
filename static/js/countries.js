// The organisation's countries: a filter box that narrows the checkbox list, and the chosen
// countries listed above it as buttons that remove them, with a live count. Without
// JavaScript the list is a plain list of checkboxes, the chosen ones first.
(function () {
  "use strict";
  document.querySelectorAll("[data-countries]").forEach(function (box) {
    var items = Array.prototype.slice.call(box.querySelectorAll(".countries-list li"));
    var filterBox = box.querySelector("[data-countries-filter]");
    var filter = filterBox.querySelector("input");
    var matches = box.querySelector("[data-countries-matches]");
    var count = box.querySelector("[data-countries-count]");
    var chips = box.querySelector("[data-countries-chips]");
    var removeWord = box.getAttribute("data-msg-remove");
    var announce = null;

    function fold(text) {
      return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, " ");
    }

    function counted(el, n) {
      if (n === 0 && el.hasAttribute("data-zero")) return el.getAttribute("data-zero");
      if (n === 1) return el.getAttribute("data-one");
      return el.getAttribute("data-many").replace("%(count)s", String(n));
    }

    function checkbox(item) { return item.querySelector("input"); }
    function name(item) { return item.querySelector("label").textContent; }

    function drawChips() {
      var chosen = items.filter(function (item) { return checkbox(item).checked; });
      chosen.sort(function (a, b) { return name(a).localeCompare(name(b)); });
      count.textContent = counted(count, chosen.length);
      chips.replaceChildren();
      chosen.forEach(function (item) {
        var input = checkbox(item);
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "countries-chip";
        button.setAttribute("data-code", input.value);
        var hidden = document.createElement("span");
        hidden.className = "visually-hidden";
        hidden.textContent = removeWord + " ";
        var mark = document.createElement("span");
        mark.setAttribute("aria-hidden", "true");
        mark.textContent = " \u00d7";
        button.append(hidden, name(item), mark);
        li.append(button);
        chips.append(li);
      });
      chips.hidden = chosen.length === 0;
    }

    function applyFilter() {
      var words = fold(filter.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (item) {
        // Each word typed must start a word of the name, its code or another name for it.
        var text = " " + item.getAttribute("data-search");
        var visible = words.every(function (w) { return text.indexOf(" " + w) !== -1; });
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      clearTimeout(announce);
      // Said once typing pauses, not on every key.
      announce = setTimeout(function () {
        matches.textContent = !words.length ? "" :
          shown === 0 ? box.getAttribute("data-msg-none") : counted(matches, shown);
      }, 400);
    }

    box.addEventListener("change", function (event) {
      if (event.target.matches(".countries-list input")) drawChips();
    });

    chips.addEventListener("click", function (event) {
      var button = event.target.closest(".countries-chip");
      if (!button) return;
      var code = button.getAttribute("data-code");
      items.forEach(function (item) {
        if (checkbox(item).value === code) checkbox(item).checked = false;
      });
      // Focus moves to the next chip, or the previous one, or the filter when none is left.
      var li = button.parentNode;
      var next = li.nextElementSibling || li.previousElementSibling;
      var nextCode = next && next.querySelector("button").getAttribute("data-code");
      drawChips();
      var target = nextCode && chips.querySelector('[data-code="' + nextCode + '"]');
      (target || filter).focus();
    });

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      // Enter in the filter must not send the form half-filled.
      if (event.key === "Enter") event.preventDefault();
      if (event.key === "Escape" && filter.value) { filter.value = ""; applyFilter(); }
    });

    filterBox.hidden = false;
    box.classList.add("countries-live");
    drawChips();
  });
})();

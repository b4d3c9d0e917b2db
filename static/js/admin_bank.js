// The question bank's admin pages order rows with django-admin-sortable2: drag by the handle,
// or click an arrow to move a row first or last. Its arrows are not focusable; this makes them
// buttons a keyboard can reach and press (Enter or Space), so ordering needs no mouse.
(function () {
  "use strict";
  function enable(arrow) {
    arrow.tabIndex = 0;
    arrow.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        arrow.click();
        arrow.focus();
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.sortable .sort i[role=button]").forEach(enable);
  });
})();

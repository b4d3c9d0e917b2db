// The main menu folds behind a "Menu" button whenever it would not fit on the brand's row
// (a phone, or a long menu in French at 1280 px): measured, not guessed from a breakpoint,
// since the words' length depends on the language. Without JavaScript the button stays
// hidden and the menu wraps.
(function () {
  "use strict";
  var nav = document.querySelector("[data-collapsible]");
  if (!nav) return;
  var button = nav.querySelector(".app-menu-toggle");
  var menu = nav.querySelector(".app-menu");
  var brand = nav.querySelector(".navbar-brand");
  if (!button || !menu || !brand) return;

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }

  function fit() {
    var wasOpen = nav.classList.contains("is-open");
    nav.classList.remove("is-collapsible", "is-open");
    button.hidden = true;
    // Wrapped: the menu starts below the brand's row.
    var wraps = menu.getBoundingClientRect().top >= brand.getBoundingClientRect().bottom - 1;
    if (wraps) {
      nav.classList.add("is-collapsible");
      button.hidden = false;
      setOpen(wasOpen);
    } else {
      setOpen(false);
    }
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("is-open")) {
      setOpen(false);
      button.focus();
    }
  });
  var width = window.innerWidth;
  window.addEventListener("resize", function () {
    if (window.innerWidth !== width) {
      width = window.innerWidth;
      fit();
    }
  });
  fit();
})();

// Drag-to-reorder for the admin's tabular inlines marked "reorderable": drag a row by its
// handle and the order numbers of the rows in use are rewritten from top to bottom.
// Nothing else changes, and typing the order numbers (keyboard users) works as before.
(function () {
  "use strict";
  var dragged = null;

  function rowsOf(tbody) {
    return Array.prototype.filter.call(tbody.querySelectorAll("tr.form-row"), function (row) {
      return !row.classList.contains("empty-form");
    });
  }

  function orderInput(row) {
    return row.querySelector("td.field-order input");
  }

  // A blank extra row must stay blank, or the form would ask for its required fields.
  function inUse(row) {
    if (row.classList.contains("has_original")) return true;
    return Array.prototype.some.call(
      row.querySelectorAll("input[type=text], input[type=number], textarea, select"),
      function (el) { return el !== orderInput(row) && el.value !== ""; }
    );
  }

  // Choices are numbered within their question, so a move changes only that question's rows.
  function groupOf(row) {
    var el = row.querySelector("td.field-question input, td.field-question select");
    return el ? el.value : "";
  }

  function renumber(tbody) {
    var counters = {};
    rowsOf(tbody).forEach(function (row) {
      var input = orderInput(row);
      if (!input || !inUse(row)) return;
      var key = groupOf(row);
      counters[key] = (counters[key] || 0) + 1;
      if (String(input.value) !== String(counters[key])) {
        input.value = counters[key];
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }

  function addHandle(row) {
    var cell = row.querySelector("td.field-order");
    if (!cell || !cell.querySelector("input") || cell.querySelector(".drag-handle")) return;
    var handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.textContent = "\u283f";
    handle.title = "Drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    handle.addEventListener("mousedown", function () { row.draggable = true; });
    handle.addEventListener("mouseup", function () { row.draggable = false; });
    cell.insertBefore(handle, cell.firstChild);
  }

  function setUp(fieldset) {
    var tbody = fieldset.querySelector("table tbody");
    if (!tbody) return;
    rowsOf(tbody).forEach(addHandle);

    tbody.addEventListener("dragstart", function (event) {
      var row = event.target.closest && event.target.closest("tr.form-row");
      if (!row || !row.draggable) return;
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    tbody.addEventListener("dragover", function (event) {
      if (!dragged || dragged.parentNode !== tbody) return;
      var row = event.target.closest("tr.form-row");
      if (!row || row === dragged || row.classList.contains("empty-form")) return;
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      tbody.insertBefore(dragged, after ? row.nextSibling : row);
    });
    tbody.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    tbody.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("dragging");
      dragged.draggable = false;
      dragged = null;
      renumber(tbody);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.reorderable").forEach(setUp);
  });
  document.addEventListener("formset:added", function (event) {
    if (event.target.closest("fieldset.reorderable")) addHandle(event.target);
  });
})();

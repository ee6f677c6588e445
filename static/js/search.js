/*
 * Candidate search: progressive enhancement only; the page works without this file.
 *
 * - (Empty fields leave the pushed URL through app.js: the form is marked data-drop-empty.)
 * - "Select all" for the bulk bar, and a count of the ticked rows.
 */
(function () {
  "use strict";

  function rows() {
    return document.querySelectorAll(".js-select-row");
  }

  function updateCount() {
    var ticked = 0;
    var all = rows();
    Array.prototype.forEach.call(all, function (box) {
      if (box.checked) {
        ticked += 1;
      }
    });
    Array.prototype.forEach.call(document.querySelectorAll(".js-selected-count"), function (el) {
      el.textContent = ticked ? ticked + " selected" : "";
    });
    Array.prototype.forEach.call(document.querySelectorAll(".js-select-all"), function (box) {
      box.checked = all.length > 0 && ticked === all.length;
      box.indeterminate = ticked > 0 && ticked < all.length;
    });
  }

  function onChange(event) {
    var target = event.target;
    if (!target || !target.classList) {
      return;
    }
    if (target.classList.contains("js-select-all")) {
      Array.prototype.forEach.call(rows(), function (box) {
        box.checked = target.checked;
      });
      updateCount();
    } else if (target.classList.contains("js-select-row")) {
      updateCount();
    }
  }

  function reveal(root) {
    if (!root || typeof root.querySelectorAll !== "function") {
      return;
    }
    Array.prototype.forEach.call(root.querySelectorAll(".js-select-all"), function (box) {
      box.hidden = false;
    });
    updateCount();
  }

  function init() {
    reveal(document);
    // Ticking boxes must not start a search: the checkboxes live outside the search form, so
    // their change events never reach it.
    document.addEventListener("change", onChange);
    document.addEventListener("htmx:load", function (event) {
      reveal(event.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

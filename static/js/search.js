/*
 * Candidate search: progressive enhancement only; the page works without this file.
 *
 * - Requests from the search form drop empty fields, so the pushed (shareable) URL holds only
 *   the filters in use.
 * - "Select all" for the bulk bar, and a count of the ticked rows.
 */
(function () {
  "use strict";

  function dropEmptyParameters(event) {
    var form = event.detail && event.detail.elt;
    var data = event.detail && event.detail.formData;
    if (!form || form.id !== "search-form" || !data || typeof data.getAll !== "function") {
      return;
    }
    var names = [];
    data.forEach(function (value, name) {
      if (names.indexOf(name) === -1) {
        names.push(name);
      }
    });
    names.forEach(function (name) {
      var kept = data.getAll(name).filter(function (value) {
        return typeof value !== "string" || value.trim() !== "";
      });
      if (name === "skills_mode" && kept.length === 1 && kept[0] === "all") {
        kept = []; // the default
      }
      data.delete(name);
      kept.forEach(function (value) {
        data.append(name, value);
      });
    });
  }

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
    document.addEventListener("htmx:configRequest", dropEmptyParameters);
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

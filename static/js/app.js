/*
 * Talentloop — progressive enhancement only. Every page works without this file.
 * The Content-Security-Policy forbids inline scripts and handlers, so everything is wired here.
 *
 * - Messages (.message) get a dismiss "×" button, including ones htmx swaps in later.
 * - A form marked data-drop-empty leaves its empty fields (and the fields at the default named
 *   in data-drop-defaults="name=value;...") out of the requests htmx makes from it, so the
 *   URL pushed to the address bar stays short and shareable.
 */
(function () {
  "use strict";

  var DISMISS_CLASS = "message-dismiss";

  function addDismissButtons(root) {
    if (!root || typeof root.querySelectorAll !== "function") {
      return;
    }
    var messages = root.querySelectorAll(".message");
    if (root.matches && root.matches(".message")) {
      messages = [root].concat(Array.prototype.slice.call(messages));
    }
    Array.prototype.forEach.call(messages, function (message) {
      if (message.querySelector("." + DISMISS_CLASS)) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = DISMISS_CLASS;
      button.setAttribute("aria-label", "Dismiss message");
      button.textContent = "\u00d7";
      message.appendChild(button);
    });
  }

  function dismiss(message) {
    var list = message.parentElement;
    var next = message.nextElementSibling || message.previousElementSibling;
    message.remove();
    if (list && list.tagName === "UL" && !list.querySelector(".message")) {
      list.remove();
    }
    // Keep keyboard focus somewhere sensible instead of losing it to <body>.
    var target = next && next.querySelector("." + DISMISS_CLASS);
    if (target) {
      target.focus();
    } else {
      var main = document.getElementById("main");
      if (main) {
        main.focus();
      }
    }
  }

  function onClick(event) {
    var button = event.target && event.target.closest
      ? event.target.closest("." + DISMISS_CLASS)
      : null;
    if (!button) {
      return;
    }
    var message = button.closest(".message");
    if (message) {
      dismiss(message);
    }
  }

  function defaultsOf(form) {
    var defaults = {};
    (form.getAttribute("data-drop-defaults") || "").split(";").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at > 0) {
        defaults[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
      }
    });
    return defaults;
  }

  function dropEmptyParameters(event) {
    var form = event.detail && event.detail.elt;
    var data = event.detail && event.detail.formData;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-drop-empty")) {
      return;
    }
    if (!data || typeof data.getAll !== "function") {
      return;
    }
    var defaults = defaultsOf(form);
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
      if (kept.length === 1 && defaults[name] !== undefined && kept[0] === defaults[name]) {
        kept = [];
      }
      data.delete(name);
      kept.forEach(function (value) {
        data.append(name, value);
      });
    });
  }

  function init() {
    addDismissButtons(document);
    document.addEventListener("click", onClick);
    document.addEventListener("htmx:configRequest", dropEmptyParameters);
    // htmx fires htmx:load on every piece of content it swaps in.
    document.addEventListener("htmx:load", function (event) {
      addDismissButtons(event.target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

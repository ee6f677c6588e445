/*
 * Talentloop — progressive enhancement only. Every page works without this file.
 * The Content-Security-Policy forbids inline scripts and handlers, so everything is wired here.
 *
 * - Messages (.message) get a dismiss "×" button, including ones htmx swaps in later.
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

  function init() {
    addDismissButtons(document);
    document.addEventListener("click", onClick);
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

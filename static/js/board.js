/*
 * The job board: progressive enhancement only. Without this file every card still moves through
 * its own "Move" form and the bulk bar is a plain form.
 *
 * - Drag and drop (HTML5): dropping a card on another column POSTs `stage=<id>` to the card's
 *   move URL through htmx; the answer is the whole board (#board-region), so the counts update,
 *   and a refused move (422) puts the card back where it was. Messages arrive out of band in
 *   the page's live region (#messages).
 * - A card's "Move" form, and the keys [ and ] on a focused card (one column left / right),
 *   send the same request; keyboard focus returns to the card afterwards.
 * - The bulk bar shows how many cards are ticked; ticks survive the board being re-rendered
 *   after a move or a filter (not after a bulk action, which used them).
 * - (Empty filters leave the pushed URL through app.js: the form is marked data-drop-empty.)
 * - A request that fails (network, server error) reloads the board, so no card stays where it
 *   was dropped without being moved.
 */
(function () {
  "use strict";

  var REGION = "#board-region";
  var dragged = null;
  var focusAfterSwap = null;
  var ticked = {}; // card id -> true, kept across re-renders of the board

  function each(nodes, fn) {
    Array.prototype.forEach.call(nodes, fn);
  }

  function elementOf(event) {
    var node = event.target;
    return node && node.nodeType === 3 ? node.parentElement : node;
  }

  function closest(node, selector) {
    return node && node.closest ? node.closest(selector) : null;
  }

  function moveForm(card) {
    return card ? card.querySelector("form.js-move") : null;
  }

  function request(verb, url, source, values) {
    var options = { source: source, target: REGION, swap: "outerHTML" };
    if (values) {
      options.values = values;
    }
    return window.htmx.ajax(verb, url, options);
  }

  /* Ask the server to move ``card`` to the stage ``stageId``; the board comes back. */
  function send(card, stageId, keepFocus) {
    var form = moveForm(card);
    if (!form || !window.htmx) {
      return false;
    }
    focusAfterSwap = keepFocus ? card.id : null;
    card.classList.add("is-moving");
    card.setAttribute("aria-busy", "true");
    request("POST", form.action, card, { stage: stageId });
    return true;
  }

  // ------------------------------------------------------------------ drag and drop

  function clearDrag() {
    each(document.querySelectorAll(".board-column.is-drop-target"), function (column) {
      column.classList.remove("is-drop-target");
    });
    if (dragged) {
      dragged.classList.remove("is-dragging");
    }
    dragged = null;
  }

  function onDragStart(event) {
    var card = closest(elementOf(event), ".board-card[draggable='true']");
    if (!card || !moveForm(card)) {
      return;
    }
    dragged = card;
    card.classList.add("is-dragging");
    if (event.dataTransfer) {
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
    }
  }

  function onDragOver(event) {
    var column = closest(elementOf(event), ".board-column");
    if (!dragged || !column) {
      return;
    }
    event.preventDefault(); // allows the drop
    if (event.dataTransfer) {
      event.dataTransfer.dropEffect = "move";
    }
    if (!column.classList.contains("is-drop-target")) {
      each(document.querySelectorAll(".board-column.is-drop-target"), function (other) {
        other.classList.remove("is-drop-target");
      });
      column.classList.add("is-drop-target");
    }
  }

  function onDragLeave(event) {
    var column = closest(elementOf(event), ".board-column");
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("is-drop-target");
    }
  }

  function onDrop(event) {
    var column = closest(elementOf(event), ".board-column");
    var card = dragged;
    if (!card || !column) {
      return;
    }
    event.preventDefault();
    clearDrag();
    if (closest(card, ".board-column") === column) {
      return;
    }
    // Shown where it was dropped until the answer; a refusal re-renders the board as it was.
    column.querySelector(".board-cards").appendChild(card);
    send(card, column.getAttribute("data-stage"), false);
  }

  // ------------------------------------------------------------------ form and keyboard

  function onSubmit(event) {
    var form = elementOf(event);
    if (!form || !form.classList || !form.classList.contains("js-move") || !window.htmx) {
      return;
    }
    event.preventDefault();
    var card = closest(form, ".board-card");
    focusAfterSwap = card ? card.id : null;
    request("POST", form.action, form);
  }

  function onKeyDown(event) {
    if ((event.key !== "[" && event.key !== "]") || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var card = elementOf(event);
    if (!card || !card.classList || !card.classList.contains("board-card")) {
      return; // only on the card itself, never while typing in one of its fields
    }
    var column = closest(card, ".board-column");
    var next = event.key === "]" ? column.nextElementSibling : column.previousElementSibling;
    if (!next || !next.classList.contains("board-column")) {
      return;
    }
    if (send(card, next.getAttribute("data-stage"), true)) {
      event.preventDefault();
    }
  }

  function restoreFocus() {
    if (!focusAfterSwap) {
      return;
    }
    var card = document.getElementById(focusAfterSwap);
    focusAfterSwap = null;
    if (card) {
      card.focus();
    } else {
      // The card left the board (hired): keep focus on the page, not on <body>.
      var main = document.getElementById("main");
      if (main) {
        main.focus();
      }
    }
  }

  // ------------------------------------------------------------------ bulk bar and filters

  function updateCount() {
    var count = document.querySelectorAll(".js-select-card:checked").length;
    each(document.querySelectorAll(".js-selected-count"), function (element) {
      element.textContent = count ? count + " selected" : "";
    });
  }

  function onChange(event) {
    var box = elementOf(event);
    if (box && box.classList && box.classList.contains("js-select-card")) {
      if (box.checked) {
        ticked[box.value] = true;
      } else {
        delete ticked[box.value];
      }
      updateCount();
    }
  }

  function restoreTicks(event) {
    var config = event.detail && event.detail.requestConfig;
    if (config && config.elt && config.elt.id === "board-bulk") {
      ticked = {};
    }
    each(document.querySelectorAll(".js-select-card"), function (box) {
      box.checked = Boolean(ticked[box.value]);
    });
    updateCount();
  }


  // ------------------------------------------------------------------ failures

  function say(text) {
    var region = document.getElementById("messages");
    if (!region) {
      return;
    }
    var list = document.createElement("ul");
    var item = document.createElement("li");
    var span = document.createElement("span");
    item.className = "message error";
    span.className = "message-text";
    span.textContent = text;
    item.appendChild(span);
    list.appendChild(item);
    region.replaceChildren(list);
  }

  function onFailure(event) {
    var detail = event.detail || {};
    var target = detail.target;
    var verb = detail.requestConfig && detail.requestConfig.verb;
    if (!target || target.id !== "board-region" || verb === "get" || !window.htmx) {
      return; // a failed reload is not retried
    }
    focusAfterSwap = null;
    say("That did not go through; the board was reloaded as it is now.");
    request("GET", window.location.href, document.body);
  }

  function init() {
    document.addEventListener("dragstart", onDragStart);
    document.addEventListener("dragover", onDragOver);
    document.addEventListener("dragleave", onDragLeave);
    document.addEventListener("drop", onDrop);
    document.addEventListener("dragend", clearDrag);
    document.addEventListener("submit", onSubmit);
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("change", onChange);
    document.addEventListener("htmx:afterSettle", function (event) {
      restoreTicks(event);
      restoreFocus();
    });
    document.addEventListener("htmx:responseError", onFailure);
    document.addEventListener("htmx:sendError", onFailure);
    each(document.querySelectorAll(".js-select-card:checked"), function (box) {
      ticked[box.value] = true; // restored by the browser on reload
    });
    updateCount();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

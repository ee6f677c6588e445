/*
 * The candidate's scheduling page: progressive enhancement only (the page works without it).
 * On first load (no ?tz= in the address) pick the browser's time zone in the zone select and
 * show the times in it; afterwards, changing the select shows the times at once.
 */
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }

  function init() {
    var form = document.getElementById("zone-form");
    if (!form) {
      return;
    }
    var select = form.querySelector("select[name=tz]");
    if (select) {
      select.addEventListener("change", function () {
        form.submit();
      });
    }
    if (!form.hasAttribute("data-auto-zone")) {
      return;
    }
    var zone = browserZone();
    if (!select || !zone || select.value === zone) {
      return;
    }
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (!known) {
      return;
    }
    select.value = zone;
    form.submit();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

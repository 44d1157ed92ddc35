// Attune's page behaviour, loaded on every non-admin page. No dependencies.
// 1. The header's menu button on narrow screens (keyboard: Enter/Space opens, Escape closes).
// 2. Tables scroll inside their own box, focusable and labelled when they overflow.
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/) defines gettext; English if it failed to load.
  function gettext(text) {
    return window.gettext ? window.gettext(text) : text;
  }

  function setUpMenu() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) return;
    toggle.hidden = false;
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      if (!open) {
        var first = nav.querySelector("a, button");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  function markOverflow(box) {
    var overflows = box.scrollWidth > box.clientWidth + 1;
    if (overflows) {
      box.setAttribute("data-overflows", "");
      box.setAttribute("tabindex", "0");
    } else {
      box.removeAttribute("data-overflows");
      box.removeAttribute("tabindex");
    }
  }

  function wrapTables() {
    var tables = document.querySelectorAll("main table:not(.stack)");
    var boxes = [];
    tables.forEach(function (table) {
      if (table.parentElement.classList.contains("table-scroll")) {
        boxes.push(table.parentElement);
        return;
      }
      var box = document.createElement("div");
      box.className = "table-scroll";
      box.setAttribute("role", "region");
      var caption = table.querySelector("caption");
      var name = table.getAttribute("aria-label") || (caption && caption.textContent.trim());
      box.setAttribute("aria-label", name || document.documentElement.dataset.tableLabel || gettext("Table"));
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
      var cue = document.createElement("p");
      cue.className = "table-scroll__cue";
      cue.setAttribute("aria-hidden", "true");
      cue.textContent = document.documentElement.dataset.scrollCue || gettext("Scroll sideways to see more →");
      box.parentNode.insertBefore(cue, box);
      boxes.push(box);
    });
    // Stacked tables: each cell is labelled with its column heading on phones.
    document.querySelectorAll("main table.stack").forEach(function (table) {
      var headings = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); }
      );
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (cell.tagName === "TD" && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headings[index] || "");
          }
        });
      });
    });
    boxes.forEach(markOverflow);
    if ("ResizeObserver" in window) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { markOverflow(entry.target); });
      });
      boxes.forEach(function (box) { observer.observe(box); });
    }
  }

  // Filters sit behind a button on phones and stay open beside the results on wider screens.
  function openWideFilters() {
    var wide = window.matchMedia("(min-width: 48rem)");
    document.querySelectorAll("details.filters-toggle--wide").forEach(function (details) {
      if (wide.matches) details.open = true;
    });
  }

  function start() {
    setUpMenu();
    openWideFilters();
    wrapTables();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

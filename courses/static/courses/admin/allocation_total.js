// The Competencies tab of a training in the admin: a running total of the hours per
// competency area against the contact hours, updated as the author types, adds or removes a
// row. The server still checks the sum when the page is saved; this only shows it early.
// The sentences come translated from <script type="application/json" id="attune-allocation-text">.
(function () {
  "use strict";

  function start() {
    var total = document.getElementById("id_area_hours-TOTAL_FORMS");
    var contact = document.getElementById("id_contact_hours");
    var source = document.getElementById("attune-allocation-text");
    if (!total || !contact || !source) return;
    var text = JSON.parse(source.textContent);
    var panel = total.closest("section") || total.parentElement;
    var output = document.createElement("p");
    output.className = "help-block";
    output.setAttribute("role", "status");
    output.setAttribute("aria-live", "polite");
    panel.parentElement.insertBefore(output, panel);

    function number(value) {
      var parsed = parseFloat(String(value).replace(",", "."));
      return isNaN(parsed) ? 0 : parsed;
    }

    function update() {
      var sum = 0;
      document.querySelectorAll("input[id^='id_area_hours-'][id$='-hours']").forEach(function (input) {
        var prefix = input.id.slice(0, -"-hours".length);
        var deleted = document.getElementById(prefix + "-DELETE");
        if (deleted && deleted.value === "1") return;
        sum += number(input.value);
      });
      var target = number(contact.value);
      var key = !contact.value ? "no_contact" : sum === target ? "even" : sum < target ? "short" : "over";
      output.textContent = text[key]
        .replace("{sum}", String(Math.round(sum * 100) / 100))
        .replace("{contact}", String(target))
        .replace("{left}", String(Math.round(Math.abs(target - sum) * 100) / 100));
      output.classList.toggle("help-critical", key === "over");
    }

    document.addEventListener("input", function (event) {
      if (event.target === contact || /^id_area_hours-\d+-hours$/.test(event.target.id)) update();
    });
    ["w-formset:added", "w-formset:removed", "change"].forEach(function (name) {
      document.addEventListener(name, update);
    });
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

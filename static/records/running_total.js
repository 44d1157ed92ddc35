// A running total of the hours credited to competency areas against the training's duration,
// updated as the learner types. The server checks the same sum when the form is sent; this
// only says early what it will say. Texts come from the page (data-text-* on the total,
// translated there) with {total}, {duration} and {left} filled in here.
(function () {
  "use strict";

  var total = document.querySelector("[data-running-total]");
  if (!total) return;
  var form = total.closest("form");
  var duration = form.querySelector("[data-duration]");
  var areas = Array.prototype.slice.call(form.querySelectorAll("[data-area-hours]"));
  if (!duration || !areas.length) return;

  // Quarter hours add up exactly in hundredths; format without trailing zeros.
  function hundredths(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) && value > 0 ? Math.round(value * 100) : 0;
  }
  function hours(value) {
    return String(value / 100);
  }
  function text(name, values) {
    return (total.getAttribute("data-text-" + name) || "").replace(/\{(\w+)\}/g, function (_, key) {
      return values[key];
    });
  }

  var last = "";
  function update() {
    var sum = areas.reduce(function (acc, input) { return acc + hundredths(input); }, 0);
    var of = hundredths(duration);
    var state;
    if (!sum) state = "empty";
    else if (!of) state = "no-duration";
    else if (sum < of) state = "under";
    else if (sum === of) state = "even";
    else state = "over";
    var message = text(state, {
      total: hours(sum),
      duration: hours(of),
      left: hours(Math.abs(of - sum)),
    });
    total.classList.toggle("is-over", state === "over");
    total.classList.toggle("is-even", state === "even");
    // Only a changed sentence is announced (role="status" reads every change).
    if (message !== last) {
      total.textContent = message;
      last = message;
    }
  }

  form.addEventListener("input", function (event) {
    if (event.target === duration || areas.indexOf(event.target) !== -1) update();
  });
  update();
})();

// A post-test on a phone: one question at a time, with Previous and Next. The form is the
// same one a wider screen (or a browser without this script) shows whole: it still submits
// every answer at once, from the last question's Submit button.
(function () {
  "use strict";

  var form = document.querySelector("form[data-quiz-steps]");
  if (!form) return;
  var steps = Array.prototype.slice.call(form.querySelectorAll("fieldset.question"));

  // A question with several right answers needs at least one box ticked, as a one-answer
  // question needs its one: while none is ticked, the first box carries the message, so the
  // browser (and Next below) points at it like at a required radio button.
  function checkBoxGroups() {
    steps.forEach(function (step) {
      var boxes = step.querySelectorAll('input[type="checkbox"]');
      if (!boxes.length) return;
      var ticked = Array.prototype.some.call(boxes, function (box) {
        return box.checked;
      });
      boxes[0].setCustomValidity(ticked ? "" : form.dataset.labelChooseOne);
    });
  }
  form.addEventListener("change", checkBoxGroups);
  checkBoxGroups();

  var submit = form.querySelector(".quiz-submit");
  if (steps.length < 2 || !submit) return;
  var narrow = window.matchMedia("(max-width: 40rem)");
  var current = 0;

  // Buttons are display:inline-flex in the design system, which beats [hidden]: each sits in
  // a span that is hidden instead.
  function stepButton(label, className, onClick) {
    var holder = document.createElement("span");
    var button = document.createElement("button");
    button.type = "button";
    button.className = className;
    button.textContent = label;
    button.addEventListener("click", onClick);
    holder.appendChild(button);
    return holder;
  }

  var status = document.createElement("p");
  status.className = "quiz-step-status";
  status.setAttribute("aria-live", "polite");
  var nav = document.createElement("div");
  nav.className = "quiz-step-nav";
  var previous = stepButton(form.dataset.labelPrevious, "button-secondary", function () {
    show(current - 1, true);
  });
  var next = stepButton(form.dataset.labelNext, "", function () {
    if (answered(steps[current])) show(current + 1, true);
  });
  nav.appendChild(previous);
  nav.appendChild(document.createTextNode(" "));
  nav.appendChild(next);
  steps[0].parentNode.insertBefore(status, steps[0]);
  submit.parentNode.insertBefore(nav, submit);

  // A question that needs an answer says so where it is, as the browser would on submit.
  function answered(step) {
    var inputs = step.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].checkValidity()) {
        inputs[i].reportValidity();
        return false;
      }
    }
    return true;
  }

  function stepped() {
    return narrow.matches;
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    var on = stepped();
    steps.forEach(function (step, i) {
      step.hidden = on && i !== current;
    });
    status.hidden = nav.hidden = !on;
    previous.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    submit.hidden = on && current !== steps.length - 1;
    // The browser cannot point at a required answer on a hidden question: this script does.
    form.noValidate = on;
    status.textContent = on
      ? form.dataset.labelProgress
          .replace("%(number)s", String(current + 1))
          .replace("%(total)s", String(steps.length))
      : "";
    if (on && focus) {
      steps[current].setAttribute("tabindex", "-1");
      steps[current].focus();
    }
  }

  form.addEventListener("submit", function (event) {
    if (!stepped() || form.checkValidity()) return;
    event.preventDefault();
    var invalid = form.querySelector("input:invalid");
    var index = steps.indexOf(invalid.closest("fieldset.question"));
    show(index, false);
    invalid.reportValidity();
  });

  narrow.addEventListener("change", function () {
    show(current, false);
  });
  show(0, false);
})();

/*
 * Live progress on a recording's admin page: polls the small progress endpoint while the
 * recording is being checked or processed, and reloads the page once it is finished (to
 * show the player, or the reason it was rejected or failed).
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-attune-recording-status]");
  if (!root || root.dataset.finished === "true") return;
  var label = root.querySelector("[data-status-label]");
  var bar = root.querySelector("[data-status-progress]");
  var percent = root.querySelector("[data-status-percent]");
  var errorBox = root.querySelector("[data-status-error]");
  var wait = 2000;

  function poll() {
    fetch(root.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        wait = 2000;
        label.textContent = state.status_label;
        if (bar) {
          bar.value = state.progress;
          bar.textContent = state.progress + "%";
        }
        if (percent) percent.textContent = state.progress + "%";
        if (state.error) {
          errorBox.hidden = false;
          errorBox.textContent = state.error;
        }
        if (state.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, wait);
      })
      .catch(function () {
        wait = Math.min(30000, wait * 2);
        window.setTimeout(poll, wait);
      });
  }

  window.setTimeout(poll, wait);
})();

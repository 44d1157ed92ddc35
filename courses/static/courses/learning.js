/*
 * Attune training page, live: the checklist and the outline follow the heartbeat's answers
 * (the `attune-watch:beat` event from heartbeat.js), so they say 100% when the player does,
 * without a reload; and when a video ends, or the share needed is reached, the next step
 * (post-test, evaluation, certificate) rendered by the server is shown.
 */
(function () {
  "use strict";

  var coverage = {};

  function percentOf(share) { return Math.floor((share || 0) * 100); }

  function revealNextStep() {
    var card = document.querySelector("[data-next-step-card]");
    if (card && card.hidden) { card.hidden = false; }
  }

  function refresh() {
    var box = document.querySelector("[data-live-checklist]");
    var goal = box ? parseFloat(box.dataset.goal) : 100;
    Object.keys(coverage).forEach(function (key) {
      var item = document.querySelector('[data-outline-recording="' + key + '"]');
      if (!item || !box) { return; }
      var state = item.querySelector("[data-outline-state]");
      var done = coverage[key] >= goal;
      item.classList.toggle("state-done", done);
      if (state) {
        state.className = "status status-" + (done ? "done" : "in_progress");
        state.textContent = done ? box.dataset.doneState
          : box.dataset.watchedLabel.replace("__N__", String(coverage[key]));
      }
    });
    if (!box) { return; }
    var rule = box.querySelector('[data-rule="watch"][data-live]');
    if (rule) {
      var keys = Object.keys(coverage);
      var least = Math.min.apply(null, keys.map(function (k) { return coverage[k]; }));
      var met = keys.length > 0 && least >= goal;
      rule.classList.toggle("met", met);
      rule.classList.toggle("unmet", !met);
      var label = rule.querySelector("[data-rule-state]");
      if (label) { label.textContent = met ? box.dataset.doneLabel : box.dataset.todoLabel; }
      var detail = rule.querySelector("[data-rule-detail]");
      if (detail && keys.length === 1) {
        detail.textContent = box.dataset.watchedLabel.replace("__N__", String(least));
      }
      if (met) { revealNextStep(); }
    }
    var count = box.querySelectorAll(".checklist > li.met").length;
    var bar = box.querySelector("[data-checklist-progress]");
    if (bar) { bar.value = count; bar.textContent = count + "/" + bar.max; }
    var figure = box.querySelector("[data-checks-met]");
    if (figure) { figure.textContent = String(count); }
  }

  document.querySelectorAll("[data-attune-watch]").forEach(function (tracker) {
    coverage[tracker.dataset.recordingId] = parseInt(tracker.dataset.coverage || "0", 10);
  });

  document.addEventListener("attune-watch:beat", function (event) {
    var tracker = event.target.closest ? event.target.closest("[data-attune-watch]") : null;
    var detail = event.detail || {};
    if (!tracker || typeof detail.coverage !== "number") { return; }
    coverage[tracker.dataset.recordingId] = percentOf(detail.coverage);
    refresh();
    if (detail.goal_reached) { revealNextStep(); }
  });

  function watchEnd(video) {
    if (video && !video.dataset.attuneNextStep) {
      video.dataset.attuneNextStep = "1";
      video.addEventListener("ended", revealNextStep);
    }
  }

  document.addEventListener("attune-player:ready", function (event) {
    watchEnd((event.detail || {}).video);
  }, true);
  document.querySelectorAll("[data-attune-player] video, video[data-attune-recording]").forEach(watchEnd);
}());

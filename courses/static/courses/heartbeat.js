/*
 * Attune watch heartbeat.
 *
 * For each recording an enrolled learner sees, the page renders a tracker element
 * ([data-attune-watch], with the recording id, a signed token and the endpoint). This script
 * finds the recording's <video> — from the player's `attune-player:ready` event
 * ({video, recordingId}: the recording's key) or a plain <video data-attune-recording="key">
 * — and every ~10 s
 * (and on pause, end, seek and when the page is hidden) sends the ranges played since the
 * last acknowledged beat, the playback rate and the position. The server decides what
 * counts; this script only reports.
 */
(function () {
  "use strict";

  var DEFAULT_INTERVAL_S = 10;
  var attached = new WeakMap();

  function sessionId() {
    if (window.crypto && window.crypto.randomUUID) {
      return "pg-" + window.crypto.randomUUID();
    }
    return "pg-" + Math.random().toString(36).slice(2) + Date.now().toString(36);
  }

  function merge(ranges) {
    var sorted = ranges.slice().sort(function (a, b) { return a[0] - b[0]; });
    var out = [];
    sorted.forEach(function (r) {
      if (r[1] <= r[0]) { return; }
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); }
      else { out.push([r[0], r[1]]); }
    });
    return out;
  }

  function subtract(ranges, known) {
    var out = [];
    ranges.forEach(function (r) {
      var cursor = r[0];
      known.forEach(function (k) {
        if (k[1] <= cursor || k[0] >= r[1]) { return; }
        if (k[0] > cursor) { out.push([cursor, k[0]]); }
        cursor = Math.max(cursor, k[1]);
      });
      if (cursor < r[1]) { out.push([cursor, r[1]]); }
    });
    return out.filter(function (r) { return r[1] - r[0] > 0.05; });
  }

  function played(video) {
    var ranges = [];
    for (var i = 0; i < video.played.length; i++) {
      ranges.push([video.played.start(i), video.played.end(i)]);
    }
    return merge(ranges);
  }

  function Tracker(video, config) {
    this.video = video;
    this.config = config;
    this.session = sessionId();
    this.seq = 0;
    this.acknowledged = [];
    this.timer = null;
    this.inFlight = false;
    this.status = config.querySelector("[data-watch-coverage]");
    var self = this;
    var beat = function (event) { self.beat(false, event.type); };
    video.addEventListener("play", function () { self.start("play"); });
    video.addEventListener("pause", beat);
    video.addEventListener("ended", beat);
    video.addEventListener("seeking", beat);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { self.beat(true); }
    });
    window.addEventListener("pagehide", function () { self.beat(true); });
    this.resume();
    if (!video.paused) { this.start(); }
  }

  Tracker.prototype.resume = function () {
    var video = this.video;
    var position = parseFloat(this.config.dataset.position || "0");
    if (!(position > 1)) { return; }
    var seek = function () {
      if (video.currentTime < 1 && position < video.duration - 5) { video.currentTime = position; }
    };
    if (video.readyState >= 1) { seek(); }
    else { video.addEventListener("loadedmetadata", seek, { once: true }); }
  };

  Tracker.prototype.start = function (event) {
    var self = this;
    if (this.timer) { return; }
    this.beat(false, event);
    this.timer = window.setInterval(function () {
      if (self.video.paused) {
        window.clearInterval(self.timer);
        self.timer = null;
        return;
      }
      self.beat(false);
    }, (parseFloat(this.config.dataset.interval) || DEFAULT_INTERVAL_S) * 1000);
  };

  // `event`: what the player did (play, pause, seeking, ended), for learning record stores.
  Tracker.prototype.beat = function (leaving, event) {
    var self = this;
    var ranges = subtract(played(this.video), this.acknowledged);
    if (this.inFlight && !leaving) { return; }
    var body = JSON.stringify({
      token: this.config.dataset.token,
      session: this.session,
      seq: this.seq++,
      ranges: ranges,
      rate: this.video.playbackRate || 1,
      position: this.video.currentTime || 0,
      event: event || ""
    });
    this.inFlight = !leaving;
    window.fetch(this.config.dataset.endpoint, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: { "Content-Type": "application/json", "X-CSRFToken": this.config.dataset.csrf },
      body: body
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (!data) { return; }
      if (data.token) { self.config.dataset.token = data.token; }
      self.acknowledged = merge(self.acknowledged.concat(ranges));
      if (self.status) { self.status.textContent = String(Math.floor(data.coverage * 100)); }
      self.config.dispatchEvent(new CustomEvent("attune-watch:beat", { bubbles: true, detail: data }));
    }).catch(function () {
      /* Offline for a moment: the same ranges go with the next beat. */
    }).then(function () {
      self.inFlight = false;
    });
  };

  function configFor(recordingId) {
    return document.querySelector(
      '[data-attune-watch][data-recording-id="' + String(recordingId) + '"]'
    );
  }

  function attach(video, recordingId) {
    var config = configFor(recordingId);
    if (!video || !config || attached.has(video)) { return; }
    attached.set(video, new Tracker(video, config));
  }

  // The player announces itself on its root element; capture sees it even if it does not
  // bubble.
  document.addEventListener("attune-player:ready", function (event) {
    var detail = event.detail || {};
    attach(detail.video, detail.recordingId);
  }, true);

  function scan() {
    document.querySelectorAll("video[data-attune-recording]").forEach(function (video) {
      attach(video, video.dataset.attuneRecording);
    });
    // A player that was set up before this script ran.
    document.querySelectorAll(".attune-player--enhanced[data-recording-id]").forEach(function (root) {
      var video = root.querySelector("video");
      if (video && video.readyState >= 1) { attach(video, root.dataset.recordingId); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", scan); }
  else { scan(); }
  window.AttuneHeartbeat = { attach: attach };
}());

/*
 * Attune's recording player: HLS through hls.js (loaded on demand from the static copy of
 * the npm package), native HLS where the browser is Safari (or has no Media Source
 * Extensions), and the MP4 fallback otherwise. Captions, speed, resume from the last
 * position (localStorage), and keyboard control with visible focus.
 *
 * Events for other code (e.g. watch-time accounting), dispatched on the player's root
 * element (<figure data-attune-player>), bubbling, each with detail {video, recordingId}:
 *   attune-player:ready    the video element is set up and its metadata is known
 *   attune-player:play     playback started or resumed
 *   attune-player:pause    playback paused
 *   attune-player:ended    playback reached the end
 *   attune-player:seeked   the viewer moved to another position (detail.from, detail.to)
 * Listen on document, e.g.
 *   document.addEventListener("attune-player:ready", (e) => watch(e.detail.video));
 * The video element itself fires the usual media events (timeupdate, ratechange, ...).
 */
(function () {
  "use strict";

  var SPEEDS_KEY = "attune-player:speed";
  var CAPTIONS_KEY = "attune-player:captions";
  var hlsLoading = null;

  function loadHls(src) {
    if (window.Hls) return Promise.resolve(window.Hls);
    if (!hlsLoading) {
      hlsLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.Hls); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return hlsLoading;
  }

  function clock(seconds) {
    if (!isFinite(seconds) || seconds < 0) seconds = 0;
    seconds = Math.floor(seconds);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function prefersNativeHls(video) {
    var native = video.canPlayType("application/vnd.apple.mpegurl");
    var mse = window.MediaSource || window.ManagedMediaSource;
    var apple = /Apple/.test(navigator.vendor || "");
    return Boolean(native) && (apple || !mse);
  }

  function Player(root) {
    this.root = root;
    this.video = root.querySelector("video");
    this.controls = root.querySelector(".attune-player__controls");
    this.status = root.querySelector("[data-status]");
    this.recordingId = root.dataset.recordingId;
    this.positionKey = "attune-player:position:" + this.recordingId;
    this.sources = JSON.parse(root.querySelector("script[type='application/json']").textContent);
    this.hls = null;
    this.refreshing = false;
    this.start();
  }

  Player.prototype.emit = function (name, extra) {
    var detail = { video: this.video, recordingId: this.recordingId };
    Object.keys(extra || {}).forEach(function (key) { detail[key] = extra[key]; });
    this.root.dispatchEvent(new CustomEvent("attune-player:" + name, { bubbles: true, detail: detail }));
  };

  Player.prototype.say = function (text) {
    if (this.status) this.status.textContent = text || "";
  };

  Player.prototype.start = function () {
    var self = this;
    this.controls.hidden = false;
    this.root.classList.add("attune-player--enhanced");
    this.bindControls();
    this.bindMedia();
    /* Until the stream is attached, a press of Play is remembered rather than lost: playing
       the fallback file now would stop as soon as hls.js takes the video element over. */
    this.ready = false;
    this.playWhenReady = false;
    this.load(0, false).then(function () {
      function becomeReady() {
        if (self.ready) return;
        self.ready = true;
        self.restorePosition();
        self.emit("ready");
        if (self.playWhenReady) self.video.play().catch(function () {});
      }
      if (self.video.readyState >= 1 && !self.hls) {
        becomeReady();
      } else {
        self.video.addEventListener("loadedmetadata", function once() {
          self.video.removeEventListener("loadedmetadata", once);
          becomeReady();
        });
      }
    });
  };

  /* Attach the current sources: HLS (hls.js or native) or the MP4 fallback. */
  Player.prototype.load = function (position, resume) {
    var self = this;
    var video = this.video;
    var sources = this.sources;
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    function seekWhenReady() {
      if (!position && !resume) return;
      video.addEventListener("loadedmetadata", function once() {
        video.removeEventListener("loadedmetadata", once);
        if (position) video.currentTime = position;
        if (resume) video.play().catch(function () {});
      });
    }
    if (sources.poster) video.poster = sources.poster;
    this.replaceTracks();
    if (sources.hls && prefersNativeHls(video)) {
      seekWhenReady();
      video.src = sources.hls;
      video.load();
      return Promise.resolve();
    }
    if (sources.hls && (window.MediaSource || window.ManagedMediaSource)) {
      return loadHls(this.root.dataset.hlsSrc).then(function (Hls) {
        if (!Hls || !Hls.isSupported()) return self.useMp4(position, resume);
        var hls = new Hls({ capLevelToPlayerSize: true, renderTextTracksNatively: true });
        self.hls = hls;
        hls.on(Hls.Events.ERROR, function (event, data) {
          if (!data.fatal) return;
          var code = data.response && data.response.code;
          if (data.type === Hls.ErrorTypes.NETWORK_ERROR && (code === 403 || code === 410)) {
            self.refresh();
          } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
            hls.recoverMediaError();
          } else {
            self.useMp4(video.currentTime, !video.paused);
          }
        });
        seekWhenReady();
        hls.loadSource(sources.hls);
        hls.attachMedia(video);
      }, function () {
        return self.useMp4(position, resume);
      });
    }
    return Promise.resolve(this.useMp4(position, resume));
  };

  Player.prototype.useMp4 = function (position, resume) {
    var video = this.video;
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    if (!this.sources.mp4) {
      this.say("This recording cannot play in this browser.");
      return;
    }
    video.removeAttribute("src");
    Array.prototype.forEach.call(video.querySelectorAll("source"), function (s) { s.remove(); });
    video.src = this.sources.mp4;
    if (position || resume) {
      video.addEventListener("loadedmetadata", function once() {
        video.removeEventListener("loadedmetadata", once);
        if (position) video.currentTime = position;
        if (resume) video.play().catch(function () {});
      });
    }
    video.load();
  };

  /* Signed URLs expire (a long pause, say): ask for fresh ones and carry on. */
  Player.prototype.refresh = function () {
    var self = this;
    var now = Date.now();
    /* At most once every 30 s, so a file that is really broken does not loop. */
    if (this.refreshing || now - (this.lastRefresh || 0) < 30000) return;
    this.refreshing = true;
    this.lastRefresh = now;
    var position = this.video.currentTime;
    var playing = !this.video.paused;
    fetch(this.root.dataset.sourcesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (sources) {
        var captions = self.captionsSelect.value;
        self.sources = sources;
        return self.load(position, playing).then(function () { self.showCaptions(captions); });
      })
      .catch(function () {
        self.say("The recording stopped loading. Reload the page to keep watching.");
      })
      .then(function () { self.refreshing = false; });
  };

  Player.prototype.replaceTracks = function () {
    var video = this.video;
    var existing = video.querySelectorAll("track");
    var wanted = this.sources.captions || [];
    var same = existing.length === wanted.length && wanted.every(function (c, i) {
      return existing[i].src.indexOf(c.src) !== -1 || existing[i].getAttribute("src") === c.src;
    });
    if (same) return;
    Array.prototype.forEach.call(existing, function (t) { t.remove(); });
    wanted.forEach(function (caption) {
      var track = document.createElement("track");
      track.kind = "captions";
      track.srclang = caption.language;
      track.label = caption.label;
      track.src = caption.src;
      video.appendChild(track);
    });
  };

  Player.prototype.showCaptions = function (language) {
    var tracks = this.video.textTracks;
    for (var i = 0; i < tracks.length; i++) {
      var track = tracks[i];
      if (track.kind !== "captions" && track.kind !== "subtitles") continue;
      track.mode = language && track.language === language ? "showing" : "disabled";
    }
    this.captionsSelect.value = language || "";
    var store = storage();
    if (store) store.setItem(CAPTIONS_KEY, language || "");
  };

  Player.prototype.restorePosition = function () {
    var store = storage();
    var saved = store ? parseFloat(store.getItem(this.positionKey) || "0") : 0;
    var duration = this.video.duration;
    if (saved > 5 && isFinite(duration) && saved < duration - 5) {
      this.video.currentTime = saved;
      this.say("Resuming at " + clock(saved) + ".");
    }
    var captions = store ? store.getItem(CAPTIONS_KEY) : "";
    if (captions) this.showCaptions(captions);
    var speed = store ? parseFloat(store.getItem(SPEEDS_KEY) || "1") : 1;
    if (speed && speed !== 1) this.setSpeed(speed);
  };

  Player.prototype.savePosition = function () {
    var store = storage();
    if (!store) return;
    var video = this.video;
    if (video.ended || video.currentTime < 1) {
      store.removeItem(this.positionKey);
    } else {
      store.setItem(this.positionKey, String(Math.floor(video.currentTime)));
    }
  };

  Player.prototype.setSpeed = function (speed) {
    this.video.playbackRate = speed;
    this.speedSelect.value = String(speed);
    var store = storage();
    if (store) store.setItem(SPEEDS_KEY, String(speed));
  };

  Player.prototype.seekBy = function (seconds) {
    var video = this.video;
    var end = isFinite(video.duration) ? video.duration : Infinity;
    video.currentTime = Math.max(0, Math.min(end, video.currentTime + seconds));
  };

  Player.prototype.toggle = function () {
    if (!this.ready) {
      this.playWhenReady = !this.playWhenReady;
      this.say(this.playWhenReady ? "Loading; it will play in a moment." : "");
      return;
    }
    if (this.video.paused || this.video.ended) {
      this.video.play().catch(function () {});
    } else {
      this.video.pause();
    }
  };

  Player.prototype.bindControls = function () {
    var self = this;
    var root = this.root;
    var video = this.video;
    this.playButton = root.querySelector("[data-action='play']");
    this.muteButton = root.querySelector("[data-action='mute']");
    this.seek = root.querySelector("[data-control='seek']");
    this.volume = root.querySelector("[data-control='volume']");
    this.captionsSelect = root.querySelector("[data-control='captions']");
    this.speedSelect = root.querySelector("[data-control='speed']");
    this.time = root.querySelector("[data-time]");

    this.playButton.addEventListener("click", function () { self.toggle(); });
    root.querySelector("[data-action='back']").addEventListener("click", function () { self.seekBy(-10); });
    root.querySelector("[data-action='forward']").addEventListener("click", function () { self.seekBy(10); });
    this.muteButton.addEventListener("click", function () { video.muted = !video.muted; });
    this.volume.addEventListener("input", function () {
      video.volume = parseFloat(self.volume.value);
      video.muted = video.volume === 0;
    });
    this.seek.addEventListener("input", function () { video.currentTime = parseFloat(self.seek.value); });
    this.captionsSelect.addEventListener("change", function () { self.showCaptions(self.captionsSelect.value); });
    this.speedSelect.addEventListener("change", function () { self.setSpeed(parseFloat(self.speedSelect.value)); });
    root.querySelector("[data-action='fullscreen']").addEventListener("click", function () {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (root.requestFullscreen) {
        root.requestFullscreen();
      } else if (video.webkitEnterFullscreen) {
        video.webkitEnterFullscreen();
      }
    });
    video.addEventListener("click", function () { self.toggle(); });

    /* Keys work anywhere in the player except where a control needs them itself. */
    root.addEventListener("keydown", function (event) {
      var target = event.target;
      var tag = target.tagName;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (tag === "SELECT" || (tag === "INPUT" && /^(ArrowLeft|ArrowRight|ArrowUp|ArrowDown|Home|End)$/.test(event.key))) return;
      var handled = true;
      switch (event.key) {
        case " ":
        case "k":
        case "K":
          if (tag === "BUTTON" && event.key === " ") { handled = false; break; }
          self.toggle();
          break;
        case "ArrowLeft": self.seekBy(-5); break;
        case "ArrowRight": self.seekBy(5); break;
        case "ArrowUp": video.volume = Math.min(1, video.volume + 0.1); break;
        case "ArrowDown": video.volume = Math.max(0, video.volume - 0.1); break;
        case "m":
        case "M": video.muted = !video.muted; break;
        case "c":
        case "C": {
          var first = (self.sources.captions || [])[0];
          self.showCaptions(self.captionsSelect.value ? "" : (first && first.language) || "");
          break;
        }
        case "f":
        case "F": root.querySelector("[data-action='fullscreen']").click(); break;
        default: handled = false;
      }
      if (handled) event.preventDefault();
    });
  };

  Player.prototype.bindMedia = function () {
    var self = this;
    var video = this.video;
    var lastSaved = 0;
    var lastTime = 0;
    function paint() {
      var playing = !video.paused && !video.ended;
      self.playButton.textContent = playing ? "Pause" : "Play";
      self.playButton.setAttribute("aria-label", playing ? "Pause" : "Play");
      var duration = isFinite(video.duration) ? video.duration : (self.sources.duration || 0);
      self.seek.max = String(Math.floor(duration));
      self.seek.value = String(Math.floor(video.currentTime));
      self.seek.setAttribute("aria-valuetext", clock(video.currentTime) + " of " + clock(duration));
      self.time.textContent = clock(video.currentTime) + " / " + clock(duration);
      self.muteButton.textContent = video.muted ? "Unmute" : "Mute";
      self.muteButton.setAttribute("aria-pressed", video.muted ? "true" : "false");
      self.volume.value = String(video.muted ? 0 : video.volume);
    }
    ["play", "pause", "ended", "timeupdate", "durationchange", "volumechange", "loadedmetadata"].forEach(function (name) {
      video.addEventListener(name, paint);
    });
    video.addEventListener("play", function () { self.say(""); self.emit("play"); });
    video.addEventListener("pause", function () { self.savePosition(); self.emit("pause"); });
    video.addEventListener("ended", function () { self.savePosition(); self.emit("ended"); });
    video.addEventListener("seeking", function () { self.seekFrom = lastTime; });
    video.addEventListener("seeked", function () {
      self.emit("seeked", { from: self.seekFrom, to: video.currentTime });
    });
    video.addEventListener("timeupdate", function () {
      if (!video.seeking) lastTime = video.currentTime;
      if (Math.abs(video.currentTime - lastSaved) >= 5) {
        lastSaved = video.currentTime;
        self.savePosition();
      }
    });
    video.addEventListener("error", function () {
      /* Native HLS and the MP4 fallback report expired URLs only as a media error. */
      if (!self.hls) self.refresh();
    });
    window.addEventListener("pagehide", function () { self.savePosition(); });
  };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-attune-player]"), function (root) {
      if (!root.attunePlayer) root.attunePlayer = new Player(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

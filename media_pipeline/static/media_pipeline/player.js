/*
 * Attune's recording player: HLS through hls.js (loaded on demand from the static copy of
 * the npm package), native HLS where the browser is Safari (or has no Media Source
 * Extensions), and the MP4 fallback otherwise. Captions, speed, resume from the last
 * position (localStorage), and keyboard control with visible focus.
 *
 * Captions start as the server says (the viewer's profile preference, data-captions-showing)
 * unless the viewer chose otherwise in a player since that preference last changed: the
 * browser keeps that choice, with the preference it overrode, across videos.
 *
 * The interactive transcript (section[data-transcript]) is read from the signed WebVTT of
 * the language the captions show (or last showed): the line being said is highlighted and
 * kept in view inside the transcript's own scroll box; a line plays the video from there;
 * search marks every match and steps through them.
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

  // Django's JavaScript catalog (/jsi18n/); English if it failed to load.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return values[name]; });
  };

  var SPEEDS_KEY = "attune-player:speed";
  var CAPTIONS_KEY = "attune-player:captions";
  var TRANSCRIPT_KEY = "attune-player:transcript";
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

  /* ---- The interactive transcript ---- */

  var TIME = /^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})$/;

  function vttSeconds(text) {
    var m = TIME.exec(text.trim());
    if (!m) return NaN;
    return (parseInt(m[1] || "0", 10) * 3600) + parseInt(m[2], 10) * 60 + parseInt(m[3], 10) + parseInt(m[4], 10) / 1000;
  }

  var ENTITIES = { amp: "&", lt: "<", gt: ">", nbsp: " ", quot: "\"", apos: "'", lrm: "", rlm: "" };

  /* A WebVTT track's cues: {start, end, text} without markup, in time order. */
  function parseVtt(text) {
    var cues = [];
    text.replace(/\r\n?/g, "\n").split(/\n{2,}/).forEach(function (block) {
      var lines = block.split("\n");
      var at = -1;
      for (var i = 0; i < lines.length && i < 2; i++) {
        if (lines[i].indexOf("-->") !== -1) { at = i; break; }
      }
      if (at === -1) return; /* the header, NOTE, STYLE and REGION blocks */
      var times = lines[at].split("-->");
      var start = vttSeconds(times[0]);
      var end = vttSeconds((times[1] || "").trim().split(/\s+/)[0] || "");
      if (!isFinite(start)) return;
      var words = lines.slice(at + 1).join(" ")
        .replace(/<[^>]*>/g, "")
        .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, function (all, name) {
          if (name.charAt(0) === "#") {
            var code = name.charAt(1).toLowerCase() === "x" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
            return isFinite(code) ? String.fromCodePoint(code) : all;
          }
          var known = ENTITIES[name.toLowerCase()];
          return known === undefined ? all : known;
        })
        .replace(/\s+/g, " ").trim();
      if (words) cues.push({ start: start, end: isFinite(end) ? end : start, text: words });
    });
    cues.sort(function (a, b) { return a.start - b.start; });
    return cues;
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  var transcriptCount = 0;

  function Transcript(player, section) {
    var self = this;
    this.player = player;
    this.section = section;
    this.text = section.dataset;
    this.list = section.querySelector("[data-transcript-lines]");
    this.search = section.querySelector("[data-transcript-search]");
    this.count = section.querySelector("[data-transcript-count]");
    this.previousButton = section.querySelector("[data-transcript-previous]");
    this.nextButton = section.querySelector("[data-transcript-next]");
    this.download = section.querySelector("[data-transcript-download]");
    this.label = section.querySelector("[data-transcript-label]");
    this.automaticNote = section.querySelector("[data-transcript-automatic]");
    this.toggleButton = player.root.querySelector("[data-action='transcript']");
    this.cache = {};
    this.cues = [];
    this.items = [];
    this.current = -1;
    this.matches = [];
    this.match = -1;
    this.language = "";
    this.userScrolledAt = 0;
    transcriptCount += 1;
    section.id = section.id || "attune-transcript-" + transcriptCount;

    var store = storage();
    this.setOpen(!(store && store.getItem(TRANSCRIPT_KEY) === "hidden"), false);
    if (this.toggleButton) {
      this.toggleButton.setAttribute("aria-controls", section.id);
      this.toggleButton.addEventListener("click", function () { self.setOpen(section.hidden, true); });
    }
    this.list.addEventListener("click", function (event) {
      var item = event.target.closest("[data-start]");
      if (item) self.play(item);
    });
    this.list.addEventListener("keydown", function (event) { self.onLineKey(event); });
    this.list.addEventListener("focusin", function (event) {
      var item = event.target.closest("[data-start]");
      if (item) self.rove(item);
    });
    ["wheel", "touchmove"].forEach(function (name) {
      self.list.addEventListener(name, function () { self.userScrolledAt = Date.now(); }, { passive: true });
    });
    this.search.addEventListener("input", function () { self.find(self.search.value); });
    this.search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        self.step(event.shiftKey ? -1 : 1);
      } else if (event.key === "Escape" && self.search.value) {
        event.preventDefault();
        self.search.value = "";
        self.find("");
      }
    });
    this.previousButton.addEventListener("click", function () { self.step(-1); });
    this.nextButton.addEventListener("click", function () { self.step(1); });
    player.video.addEventListener("timeupdate", function () { self.follow(); });
    player.video.addEventListener("seeked", function () { self.follow(); });
  }

  Transcript.prototype.setOpen = function (open, remember) {
    this.section.hidden = !open;
    this.player.root.classList.toggle("attune-player--transcript-open", open);
    if (this.toggleButton) this.toggleButton.setAttribute("aria-expanded", open ? "true" : "false");
    var store = storage();
    if (remember && store) store.setItem(TRANSCRIPT_KEY, open ? "shown" : "hidden");
    if (open) this.follow(true);
  };

  Transcript.prototype.caption = function (language) {
    var captions = this.player.sources.captions || [];
    return captions.filter(function (c) { return c.language === language; })[0] || captions[0] || null;
  };

  /* Show the transcript of ``language`` (its cues fetched once per page). */
  Transcript.prototype.show = function (language) {
    var self = this;
    var caption = this.caption(language);
    if (!caption) return;
    if (caption.language === this.language && this.cues.length) return;
    this.language = caption.language;
    this.label.textContent = "(" + caption.label + ")";
    this.automaticNote.hidden = !caption.automatic;
    this.download.href = caption.transcript;
    this.section.setAttribute("lang", caption.language);
    this.list.setAttribute("aria-busy", "true");
    this.render([], this.text.textLoading);
    this.cues_for(caption).then(function (cues) {
      if (self.language !== caption.language) return;
      self.render(cues, cues.length ? "" : self.text.textEmpty);
    }, function () {
      if (self.language !== caption.language) return;
      self.render([], self.text.textFailed);
    });
  };

  Transcript.prototype.cues_for = function (caption) {
    var self = this;
    var language = caption.language;
    if (this.cache[language]) return this.cache[language];
    function get(src) {
      return fetch(src, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      });
    }
    /* A signed URL may have expired while the page stayed open: ask for fresh ones once. */
    var loading = get(caption.src).catch(function () {
      return fetch(self.player.root.dataset.sourcesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (sources) {
          var fresh = (sources.captions || []).filter(function (c) { return c.language === language; })[0];
          if (!fresh) throw new Error("gone");
          return get(fresh.src);
        });
    }).then(parseVtt);
    loading.catch(function () { delete self.cache[language]; });
    this.cache[language] = loading;
    return loading;
  };

  Transcript.prototype.render = function (cues, message) {
    var self = this;
    this.cues = cues;
    this.items = [];
    this.current = -1;
    this.list.textContent = "";
    if (message) {
      var note = document.createElement("li");
      note.className = "attune-transcript__message";
      note.textContent = message;
      this.list.appendChild(note);
    }
    var fragment = document.createDocumentFragment();
    cues.forEach(function (cue, index) {
      var item = document.createElement("li");
      var line = document.createElement("button");
      line.type = "button";
      line.className = "attune-transcript__line";
      line.dataset.start = String(cue.start);
      line.dataset.index = String(index);
      line.tabIndex = index === 0 ? 0 : -1;
      var time = document.createElement("span");
      time.className = "attune-transcript__time";
      time.textContent = clock(cue.start);
      var words = document.createElement("span");
      words.className = "attune-transcript__words";
      words.textContent = cue.text;
      line.appendChild(time);
      line.appendChild(document.createTextNode(" "));
      line.appendChild(words);
      item.appendChild(line);
      fragment.appendChild(item);
      self.items.push(line);
    });
    this.list.appendChild(fragment);
    this.list.setAttribute("aria-busy", "false");
    if (this.search.value) {
      this.find(this.search.value);
    } else {
      this.find("");
    }
    this.follow(true);
  };

  /* One line of the list is in the Tab order: the one last focused or being said. */
  Transcript.prototype.rove = function (line) {
    this.items.forEach(function (item) { item.tabIndex = item === line ? 0 : -1; });
  };

  Transcript.prototype.onLineKey = function (event) {
    var line = event.target.closest("[data-start]");
    if (!line) return;
    var index = parseInt(line.dataset.index, 10);
    var next = null;
    switch (event.key) {
      case "ArrowDown": next = this.items[index + 1]; break;
      case "ArrowUp": next = this.items[index - 1]; break;
      case "Home": next = this.items[0]; break;
      case "End": next = this.items[this.items.length - 1]; break;
      default: return;
    }
    event.preventDefault();
    if (next) {
      this.rove(next);
      next.focus();
    }
  };

  Transcript.prototype.play = function (line) {
    var video = this.player.video;
    var start = parseFloat(line.dataset.start);
    this.rove(line);
    this.player.whenReady(function () {
      video.currentTime = start;
      video.play().catch(function () {});
    });
  };

  /* The index of the cue being said at ``time`` (the last one started: it stays lit through
     a pause in the speech), or -1 before the first. */
  Transcript.prototype.cueAt = function (time) {
    var cues = this.cues;
    var low = 0;
    var high = cues.length - 1;
    var found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (cues[middle].start <= time + 0.05) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  };

  Transcript.prototype.follow = function (force) {
    if (!this.cues.length || this.section.hidden) return;
    var index = this.cueAt(this.player.video.currentTime);
    if (index === this.current && !force) return;
    var old = this.items[this.current];
    if (old) {
      old.classList.remove("attune-transcript__line--current");
      old.removeAttribute("aria-current");
    }
    this.current = index;
    var line = this.items[index];
    if (!line) return;
    line.classList.add("attune-transcript__line--current");
    line.setAttribute("aria-current", "true");
    var focusInside = this.list.contains(document.activeElement);
    if (!focusInside) this.rove(line);
    /* Keep the line in view without moving the page or the focus, unless the viewer is
       reading elsewhere in the transcript (scrolled it, or moving through it by keys). */
    if (focusInside || Date.now() - this.userScrolledAt < 4000) return;
    this.reveal(line);
  };

  /* Scroll the transcript's own box (never the page) so ``line`` is in view. */
  Transcript.prototype.reveal = function (line) {
    var list = this.list;
    var top = line.offsetTop - list.offsetTop;
    var bottom = top + line.offsetHeight;
    if (top >= list.scrollTop && bottom <= list.scrollTop + list.clientHeight) return;
    var target = Math.max(0, top - list.clientHeight / 3);
    if (list.scrollTo) {
      list.scrollTo({ top: target, behavior: reducedMotion() ? "auto" : "smooth" });
    } else {
      list.scrollTop = target;
    }
  };

  Transcript.prototype.find = function (query) {
    var needle = query.trim().toLowerCase();
    var matches = [];
    this.items.forEach(function (line, index) {
      var words = line.querySelector(".attune-transcript__words");
      var text = words.textContent;
      words.textContent = "";
      var lower = text.toLowerCase();
      var from = 0;
      if (needle) {
        for (var at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
          if (at > from) words.appendChild(document.createTextNode(text.slice(from, at)));
          var mark = document.createElement("mark");
          mark.className = "attune-transcript__match";
          mark.textContent = text.slice(at, at + needle.length);
          words.appendChild(mark);
          matches.push({ line: index, mark: mark });
          from = at + needle.length;
        }
      }
      if (from < text.length) words.appendChild(document.createTextNode(text.slice(from)));
    });
    this.matches = matches;
    this.match = -1;
    var any = matches.length > 0;
    this.previousButton.disabled = !any;
    this.nextButton.disabled = !any;
    if (!needle) {
      this.count.textContent = "";
    } else if (!any) {
      this.count.textContent = this.text.textNoMatches;
    } else {
      this.step(1);
    }
  };

  /* Move to the next (1) or previous (-1) match, round the ends. */
  Transcript.prototype.step = function (direction) {
    var total = this.matches.length;
    if (!total) return;
    var old = this.matches[this.match];
    if (old) old.mark.classList.remove("attune-transcript__match--current");
    this.match = (this.match + direction + total) % total;
    var found = this.matches[this.match];
    found.mark.classList.add("attune-transcript__match--current");
    this.count.textContent = this.text.textMatches
      .replace("%(current)s", String(this.match + 1))
      .replace("%(total)s", String(total));
    this.userScrolledAt = Date.now();
    this.rove(this.items[found.line]);
    this.reveal(this.items[found.line]);
  };

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
    var section = root.querySelector("[data-transcript]");
    this.transcript = section ? new Transcript(this, section) : null;
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
    var captions = this.startingCaptions();
    if (this.transcript) this.transcript.show(captions || this.root.dataset.transcriptLanguage);
    this.load(0, false).then(function () {
      function becomeReady() {
        if (self.ready) return;
        self.ready = true;
        self.restorePosition();
        self.showCaptions(captions);
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
      this.say(gettext("This recording cannot play in this browser."));
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
        self.say(gettext("The recording stopped loading. Reload the page to keep watching."));
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

  /* The language to show for a wish ("" is off): the track in that language or its primary
     language, else the first track (the viewer asked for captions on). */
  Player.prototype.captionLanguageFor = function (wish) {
    var captions = this.sources.captions || [];
    if (!wish || !captions.length) return "";
    var languages = captions.map(function (c) { return c.language; });
    var lower = wish.toLowerCase();
    var primary = lower.split("-")[0];
    var exact = languages.filter(function (l) { return l.toLowerCase() === lower; })[0];
    var near = languages.filter(function (l) { return l.toLowerCase().split("-")[0] === primary; })[0];
    return exact || near || languages[0];
  };

  /* The viewer's own choice from an earlier player, unless their profile preference changed
     since (then the preference, as the server rendered it, wins again). */
  Player.prototype.startingCaptions = function () {
    var store = storage();
    var server = this.root.dataset.captionsShowing || "";
    var saved = store ? store.getItem(CAPTIONS_KEY) : null;
    if (saved === null) return server;
    var choice;
    try {
      choice = JSON.parse(saved);
    } catch (error) {
      choice = null;
    }
    if (!choice || typeof choice !== "object" || choice.preference !== this.root.dataset.preference) return server;
    return this.captionLanguageFor(choice.language || "");
  };

  Player.prototype.chooseCaptions = function (language) {
    this.showCaptions(language);
    var store = storage();
    if (store) {
      store.setItem(CAPTIONS_KEY, JSON.stringify({ language: language || "", preference: this.root.dataset.preference || "" }));
    }
  };

  Player.prototype.showCaptions = function (language) {
    var tracks = this.video.textTracks;
    for (var i = 0; i < tracks.length; i++) {
      var track = tracks[i];
      if (track.kind !== "captions" && track.kind !== "subtitles") continue;
      track.mode = language && track.language === language ? "showing" : "disabled";
    }
    this.captionsSelect.value = language || "";
    if (language && this.transcript) this.transcript.show(language);
  };

  Player.prototype.restorePosition = function () {
    var store = storage();
    var saved = store ? parseFloat(store.getItem(this.positionKey) || "0") : 0;
    var duration = this.video.duration;
    if (saved > 5 && isFinite(duration) && saved < duration - 5) {
      this.video.currentTime = saved;
      this.say(interpolate(gettext("Resuming at %(time)s."), { time: clock(saved) }, true));
    }
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

  /* Run ``action`` once the stream is attached (at once if it is). */
  Player.prototype.whenReady = function (action) {
    if (this.ready) {
      action();
    } else {
      this.root.addEventListener("attune-player:ready", function once() {
        action();
      }, { once: true });
    }
  };

  Player.prototype.toggle = function () {
    if (!this.ready) {
      this.playWhenReady = !this.playWhenReady;
      this.say(this.playWhenReady ? gettext("Loading; it will play in a moment.") : "");
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
    this.captionsSelect.addEventListener("change", function () { self.chooseCaptions(self.captionsSelect.value); });
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
      /* The transcript has keys of its own (typing a search, moving between lines). */
      if (target.closest && target.closest("[data-transcript]")) return;
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
          var last = self.transcript && self.transcript.language;
          self.chooseCaptions(self.captionsSelect.value ? "" : last || (first && first.language) || "");
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
      var playLabel = playing ? gettext("Pause") : gettext("Play");
      self.playButton.textContent = playLabel;
      self.playButton.setAttribute("aria-label", playLabel);
      var duration = isFinite(video.duration) ? video.duration : (self.sources.duration || 0);
      self.seek.max = String(Math.floor(duration));
      self.seek.value = String(Math.floor(video.currentTime));
      self.seek.setAttribute("aria-valuetext", interpolate(
        gettext("%(current)s of %(total)s"),
        { current: clock(video.currentTime), total: clock(duration) },
        true
      ));
      self.time.textContent = clock(video.currentTime) + " / " + clock(duration);
      self.muteButton.textContent = video.muted ? gettext("Unmute") : gettext("Mute");
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

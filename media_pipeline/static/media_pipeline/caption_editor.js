/* The caption editor: a track's cues beside the video. Click a cue's number (or Enter on it)
   to play from it; the cue being played is highlighted. Edit words and times, split at the
   cursor, merge, shift, add, delete, undo; every action has a button and a shortcut (listed
   on the page). Saving posts the cues as JSON with the version they started from. */
(function () {
  "use strict";

  var root = document.querySelector("[data-attune-caption-editor]");
  if (!root) return;
  var data = JSON.parse(document.getElementById("attune-caption-editor-data").textContent);
  var t = JSON.parse(document.getElementById("attune-caption-editor-strings").textContent);
  var list = root.querySelector("[data-editor-list]");
  var template = document.getElementById("attune-cue-template");
  var video = root.querySelector("[data-editor-video]");
  var announcer = root.querySelector("[data-editor-announce]");
  var now = root.querySelector("[data-editor-now]");
  var result = root.querySelector("[data-editor-result]");
  var saveButton = root.querySelector("[data-editor-save]");
  var undoButton = root.querySelector('[data-editor-action="undo"]');
  var following = root.querySelector("[data-editor-following]");
  var reviewed = root.querySelector("[data-editor-reviewed]");
  var STEP = 0.1;

  var cues = data.cues.map(function (cue) {
    return { start: cue.start, end: cue.end, text: cue.text };
  });
  var version = data.version;
  var undoStack = [];
  var current = 0;
  var playing = -1;
  var dirty = Boolean(data.newLanguage);
  var saving = false;
  var carets = {};
  var pending = null; // the state before the edit now being typed (one undo step per edit)

  function say(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, name) {
      return values && name in values ? values[name] : "";
    });
  }

  function clock(seconds) {
    var millis = Math.round(seconds * 1000);
    var h = Math.floor(millis / 3600000);
    var m = Math.floor((millis % 3600000) / 60000);
    var s = ((millis % 60000) / 1000).toFixed(3);
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + s.padStart(6, "0");
  }

  function round(seconds) {
    return Math.round(seconds * 1000) / 1000;
  }

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 30);
  }

  function snapshot() {
    return { cues: cues.map(function (cue) { return Object.assign({}, cue); }), current: current };
  }

  function remember(state) {
    undoStack.push(state || snapshot());
    if (undoStack.length > 200) undoStack.shift();
    undoButton.disabled = false;
    dirty = true;
  }

  function rowOf(index) {
    return list.children[index] || null;
  }

  function textareaOf(index) {
    var row = rowOf(index);
    return row ? row.querySelector("[data-cue-text]") : null;
  }

  function problemsOf(cue) {
    if (!(cue.end > cue.start)) return { error: t.endBeforeStart };
    if (!cue.text.trim()) return { error: t.empty || t.lastCue };
    var lines = cue.text.split("\n");
    var long = lines.length > data.lines || lines.some(function (line) {
      return line.length > data.lineCharacters;
    });
    if (long) return { warning: say(t.tooLong, { lines: data.lines, chars: data.lineCharacters }) };
    return {};
  }

  function check(index) {
    var row = rowOf(index);
    if (!row) return;
    var found = problemsOf(cues[index]);
    var problem = row.querySelector("[data-cue-problem]");
    var message = found.error || found.warning || "";
    problem.textContent = message;
    problem.hidden = !message;
    row.classList.toggle("is-error", Boolean(found.error));
    row.classList.toggle("is-warning", Boolean(found.warning));
    row.querySelector("[data-cue-end]").setAttribute("aria-invalid", found.error === t.endBeforeStart ? "true" : "false");
  }

  function fill(row, index) {
    var cue = cues[index];
    var n = index + 1;
    var id = "attune-cue-" + n;
    row.id = id;
    var play = row.querySelector("[data-cue-play]");
    play.textContent = n;
    play.setAttribute("aria-label", say(t.play, { n: n, time: clock(cue.start) }));
    row.querySelector("[data-cue-start-label]").textContent = t.start;
    row.querySelector("[data-cue-end-label]").textContent = t.end;
    row.querySelector("[data-cue-start]").value = cue.start.toFixed(3);
    row.querySelector("[data-cue-end]").value = cue.end.toFixed(3);
    var text = row.querySelector("[data-cue-text]");
    text.id = id + "-text";
    text.value = cue.text;
    text.rows = Math.max(2, cue.text.split("\n").length);
    var label = row.querySelector("[data-cue-text-label]");
    label.htmlFor = text.id;
    label.textContent = say(t.text, { n: n });
    var problem = row.querySelector("[data-cue-problem]");
    problem.id = id + "-problem";
    text.setAttribute("aria-describedby", problem.id);
    row.querySelector("[data-cue-end]").setAttribute("aria-describedby", problem.id);
    row.dataset.index = index;
    row.classList.toggle("is-current", index === current);
    row.classList.toggle("is-playing", index === playing);
  }

  function render() {
    var fragment = document.createDocumentFragment();
    cues.forEach(function (cue, index) {
      var row = template.content.firstElementChild.cloneNode(true);
      fill(row, index);
      fragment.appendChild(row);
    });
    list.textContent = "";
    list.appendChild(fragment);
    cues.forEach(function (cue, index) { check(index); });
    refreshTrack();
  }

  function select(index, focus) {
    current = Math.max(0, Math.min(index, cues.length - 1));
    Array.prototype.forEach.call(list.children, function (row, i) {
      row.classList.toggle("is-current", i === current);
    });
    if (focus) {
      var text = textareaOf(current);
      if (text) {
        text.focus();
        if (typeof focus === "number") text.setSelectionRange(0, 0);
      }
    }
  }

  function indexOf(element) {
    var row = element && element.closest ? element.closest("[data-cue]") : null;
    return row ? Number(row.dataset.index) : -1;
  }

  // -- The video -----------------------------------------------------------------------------

  var track = null;
  var trackQueued = false;

  function refreshTrack() {
    if (!video || trackQueued || typeof VTTCue === "undefined") return;
    trackQueued = true;
    window.requestAnimationFrame(function () {
      trackQueued = false;
      if (!track) {
        track = video.addTextTrack("captions", data.newLabel || "Captions", data.newLanguage || "");
        track.mode = "showing";
      }
      Array.prototype.slice.call(track.cues || []).forEach(function (cue) { track.removeCue(cue); });
      cues.forEach(function (cue) {
        if (cue.end > cue.start) track.addCue(new VTTCue(cue.start, cue.end, cue.text));
      });
    });
  }

  function playFrom(index) {
    select(index, false);
    if (!video) return;
    video.currentTime = cues[current].start;
    var started = video.play();
    if (started && started.catch) started.catch(function () {});
    announce(say(t.playing, { n: current + 1 }));
  }

  function highlight() {
    var time = video.currentTime;
    var found = -1;
    for (var i = 0; i < cues.length; i += 1) {
      if (cues[i].start <= time && time < cues[i].end) { found = i; break; }
    }
    if (found === playing) return;
    var old = rowOf(playing);
    if (old) { old.classList.remove("is-playing"); old.removeAttribute("aria-current"); }
    playing = found;
    var row = rowOf(found);
    if (row) {
      row.classList.add("is-playing");
      row.setAttribute("aria-current", "true");
      if (!row.contains(document.activeElement)) row.scrollIntoView({ block: "nearest" });
    }
    now.textContent = found >= 0 ? say(t.playing, { n: found + 1 }) : "";
  }

  if (video) {
    video.addEventListener("timeupdate", highlight);
    video.addEventListener("seeked", highlight);
    var refetched = false;
    video.addEventListener("error", function () {
      // The signed URLs expire; fetch fresh ones once.
      if (refetched) return;
      refetched = true;
      fetch(video.dataset.sourcesUrl, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (sources) {
          if (sources && sources.mp4) { video.src = sources.mp4; video.load(); }
        })
        .catch(function () {});
    }, true);
  }

  // -- Changes -------------------------------------------------------------------------------

  function afterChange(message, focusIndex, caretAtStart) {
    render();
    select(focusIndex === undefined ? current : focusIndex, caretAtStart ? 1 : true);
    if (message) announce(message);
  }

  function split() {
    var cue = cues[current];
    var position = carets[current];
    if (position === undefined) position = -1;
    var before = cue.text.slice(0, position).trim();
    var after = cue.text.slice(position).trim();
    if (position < 0 || !before || !after) { announce(t.noSplit); return; }
    remember();
    var share = before.length / (before.length + after.length);
    var middle = round(cue.start + (cue.end - cue.start) * share);
    cues.splice(current, 1,
      { start: cue.start, end: middle, text: before },
      { start: middle, end: cue.end, text: after });
    delete carets[current];
    var n = current + 1;
    afterChange(say(t.split, { n: n }), current + 1, true);
  }

  function merge() {
    if (current >= cues.length - 1) { announce(t.noNext); return; }
    remember();
    var a = cues[current];
    var b = cues[current + 1];
    cues.splice(current, 2, {
      start: Math.min(a.start, b.start),
      end: Math.max(a.end, b.end),
      text: (a.text.trim() + " " + b.text.trim()).trim(),
    });
    afterChange(say(t.merged, { n: current + 1 }));
  }

  function shift(direction, all) {
    var delta = direction * STEP;
    delta = Math.max(delta, -cues[current].start);
    if (!delta) return;
    remember();
    var last = all ? cues.length - 1 : current;
    for (var i = current; i <= last; i += 1) {
      cues[i].start = round(cues[i].start + delta);
      cues[i].end = round(cues[i].end + delta);
    }
    var message = all ? t.shiftedFollowing : t.shifted;
    afterChange(say(message, { n: current + 1, time: clock(cues[current].start) }));
  }

  function add() {
    remember();
    var cue = cues[current];
    var next = cues[current + 1];
    var start = cue ? cue.end : 0;
    var end = next && next.start > start + 0.5 ? Math.min(next.start, start + 3) : start + 2;
    cues.splice(current + 1, 0, { start: round(start), end: round(end), text: "" });
    afterChange(say(t.added, { n: current + 2 }), current + 1);
  }

  function remove() {
    if (cues.length <= 1) { announce(t.lastCue); return; }
    remember();
    var n = current + 1;
    cues.splice(current, 1);
    afterChange(say(t.deleted, { n: n }), Math.min(current, cues.length - 1));
  }

  function undo() {
    var state = undoStack.pop();
    if (!state) { announce(t.nothingToUndo); return; }
    cues = state.cues;
    current = state.current;
    undoButton.disabled = undoStack.length === 0;
    dirty = true;
    afterChange(t.undone);
  }

  function run(action, all) {
    if (!cues.length && action !== "add") return;
    if (action === "play") playFrom(current);
    else if (action === "split") split();
    else if (action === "merge") merge();
    else if (action === "earlier") shift(-1, all || following.checked);
    else if (action === "later") shift(1, all || following.checked);
    else if (action === "add") add();
    else if (action === "delete") remove();
    else if (action === "undo") undo();
  }

  root.querySelectorAll("[data-editor-action]").forEach(function (button) {
    // Keep the caret where it was: the toolbar acts on the cue being edited.
    button.addEventListener("mousedown", function (event) { event.preventDefault(); });
    button.addEventListener("click", function () { run(button.dataset.editorAction, false); });
  });

  // -- Editing in the list -------------------------------------------------------------------

  list.addEventListener("focusin", function (event) {
    var index = indexOf(event.target);
    if (index < 0) return;
    if (index !== current) select(index, false);
    if (event.target.matches("[data-cue-text], [data-cue-start], [data-cue-end]")) pending = snapshot();
  });

  list.addEventListener("focusout", function () { pending = null; });

  function keepCaret(event) {
    if (!event.target.matches("[data-cue-text]")) return;
    carets[indexOf(event.target)] = event.target.selectionStart;
  }
  ["keyup", "click", "select", "input"].forEach(function (name) {
    list.addEventListener(name, keepCaret);
  });

  list.addEventListener("input", function (event) {
    var index = indexOf(event.target);
    if (index < 0) return;
    if (pending) { remember(pending); pending = null; }
    dirty = true;
    if (event.target.matches("[data-cue-text]")) {
      cues[index].text = event.target.value;
    } else {
      var value = parseFloat(event.target.value);
      if (!isFinite(value)) return;
      cues[index][event.target.matches("[data-cue-start]") ? "start" : "end"] = round(value);
    }
    check(index);
    refreshTrack();
  });

  list.addEventListener("click", function (event) {
    var index = indexOf(event.target);
    if (index < 0) return;
    if (event.target.closest("[data-cue-play]")) { playFrom(index); return; }
    if (event.target.closest("input, textarea, label")) return;
    playFrom(index);
  });

  // -- Shortcuts -----------------------------------------------------------------------------

  var ALT_KEYS = {
    ArrowUp: "previous", ArrowDown: "next", Enter: "play", KeyK: "toggle", KeyS: "split",
    KeyM: "merge", ArrowLeft: "earlier", ArrowRight: "later", KeyN: "add", Delete: "delete",
    Backspace: "delete", KeyZ: "undo",
  };

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var action = ALT_KEYS[event.code] || ALT_KEYS[event.key];
    if (!action) return;
    event.preventDefault();
    if (action === "previous") select(current - 1, true);
    else if (action === "next") select(current + 1, true);
    else if (action === "toggle") {
      if (video) { if (video.paused) video.play().catch(function () {}); else video.pause(); }
    } else run(action, event.shiftKey);
  });

  window.addEventListener("beforeunload", function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = t.unsaved;
  });

  // -- Saving --------------------------------------------------------------------------------

  function show(message, kind) {
    result.hidden = false;
    result.className = "attune-editor__result help-block " + (kind === "ok" ? "help-info" : "help-critical");
    result.textContent = message;
  }

  function addVersionRow(body) {
    var table = root.querySelector(".attune-editor__history tbody");
    if (!table) return;
    var row = document.createElement("tr");
    [body.version, body.when, body.by, body.state_label, body.cue_count, body.note, ""].forEach(function (value) {
      var cell = document.createElement("td");
      cell.textContent = value === undefined ? "" : value;
      row.appendChild(cell);
    });
    table.insertBefore(row, table.firstChild);
  }

  function save() {
    if (saving) return;
    for (var i = 0; i < cues.length; i += 1) {
      if (problemsOf(cues[i]).error) {
        show(say(t.fixFirst, { n: i + 1 }), "error");
        select(i, true);
        return;
      }
    }
    saving = true;
    saveButton.disabled = true;
    saveButton.setAttribute("aria-busy", "true");
    show(t.saving, "ok");
    var payload = { version: version, cues: cues, reviewed: reviewed.checked };
    if (data.newLanguage) { payload.language = data.newLanguage; payload.label = data.newLabel; }
    fetch(data.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": root.dataset.csrfToken, "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (!answer.ok) { show(answer.body.error, "error"); return; }
        dirty = false;
        if (data.newLanguage) { window.location.assign(answer.body.url); return; }
        version = answer.body.version;
        show(answer.body.message, "ok");
        var state = root.querySelector("[data-editor-state]");
        if (state) state.textContent = answer.body.state_label;
        if (answer.body.added) addVersionRow(answer.body);
      })
      .catch(function () { show(t.offline, "error"); })
      .then(function () {
        saving = false;
        saveButton.disabled = false;
        saveButton.removeAttribute("aria-busy");
      });
  }

  root.querySelector("[data-editor-form]").addEventListener("submit", function (event) {
    event.preventDefault();
    save();
  });

  render();
  window.attuneCaptionEditor = { ready: true };
  root.dispatchEvent(new CustomEvent("attune-caption-editor:ready", { bubbles: true }));
})();

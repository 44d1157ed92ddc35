/*
 * Resumable recording uploads from Wagtail's admin.
 *
 * The server decides where parts go (its answer to "start" names the backend): straight to
 * the S3 bucket through presigned URLs (the browser reports each part's ETag), or to Attune
 * with each part's SHA-256. Several parts travel at once. Choosing the same file again after
 * a reload finds the unfinished upload and sends only the parts the server does not have;
 * a dropped connection is retried with growing waits. Pause stops sending, Cancel removes
 * what arrived.
 */
(function () {
  "use strict";

  // Django's JavaScript catalog (Wagtail's admin loads it); English if it failed to load.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return values[name]; });
  };
  function say(format, values) {
    return interpolate(format, values, true);
  }

  var form = document.querySelector("[data-attune-uploader]");
  if (!form) return;
  var endpoints = JSON.parse(document.getElementById("attune-upload-endpoints").textContent);
  var PLACEHOLDER = "00000000-0000-0000-0000-000000000000";
  var csrf = form.dataset.csrfToken;
  var fileInput = form.querySelector("input[type='file']");
  var startButton = form.querySelector("[data-action='start']");
  var area = form.querySelector("[data-progress-area]");
  var bar = form.querySelector("[data-progress]");
  var statusLine = form.querySelector("[data-upload-status]");
  var errorBox = form.querySelector("[data-upload-error]");
  var pauseButton = form.querySelector("[data-action='pause']");
  var resumeButton = form.querySelector("[data-action='resume']");
  var cancelButton = form.querySelector("[data-action='cancel']");
  var upload = null;

  function UploadError(message, status) {
    this.message = message;
    this.status = status || 0;
  }

  function sessionUrl(id, suffix) {
    return endpoints.session.replace(PLACEHOLDER, id) + (suffix || "");
  }

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/json", Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) throw new UploadError(data.error || say(gettext("The server answered %(status)s."), { status: response.status }), response.status);
        return data;
      });
    }, function () {
      throw new UploadError(gettext("The connection was lost."), 0);
    });
  }

  function showError(message) {
    errorBox.hidden = !message;
    errorBox.textContent = message || "";
  }

  function megabytes(bytes) {
    if (bytes >= 1024 * 1024 * 1024) return (bytes / 1024 / 1024 / 1024).toFixed(2) + " GB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function duration(seconds) {
    if (!isFinite(seconds)) return "";
    seconds = Math.ceil(seconds);
    if (seconds < 60) return say(gettext("about %(seconds)s s left"), { seconds: seconds });
    var minutes = Math.round(seconds / 60);
    if (minutes < 90) return say(gettext("about %(minutes)s min left"), { minutes: minutes });
    return say(gettext("about %(hours)s h left"), { hours: (minutes / 60).toFixed(1) });
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }

  function Upload(file, session) {
    this.file = file;
    this.session = session;
    this.finished = new Set(session.finished_parts);
    this.inFlight = {};
    this.loaded = {};
    this.paused = false;
    this.stopped = false;
    this.samples = [];
    this.failures = 0;
  }

  Upload.prototype.partBlob = function (number) {
    var size = this.session.part_size;
    return this.file.slice((number - 1) * size, Math.min(number * size, this.file.size));
  };

  Upload.prototype.doneBytes = function () {
    var self = this;
    var total = 0;
    this.finished.forEach(function (n) { total += self.partBlob(n).size; });
    Object.keys(this.loaded).forEach(function (n) { total += self.loaded[n]; });
    return Math.min(total, this.file.size);
  };

  Upload.prototype.paint = function (note) {
    var done = this.doneBytes();
    var now = Date.now();
    this.samples.push([now, done]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 8000) this.samples.shift();
    var first = this.samples[0];
    var speed = now > first[0] ? ((done - first[1]) * 1000) / (now - first[0]) : 0;
    var percent = Math.floor((done / this.file.size) * 100);
    bar.value = percent;
    bar.textContent = percent + "%";
    var parts = [percent + "%", say(gettext("%(done)s of %(total)s"), { done: megabytes(done), total: megabytes(this.file.size) })];
    if (speed > 0 && !this.paused) {
      parts.push(megabytes(speed) + "/s");
      parts.push(duration((this.file.size - done) / speed));
    }
    statusLine.textContent = (note ? note + " " : "") + parts.join(" · ");
  };

  Upload.prototype.send = function (number) {
    var self = this;
    var blob = this.partBlob(number);
    var s3 = this.session.backend === "s3";
    var id = this.session.id;
    var prepare = s3
      ? api("POST", sessionUrl(id, "sign/"), { parts: [number] }).then(function (data) {
          return { url: data.urls[String(number)], headers: {} };
        })
      : blob.arrayBuffer().then(function (buffer) {
          return crypto.subtle.digest("SHA-256", buffer).then(function (digest) {
            return {
              url: sessionUrl(id, "parts/" + number + "/"),
              headers: { "X-CSRFToken": csrf, "X-Part-SHA256": hex(digest) },
            };
          });
        });
    return prepare.then(function (target) {
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        self.inFlight[number] = xhr;
        xhr.open("PUT", target.url);
        xhr.setRequestHeader("Content-Type", "application/octet-stream");
        Object.keys(target.headers).forEach(function (name) { xhr.setRequestHeader(name, target.headers[name]); });
        xhr.upload.onprogress = function (event) {
          self.loaded[number] = event.loaded;
          self.paint();
        };
        xhr.onload = function () {
          delete self.inFlight[number];
          delete self.loaded[number];
          if (xhr.status >= 200 && xhr.status < 300) {
            resolve(s3 ? xhr.getResponseHeader("ETag") : null);
          } else {
            var message = "";
            try { message = JSON.parse(xhr.responseText).error; } catch (error) { message = ""; }
            reject(new UploadError(message || say(gettext("Part %(number)s was refused (%(status)s)."), { number: number, status: xhr.status }), xhr.status));
          }
        };
        xhr.onerror = xhr.onabort = function () {
          delete self.inFlight[number];
          delete self.loaded[number];
          reject(new UploadError(gettext("The connection was lost."), 0));
        };
        xhr.send(blob);
      });
    }).then(function (etag) {
      if (!s3) return null;
      return api("POST", sessionUrl(id, "parts/" + number + "/stored/"), { etag: etag });
    }).then(function () {
      self.finished.add(number);
      self.failures = 0;
      self.paint();
    });
  };

  /* A pause (or a new run after it) ends the workers of the previous run, including
     those waiting to retry, so no part is ever sent by two of them. */
  Upload.prototype.current = function (generation) {
    return !this.paused && !this.stopped && generation === this.generation;
  };

  Upload.prototype.worker = function (queue, generation) {
    var self = this;
    if (!this.current(generation)) return Promise.resolve();
    var number = queue.shift();
    if (number === undefined) return Promise.resolve();
    return this.send(number).then(function () {
      return self.worker(queue, generation);
    }, function (error) {
      if (!self.current(generation)) return null;
      var retryable = !error.status || error.status >= 500 || error.status === 429;
      if (!retryable) {
        self.stopped = true;
        throw error;
      }
      self.failures += 1;
      var wait = Math.min(30, Math.pow(2, self.failures));
      self.paint(say(gettext("Connection lost; trying again in %(seconds)s s."), { seconds: wait }));
      queue.unshift(number);
      return new Promise(function (resolve) { setTimeout(resolve, wait * 1000); }).then(function () {
        return self.worker(queue, generation);
      });
    });
  };

  Upload.prototype.run = function () {
    var self = this;
    var generation = (this.generation = (this.generation || 0) + 1);
    var queue = [];
    for (var n = 1; n <= this.session.part_count; n++) {
      if (!this.finished.has(n)) queue.push(n);
    }
    var workers = [];
    for (var i = 0; i < Math.max(1, this.session.parallel || 3); i++) workers.push(this.worker(queue, generation));
    this.paint();
    return Promise.all(workers).then(function () {
      if (!self.current(generation)) return;
      if (self.finished.size < self.session.part_count) return self.run();
      statusLine.textContent = gettext("All parts sent; checking the upload…");
      return api("POST", sessionUrl(self.session.id, "complete/")).then(function (data) {
        bar.value = 100;
        bar.textContent = "100%";
        statusLine.textContent = gettext("Uploaded. Opening the recording…");
        pauseButton.hidden = resumeButton.hidden = cancelButton.hidden = true;
        window.location.assign(data.url);
      });
    }).catch(function (error) {
      self.stopped = true;
      showError(error.message);
      startButton.disabled = false;
    });
  };

  Upload.prototype.abortInFlight = function () {
    var inFlight = this.inFlight;
    Object.keys(inFlight).forEach(function (n) { inFlight[n].abort(); });
  };

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    showError("");
    var file = fileInput.files && fileInput.files[0];
    if (!file) {
      showError(gettext("Choose a recording file to upload."));
      fileInput.focus();
      return;
    }
    if (file.size > Number(form.dataset.maxBytes)) {
      showError(say(gettext("The file is %(size)s; the largest accepted is %(largest)s."), { size: megabytes(file.size), largest: megabytes(Number(form.dataset.maxBytes)) }));
      return;
    }
    var owner = form.querySelector("[name='owner']");
    var title = form.querySelector("[name='title']");
    startButton.disabled = true;
    api("POST", endpoints.start, {
      owner: owner ? owner.value : null,
      title: title ? title.value : "",
      filename: file.name,
      size: file.size,
      last_modified: file.lastModified || 0,
      replaces: form.dataset.replaces || null,
    }).then(function (session) {
      upload = new Upload(file, session);
      area.hidden = false;
      pauseButton.hidden = false;
      resumeButton.hidden = true;
      cancelButton.hidden = false;
      if (session.finished_parts.length) {
        upload.paint(say(gettext("Resuming: %(sent)s of %(total)s parts were already sent."), { sent: session.finished_parts.length, total: session.part_count }));
      }
      return upload.run();
    }).catch(function (error) {
      showError(error.message);
      startButton.disabled = false;
    });
  });

  pauseButton.addEventListener("click", function () {
    if (!upload) return;
    upload.paused = true;
    upload.abortInFlight();
    pauseButton.hidden = true;
    resumeButton.hidden = false;
    resumeButton.focus();
    upload.paint(gettext("Paused."));
  });

  resumeButton.addEventListener("click", function () {
    if (!upload) return;
    upload.paused = false;
    upload.stopped = false;
    resumeButton.hidden = true;
    pauseButton.hidden = false;
    pauseButton.focus();
    upload.run();
  });

  cancelButton.addEventListener("click", function () {
    if (!upload) return;
    if (!window.confirm(gettext("Cancel this upload? The parts already sent are removed."))) return;
    upload.stopped = true;
    upload.abortInFlight();
    api("POST", sessionUrl(upload.session.id, "cancel/")).then(function () {
      area.hidden = true;
      upload = null;
      startButton.disabled = false;
      statusLine.textContent = "";
      showError(gettext("The upload was canceled."));
    }, function (error) {
      showError(error.message);
    });
  });
})();

// The center dashboard's charts (Chart.js 4, served from our own static files).
// The numbers come from <script type="application/json" id="center-dashboard-charts"> (the
// page's json_script); each <canvas data-chart="<name>"> draws one series. Every chart has
// its aria-label and a table of the same numbers beside it, so nothing here is the only way
// to read them: without this script the tables still tell everything.
(function () {
  "use strict";

  var source = document.getElementById("center-dashboard-charts");
  if (!source || typeof window.Chart !== "function") return;
  var data = JSON.parse(source.textContent);
  var style = getComputedStyle(document.documentElement);

  function token(name, fallback) {
    return style.getPropertyValue(name).trim() || fallback;
  }

  var colours = {
    brand: token("--brand", "#2f5d62"),
    success: token("--success", "#1b6e3a"),
    warning: token("--warning", "#7a4f00"),
    accent: token("--accent", "#a7453a"),
    border: token("--border-strong", "#8a8378"),
    muted: token("--muted", "#50585e"),
    text: token("--text", "#1d2327"),
    grid: token("--border", "#c9c3b8"),
  };
  // Readiness bands in the order the page sends them: met, half, fewer, no target, not shared.
  var palettes = {
    readiness: [colours.success, colours.brand, colours.accent, colours.border, colours.muted],
  };

  // Long labels wrap onto lines of about this many characters, so that a phone keeps room
  // for the bars.
  function wrap(label, width) {
    var words = String(label).split(" ");
    var lines = [];
    var line = "";
    words.forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines;
  }

  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var name = canvas.getAttribute("data-chart");
    var series = data[name];
    if (!series) return;
    var narrow = canvas.parentElement.clientWidth < 420;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels.map(function (label) { return wrap(label, narrow ? 14 : 24); }),
        datasets: [
          {
            label: series.unit,
            data: series.values,
            backgroundColor: palettes[name] || colours.brand,
            borderColor: colours.text,
            borderWidth: 0,
            borderRadius: 3,
            maxBarThickness: 28,
          },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: still ? false : { duration: 300 },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) { return context.formattedValue + " " + series.unit; },
            },
          },
        },
        scales: {
          x: {
            beginAtZero: true,
            ticks: { precision: 0, color: colours.text },
            grid: { color: colours.grid },
            title: { display: true, text: series.unit, color: colours.text },
          },
          y: { ticks: { color: colours.text, autoSkip: false }, grid: { display: false } },
        },
      },
    });
    canvas.setAttribute("data-chart-drawn", "");
  });
})();

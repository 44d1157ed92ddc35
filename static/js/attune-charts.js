// Attune's charts: horizontal bar charts drawn with Chart.js 4 (served from our own static
// files) in the design system's colours. Pages load Chart.js, this file, then their own
// script, which reads its numbers from a json_script and calls AttuneCharts.bars(). Every
// chart has an aria-label and a table of the same numbers beside it: without scripts nothing
// is lost.
(function () {
  "use strict";

  function token(style, name, fallback) {
    return style.getPropertyValue(name).trim() || fallback;
  }

  // The design system's colours, read from its custom properties.
  function colours() {
    var style = getComputedStyle(document.documentElement);
    return {
      brand: token(style, "--brand", "#2f5d62"),
      success: token(style, "--success", "#1b6e3a"),
      warning: token(style, "--warning", "#7a4f00"),
      accent: token(style, "--accent", "#a7453a"),
      border: token(style, "--border-strong", "#8a8378"),
      muted: token(style, "--muted", "#50585e"),
      text: token(style, "--text", "#1d2327"),
      grid: token(style, "--border", "#c9c3b8"),
    };
  }

  // A long label as lines of about ``width`` characters, so that a phone keeps room for bars.
  function wrap(label, width) {
    var lines = [];
    var line = "";
    String(label).split(" ").forEach(function (word) {
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

  // Horizontal bars on ``canvas``: ``options.labels``, ``options.datasets`` (Chart.js
  // datasets), ``options.axis`` (the value axis's title), ``options.legend`` (shown or not),
  // ``options.tooltip(context)`` (a tooltip line) and ``options.wrap`` ([narrow, wide] label
  // widths). Marks the canvas data-chart-drawn once drawn.
  function bars(canvas, options) {
    if (typeof window.Chart !== "function") return null;
    var palette = colours();
    var narrow = canvas.parentElement.clientWidth < 420;
    var widths = options.wrap || [14, 24];
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: options.labels.map(function (label) {
          return wrap(label, narrow ? widths[0] : widths[1]);
        }),
        datasets: options.datasets,
      },
      options: {
        indexAxis: "y",
        // Numbers on the axis and in tooltips as the page's language writes them (1.234,5).
        locale: document.documentElement.lang || undefined,
        responsive: true,
        maintainAspectRatio: false,
        animation: still ? false : { duration: 300 },
        plugins: {
          legend: {
            display: !!options.legend,
            position: "bottom",
            labels: { color: palette.text },
          },
          tooltip: options.tooltip ? { callbacks: { label: options.tooltip } } : {},
        },
        scales: {
          x: {
            beginAtZero: true,
            ticks: { precision: options.precision, color: palette.text },
            grid: { color: palette.grid },
            title: { display: true, text: options.axis, color: palette.text },
          },
          y: { ticks: { color: palette.text, autoSkip: false }, grid: { display: false } },
        },
      },
    });
    canvas.setAttribute("data-chart-drawn", "");
    return chart;
  }

  window.AttuneCharts = { colours: colours, wrap: wrap, bars: bars };
})();

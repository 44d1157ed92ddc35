// The portfolio's chart of hours per competency area (Chart.js 4, served from our own static
// files). The numbers come from the page's json_script (<script type="application/json"
// id="portfolio-area-chart">); the canvas has an aria-label with every number and the table
// under it shows them too, so without this script nothing is lost. The chart's box stays
// hidden (CSS: .area-chart:not([data-ready])) until the chart is drawn.
(function () {
  "use strict";

  var box = document.querySelector("[data-area-chart]");
  if (!box || typeof window.Chart !== "function") return;
  var source = document.getElementById(box.getAttribute("data-area-chart"));
  var canvas = box.querySelector("canvas");
  if (!source || !canvas) return;
  var data = JSON.parse(source.textContent);
  var style = getComputedStyle(document.documentElement);

  function token(name, fallback) {
    return style.getPropertyValue(name).trim() || fallback;
  }

  var colours = {
    brand: token("--brand", "#2f5d62"),
    border: token("--border-strong", "#8a8378"),
    text: token("--text", "#1d2327"),
    grid: token("--border", "#c9c3b8"),
  };

  // Long area names wrap onto lines of about this many characters, so that a phone keeps
  // room for the bars.
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

  var narrow = box.clientWidth < 420;
  var hasMinimum = data.required.some(function (value) { return value !== null; });
  var datasets = [
    {
      label: data.hours_label,
      data: data.hours,
      backgroundColor: colours.brand,
      borderRadius: 3,
      maxBarThickness: 24,
    },
  ];
  if (hasMinimum) {
    datasets.push({
      label: data.required_label,
      data: data.required,
      backgroundColor: colours.grid,
      borderColor: colours.border,
      borderWidth: 1,
      borderRadius: 3,
      maxBarThickness: 24,
    });
  }
  // Room for each area's bars and its wrapped name, set here (the policy allows no inline
  // style attribute).
  var perArea = (hasMinimum ? 3.25 : 2.25) + (narrow ? 1 : 0);
  box.style.height = Math.max(12, data.labels.length * perArea + 4) + "rem";

  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels.map(function (label) { return wrap(label, narrow ? 16 : 28); }),
      datasets: datasets,
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: still ? false : { duration: 300 },
      plugins: {
        legend: { display: hasMinimum, position: "bottom", labels: { color: colours.text } },
        tooltip: {
          callbacks: {
            label: function (context) {
              return context.dataset.label + ": " + context.formattedValue + " h";
            },
          },
        },
      },
      scales: {
        x: {
          beginAtZero: true,
          ticks: { color: colours.text },
          grid: { color: colours.grid },
          title: { display: true, text: data.axis_label, color: colours.text },
        },
        y: { ticks: { color: colours.text, autoSkip: false }, grid: { display: false } },
      },
    },
  });
  box.setAttribute("data-ready", "");
})();

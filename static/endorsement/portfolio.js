// The portfolio's chart of hours per competency area, drawn by AttuneCharts
// (static/js/attune-charts.js). The numbers come from the page's json_script (<script
// type="application/json" id="portfolio-area-chart">); the canvas has an aria-label with
// every number and the table under it shows them too. The chart's box stays hidden (CSS:
// .portfolio-chart:not([data-ready])) until the chart is drawn.
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/), with a fallback should it fail to load.
  var gettext = window.gettext || function (s) { return s; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (_, key) { return String(obj[key]); });
  };

  var box = document.querySelector("[data-area-chart]");
  if (!box || !window.AttuneCharts) return;
  var source = document.getElementById(box.getAttribute("data-area-chart"));
  var canvas = box.querySelector("canvas");
  if (!source || !canvas) return;
  var data = JSON.parse(source.textContent);
  var colours = window.AttuneCharts.colours();

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
  var narrow = box.clientWidth < 420;
  var perArea = (hasMinimum ? 3.25 : 2.25) + (narrow ? 1 : 0);
  box.style.height = Math.max(12, data.labels.length * perArea + 4) + "rem";

  var drawn = window.AttuneCharts.bars(canvas, {
    labels: data.labels,
    datasets: datasets,
    axis: data.axis_label,
    legend: hasMinimum,
    wrap: [16, 28],
    tooltip: function (context) {
      // Translators: a bar's tooltip on the chart of hours per competency area: "Hours so far: 3.5 h".
      return interpolate(
        gettext("%(label)s: %(hours)s h"),
        { label: context.dataset.label, hours: context.formattedValue },
        true
      );
    },
  });
  if (drawn) box.setAttribute("data-ready", "");
})();

// The center dashboard's charts, drawn by AttuneCharts (static/js/attune-charts.js). The
// numbers come from <script type="application/json" id="center-dashboard-charts"> (the
// page's json_script); each <canvas data-chart="<name>"> draws one series, beside a table of
// the same numbers.
(function () {
  "use strict";

  // Django's JavaScript catalog (/jsi18n/); the page still works if it failed to load.
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\(\w+\)s/g, function (match) { return String(obj[match.slice(2, -2)]); });
  };
  var gettext = window.gettext || function (s) { return s; };

  var source = document.getElementById("center-dashboard-charts");
  if (!source || !window.AttuneCharts) return;
  var data = JSON.parse(source.textContent);
  var colours = window.AttuneCharts.colours();
  // Readiness bands in the order the page sends them: met, half, fewer, no target, not shared.
  var palettes = {
    readiness: [colours.success, colours.brand, colours.accent, colours.border, colours.muted],
  };

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var name = canvas.getAttribute("data-chart");
    var series = data[name];
    if (!series) return;
    window.AttuneCharts.bars(canvas, {
      labels: series.labels,
      datasets: [
        {
          label: series.unit,
          data: series.values,
          backgroundColor: palettes[name] || colours.brand,
          borderWidth: 0,
          borderRadius: 3,
          maxBarThickness: 28,
        },
      ],
      axis: series.unit,
      precision: 0,
      tooltip: function (context) {
        // Translators: a chart's tooltip, e.g. "12.5 hours" or "3 people".
        return interpolate(gettext("%(value)s %(unit)s"), { value: context.formattedValue, unit: series.unit }, true);
      },
    });
  });
})();

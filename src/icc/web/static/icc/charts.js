/* Draw the Vega-Lite charts of a page (the explorer, an embed, Facts & Figures) at the width of their box.
 *
 * Each chart is a <script type="application/json" data-chart-for="ID"> holding its spec, drawn into the element
 * #ID. The spec's width is the width of the whole image (autosize fit-x, as in the downloads); here it becomes
 * the box's width, so that the labels keep their size in points (11 px and more) instead of being scaled down
 * with a 640 px image on a 390 px phone. The label column of charts with one row per area is narrowed on small
 * screens so that the bars keep room. Charts are drawn again when the box's width changes.
 */
(function () {
  "use strict";
  var MIN_WIDTH = 260, MAX_WIDTH = 1000;

  var NARROW = 520;  // below this width legends on the right move under the plot, those on top take two columns, and
                     // long titles wrap

  function legendsBelow(node) {
    if (!node || typeof node !== "object") return;
    Object.keys(node).forEach(function (key) {
      var value = node[key];
      if (key === "legend" && value && value.orient === "right") {
        value.orient = "bottom";
        value.direction = "vertical";
        value.columns = 1;
      } else if (key === "legend" && value && value.orient === "top") {
        value.columns = 2;  // a row of legend entries would run past the right edge
      } else {
        legendsBelow(value);
      }
    });
  }

  function wrapped(text, chars) {
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > chars) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }

  function fitted(spec, width) {
    var s = JSON.parse(JSON.stringify(spec));
    s.width = Math.max(MIN_WIDTH, Math.floor(width));
    if (s.width < NARROW) {
      legendsBelow(s.encoding);
      (s.layer || []).forEach(function (layer) { legendsBelow(layer.encoding); });
      var title = s.title;
      if (title && title.subtitle) {  // one string or a list of lines (the demo note plus a chart's own note)
        var lines = typeof title.subtitle === "string" ? [title.subtitle] : title.subtitle;
        title.subtitle = [].concat.apply([], lines.map(function (line) { return wrapped(line, Math.floor(s.width / 7)); }));
      }
      if (title && typeof title.text === "string" && title.text.length > s.width / 8) title.text = wrapped(title.text, Math.floor(s.width / 8));
    }
    var axis = s.encoding && s.encoding.y && s.encoding.y.axis;
    if (axis && typeof axis.labelPadding === "number" && axis.labelAlign === "left") {
      var column = Math.min(axis.labelPadding, Math.max(120, Math.round(s.width * 0.4)));
      axis.labelPadding = column;
      axis.labelLimit = column - 6;
    }
    return s;
  }

  function draw(target, spec, failed) {
    var width = Math.min(MAX_WIDTH, target.clientWidth || spec.width);
    if (target.dataset.drawnWidth === String(width)) return;
    target.dataset.drawnWidth = String(width);
    var options = {actions: false, renderer: "svg"};
    // numbers in the chart's language (72,5 and 1 000 000 in French): the spec carries its locale (config.locale,
    // set by icc.charts for a language other than English), which the PNG/SVG downloads use too
    var locale = spec.config && spec.config.locale;
    if (locale && locale.number) options.formatLocale = locale.number;
    vegaEmbed(target, fitted(spec, width), options).catch(function () {
      if (failed) target.textContent = failed;
    });
  }

  var charts = [];
  document.querySelectorAll("script[type='application/json'][data-chart-for]").forEach(function (s) {
    var target = document.getElementById(s.dataset.chartFor);
    if (!target) return;
    var chart = {target: target, spec: JSON.parse(s.textContent), failed: s.dataset.failed};
    charts.push(chart);
    draw(chart.target, chart.spec, chart.failed);
  });
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) { draw(c.target, c.spec, c.failed); });
    }, 200);
  });
})();

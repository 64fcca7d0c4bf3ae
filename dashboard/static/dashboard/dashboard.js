/* The dashboard's charts: data from the json_script block "dashboard-charts"; a click on a bar or a
   point opens the list it counts (each datum carries its url). No inline script (CSP). */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-charts");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var blue = "#1f5fa8";

  function open(params) {
    var url = params && params.data && params.data.url;
    if (url) { window.location.assign(url); }
  }

  function draw(name, option) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el) { return; }
    var chart = echarts.init(el, null, {renderer: "svg"});
    chart.setOption(option);
    chart.on("click", open);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function days(rows, key) {
    return {
      labels: rows.map(function (r) { return r.date.slice(5); }),
      values: rows.map(function (r) { return {value: r[key], url: r.url || ""}; })
    };
  }

  function line(name, rows, key, label, area) {
    var d = days(rows, key);
    draw(name, {
      grid: {left: 8, right: 16, top: 16, bottom: 8, containLabel: true},
      tooltip: {trigger: "axis"},
      xAxis: {type: "category", data: d.labels, axisLabel: {hideOverlap: true}},
      yAxis: {type: "value", minInterval: 1},
      series: [{name: label, type: area ? "line" : "bar", data: d.values, itemStyle: {color: blue},
                areaStyle: area ? {opacity: 0.15} : undefined, symbolSize: 6}]
    });
  }

  function bars(name, rows, labelKey) {
    draw(name, {
      grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
      tooltip: {},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", inverse: true, data: rows.map(function (r) { return r[labelKey]; }),
              axisLabel: {width: 110, overflow: "truncate"}},
      series: [{type: "bar", data: rows.map(function (r) { return {value: r.n, url: r.url || ""}; }),
                itemStyle: {color: blue}, label: {show: true, position: "right"}}]
    });
  }

  line("per_day", data.per_day, "n", data.labels.activities, false);
  bars("by_category", data.by_category, "name");
  bars("by_district", data.by_district, "name");
  line("summaries_per_day", data.summaries_per_day, "cumulative", data.labels.submitted, true);
  line("coverage_per_day", data.coverage_per_day, "n", data.labels.coverage, false);
})();

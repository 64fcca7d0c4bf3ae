/* The survey results page's bar charts (ECharts, drawn as SVG) from the JSON the page carries in
   <script type="application/json" id="survey-charts">. Tooltips are drawn in the chart itself
   (renderMode richText): ECharts' HTML tooltips carry style= attributes the CSP refuses. */
(function () {
  "use strict";
  var node = document.getElementById("survey-charts");
  if (!node || !window.echarts) { return; }
  JSON.parse(node.textContent).forEach(function (chart) {
    var el = document.getElementById(chart.id);
    if (!el) { return; }
    var instance = window.echarts.init(el, null, {renderer: "svg"});
    instance.setOption({
      grid: {left: 8, right: 24, top: 8, bottom: 8, containLabel: true},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", inverse: true, data: chart.labels, axisLabel: {width: 120, overflow: "truncate"}},
      tooltip: {renderMode: "richText"},
      series: [{type: "bar", data: chart.counts, itemStyle: {color: "#1f5fa8"}}]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
})();

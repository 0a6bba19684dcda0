// Draws the fund-flow Sankey and the budget treemap with ECharts (served from
// /static/vendor). The data is embedded in the page as JSON; the same data is
// in the page's tables for readers without JavaScript.
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function go(href) { if (href) { window.location.href = href; } }
  // Tooltip text is HTML to ECharts: names come from the reports, so escape them.
  function esc(text) { return echarts.format.encodeHTML(String(text)); }

  function sankey(el) {
    var d = data("sankey-data");
    if (!d || !d.links.length) { el.style.display = "none"; return; }
    var byId = {};
    d.nodes.forEach(function (n) { byId[n.id] = n; });
    var colors = { fund: "#5470c6", "class": "#91cc75", project: "#fac858", contract: "#ee6666", vendor: "#73c0de" };
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          if (p.dataType === "edge") {
            return esc(byId[p.data.source].name) + " → " + esc(byId[p.data.target].name) + "<br>" + esc(p.data.value);
          }
          return esc(byId[p.name].name);
        }
      },
      series: [{
        type: "sankey", left: 10, right: 200, nodeGap: 10, nodeAlign: "left", draggable: false,
        emphasis: { focus: "adjacency" },
        data: d.nodes.map(function (n) {
          return { name: n.id, itemStyle: { color: colors[n.kind] || "#999" } };
        }),
        links: d.links,
        label: {
          formatter: function (p) {
            var s = byId[p.name].name;
            return s.length > 22 ? s.slice(0, 21) + "…" : s;
          }
        },
        lineStyle: { color: "gradient", curveness: 0.5, opacity: 0.4 }
      }]
    });
    chart.on("click", function (p) { if (p.dataType === "node") { go(byId[p.name].href); } });
    window.addEventListener("resize", function () { chart.resize(); });
    // Marked once the first drawing (with its animation) is complete.
    chart.on("finished", function () { el.setAttribute("data-rendered", String(d.nodes.length)); });
  }

  function treemap(el) {
    var d = data("treemap-data");
    if (!d || !d.length) { el.style.display = "none"; return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { formatter: function (p) { return esc(p.name) + ": " + esc(p.value); } },
      series: [{
        type: "treemap", data: d, leafDepth: 2, roam: false,
        label: { show: true, formatter: "{b}" },
        upperLabel: { show: true, height: 22 },
        levels: [
          { itemStyle: { borderColor: "#fff", borderWidth: 3, gapWidth: 3 } },
          { itemStyle: { borderColor: "#eee", borderWidth: 2, gapWidth: 2 }, colorMappingBy: "index",
            color: ["#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4"] },
          { itemStyle: { borderColor: "#ddd", borderWidth: 1, gapWidth: 1 } }
        ]
      }]
    });
    chart.on("dblclick", function (p) { go(p.data && p.data.href); });
    window.addEventListener("resize", function () { chart.resize(); });
    chart.on("finished", function () { el.setAttribute("data-rendered", String(d.length)); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    var s = document.getElementById("sankey");
    if (s) { sankey(s); }
    var t = document.getElementById("treemap");
    if (t) { treemap(t); }
  });
})();

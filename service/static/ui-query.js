// The query page: YASGUI (served from /static/vendor) on this service's /sparql,
// with the named queries of queries/*.rq as examples. A link /query?name=NAME
// opens that example (and runs it with &run=1); YASGUI's share button makes
// permalinks of any query.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Yasgui === "undefined") { return; }
    var config = JSON.parse(document.getElementById("query-config").textContent);
    var endpoint = new URL(config.endpoint, window.location.href).href;
    var byName = {};
    config.examples.forEach(function (q) { byName[q.name] = q; });
    Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
    var yasgui = new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
      persistenceId: null,
      populateFromUrl: true
    });

    function open(name, text, run) {
      yasgui.addTab(true, {
        name: name,
        requestConfig: { endpoint: endpoint, method: "POST" },
        yasqe: { value: text }
      });
      var t = yasgui.getTab();
      if (run && t) { t.getYasqe().query(); }
    }

    if (config.selected && byName[config.selected]) {
      open(byName[config.selected].title, byName[config.selected].query, config.run);
    } else if (config.query) {
      open("query", config.query, config.run);
    }
    document.querySelectorAll("a.example").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        var q = byName[a.getAttribute("data-name")];
        if (!q) { return; }
        ev.preventDefault();
        history.replaceState(null, "", a.getAttribute("href"));
        open(q.title, q.query, true);
      });
    });
    window.fiscalkgYasgui = yasgui;
  });
})();

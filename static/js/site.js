// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) { summary.focus(); }

  // School type-ahead: asks our own server as the signer types, and fills the radios.
  var query = document.getElementById("id_school_query");
  var results = document.getElementById("school-results");
  if (!query || !results) { return; }
  var timer = null;
  var status = document.getElementById("school-status");
  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = query.value.trim();
      if (q.length < 2) { return; }
      fetch(results.getAttribute("data-search-url") + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { show(data.results); })
        .catch(function () {});
    }, 250);
  });
  function show(items) {
    results.textContent = "";
    items.forEach(function (item, i) {
      var div = document.createElement("div");
      div.className = "radios__item";
      var input = document.createElement("input");
      input.type = "radio"; input.name = "school"; input.value = item.urn; input.id = "id_school_" + i;
      var label = document.createElement("label");
      label.className = "choice-label"; label.htmlFor = input.id;
      label.textContent = item.name + (item.town ? ", " + item.town : "") + " (URN " + item.urn + ")";
      div.appendChild(input); div.appendChild(label); results.appendChild(div);
    });
    if (status) { status.textContent = items.length ? items.length + " schools found" : "No schools found"; }
  }
})();

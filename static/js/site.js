// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var summary = document.querySelector("[data-module='error-summary']");
  if (summary) { summary.focus(); }

  // The Menu button (shown by CSS only on small screens where scripts run) opens and closes the links.
  var navToggle = document.querySelector(".site-nav__toggle");
  var navList = document.getElementById("site-nav-list");
  if (navToggle && navList) {
    var setOpen = function (open) {
      navToggle.setAttribute("aria-expanded", open ? "true" : "false");
      navList.classList.toggle("site-nav__list--open", open);
    };
    navToggle.addEventListener("click", function () {
      setOpen(navToggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && navToggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        navToggle.focus();
      }
    });
  }

  // Copy-link buttons: shown only when the browser can copy.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      navigator.clipboard.writeText(input.value).then(function () { if (status) { status.textContent = "Copied"; } });
    });
  });

  // Live counts: poll the counts document (cached, with an ETag) and update [data-count-for].
  var live = document.querySelector("[data-live-counts]");
  if (live && window.fetch) {
    var paused = false;
    if (!live.hasAttribute("data-quiet")) {
      // WCAG 2.2.2: content that updates by itself can be paused.
      // The button is in the page already (shown by CSS where scripts run), so nothing moves on load.
      var pauseButton = live.querySelector("[data-live-pause]");
      if (pauseButton) {
        pauseButton.addEventListener("click", function () {
          paused = !paused;
          pauseButton.textContent = paused ? "Resume live updates" : "Pause live updates";
        });
      }
    }
    var refresh = function () {
      if (paused || document.hidden) { return; }
      fetch(live.getAttribute("data-api"), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          data.pledges.forEach(function (p) {
            Array.prototype.forEach.call(document.querySelectorAll("[data-count-for='" + p.slug + "']"), function (el) {
              el.textContent = p.count.toLocaleString("en-GB");
            });
          });
        })
        .catch(function () {});
    };
    setInterval(refresh, 5000);
  }

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
      // One match is the school the form will take: show it ticked (the server does the same).
      input.checked = items.length === 1;
      var label = document.createElement("label");
      label.className = "choice-label"; label.htmlFor = input.id;
      label.textContent = item.name + (item.town ? ", " + item.town : "") + " (URN " + item.urn + ")";
      div.appendChild(input); div.appendChild(label); results.appendChild(div);
    });
    if (status) { status.textContent = items.length === 1 ? "1 school found" : items.length ? items.length + " schools found" : "No schools found"; }
  }
})();

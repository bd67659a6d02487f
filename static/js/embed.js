/* #PauseOfsted live count for partner sites. No dependencies, no cookies, no tracking.
   Usage: <a href="https://…/pledges/SLUG/" data-pauseofsted-count="SLUG">Sign the pledge</a>
          <script src="https://…/embed.js" async></script>
   The link text gains the live count; the link itself is untouched. */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = script ? new URL(script.src).origin : "";
  var links = document.querySelectorAll("[data-pauseofsted-count]");
  if (!links.length || !window.fetch) { return; }
  function update() {
    fetch(origin + "/api/v1/counts")
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var bySlug = {};
        data.pledges.forEach(function (p) { bySlug[p.slug] = p; });
        Array.prototype.forEach.call(links, function (link) {
          var pledge = bySlug[link.getAttribute("data-pauseofsted-count")];
          if (!pledge) { return; }
          var label = link.querySelector("[data-pauseofsted-label]");
          if (!label) {
            label = document.createElement("span");
            label.setAttribute("data-pauseofsted-label", "");
            link.appendChild(label);
          }
          var count = pledge.count.toLocaleString("en-GB");
          var noun = pledge.count === 1 ? " signature" : " signatures";
          label.textContent = pledge.state === "closed" ? " (closed with " + count + noun + ")" : " (" + count + " signed)";
        });
      })
      .catch(function () {});
  }
  update();
  setInterval(update, 30000);
})();

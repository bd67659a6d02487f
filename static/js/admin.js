// Staff pages: progress bars of running jobs (invalidations, broadcasts) refresh themselves.
// Without this file the numbers are as of the page load, and a reload brings them up to date.
(function () {
  "use strict";
  var bars = document.querySelectorAll("[data-progress-url][data-running='true']");
  Array.prototype.forEach.call(bars, function (bar) {
    var timer = setInterval(function () {
      fetch(bar.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var progress = bar.querySelector("progress");
          progress.max = Math.max(data.total, 1);
          progress.value = data.done;
          progress.textContent = data.text;
          bar.querySelector(".job-progress__numbers").textContent = data.text;
          if (!data.running) { clearInterval(timer); bar.setAttribute("data-running", "false"); }
        })
        .catch(function () {});
    }, 2000);
  });
})();

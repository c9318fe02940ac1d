// Sort and filter the dashboard's learner rows. Our only script: the page's CSP allows it
// by its hash. It reads its data from the inert JSON block (#dashboard-data) and writes no
// markup: it only reorders, hides and shows rows the page already has.
(function () {
  "use strict";
  var block = document.getElementById("dashboard-data");
  var form = document.getElementById("controls");
  if (!block || !form) { return; }
  var data = JSON.parse(block.textContent);
  var byIndex = {};
  data.rows.forEach(function (r) { byIndex[r.i] = r; });
  var order = ["failed", "not_started", "in_progress", "ready", "complete"];
  var fields = {
    search: document.getElementById("f-search"),
    sort: document.getElementById("f-sort"),
    state: document.getElementById("f-state"),
    assessor: document.getElementById("f-assessor"),
    quiet: document.getElementById("f-quiet"),
    count: document.getElementById("f-count")
  };
  var bodies = Array.prototype.slice.call(document.querySelectorAll("table[data-heat] tbody"));

  function text(a) { return (a || "").toLocaleLowerCase(); }
  // Search ignores case and accents: "zoe" finds Zoë and ZOË (letters split from their
  // marks, the marks dropped); sorting keeps the names as written.
  function folded(a) { return text(a).normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  function compare(key) {
    return function (x, y) {
      var a = byIndex[x.dataset.row], b = byIndex[y.dataset.row], d = 0;
      if (key === "name") { d = text(a.name).localeCompare(text(b.name)); }
      else if (key === "progress") { d = b.progress - a.progress; }
      else if (key === "progress-asc") { d = a.progress - b.progress; }
      else if (key === "last") { d = (a.last || "9999").localeCompare(b.last || "9999"); }
      else if (key === "assessor") { d = text(a.assessor).localeCompare(text(b.assessor)); }
      else if (key === "state") { d = order.indexOf(a.state) - order.indexOf(b.state); }
      return d || a.i - b.i;
    };
  }
  function apply() {
    var words = folded(fields.search.value).trim();
    var shown = 0, total = 0;
    bodies.forEach(function (body) {
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(compare(fields.sort.value));
      rows.forEach(function (tr) {
        var r = byIndex[tr.dataset.row];
        var match = (!words || folded(r.name + " " + r.folder + " " + r.assessor).indexOf(words) >= 0) &&
          (!fields.state.value || r.state === fields.state.value) &&
          (!fields.assessor.value || r.assessor === fields.assessor.value) &&
          (!fields.quiet.checked || r.quiet);
        tr.hidden = !match;
        total += 1;
        shown += match ? 1 : 0;
        body.appendChild(tr);
      });
    });
    fields.count.textContent = "Showing " + shown + " of " + total + " learners";
  }
  ["input", "change"].forEach(function (type) { form.addEventListener(type, apply); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
})();

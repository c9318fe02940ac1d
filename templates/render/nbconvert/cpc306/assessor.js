/* The assessment panel of the assessor's portfolio: the page's only script.

   It is the same text on every page and the Content-Security-Policy allows it by its
   SHA-256 alone. It never reads learner text into code: the portfolio's data comes from
   the inert JSON block, and everything shown is set with textContent or form values.
   Without this script the page reads as a plain document.

   It holds no key and signs nothing: a page came from someone else, and whoever edits it
   can change this script and its hash. Judging here makes a draft file; the assessor
   signs it with cpc306 assess sign beside this page, on their own machine.

   Work in progress is kept in this tab's sessionStorage only: every file:// page shares
   one origin, so the browser's lasting stores would be read (and written) by any other
   local page. sessionStorage is shared by the pages opened one after another in the tab,
   so a draft is stored under a random name kept in this page's own history entry
   (history.state survives a reload; Chromium refuses another file's replaceState with
   this page's URL), and restored only with the same path, portfolio fingerprint and
   assessment base. It is always shown beside what is recorded. */
(function () {
  "use strict";
  var block = document.getElementById("cpc306-assessment-data");
  if (!block) { return; }
  var data = JSON.parse(block.textContent);
  function entryName() {
    var kept = history.state && typeof history.state.cpc306Draft === "string" ? history.state.cpc306Draft : "";
    if (kept) { return kept; }
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    var made = Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
    try { history.replaceState({ cpc306Draft: made }, ""); } catch (e) { return ""; }
    return made;
  }
  var entry = entryName();
  var binding = [location.pathname, data.portfolio_fingerprint, data.base, entry].join("\n");
  var storeKey = "cpc306-draft:" + entry;
  var touched = {};

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function say(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }
  function words(outcome) { return outcome === "met" ? "Met" : outcome === "not_yet_met" ? "Not yet met" : "not judged"; }

  /* Reading and writing the form. */
  function panelOf(criterion) { return $('.judge[data-criterion="' + criterion + '"]'); }

  function readCriterion(criterion) {
    var panel = panelOf(criterion);
    if (!panel) { return null; }
    var chosen = $('input[type="radio"]:checked', panel);
    var rules = {};
    data.rules.forEach(function (rule) {
      rules[rule] = {
        met: $('input[data-rule="' + rule + '"]', panel).checked,
        note: $('input[data-note="' + rule + '"]', panel).value.trim()
      };
    });
    return {
      outcome: chosen ? chosen.value : null,
      rules: rules,
      evidence: $$("input[data-evidence]:checked", panel).map(function (el) { return el.dataset.evidence; }),
      methods_sampled: $$("input[data-method]:checked", panel).map(function (el) { return el.dataset.method; }),
      feedback: $("textarea[data-feedback]", panel).value.trim()
    };
  }

  function fillCriterion(criterion, state) {
    var panel = panelOf(criterion);
    if (!panel) { return; }
    state = state || {};
    $$('input[type="radio"]', panel).forEach(function (el) { el.checked = el.value === state.outcome; });
    data.rules.forEach(function (rule) {
      var r = (state.rules || {})[rule] || { met: false, note: "" };
      $('input[data-rule="' + rule + '"]', panel).checked = !!r.met;
      $('input[data-note="' + rule + '"]', panel).value = r.note || "";
    });
    var relied = state.evidence || [];
    $$("input[data-evidence]", panel).forEach(function (el) { el.checked = relied.indexOf(el.dataset.evidence) >= 0; });
    var methods = state.methods_sampled || [];
    $$("input[data-method]", panel).forEach(function (el) { el.checked = methods.indexOf(el.dataset.method) >= 0; });
    $("textarea[data-feedback]", panel).value = state.feedback || "";
  }

  function setUnit(value) {
    $$('input[name="unit-outcome"]').forEach(function (el) { el.checked = el.value === (value || ""); });
  }

  function judgementOf(criterion, state) {
    var before = data.judgements[criterion] || {};
    var rules = {};
    data.rules.forEach(function (r) { if (state.rules[r].met || state.rules[r].note) { rules[r] = state.rules[r]; } });
    var j = {
      outcome: state.outcome,
      judged_on: touched[criterion] || !before.judged_on ? today() : before.judged_on,
      feedback: state.feedback,
      methods_sampled: state.methods_sampled,
      evidence: state.evidence,
      rules: rules
    };
    /* Action points stay with the criterion (the learner's replies are tied to their ids);
       a "met" closes those still open, as cpc306 assess judge does. */
    if (before.actions && before.actions.length) {
      j.actions = before.actions.map(function (a) {
        if (state.outcome !== "met" || a.closed_on) { return a; }
        return Object.assign({}, a, { closed_on: j.judged_on,
          closed_note: "Closed when the criterion was judged met on " + j.judged_on });
      });
    }
    return j;
  }

  function assessment() {
    var judgements = {};
    data.criteria.forEach(function (c) {
      var state = readCriterion(c);
      if (state && state.outcome) { judgements[c] = judgementOf(c, state); }
    });
    var unit = $('input[name="unit-outcome"]:checked');
    return {
      judgements: judgements,
      feedback: $("#overall-feedback").value.trim(),
      outcome: unit && unit.value ? unit.value : null
    };
  }

  /* The draft as a file: bound to this portfolio and this round. */
  function draft() {
    return {
      format: data.format, unit: data.unit, learner: data.learner,
      portfolio_fingerprint: data.portfolio_fingerprint, portfolio_files: data.portfolio_files,
      base: data.base, assessment: assessment(), signoff: null
    };
  }

  function sameAsRecorded(criterion, j) {
    var r = data.judgements[criterion];
    if (!r && !j) { return true; }
    if (!r || !j) { return false; }
    function rulesOf(x) { return data.rules.filter(function (k) { return x.rules && x.rules[k] && x.rules[k].met; }).join(","); }
    return r.outcome === j.outcome && (r.feedback || "") === j.feedback &&
      (r.evidence || []).join(",") === j.evidence.join(",") &&
      (r.methods_sampled || []).join(",") === j.methods_sampled.join(",") && rulesOf(r) === rulesOf(j);
  }

  /* The recorded judgement and this tab's draft side by side, wherever they differ. */
  function compare() {
    var now = assessment().judgements;
    data.criteria.forEach(function (c) {
      var el = $("[data-compare]", panelOf(c));
      if (!el) { return; }
      var recorded = data.judgements[c];
      if (sameAsRecorded(c, now[c]) || !recorded) { el.hidden = true; el.textContent = ""; return; }
      el.hidden = false;
      el.textContent = "Recorded: " + words(recorded.outcome) + " on " + recorded.judged_on +
        (data.signed ? "" : " (recorded, not signed)") + ". Your draft in this tab: " + words(now[c] && now[c].outcome) +
        ". The draft changes nothing until it is signed and imported.";
    });
  }

  function save() {
    if (!entry) { progress(); compare(); return; } /* no private name: keep nothing */
    try {
      sessionStorage.setItem(storeKey, JSON.stringify({ binding: binding, touched: touched, draft: draft() }));
    } catch (e) { /* storage off: the form still works */ }
    progress();
    compare();
  }

  function fill(saved) {
    data.criteria.forEach(function (c) { fillCriterion(c, saved.judgements[c]); });
    $("#overall-feedback").value = saved.feedback || "";
    setUnit(saved.outcome);
  }

  function restore() {
    fill({ judgements: data.judgements, feedback: data.feedback, outcome: data.outcome });
    var saved = null;
    try { saved = entry ? JSON.parse(sessionStorage.getItem(storeKey) || "null") : null; } catch (e) { saved = null; }
    if (saved && saved.binding === binding && saved.draft && saved.draft.assessment) {
      touched = saved.touched || {};
      fill(saved.draft.assessment);
      say("panel-status", "Your draft from this tab was restored. What is recorded is shown beside it where they differ.");
    }
  }

  function judged() {
    return data.criteria.filter(function (c) { var s = readCriterion(c); return s && s.outcome; });
  }

  function progress() {
    var n = judged().length;
    say("panel-progress", n + " of " + data.criteria.length + " criteria judged" +
      (n < data.criteria.length ? ": a sign-off now would be an interim sign-off." : "."));
  }

  /* What a "met" lacks of what the unit's assessment strategy asks. */
  function metMissing(j) {
    var needs = data.met_requires, missing = [];
    var unticked = needs.rules.filter(function (r) { return !(j.rules[r] && j.rules[r].met); });
    if (unticked.length) { missing.push("the rules " + unticked.join(", ")); }
    if (j.evidence.length < needs.evidence) { missing.push("evidence relied on"); }
    if (needs.feedback && !j.feedback) { missing.push("feedback"); }
    if (j.methods_sampled.length < needs.methods) { missing.push("a method sampled"); }
    return missing;
  }

  function download(name, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  function onSave() {
    var out = draft(), result = out.assessment;
    var names = Object.keys(result.judgements);
    if (!names.length) { say("panel-status", "Judge at least one criterion first."); return; }
    for (var i = 0; i < names.length; i++) {
      var j = result.judgements[names[i]];
      var missing = j.outcome === "met" ? metMissing(j) : [];
      if (missing.length) {
        say("panel-status", names[i] + " is judged met without " + missing.join(", ") + ". A met needs them (or judge it not yet met).");
        panelOf(names[i]).scrollIntoView({ block: "center" });
        return;
      }
    }
    if (result.outcome === "met" && (names.length < data.criteria.length || names.some(function (c) { return result.judgements[c].outcome !== "met"; }))) {
      say("panel-status", "The unit can be met only when every criterion is judged met.");
      return;
    }
    var name = data.file_stem + "-draft-" + today() + ".json";
    download(name, JSON.stringify(out, null, 1));
    say("panel-status", "Saved " + name + " (a draft: not signed). Sign it on your own machine, beside this page: cpc306 assess sign " + name + " --page THIS-PAGE.html --key YOUR.key -o SIGNED.json");
  }

  function onOpen(event) {
    var file = event.target.files[0];
    if (!file) { return; }
    file.text().then(function (text) {
      var opened = JSON.parse(text);
      if (!opened || opened.format !== data.format || !opened.assessment) {
        throw new Error("it is not a draft saved by a portfolio page");
      }
      if (opened.portfolio_fingerprint !== data.portfolio_fingerprint || opened.base !== data.base || opened.unit !== data.unit) {
        throw new Error("it was made for another portfolio or another round, not this page");
      }
      touched = {};
      fill(opened.assessment);
      save();
      say("panel-status", "Opened " + file.name + ". What is recorded is shown beside it where they differ.");
    }).catch(function (err) {
      say("panel-status", "Did not open " + file.name + ": " + (err && err.message ? err.message : err));
    });
    event.target.value = "";
  }

  function onDiscard() {
    try { sessionStorage.removeItem(storeKey); } catch (e) { /* nothing stored */ }
    touched = {};
    fill({ judgements: data.judgements, feedback: data.feedback, outcome: data.outcome });
    progress();
    compare();
    say("panel-status", "Draft discarded: the form shows what is recorded.");
  }

  document.documentElement.classList.add("panel-on");
  $$(".judge, #assess-panel").forEach(function (el) { el.hidden = false; });
  restore();
  progress();
  compare();
  function onEdit(event) {
    if (event.target.id === "open-draft") { return; }
    var panel = event.target.closest(".judge");
    if (panel) { touched[panel.dataset.criterion] = true; }
    if (panel || event.target.closest("#assess-panel")) { save(); }
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", function (event) {
    if (event.target.id === "open-draft") { onOpen(event); return; }
    onEdit(event);
  });
  $("#download-assessment").addEventListener("click", onSave);
  $("#discard-draft").addEventListener("click", onDiscard);
})();

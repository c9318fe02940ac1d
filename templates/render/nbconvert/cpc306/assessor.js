/* The assessment panel of the assessor's portfolio: the page's only script.

   It is the same text on every page and the Content-Security-Policy allows it by its
   SHA-256 alone. It never reads learner text into code: the portfolio's data comes from
   the inert JSON block, and everything shown is set with textContent or form values.
   Without this script the page reads as a plain document. */
(function () {
  "use strict";
  var block = document.getElementById("cpc306-assessment-data");
  if (!block || !window.crypto || !window.crypto.subtle) { return; }
  var data = JSON.parse(block.textContent);
  var storeKey = "cpc306-assessment:" + data.portfolio_fingerprint;
  var key = null; // {privateKey, publicRaw}
  var touched = {};

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function say(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }
  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

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
      feedback: $("textarea[data-feedback]", panel).value.trim()
    };
  }

  function fillCriterion(criterion, state) {
    var panel = panelOf(criterion);
    if (!panel || !state) { return; }
    $$('input[type="radio"]', panel).forEach(function (el) { el.checked = el.value === state.outcome; });
    data.rules.forEach(function (rule) {
      var r = (state.rules || {})[rule] || { met: false, note: "" };
      $('input[data-rule="' + rule + '"]', panel).checked = !!r.met;
      $('input[data-note="' + rule + '"]', panel).value = r.note || "";
    });
    var relied = state.evidence || [];
    $$("input[data-evidence]", panel).forEach(function (el) { el.checked = relied.indexOf(el.dataset.evidence) >= 0; });
    $("textarea[data-feedback]", panel).value = state.feedback || "";
  }

  function readAll() {
    var criteria = {};
    data.criteria.forEach(function (c) { criteria[c] = readCriterion(c); });
    var unit = $('input[name="unit-outcome"]:checked');
    return {
      criteria: criteria,
      touched: touched,
      feedback: $("#overall-feedback").value.trim(),
      outcome: unit && unit.value ? unit.value : null,
      signer: $("#signer-name").value.trim()
    };
  }

  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(readAll())); } catch (e) { /* storage off: the form still works */ }
    progress();
  }

  function restore() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { saved = null; }
    if (saved) {
      touched = saved.touched || {};
      data.criteria.forEach(function (c) { fillCriterion(c, saved.criteria[c]); });
      $("#overall-feedback").value = saved.feedback || "";
      setUnit(saved.outcome);
      $("#signer-name").value = saved.signer || data.assessor;
      say("panel-status", "Your work in progress was restored from this browser.");
    } else {
      data.criteria.forEach(function (c) { fillCriterion(c, data.judgements[c]); });
      $("#overall-feedback").value = data.feedback || "";
      setUnit(data.outcome);
      $("#signer-name").value = data.assessor;
    }
  }

  function setUnit(value) {
    $$('input[name="unit-outcome"]').forEach(function (el) { el.checked = el.value === (value || ""); });
  }

  function judged() {
    return data.criteria.filter(function (c) { var s = readCriterion(c); return s && s.outcome; });
  }

  function progress() {
    var n = judged().length;
    say("panel-progress", n + " of " + data.criteria.length + " criteria judged" +
      (n < data.criteria.length ? ": a sign-off now is an interim sign-off." : "."));
  }

  /* The assessment as cpc306 assess import reads it, hashed as cpc306 hashes it. */
  function judgementOf(criterion, state) {
    var before = data.judgements[criterion] || {};
    return {
      outcome: state.outcome,
      judged_on: touched[criterion] || !before.judged_on ? today() : before.judged_on,
      feedback: state.feedback,
      methods_sampled: before.methods_sampled || [],
      evidence: state.evidence,
      rules: state.rules
    };
  }

  function assessment() {
    var all = readAll();
    var judgements = {};
    data.criteria.forEach(function (c) {
      if (all.criteria[c] && all.criteria[c].outcome) { judgements[c] = judgementOf(c, all.criteria[c]); }
    });
    return { judgements: judgements, feedback: all.feedback, outcome: all.outcome };
  }

  function canonical(value) {
    if (Array.isArray(value)) { return "[" + value.map(canonical).join(",") + "]"; }
    if (value !== null && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (k) {
        return JSON.stringify(k) + ":" + canonical(value[k]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }
  function b64(buffer) {
    var s = ""; new Uint8Array(buffer).forEach(function (b) { s += String.fromCharCode(b); });
    return btoa(s);
  }
  function unb64(text) {
    var s = atob(text), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) { out[i] = s.charCodeAt(i); }
    return out;
  }
  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(hex);
  }
  function encodePath(path) { return path.replace(/%/g, "%25").replace(/\n/g, "%0A").replace(/\r/g, "%0D"); }
  function lines(files) {
    return Object.keys(files).sort().map(function (p) { return files[p] + "  " + encodePath(p) + "\n"; }).join("");
  }
  function utcNow() { return new Date().toISOString().slice(0, 19) + "+00:00"; }

  function manifestOf(result) {
    var files = {};
    Object.keys(data.signed_base).forEach(function (p) { files[p] = data.signed_base[p]; });
    var rest = {};
    Object.keys(data.assessment_rest).forEach(function (k) { rest[k] = data.assessment_rest[k]; });
    rest.feedback = result.feedback;
    if (result.outcome) { rest.outcome = result.outcome; }
    var jobs = Object.keys(result.judgements).map(function (c) {
      return sha256(canonical(result.judgements[c])).then(function (h) { files[data.judgement_entry + c] = h; });
    });
    jobs.push(sha256(canonical(rest)).then(function (h) { files[data.feedback_entry] = h; }));
    return Promise.all(jobs).then(function () {
      var ordered = {};
      Object.keys(files).sort().forEach(function (p) { ordered[p] = files[p]; });
      return sha256(lines(ordered)).then(function (fingerprint) {
        return { algorithm: "sha256", created_at: utcNow(), files: ordered, fingerprint: fingerprint };
      });
    });
  }

  function signoffOf(result, signer) {
    return manifestOf(result).then(function (manifest) {
      var text = data.manifest_format + " " + manifest.algorithm + "\n" +
        "created-at " + manifest.created_at + "\n" +
        (signer ? "signed-by " + encodePath(signer) + "\n" : "") +
        lines(manifest.files) + "fingerprint " + manifest.fingerprint + "\n";
      return crypto.subtle.sign({ name: "Ed25519" }, key.privateKey, new TextEncoder().encode(text))
        .then(function (signature) {
          return crypto.subtle.digest("SHA-256", key.publicRaw).then(function (fp) {
            return {
              signed_by: signer, signed_at: manifest.created_at, manifest: manifest,
              public_key: b64(key.publicRaw), key_fingerprint: hex(fp), signature: b64(signature),
              interim: Object.keys(result.judgements).length < data.criteria.length,
              signed_in: "browser"
            };
          });
        });
    });
  }

  function download(name, text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  }

  function onDownload() {
    var result = assessment();
    var signer = $("#signer-name").value.trim();
    var count = Object.keys(result.judgements).length;
    if (!count) { say("panel-status", "Judge at least one criterion first."); return; }
    if (result.outcome === "met" && (count < data.criteria.length || Object.keys(result.judgements).some(function (c) { return result.judgements[c].outcome !== "met"; }))) {
      say("panel-status", "The unit can be met only when every criterion is judged met.");
      return;
    }
    var out = {
      format: data.format, unit: data.unit, learner: data.learner,
      portfolio_fingerprint: data.portfolio_fingerprint, portfolio_files: data.portfolio_files,
      assessment: result, signoff: null
    };
    var name = data.file_stem + "-" + today() + ".json";
    var ready = Promise.resolve(out);
    if (key) {
      if (!signer) { say("panel-status", "Type your name as signer first."); return; }
      if (!data.declared) { say("panel-status", "The learner has not declared this work their own, so it cannot be signed off. Download it without a key, or ask the learner to declare it."); return; }
      ready = signoffOf(result, signer).then(function (s) { out.signoff = s; return out; });
    }
    ready.then(function (value) {
      download(name, JSON.stringify(value, null, 1));
      say("panel-status", "Saved " + name + (value.signoff ? ", signed" + (value.signoff.interim ? " (interim sign-off: " + count + " of " + data.criteria.length + " criteria judged)" : "") : ", not signed") +
        ". Send it to the centre: cpc306 assess import PORTFOLIO " + name);
    }, function (err) { say("panel-status", "Could not sign: " + err); });
  }

  function onKey(event) {
    var file = event.target.files[0];
    key = null;
    if (!file) { say("key-status", "No key loaded: the download will not be signed."); return; }
    file.text().then(function (pem) {
      if (pem.indexOf("ENCRYPTED") >= 0) {
        throw new Error("this key is protected by a passphrase, which a browser cannot open; sign with cpc306 sign instead");
      }
      var body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "").replace(/\s+/g, "");
      return crypto.subtle.importKey("pkcs8", unb64(body), { name: "Ed25519" }, true, ["sign"]);
    }).then(function (privateKey) {
      return crypto.subtle.exportKey("jwk", privateKey).then(function (jwk) {
        var x = jwk.x.replace(/-/g, "+").replace(/_/g, "/");
        while (x.length % 4) { x += "="; }
        key = { privateKey: privateKey, publicRaw: unb64(x) };
        return crypto.subtle.digest("SHA-256", key.publicRaw);
      });
    }).then(function (fp) {
      say("key-status", "Key loaded (fingerprint " + hex(fp).slice(0, 16) + "…): the download will be signed. The key stays in this page; it is not stored.");
    }, function (err) {
      key = null;
      say("key-status", "That file is not a signing key this page can use: " + (err && err.message ? err.message : err));
    });
  }

  document.documentElement.classList.add("panel-on");
  $$(".judge, #assess-panel").forEach(function (el) { el.hidden = false; });
  restore();
  progress();
  document.addEventListener("input", function (event) {
    var panel = event.target.closest(".judge");
    if (panel) { touched[panel.dataset.criterion] = true; }
    if (panel || event.target.closest("#assess-panel")) { save(); }
  });
  document.addEventListener("change", function (event) {
    var panel = event.target.closest(".judge");
    if (panel) { touched[panel.dataset.criterion] = true; }
    if (event.target.id === "signing-key") { onKey(event); return; }
    if (panel || event.target.closest("#assess-panel")) { save(); }
  });
  $("#download-assessment").addEventListener("click", onDownload);
})();

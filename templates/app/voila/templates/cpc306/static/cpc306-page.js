/* The learner's app, in the page itself (no code of the learner's, nothing from elsewhere):

   - unsaved text: leaving the page (closing the tab, a link, reload) asks first while any
     text box of a form holds text that differs from what it held before typing, until that
     form saves;
   - other tabs: a save in this tab tells the app's other open tabs (BroadcastChannel, same
     origin only), which redraw their views from the portfolio (their hidden "Show the
     latest" button asks their own kernel);
   - the skip link puts the focus on the page's first form field. */
(function () {
  "use strict";
  var TEXT = "textarea, input[type=text], input[type=date], input[type=number], input:not([type])";
  var before = new Map();  /* text box -> its value when the learner first went into it */

  function isFormText(el) {
    return el && el.matches && el.matches(TEXT) && el.closest(".cpc306-form") &&
      !el.closest(".cpc306-choices-filter");
  }

  document.addEventListener("focusin", function (event) {
    var el = event.target;
    if (isFormText(el) && !before.has(el)) {
      before.set(el, el.value);
    }
  });

  function unsaved() {
    var out = [];
    before.forEach(function (value, el) {
      if (!el.isConnected) {
        before.delete(el);
      } else if (el.value !== value) {
        out.push(el);
      }
    });
    return out;
  }
  window.cpc306Unsaved = function () { return unsaved().length; };

  window.addEventListener("beforeunload", function (event) {
    if (unsaved().length === 0) {
      return undefined;
    }
    event.preventDefault();
    event.returnValue = "You have text that is not saved yet.";
    return event.returnValue;
  });

  var channel = null;
  try {
    channel = new BroadcastChannel("cpc306-portfolio");
  } catch (e) {
    channel = null;
  }
  var news = document.createElement("p");
  news.className = "cpc306-visually-hidden";
  news.setAttribute("role", "status");
  document.body.appendChild(news);

  function saved(form) {
    /* The form saved: its boxes now hold what was saved (or were emptied for the next). */
    before.forEach(function (_value, el) {
      if (!form || form.contains(el)) {
        before.delete(el);
      }
    });
    if (channel) {
      channel.postMessage({ kind: "saved", at: Date.now() });
    }
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType !== 1) {
          return;
        }
        /* Only a form's own status line says a save happened (a redrawn view never does). */
        var found = node.matches(".cpc306-saved") ? node : node.querySelector(".cpc306-saved");
        if (found && found.closest(".cpc306-status")) {
          saved(found.closest(".cpc306-form"));
        }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });

  if (channel) {
    channel.onmessage = function (event) {
      if (!event.data || event.data.kind !== "saved") {
        return;
      }
      var button = document.querySelector(".cpc306-refresh");
      if (button) {
        button.click();
        news.textContent = "Your portfolio changed in another tab: this page now shows it.";
      }
    };
  }

  /* On a narrow screen each table row stacks as a card: each cell is headed by its
     column's name (see the stylesheet), copied here from the table's header row. */
  function labelCells(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = Array.prototype.map.call(
        table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); }
      );
      if (heads.length === 0) {
        return;
      }
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }
  labelCells(document);
  new MutationObserver(function () { labelCells(document); })
    .observe(document.body, { childList: true, subtree: true });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.cpc306-skip");
    if (!link) {
      return;
    }
    var first = document.querySelector(
      ".cpc306-form input:not([type=hidden]), .cpc306-form select, .cpc306-form textarea"
    );
    var target = first || document.getElementById("cpc306-main");
    if (target) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  });
})();

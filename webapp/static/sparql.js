// Progressive enhancement of the SPARQL query page; the page works without it.
(function () {
  "use strict";
  var select = document.getElementById("saved");
  var textarea = document.getElementById("query");
  if (!textarea) {
    return;
  }
  var live = document.getElementById("sparql-status");

  function announce(region, text) {
    // Emptied first, so the same words are announced again.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  if (select) {
    // A saved query is loaded only by an explicit action ("Load"), never by moving through the list
    // (WCAG 3.2.2), and what the user typed can be brought back ("Undo").
    var form = select.form;
    var status = document.getElementById("saved-status");
    var undo = document.getElementById("undo-load");
    var kept = null;
    form.addEventListener("submit", function (event) {
      var option = select.options[select.selectedIndex];
      if (!option || !option.dataset.sparql) {
        return;  // "(choose one)": the server says so
      }
      event.preventDefault();
      var typed = textarea.value;
      textarea.value = option.dataset.sparql;
      textarea.dispatchEvent(new Event("input"));  // the code editor, when on, follows
      if (typed.trim() && typed !== option.dataset.sparql) {
        kept = typed;
        undo.hidden = false;
        announce(status, "Loaded “" + option.textContent + "” into the editor. Undo brings back your query.");
      } else {
        announce(status, "Loaded “" + option.textContent + "” into the editor.");
      }
    });
    undo.addEventListener("click", function () {
      if (kept !== null) {
        textarea.value = kept;
        textarea.dispatchEvent(new Event("input"));
        kept = null;
      }
      undo.hidden = true;
      announce(status, "Your query is back in the editor.");
      textarea.focus();
      textarea.dispatchEvent(new Event("twitch-kg:focus"));  // the code editor, when on, takes the focus
    });
  }

  // Ctrl+Enter (Cmd+Enter) runs the query; the page and the editor say so.
  var help = document.getElementById("query-help");
  if (help) {
    help.hidden = false;
    textarea.setAttribute("aria-describedby", "query-help");
  }
  textarea.setAttribute("aria-keyshortcuts", "Control+Enter Meta+Enter");
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      textarea.form.requestSubmit ? textarea.form.requestSubmit() : textarea.form.submit();
    }
  });

  // The outcome of a run, for screen readers: the number of rows, or the error.
  var summary = document.getElementById("results-summary");
  var error = document.getElementById("sparql-error-title");
  if (live && (summary || error)) {
    announce(live, error ? "Error: " + error.textContent
      : "Results: " + summary.textContent.replace(/\s+/g, " ").trim().split(" ms.")[0] + " ms.");
  }
})();

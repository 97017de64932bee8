// Progressive enhancement of the SPARQL query page; the page works without it.
(function () {
  "use strict";
  var select = document.getElementById("saved");
  var textarea = document.getElementById("query");
  if (!textarea) {
    return;
  }
  if (select) {
    // Choosing a saved query fills the editor at once (without JavaScript, "Load" does it).
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      if (option && option.dataset.sparql) {
        textarea.value = option.dataset.sparql;
        textarea.focus();
      }
    });
    var load = select.form.querySelector("button[type=submit]");
    if (load) {
      load.hidden = true;
    }
  }
  // Ctrl+Enter (Cmd+Enter) runs the query.
  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      textarea.form.requestSubmit ? textarea.form.requestSubmit() : textarea.form.submit();
    }
  });
})();

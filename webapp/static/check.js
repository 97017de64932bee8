// A checker answer's permalink in full (scheme and host as the browser sees them), so that a printed
// answer carries an address a reader can type. The server writes it relative: it never echoes a Host header.
(function () {
  "use strict";
  var link = document.getElementById("permalink");
  if (link) {
    link.textContent = link.href;
  }
})();

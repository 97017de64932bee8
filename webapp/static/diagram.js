// Pointer users can click a node of a diagram to open its page. Keyboards and screen readers use the
// list of links that follows each diagram (the picture itself is role="img", with nothing focusable in it).
(function () {
  "use strict";
  document.querySelectorAll("svg.diagram").forEach(function (svg) {
    svg.addEventListener("click", function (event) {
      var node = event.target.closest("g.node[data-href]");
      if (node) {
        window.location.assign(node.getAttribute("data-href"));
      }
    });
  });
})();

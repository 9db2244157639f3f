// Applies the reader's saved preferences before the page paints: the
// large-text, high-contrast mode (适老化) and the chosen language.
(function () {
  "use strict";
  var root = document.documentElement;
  try {
    if (localStorage.getItem("wumen-large") === "1") root.classList.add("a11y-large");
  } catch (e) { /* storage blocked: defaults apply */ }
})();

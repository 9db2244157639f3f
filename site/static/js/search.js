// The search page of a static build: the page was written without results,
// so this asks the configured API, or the static site's own search (site.js,
// wumenQuery), and lists what it finds. (The server renders results itself;
// then this does nothing.)
(function () {
  "use strict";
  var results = document.getElementById("results");
  if (!results || results.getAttribute("data-rendered") === "1" || !window.wumenQuery) return;
  var params = new URLSearchParams(location.search);
  var q = params.get("q") || "";
  var keep = ["category", "admin", "heritage"];
  if (!q && !keep.some(function (k) { return params.get(k); })) return;
  var input = document.querySelector('input[name="q"]');
  if (input) input.value = q;
  keep.forEach(function (k) {
    var sel = document.querySelector('select[name="' + k + '"]');
    if (sel && params.get(k)) sel.value = params.get(k);
  });
  var lang = document.documentElement.getAttribute("data-lang");
  var prefix = lang === "en" ? "/en" : "";
  var url = "size=50&lang=" + encodeURIComponent(lang) + "&text=" + encodeURIComponent(q);
  keep.forEach(function (k) { if (params.get(k)) url += "&" + k + "=" + encodeURIComponent(params.get(k)); });
  var ol = results.querySelector("ol.results");
  var h = results.querySelector("h2");
  results.setAttribute("aria-busy", "true");
  window.wumenQuery("search", url).then(function (fc) {
    results.removeAttribute("aria-busy");
    if (fc.error) { var p = document.createElement("p"); p.className = "notice"; p.textContent = fc.error.message; results.insertBefore(p, ol); return; }
    h.textContent = h.textContent + " (" + (fc.total || 0) + ")";
    (fc.features || []).forEach(function (f) {
      var p = f.properties, li = document.createElement("li"), a = document.createElement("a");
      a.href = prefix + (p.path || "/place/" + p.id);
      if (lang === "en" && p.english) { // the English name first on English pages
        var en = document.createElement("span"); en.className = "english-name"; en.lang = "en"; en.textContent = p.english + " "; a.appendChild(en);
      }
      var name = document.createElement("span"); name.className = "name"; name.lang = "zh-Hans";
      if (p.matched_name === p.name) window.wumenHighlight(name, p.name, p.matched_span); else name.textContent = p.name;
      a.appendChild(name);
      if (p.pinyin) { var py = document.createElement("span"); py.className = "pinyin"; py.textContent = " " + p.pinyin; a.appendChild(py); }
      li.appendChild(a);
      var label = document.createElement("span"); label.className = "label"; label.textContent = " " + (p.label || ""); li.appendChild(label);
      ol.appendChild(li);
    });
    results.setAttribute("data-searched", "1");
  }).catch(function () { results.removeAttribute("aria-busy"); /* leave the page as it is */ });
})();

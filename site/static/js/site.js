// Site-wide behaviour: the large-text toggle, remembering the language, and
// autocomplete on every search box. No framework; everything works without it.
(function () {
  "use strict";
  var root = document.documentElement;
  var store = {
    get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* ignore */ } }
  };

  // 适老化: large text and high contrast, kept across visits.
  var toggle = document.getElementById("a11y-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.setAttribute("aria-pressed", root.classList.contains("a11y-large") ? "true" : "false");
    toggle.addEventListener("click", function () {
      var on = root.classList.toggle("a11y-large");
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      store.set("wumen-large", on ? "1" : "0");
      window.dispatchEvent(new Event("resize"));
    });
  }

  // Offline (static build): the service worker (/sw.js, written by the
  // build) keeps the pages, search and map tiles. The banner, a live region
  // (role=status) empty while online, says when saved pages are shown: when
  // the browser knows it is offline, or when a request past the worker to
  // the site fails (retried every 5 s until it answers again).
  var banner = document.getElementById("offline-banner");
  var swMeta = document.querySelector('meta[name="service-worker"]');
  var worker = swMeta && "serviceWorker" in navigator ? navigator.serviceWorker : null;
  var retry = null;
  function showOffline(off) {
    if (banner) banner.textContent = off ? banner.getAttribute("data-text") : "";
    root.classList.toggle("offline", off);
    clearTimeout(retry);
    if (off) retry = setTimeout(netState, 5000);
  }
  function netState() {
    if (!navigator.onLine || !worker || !worker.controller) { showOffline(!navigator.onLine); return; }
    // A HEAD request is not the worker's (it answers GETs only): it goes
    // to the network, and fails without one.
    fetch("/precache.json", { method: "HEAD", cache: "no-store" }).then(function () { showOffline(false); }, function () { showOffline(true); });
  }
  window.addEventListener("online", netState);
  window.addEventListener("offline", netState);
  netState();
  // ask sends the active worker a message ({type: "status"|"keep"|"save"})
  // and settles with its answer: its status, {version, files, missing,
  // bytes} of the full list, {shellFiles, shellMissing, shellBytes} of the
  // shell saved at install, asked and saving.
  function ask(msg) {
    return worker.ready.then(function (reg) {
      return new Promise(function (resolve, reject) {
        var ch = new MessageChannel();
        ch.port1.onmessage = function (e) { if (e.data.error) reject(new Error(e.data.error)); else resolve(e.data); };
        reg.active.postMessage(msg, [ch.port2]);
      });
    });
  }
  // wumenOfflineStatus asks the active worker its status; null without one.
  window.wumenOfflineStatus = function () { return worker ? ask({ type: "status" }) : Promise.resolve(null); };
  // wumenOffline: registered after the page has loaded (installing does not
  // compete with it), settled once the worker is active with its shell
  // saved and this page kept (a first visit is not the worker's to keep),
  // with its status.
  window.wumenOffline = !worker ? Promise.resolve(null) : new Promise(function (resolve, reject) {
    function register() {
      worker.register(swMeta.content, { scope: "/" }).then(function () {
        return ask({ type: "keep", url: location.href });
      }).then(resolve, reject);
    }
    if (document.readyState === "complete") register(); else window.addEventListener("load", register);
  });
  window.wumenOffline.catch(function () { /* not a secure context: no offline use */ });

  // Saving the whole site for offline use is the visitor's choice (the
  // footer's button, its size beside it), made for them when the site runs
  // installed or the address says ?offline=all (a kiosk). The worker tells
  // its progress; the status line (role=status) says it.
  var saveBox = document.getElementById("offline-save");
  if (worker && saveBox) {
    var saveButton = document.getElementById("offline-save-button");
    var saveStatus = document.getElementById("offline-save-status");
    var say = function (key, vals) {
      saveStatus.textContent = saveStatus.getAttribute("data-" + key).replace(/\{(\w+)\}/g, function (m, k) { return vals[k]; });
    };
    var size = function (b) { var mb = b / 1e6; return (mb >= 10 ? Math.round(mb) : mb.toFixed(1)) + " MB"; };
    var saveAll = function () {
      saveButton.disabled = true;
      ask({ type: "save" }).catch(function (err) { saveButton.disabled = false; say("failed", { error: err.message }); });
    };
    var said = 0; // the count is said at most every 2 s: a screen reader reads each change
    worker.addEventListener("message", function (e) {
      var d = e.data || {};
      if (d.type === "progress" && (Date.now() - said >= 2000 || d.saved === d.total)) {
        said = Date.now();
        say("progress", { n: d.saved, total: d.total });
      }
      else if (d.type === "saved") {
        window.wumenOfflineStatus().then(function (s) { say("done", { total: s.files }); saveButton.hidden = true; });
      } else if (d.type === "save-failed") { saveButton.disabled = false; say("failed", { error: d.error }); }
    });
    saveButton.addEventListener("click", saveAll);
    window.wumenOffline.then(function (s) {
      var sizeText = document.getElementById("offline-save-size");
      sizeText.textContent = sizeText.getAttribute("data-text").replace("{size}", size(s.bytes));
      saveBox.hidden = false;
      if (s.missing === 0) { saveButton.hidden = true; say("done", { total: s.files }); return; }
      if (s.saving) { saveButton.disabled = true; return; }
      var auto = window.matchMedia && window.matchMedia("(display-mode: standalone)").matches;
      // Asked before but cut short: go on, when there is a network.
      if (auto || /[?&]offline=all(&|$)/.test(location.search) || (s.asked && navigator.onLine)) saveAll();
    }, function () { /* no worker */ });
  }

  // Language: the switch records the choice; a later visit to a page in the
  // other language goes to the chosen one.
  var lang = root.getAttribute("data-lang");
  var sw = document.getElementById("lang-switch");
  if (sw) {
    sw.addEventListener("click", function () { store.set("wumen-lang", sw.getAttribute("data-lang")); });
    var want = store.get("wumen-lang");
    if (want && want !== lang && sw.getAttribute("data-lang") === want && !/[?&]stay=1/.test(location.search)) {
      location.replace(sw.href);
      return;
    }
  }

  // Search, from the API when there is one; in a static build without one,
  // from the search compiled to WebAssembly (search/wasm) over the compact
  // index the build wrote, loaded when a search box is first used.
  var meta = document.querySelector('meta[name="api-base"]');
  var api = meta ? meta.content : "";
  var prefix = lang === "en" ? "/en" : "";
  var local = document.querySelector('meta[name="static-search"]');
  var loading = null;
  function loadLocal() {
    if (loading) return loading;
    var go, t0 = performance.now(), times = window.wumenSearchTimings = {};
    function lap(what) { times[what] = Math.round(performance.now() - t0); }
    loading = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = local.getAttribute("data-runtime");
      s.onload = resolve;
      s.onerror = function () { reject(new Error("the search runtime did not load")); };
      document.head.appendChild(s);
    }).then(function () {
      lap("runtime");
      go = new window.Go();
      var wasm = fetch(local.content).then(function (r) {
        if (!r.ok) throw new Error("search.wasm: HTTP " + r.status);
        return r.arrayBuffer();
      }).then(function (b) { lap("wasm fetched"); return WebAssembly.instantiate(b, go.importObject); });
      var index = fetch(local.getAttribute("data-index")).then(function (r) {
        if (!r.ok) throw new Error("index.json: HTTP " + r.status);
        return r.arrayBuffer();
      });
      return Promise.all([wasm, index]);
    }).then(function (got) {
      lap("compiled");
      go.run(got[0].instance); // sets window.wumenSearch, then waits for calls
      lap("started");
      var err = window.wumenSearch.open(new Uint8Array(got[1]));
      lap("opened");
      if (err) throw new Error(err);
    });
    return loading;
  }
  // wumenQuery answers kind ("search" or "autocomplete") for the URL
  // parameters params as the API does: a GeoJSON FeatureCollection, or
  // {error: {code, message}}.
  window.wumenQuery = function (kind, params) {
    if (api) {
      return fetch(api + "/" + kind + "?" + params).then(function (r) { return r.json(); });
    }
    if (!local) return Promise.reject(new Error("no search"));
    return loadLocal().then(function () { return JSON.parse(window.wumenSearch[kind](params)); });
  };
  window.wumenLoadSearch = function () { return local && !api ? loadLocal() : Promise.resolve(); };

  // Autocomplete: as-you-type suggestions, the matched part of the name
  // highlighted; keyboard and touch both work (WAI-ARIA combobox).
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function highlight(parent, text, span) {
    var chars = Array.from(text);
    if (!span || span[1] <= span[0]) { parent.appendChild(document.createTextNode(text)); return; }
    parent.appendChild(document.createTextNode(chars.slice(0, span[0]).join("")));
    parent.appendChild(el("mark", "", chars.slice(span[0], span[1]).join("")));
    parent.appendChild(document.createTextNode(chars.slice(span[1]).join("")));
  }
  window.wumenHighlight = highlight;
  document.querySelectorAll("input[data-autocomplete]").forEach(function (input) {
    if (!api && !local) return;
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null, seq = 0, active = -1;
    function close() { list.hidden = true; list.textContent = ""; input.setAttribute("aria-expanded", "false"); active = -1; }
    function items() { return list.querySelectorAll("a"); }
    function mark(i) {
      var as = items();
      as.forEach(function (a, j) { a.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (as[i]) input.setAttribute("aria-activedescendant", as[i].id);
    }
    function show(fc) {
      list.textContent = "";
      (fc.features || []).forEach(function (f, i) {
        var p = f.properties, li = el("li"), a = el("a");
        li.setAttribute("role", "none"); // the listbox's options are the links
        a.id = input.id + "-opt-" + i;
        a.setAttribute("role", "option");
        a.href = prefix + (p.path || "/place/" + p.id);
        var en = lang === "en" && p.english; // the English name first on English pages
        if (en) { var e = el("span", "english-name", p.english + " "); e.lang = "en"; a.appendChild(e); }
        var name = el("span", "name"); name.lang = "zh-Hans";
        if (p.matched_name && p.matched_name === p.name) highlight(name, p.name, p.matched_span);
        else name.textContent = p.name;
        a.appendChild(name);
        if (p.pinyin) a.appendChild(el("span", "pinyin", " " + p.pinyin));
        if (p.matched_name && p.matched_name !== p.name && !(en && p.matched_name === p.english)) {
          var m = el("span", "matched"); m.lang = "zh-Hans";
          m.appendChild(document.createTextNode(" ("));
          highlight(m, p.matched_name, p.matched_span);
          m.appendChild(document.createTextNode(")"));
          a.appendChild(m);
        }
        if (p.label) a.appendChild(el("span", "label", p.label));
        li.appendChild(a);
        list.appendChild(li);
      });
      var any = list.children.length > 0;
      list.hidden = !any;
      input.setAttribute("aria-expanded", any ? "true" : "false");
      active = -1;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var text = input.value.trim();
      if (!text) { close(); return; }
      timer = setTimeout(function () {
        var my = ++seq;
        window.wumenQuery("autocomplete", "size=8&lang=" + encodeURIComponent(lang) + "&text=" + encodeURIComponent(text))
          .then(function (fc) { if (my === seq) show(fc.error ? { features: [] } : fc); })
          .catch(function () { /* offline: the form still submits */ });
      }, api ? 150 : 0); // the API is asked once typing pauses; the local search at once
    });
    input.addEventListener("focus", function () { window.wumenLoadSearch().catch(function () {}); });
    input.addEventListener("keydown", function (e) {
      var n = items().length;
      if (!n) return;
      if (e.key === "ArrowDown") { mark((active + 1) % n); e.preventDefault(); }
      else if (e.key === "ArrowUp") { mark((active - 1 + n) % n); e.preventDefault(); }
      else if (e.key === "Enter" && active >= 0) { items()[active].click(); e.preventDefault(); }
      else if (e.key === "Escape") { close(); }
    });
    document.addEventListener("click", function (e) { if (!input.form.contains(e.target)) close(); });
  });
})();

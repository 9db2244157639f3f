// The service worker of Wumen's static build (written to /sw.js, the
// precache version on its first line, so a new build is a new worker).
// Install: save the shell /precache.json marks (the offline pages, the
// styles, the public scripts, the manifest and the icons; site/offline.go)
// in a cache named after the version. The full list (the pages, search, map
// styles and tiles) is saved only when a visitor asks (the page's "save"
// message, site.js), and again by every later build once asked. Activate:
// delete the caches of older builds. Fetch: pages from the network, else
// saved, else the offline page of their language; everything else saved
// first; what is fetched is kept; the PMTiles archive's range requests
// answered from its saved copy.
/* global PRECACHE_VERSION */
"use strict";
var CACHE = "wumen-" + PRECACHE_VERSION;
var LIST = "/precache.json?v=" + PRECACHE_VERSION; // kept in the cache too
var ASKED = "/sw-save-all"; // in a cache: its visitor asked for the full list

function request(f) { return new Request(f.url, { cache: "reload" }); }
function abs(u) { return new URL(u, self.location.href).href; }

// older finds the cache of an earlier build with its list: {cache, sums
// (URL → SHA-256), asked}, or null.
function older() {
  return caches.keys().then(function (keys) {
    var old = keys.filter(function (k) { return k.indexOf("wumen-") === 0 && k !== CACHE; })[0];
    if (!old) return null;
    return caches.open(old).then(function (c) {
      return c.keys().then(function (ks) {
        var l = ks.filter(function (k) { return new URL(k.url).pathname === "/precache.json"; })[0];
        return Promise.all([l ? c.match(l).then(function (r) { return r.json(); }) : null, c.match(ASKED)]);
      }).then(function (got) {
        var sums = {};
        (got[0] ? got[0].files : []).forEach(function (f) { sums[abs(f.url)] = f.sha256; });
        return { cache: c, sums: sums, asked: !!got[1] };
      });
    });
  });
}

// save puts into cache c each of files not in it yet, four at a time: a
// copy from the old build's cache when its content hash is the same, else
// from the network. done(n, total) is told after each file.
function save(c, files, old, done) {
  var i = 0, n = 0;
  function one(f) {
    var u = abs(f.url);
    return c.match(u).then(function (have) {
      if (have) return;
      var copy = old && old.sums[u] === f.sha256 ? old.cache.match(u) : Promise.resolve(null);
      return copy.then(function (r) {
        if (r) return c.put(u, r);
        return fetch(request(f)).then(function (r) {
          if (!r.ok) throw new Error(f.url + ": HTTP " + r.status);
          return c.put(u, r);
        });
      });
    }).then(function () { n++; if (done) done(n, files.length); });
  }
  function next() {
    if (i >= files.length) return Promise.resolve();
    return one(files[i++]).then(next);
  }
  return Promise.all([next(), next(), next(), next()]);
}

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return Promise.all([fetch(LIST, { cache: "no-store" }), older()]).then(function (got) {
      var r = got[0], old = got[1];
      if (!r.ok) throw new Error("precache.json: HTTP " + r.status);
      return r.clone().json().then(function (m) {
        if (m.version !== PRECACHE_VERSION) throw new Error("precache.json is of build " + m.version + ", sw.js of " + PRECACHE_VERSION);
        var shell = m.files.filter(function (f) { return f.shell; });
        return save(c, shell, old).then(function () {
          if (!old || !old.asked) return;
          // Asked once: this build's full list too, before the old cache goes.
          return c.put(ASKED, new Response("1")).then(function () { return save(c, m.files, old); });
        });
      }).then(function () { return c.put(LIST, r); }); // last: its presence means installed
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("wumen-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// status is this worker's version and how much of its full list (files,
// missing, bytes) and of its shell (shellFiles, shellMissing, shellBytes) is
// saved, whether its visitor asked for the full list, and whether it is
// being saved.
var saving = null;
function status() {
  return caches.open(CACHE).then(function (c) {
    return Promise.all([c.match(LIST), c.match(ASKED), c.keys()]).then(function (got) {
      var s = { version: PRECACHE_VERSION, files: 0, missing: -1, bytes: 0, shellFiles: 0, shellMissing: -1, shellBytes: 0, asked: !!got[1], saving: !!saving };
      if (!got[0]) return s;
      var have = {};
      got[2].forEach(function (k) { have[k.url] = true; });
      return got[0].json().then(function (m) {
        var shell = m.files.filter(function (f) { return f.shell; });
        function missing(fs) { return fs.filter(function (f) { return !have[abs(f.url)]; }).length; }
        s.files = m.files.length; s.missing = missing(m.files); s.bytes = m.bytes;
        s.shellFiles = shell.length; s.shellMissing = missing(shell); s.shellBytes = m.shell_bytes;
        return s;
      });
    });
  });
}

// tell sends message to every window of the site.
function tell(message) {
  return self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (cs) {
    cs.forEach(function (c) { c.postMessage(message); });
  });
}

// saveAll saves the full list (the visitor asked: remembered in the cache,
// so a later build saves it too), telling every window its progress
// ({type: "progress", saved, total}) and its end ({type: "saved"} or
// {type: "save-failed", error}).
function saveAll() {
  if (saving) return saving;
  saving = caches.open(CACHE).then(function (c) {
    return c.put(ASKED, new Response("1")).then(function () { return c.match(LIST); }).then(function (r) {
      if (!r) throw new Error("not installed");
      return r.json();
    }).then(function (m) {
      return save(c, m.files, null, function (n, total) { tell({ type: "progress", saved: n, total: total }); });
    });
  }).then(function () {
    saving = null;
    return tell({ type: "saved" });
  }, function (err) {
    saving = null;
    return tell({ type: "save-failed", error: String(err && err.message || err) });
  });
  return saving;
}

// keepPage saves the page a window was opened on before this worker
// controlled it (its first visit), under its directory address.
function keepPage(u) {
  var url = new URL(u);
  if (url.origin !== self.location.origin) return Promise.resolve();
  url.search = "";
  url.hash = "";
  if (!/\/$/.test(url.pathname)) url.pathname += "/";
  return caches.open(CACHE).then(function (c) {
    return c.match(url.href).then(function (have) {
      if (have) return;
      return fetch(url.href).then(function (r) { if (r.ok && r.type === "basic") return c.put(url.href, r); });
    });
  });
}

// A page's messages (site.js): "status" and "keep" answer on the port
// given; "save" starts saving the full list.
self.addEventListener("message", function (e) {
  var d = e.data || {}, port = e.ports[0];
  var work = d.type === "status" ? status() : d.type === "keep" ? keepPage(d.url).catch(function () { /* kept later, if browsed online */ }).then(status) :
    d.type === "save" ? (saveAll(), status()) : null;
  if (!work) return;
  e.waitUntil(work.then(function (s) { if (port) port.postMessage(s); }, function (err) {
    if (port) port.postMessage({ error: String(err && err.message || err) });
  }));
  if (d.type === "save") e.waitUntil(saving || Promise.resolve());
});
// saved finds a request in this build's cache. A page is saved as its
// directory (/walks/) whatever its query (/search/?q=…), and a place's
// short address (/place/51) is the page of its name (/place/51/shantang-jie/).
function saved(req) {
  return caches.open(CACHE).then(function (c) {
    if (req.mode !== "navigate") return c.match(req);
    var u = new URL(req.url);
    if (!/\/$/.test(u.pathname)) u.pathname += "/";
    return c.match(u.href, { ignoreSearch: true }).then(function (r) {
      if (r || !/^(\/en)?\/place\/\d+\/$/.test(u.pathname)) return r;
      return c.keys().then(function (keys) {
        var k = keys.filter(function (k) { return new URL(k.url).pathname.indexOf(u.pathname) === 0; })[0];
        return k && c.match(k);
      });
    });
  });
}

// keep saves a page or file fetched from the network for later offline use:
// not a search's or a map view's address (those are the saved page), but a
// static file's versioned one (/static/js/map.js?v=…).
function keep(req, resp) {
  var q = new URL(req.url).search;
  if (resp.ok && resp.status === 200 && resp.type === "basic" && (q === "" || (req.mode !== "navigate" && /^\?v=[\w-]+$/.test(q)))) {
    var copy = resp.clone();
    caches.open(CACHE).then(function (c) { return c.put(req, copy); });
  }
  return resp;
}

function page(req) {
  return fetch(req).then(function (r) { return keep(req, r); }).catch(function () {
    return saved(req).then(function (r) {
      if (r) return r;
      var en = /^\/en(\/|$)/.test(new URL(req.url).pathname);
      return caches.match(en ? "/en/offline/" : "/offline/", { cacheName: CACHE }).then(function (o) {
        return o || new Response("离线 — Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
      });
    });
  });
}

// A range request (bytes=a-b) of the PMTiles archive, answered from the
// saved archive (RFC 9110 §14: 206 with Content-Range).
var archive = null;
function ranged(req) {
  if (!archive) {
    archive = caches.match("/tiles.pmtiles", { cacheName: CACHE }).then(function (r) {
      if (!r) { archive = null; return null; }
      return r.arrayBuffer();
    });
  }
  return archive.then(function (buf) {
    if (!buf) return fetch(req);
    var n = buf.byteLength, m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.get("Range") || "");
    var type = { "Content-Type": "application/octet-stream" };
    if (!m) return new Response(buf, { status: 200, headers: type });
    var a = Number(m[1]), b = m[2] ? Math.min(Number(m[2]), n - 1) : n - 1;
    if (a >= n) return new Response("", { status: 416, headers: { "Content-Range": "bytes */" + n } });
    type["Content-Range"] = "bytes " + a + "-" + b + "/" + n;
    return new Response(buf.slice(a, b + 1), { status: 206, headers: type });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/tiles.pmtiles") { e.respondWith(ranged(req)); return; }
  if (req.mode === "navigate") { e.respondWith(page(req)); return; }
  e.respondWith(saved(req).then(function (r) {
    return r || fetch(req).then(function (resp) { return keep(req, resp); });
  }));
});

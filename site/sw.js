// The service worker of Wumen's static build (written to /sw.js, the
// precache version on its first line, so a new build is a new worker).
// Install: save what /precache.json lists (the pages, search, map styles and
// tiles; see site/offline.go) in a cache named after the version. Activate:
// delete the caches of older builds. Fetch: pages from the network, else
// saved, else the offline page of their language; everything else saved
// first; the PMTiles archive's range requests answered from its saved copy.
/* global PRECACHE_VERSION */
"use strict";
var CACHE = "wumen-" + PRECACHE_VERSION;
var LIST = "/precache.json?v=" + PRECACHE_VERSION; // kept in the cache too

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return fetch(LIST, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("precache.json: HTTP " + r.status);
      return r.clone().json().then(function (m) {
        if (m.version !== PRECACHE_VERSION) throw new Error("precache.json is of build " + m.version + ", sw.js of " + PRECACHE_VERSION);
        return c.addAll(m.files.map(function (f) { return new Request(f.url, { cache: "reload" }); }));
      }).then(function () { return c.put(LIST, r); }); // last: its presence means complete
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("wumen-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// status answers a page's question (site.js wumenOfflineStatus): this
// worker's version and how much of its list is saved.
self.addEventListener("message", function (e) {
  if (!e.data || e.data.type !== "status" || !e.ports[0]) return;
  var port = e.ports[0];
  e.waitUntil(caches.open(CACHE).then(function (c) {
    return c.match(LIST).then(function (r) {
      if (!r) return { version: PRECACHE_VERSION, files: 0, missing: -1, bytes: 0 };
      return r.json().then(function (m) {
        return c.keys().then(function (keys) {
          var have = {};
          keys.forEach(function (k) { have[k.url] = true; });
          var missing = m.files.filter(function (f) { return !have[new URL(f.url, self.location.href).href]; });
          return { version: PRECACHE_VERSION, files: m.files.length, missing: missing.length, bytes: m.bytes };
        });
      });
    });
  }).then(function (s) { port.postMessage(s); }));
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

// keep saves a page or file fetched from the network for later offline use
// (not a search's or a map view's address: those are the saved page).
function keep(req, resp) {
  if (resp.ok && resp.status === 200 && resp.type === "basic" && new URL(req.url).search === "") {
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

// The service worker of Wumen's static build (written to /sw.js, the
// precache version on its first line, so a new build is a new worker).
// Install: precache what /precache.json lists (the app shell, the search,
// the walks and entry pages, the map styles and tiles). Activate: delete
// the caches of older builds. Fetch: pages network-first, then the cache,
// then the offline page; everything else cache-first, kept once fetched;
// the PMTiles archive's range requests answered from its cached copy.
/* global PRECACHE_VERSION */
"use strict";
var CACHE = "wumen-" + PRECACHE_VERSION;

self.addEventListener("install", function (e) {
  e.waitUntil(fetch("/precache.json?v=" + PRECACHE_VERSION, { cache: "no-store" }).then(function (r) {
    if (!r.ok) throw new Error("precache.json: HTTP " + r.status);
    return r.json();
  }).then(function (m) {
    return caches.open(CACHE).then(function (c) {
      return c.addAll(m.files.map(function (f) { return new Request(f.url, { cache: "reload" }); }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("wumen-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// lookup finds url in this build's cache; a page path without its
// trailing slash (/walks) is saved as the directory (/walks/).
function lookup(url) {
  return caches.open(CACHE).then(function (c) {
    return c.match(url).then(function (r) {
      var u = new URL(url);
      if (r || /\/$|\.[a-z0-9]+$/i.test(u.pathname)) return r;
      u.pathname += "/";
      return c.match(u.href);
    });
  });
}

function keep(req, resp) {
  if (resp.ok && resp.type === "basic" && resp.status === 200) {
    var copy = resp.clone();
    caches.open(CACHE).then(function (c) { return c.put(req, copy); });
  }
  return resp;
}

function page(req) {
  return fetch(req).then(function (r) { return keep(req, r); }).catch(function () {
    return lookup(req.url).then(function (r) {
      if (r) return r;
      var en = new URL(req.url).pathname.indexOf("/en/") === 0;
      return lookup(new URL(en ? "/en/offline/" : "/offline/", req.url).href).then(function (o) {
        return o || new Response("离线 — Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
      });
    });
  });
}

// A range request (bytes=a-b) of the PMTiles archive, answered from the
// cached archive (RFC 9110 §14: 206 with Content-Range).
var archive = null;
function ranged(req) {
  if (!archive) {
    archive = lookup(new URL("/tiles.pmtiles", req.url).href).then(function (r) {
      if (!r) { archive = null; return null; }
      return r.arrayBuffer();
    });
  }
  return archive.then(function (buf) {
    if (!buf) return fetch(req);
    var m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.get("Range") || "");
    if (!m) return new Response(buf, { status: 200, headers: { "Content-Type": "application/octet-stream", "Content-Length": String(buf.byteLength) } });
    var a = Number(m[1]), b = m[2] ? Math.min(Number(m[2]), buf.byteLength - 1) : buf.byteLength - 1;
    if (a >= buf.byteLength) return new Response("", { status: 416, headers: { "Content-Range": "bytes */" + buf.byteLength } });
    return new Response(buf.slice(a, b + 1), { status: 206, headers: {
      "Content-Type": "application/octet-stream", "Content-Length": String(b - a + 1),
      "Content-Range": "bytes " + a + "-" + b + "/" + buf.byteLength } });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === "/tiles.pmtiles") { e.respondWith(ranged(req)); return; }
  if (req.mode === "navigate") { e.respondWith(page(req)); return; }
  e.respondWith(lookup(req.url).then(function (r) {
    return r || fetch(req).then(function (resp) { return keep(req, resp); });
  }));
});

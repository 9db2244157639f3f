// Maps of Wumen's own vector tiles with MapLibre GL JS: the basemap (land,
// water, rivers, city labels) and every place, in the style document the
// site serves (/styles/{normal|large}-{zh|en}.json, see site/style.go). The
// large-text mode switches to the high-contrast style. Tiles come from the
// server (/tiles.json) or, in a static build, from one PMTiles archive read
// with range requests. Loaded only on pages with a map.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.maplibregl) return;
  var d = el.dataset;
  var root = document.documentElement;
  var lang = d.lang === "en" ? "en" : "zh";
  if ((d.tiles || "").indexOf("pmtiles:") === 0) {
    var protocol = new pmtiles.Protocol();
    maplibregl.addProtocol("pmtiles", protocol.tile);
  }
  var highlight = d.highlight ? Number(d.highlight) : null;
  var clickable = ["place-point", "place-estimated", "place-line", "place-area", "clusters"];

  // Style documents name site-relative URLs; MapLibre wants absolute ones.
  function absolute(u) {
    if (typeof u !== "string") return u;
    if (u.indexOf("pmtiles:///") === 0) return "pmtiles://" + location.origin + u.slice("pmtiles://".length);
    if (u.charAt(0) === "/") return location.origin + u;
    return u;
  }
  function loadStyle(large) {
    var url = location.origin + (d.styles || "/styles/") + (large ? "large" : "normal") + "-" + lang + ".json";
    return fetch(url).then(function (r) { return r.json(); }).then(function (style) {
      style.glyphs = absolute(style.glyphs);
      Object.keys(style.sources).forEach(function (k) {
        var s = style.sources[k];
        if (s.url) s.url = absolute(s.url);
        if (s.tiles) s.tiles = s.tiles.map(absolute);
      });
      if (highlight) {
        style.layers.push({ id: "highlight", type: "circle", source: "wumen", "source-layer": "places",
          filter: ["all", ["==", ["geometry-type"], "Point"], ["==", ["get", "id"], highlight]],
          paint: { "circle-color": "rgba(0,0,0,0)", "circle-radius": 14, "circle-stroke-color": "#000000", "circle-stroke-width": 3 } });
      }
      return style;
    });
  }

  var center = (d.center || "120.62,31.31").split(",").map(Number);
  var zoom = Number(d.zoom || 12);
  // /map?lat=…&lon=… (links from officer pages and elsewhere) centres on a
  // point and marks it.
  var q = new URLSearchParams(location.search);
  var qlat = Number(q.get("lat")), qlon = Number(q.get("lon"));
  var pin = q.has("lat") && q.has("lon") && isFinite(qlat) && isFinite(qlon) && Math.abs(qlat) <= 90 && Math.abs(qlon) <= 180;
  if (pin) { center = [qlon, qlat]; zoom = 16; }
  var large = root.classList.contains("a11y-large");

  loadStyle(large).then(function (style) {
    var map = new maplibregl.Map({ container: el, style: style, center: center, zoom: zoom,
      maxZoom: 19, attributionControl: { compact: false }, cooperativeGestures: false, hash: !pin && !d.route && !highlight,
      localIdeographFontFamily: "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif" });
    // Errors (a bad style, a failed tile) are kept for the browser tests.
    map.on("error", function (e) { window.wumenMapError = (window.wumenMapError || "") + (e.error && e.error.message) + "; "; });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
    if (pin) new maplibregl.Marker({ color: "#7a1f1f" }).setLngLat(center).addTo(map);
    window.wumenMap = map;
    interact(map);
    if (d.route) map.on("load", function () { addRoute(map); });
    // The large-text toggle switches the map to the high-contrast style,
    // keeping the walk's route (added outside the style document).
    new MutationObserver(function () {
      var now = root.classList.contains("a11y-large");
      if (now === large) return;
      large = now;
      loadStyle(large).then(function (next) {
        map.setStyle(next, { transformStyle: function (prev, nextStyle) {
          if (!prev || !prev.sources.route) return nextStyle;
          nextStyle.sources.route = prev.sources.route;
          nextStyle.layers = nextStyle.layers.concat(prev.layers.filter(function (l) { return l.source === "route"; }));
          return nextStyle;
        } });
      });
    }).observe(root, { attributes: true, attributeFilter: ["class"] });
  }).catch(function (err) { window.wumenMapError = String(err); });

  var card = document.getElementById("map-card");
  function placeLink(props) {
    var a = document.createElement("a");
    a.href = d.base + "/place/" + props.id;
    a.textContent = lang === "en" && props.name_en ? props.name_en + " " + props.name : props.name;
    a.lang = lang === "en" ? "en" : "zh-Hans";
    return a;
  }
  function estimate(props) {
    if (!props.estimated) return null;
    var p = document.createElement("p"); p.className = "estimated";
    p.textContent = d.estimated + " " + (props.accuracy_m || "?") + " m";
    return p;
  }
  function showCard(props) {
    if (!card) { location.href = d.base + "/place/" + props.id; return; }
    card.textContent = "";
    if (lang === "en" && props.name_en) {
      var eng = document.createElement("p"); eng.className = "english-name"; eng.lang = "en"; eng.textContent = props.name_en;
      card.appendChild(eng);
    }
    var name = document.createElement("p"); name.className = "name"; name.lang = "zh-Hans"; name.textContent = props.name;
    card.appendChild(name);
    if (props.pinyin) { var py = document.createElement("p"); py.className = "pinyin"; py.textContent = props.pinyin; card.appendChild(py); }
    var est = estimate(props); if (est) card.appendChild(est);
    var a = document.createElement("a"); a.href = d.base + "/place/" + props.id; a.textContent = d.more; card.appendChild(a);
    card.hidden = false;
  }
  // Several places under the tap (lanes sharing one estimated position, a
  // point inside a lake): a list of them, each linking to its page.
  function showList(list) {
    if (!card) { location.href = d.base + "/place/" + list[0].id; return; }
    card.textContent = "";
    var h = document.createElement("p"); h.className = "name"; h.textContent = list.length + " " + d.here; card.appendChild(h);
    var ul = document.createElement("ul"); ul.className = "map-list";
    list.forEach(function (props) {
      var li = document.createElement("li"); li.appendChild(placeLink(props));
      var est = estimate(props); if (est) li.appendChild(est);
      ul.appendChild(li);
    });
    card.appendChild(ul);
    card.hidden = false;
  }
  function distinct(fs) {
    var seen = {}, out = [];
    fs.forEach(function (f) {
      if (f.properties.id === undefined || seen[f.properties.id]) return;
      seen[f.properties.id] = true;
      out.push(f.properties);
    });
    return out;
  }
  function interact(map) {
    function layers() { return clickable.filter(function (id) { return map.getLayer(id); }); }
    map.on("click", function (e) {
      var pad = 12, box = [[e.point.x - pad, e.point.y - pad], [e.point.x + pad, e.point.y + pad]];
      var near = map.queryRenderedFeatures(box, { layers: layers() });
      var cl = near.filter(function (f) { return f.layer.id === "clusters"; });
      if (cl.length && cl[0].properties.count > 1) {
        map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 13) });
        if (card) { card.textContent = cl[0].properties.count + " " + d.group; card.hidden = false; }
        return;
      }
      // Precise pins near the tap win; otherwise whatever area (estimated
      // circle, lake) or line lies under the tap itself.
      var pins = distinct(near.filter(function (f) { return f.layer.id === "place-point" || f.layer.id === "clusters"; }));
      var list = pins.length ? pins : distinct(map.queryRenderedFeatures(e.point, { layers: layers() }));
      if (!list.length) list = distinct(near);
      if (!list.length) return;
      if (list.length === 1) showCard(list[0]); else showList(list);
    });
    map.on("mousemove", function (e) {
      map.getCanvas().style.cursor = map.queryRenderedFeatures(e.point, { layers: layers() }).length ? "pointer" : "";
    });
  }

  // A walk: its route line and numbered stops from the walk's GeoJSON.
  function addRoute(map) {
    fetch(d.route).then(function (r) { return r.json(); }).then(function (fc) {
      map.addSource("route", { type: "geojson", data: fc });
      map.addLayer({ id: "route-line", type: "line", source: "route", filter: ["==", ["get", "kind"], "route"],
        paint: { "line-color": "#7a1f1f", "line-width": 5, "line-dasharray": [2, 1] } });
      map.addLayer({ id: "route-stops", type: "circle", source: "route", filter: ["==", ["get", "kind"], "stop"],
        paint: { "circle-color": "#ffffff", "circle-radius": 10, "circle-stroke-color": "#7a1f1f", "circle-stroke-width": 4 } });
      clickable.push("route-stops");
      var b = new maplibregl.LngLatBounds();
      fc.features.forEach(function (f) {
        if (f.geometry.type === "Point") b.extend(f.geometry.coordinates);
      });
      if (!b.isEmpty()) map.fitBounds(b, { padding: 40, maxZoom: 16, duration: 0 });
    });
  }

  document.querySelectorAll(".swatch[data-color]").forEach(function (s) { s.style.background = s.dataset.color; });
})();

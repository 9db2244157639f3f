// Maps of Wumen's own vector tiles with MapLibre GL JS: every place layered
// by census class, grouped into clusters when zoomed out, a card on tap. The
// tiles come from the server (/tiles/{z}/{x}/{y}.mvt) or, in a static build,
// from one PMTiles archive read with range requests. Loaded only on pages
// with a map.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.maplibregl) return;
  var d = el.dataset;
  var en = d.lang === "en"; // the English map: English names where published
  var palette = JSON.parse(d.palette || "[]");
  var tiles = d.tiles;
  var source;
  if (tiles.indexOf("pmtiles:") === 0) {
    var protocol = new pmtiles.Protocol();
    maplibregl.addProtocol("pmtiles", protocol.tile);
    source = { type: "vector", url: "pmtiles://" + location.origin + tiles.slice("pmtiles:".length), attribution: "© OpenStreetMap contributors, GeoNames" };
  } else {
    source = { type: "vector", tiles: [location.origin + tiles], minzoom: 0, maxzoom: 16, attribution: "© OpenStreetMap contributors, GeoNames" };
  }
  // Names are drawn with the visitor's own CJK font (MapLibre's
  // localIdeographFontFamily); the glyph endpoint only answers empty ranges
  // for other scripts, so no font files are shipped or fetched from outside.
  var style = { version: 8, glyphs: location.origin + "/fonts/{fontstack}/{range}.pbf", sources: { wumen: source }, layers: [
    { id: "background", type: "background", paint: { "background-color": "#eef1ec" } }
  ] };
  if (d.basemap) {
    style.sources.basemap = { type: "raster", tiles: [d.basemap], tileSize: 256, attribution: d.basemapAttribution || "" };
    style.layers.push({ id: "basemap", type: "raster", source: "basemap" });
  }
  var classes = palette.map(function (p) { return p.Class; }).concat(["other"]);
  var color = {};
  palette.forEach(function (p) { color[p.Class] = p.Color; });
  color.other = "#555555";
  var pointLayers = [];
  classes.forEach(function (c) {
    style.layers.push({ id: "area-" + c, type: "fill", source: "wumen", "source-layer": c, minzoom: 12,
      filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": color[c], "fill-opacity": 0.15 } });
    style.layers.push({ id: "line-" + c, type: "line", source: "wumen", "source-layer": c, minzoom: 12,
      filter: ["==", ["geometry-type"], "LineString"], paint: { "line-color": color[c], "line-width": 3 } });
    style.layers.push({ id: "pt-" + c, type: "circle", source: "wumen", "source-layer": c, minzoom: 12,
      filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": color[c], "circle-radius": ["case", ["has", "heritage"], 9, 7],
        "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } });
    pointLayers.push("pt-" + c, "line-" + c);
  });
  classes.forEach(function (c) {
    style.layers.push({ id: "label-" + c, type: "symbol", source: "wumen", "source-layer": c, minzoom: 13,
      filter: ["==", ["geometry-type"], "Point"],
      layout: { "text-field": en ? ["coalesce", ["get", "en"], ["get", "name"]] : ["get", "name"], "text-font": ["wumen"], "text-size": 15, "text-anchor": "top",
        "text-offset": [0, 0.9], "text-max-width": 8, "text-optional": true },
      paint: { "text-color": "#1d1d1b", "text-halo-color": "#ffffff", "text-halo-width": 2 } });
  });
  style.layers.push({ id: "clusters", type: "circle", source: "wumen", "source-layer": "clusters", maxzoom: 12,
    paint: { "circle-color": "#7a1f1f", "circle-opacity": 0.85, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2,
      "circle-radius": ["interpolate", ["linear"], ["get", "count"], 1, 6, 10, 12, 100, 20, 1000, 30] } });
  // A group is named after its best-known place: "虎丘等" (虎丘 and others);
  // on the English map "虎丘 +11".
  var others = en ? ["concat", ["get", "name"], " +", ["to-string", ["-", ["get", "count"], 1]]] : ["concat", ["get", "name"], "等"];
  style.layers.push({ id: "clusters-label", type: "symbol", source: "wumen", "source-layer": "clusters", maxzoom: 12,
    layout: { "text-field": ["case", [">", ["get", "count"], 1], others, ["get", "name"]],
      "text-font": ["wumen"], "text-size": 14, "text-anchor": "top", "text-offset": [0, 1.1], "text-optional": true },
    paint: { "text-color": "#1d1d1b", "text-halo-color": "#ffffff", "text-halo-width": 2 } });
  var highlight = d.highlight ? Number(d.highlight) : null;
  if (highlight) {
    classes.forEach(function (c) {
      style.layers.push({ id: "hl-" + c, type: "circle", source: "wumen", "source-layer": c,
        filter: ["all", ["==", ["geometry-type"], "Point"], ["==", ["get", "id"], highlight]],
        paint: { "circle-color": "rgba(0,0,0,0)", "circle-radius": 14, "circle-stroke-color": "#000000", "circle-stroke-width": 3 } });
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
  var map = new maplibregl.Map({ container: el, style: style, center: center, zoom: zoom,
    maxZoom: 19, attributionControl: { compact: false }, cooperativeGestures: false, hash: !pin && !d.route && !highlight,
    localIdeographFontFamily: "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif" });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  if (pin) new maplibregl.Marker({ color: "#7a1f1f" }).setLngLat(center).addTo(map);
  window.wumenMap = map;

  var card = document.getElementById("map-card");
  function showCard(props) {
    if (!card) { location.href = d.base + props.path; return; }
    card.textContent = "";
    if (en && props.en) {
      var eng = document.createElement("p"); eng.className = "english-name"; eng.lang = "en"; eng.textContent = props.en;
      card.appendChild(eng);
    }
    var name = document.createElement("p"); name.className = "name"; name.lang = "zh-Hans"; name.textContent = props.name;
    card.appendChild(name);
    if (props.pinyin) { var py = document.createElement("p"); py.className = "pinyin"; py.textContent = props.pinyin; card.appendChild(py); }
    var a = document.createElement("a"); a.href = d.base + props.path; a.textContent = d.more; card.appendChild(a);
    card.hidden = false;
  }
  map.on("click", function (e) {
    var pad = 12, box = [[e.point.x - pad, e.point.y - pad], [e.point.x + pad, e.point.y + pad]];
    var layers = pointLayers.concat(["clusters"]).filter(function (id) { return map.getLayer(id); });
    var fs = map.queryRenderedFeatures(box, { layers: layers });
    if (!fs.length) return;
    var f = fs[0];
    if (f.layer.id === "clusters" && f.properties.count > 1) {
      map.easeTo({ center: e.lngLat, zoom: Math.min(map.getZoom() + 2, 13) });
      if (card) { card.textContent = f.properties.count + " " + d.group; card.hidden = false; }
      return;
    }
    showCard(f.properties);
  });
  map.on("mousemove", function (e) {
    var layers = pointLayers.concat(["clusters"]).filter(function (id) { return map.getLayer(id); });
    map.getCanvas().style.cursor = map.queryRenderedFeatures(e.point, { layers: layers }).length ? "pointer" : "";
  });

  // A walk: its route line and numbered stops from the walk's GeoJSON.
  if (d.route) {
    map.on("load", function () {
      fetch(d.route).then(function (r) { return r.json(); }).then(function (fc) {
        map.addSource("route", { type: "geojson", data: fc });
        map.addLayer({ id: "route-line", type: "line", source: "route", filter: ["==", ["get", "kind"], "route"],
          paint: { "line-color": "#7a1f1f", "line-width": 5, "line-dasharray": [2, 1] } });
        map.addLayer({ id: "route-stops", type: "circle", source: "route", filter: ["==", ["get", "kind"], "stop"],
          paint: { "circle-color": "#ffffff", "circle-radius": 10, "circle-stroke-color": "#7a1f1f", "circle-stroke-width": 4 } });
        pointLayers.push("route-stops");
        var b = new maplibregl.LngLatBounds();
        fc.features.forEach(function (f) {
          if (f.geometry.type === "Point") b.extend(f.geometry.coordinates);
        });
        if (!b.isEmpty()) map.fitBounds(b, { padding: 40, maxZoom: 16, duration: 0 });
      });
    });
  }

  document.querySelectorAll(".swatch[data-color]").forEach(function (s) { s.style.background = s.dataset.color; });
})();

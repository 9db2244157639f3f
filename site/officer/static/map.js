// Officer maps with MapLibre GL JS over Wumen's own vector tiles.
//
// On the proposal form (data-mode="draw") the officer clicks the map to set
// a point, or switches to "line" and clicks a road's vertices from its start
// (起点) to its end (止点); undo and clear edit the drawing, and every change
// is written as GeoJSON into the form's location field (#geometry), which
// stays a plain, labelled textarea. On the proposal page and the printable
// report (data-mode="show") the map shows the proposed geometry and the
// conflicting places of the check report, numbered like its findings.
//
// Without MapLibre (or WebGL) nothing is shown: the map stays hidden and the
// form works as typed text. Loaded only on pages with a map; no inline script.
(function () {
  "use strict";
  var el = document.getElementById("officer-map");
  if (!el || !window.maplibregl) return;
  var wrap = el.parentNode;
  var d = el.dataset;
  var INK = "#7a1f1f";

  function parseJSON(s, def) {
    try { return s ? JSON.parse(s) : def; } catch (e) { return def; }
  }

  // The backdrop: the basemap (land, water, rivers) and every place from
  // the tiles (gazetteer/tileset/schema.json) in one muted style, names from
  // the local CJK font (the glyph endpoint serves no font files).
  var style = { version: 8, glyphs: location.origin + d.glyphs,
    sources: { wumen: { type: "vector", tiles: [location.origin + d.tiles], minzoom: 0, maxzoom: 14,
      attribution: "© OpenStreetMap contributors, GeoNames; GSHHG 2.3.7 (LGPL-3+), Natural Earth" } },
    layers: [{ id: "background", type: "background", paint: { "background-color": "#e4e4e0" } },
      { id: "land", type: "fill", source: "wumen", "source-layer": "land", paint: { "fill-color": "#f4f3ee" } },
      { id: "water", type: "fill", source: "wumen", "source-layer": "water", paint: { "fill-color": "#c6dceb" } },
      { id: "waterway", type: "line", source: "wumen", "source-layer": "waterway", paint: { "line-color": "#c6dceb", "line-width": 3 } },
      { id: "boundary", type: "line", source: "wumen", "source-layer": "boundary", paint: { "line-color": "#8a8a8a", "line-width": 1, "line-dasharray": [3, 2] } }] };
  var classes = parseJSON(d.layers, []);
  var named = classes.filter(function (c) { return c !== "other"; });
  classes.forEach(function (c) {
    var inClass = c === "other" ? ["!", ["in", ["get", "class"], ["literal", named]]] : ["==", ["get", "class"], c];
    function only(geom) { return ["all", ["in", ["geometry-type"], ["literal", geom]], inClass]; }
    style.layers.push({ id: "area-" + c, type: "fill", source: "wumen", "source-layer": "places", minzoom: 12,
      filter: only(["Polygon", "MultiPolygon"]), paint: { "fill-color": "#6b7a8a", "fill-opacity": 0.12 } });
    style.layers.push({ id: "line-" + c, type: "line", source: "wumen", "source-layer": "places", minzoom: 12,
      filter: only(["LineString", "MultiLineString"]), paint: { "line-color": "#6b7a8a", "line-width": 2 } });
    style.layers.push({ id: "pt-" + c, type: "circle", source: "wumen", "source-layer": "places", minzoom: 12,
      filter: only(["Point"]),
      paint: { "circle-color": "#6b7a8a", "circle-radius": 4, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 } });
    style.layers.push({ id: "label-" + c, type: "symbol", source: "wumen", "source-layer": "places", minzoom: 12,
      filter: only(["Point"]),
      layout: { "text-field": ["get", "name"], "text-font": ["Noto Sans CJK SC"], "text-size": 13, "text-anchor": "top",
        "text-offset": [0, 0.6], "text-max-width": 8, "text-optional": true },
      paint: { "text-color": "#3a3a3c", "text-halo-color": "#ffffff", "text-halo-width": 2 } });
  });
  style.layers.push({ id: "clusters", type: "circle", source: "wumen", "source-layer": "clusters", maxzoom: 12,
    paint: { "circle-color": "#6b7a8a", "circle-opacity": 0.6, "circle-radius": 6 } });

  var b = (d.bounds || "").split(",").map(Number);
  wrap.hidden = false;
  var map;
  try {
    map = new maplibregl.Map({ container: el, style: style, bounds: [[b[0], b[1]], [b[2], b[3]]], maxZoom: 19,
      attributionControl: { compact: false }, dragRotate: false, pitchWithRotate: false,
      // The report's map should print: keep the canvas' last frame.
      canvasContextAttributes: { preserveDrawingBuffer: d.mode === "show" },
      localIdeographFontFamily: "'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif" });
  } catch (e) {
    wrap.hidden = true; // no WebGL: the text field and the list remain
    return;
  }
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  window.wumenOfficerMap = map;

  function lngLat(p) { return [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]; }

  // drawLayers adds the layers of one GeoJSON source: areas, lines, points,
  // and 起/止 at a line's ends (ideographs, so drawn with the local font).
  function drawLayers(id) {
    map.addLayer({ id: id + "-fill", type: "fill", source: id, filter: ["==", ["geometry-type"], "Polygon"],
      paint: { "fill-color": INK, "fill-opacity": 0.2 } });
    map.addLayer({ id: id + "-line", type: "line", source: id, filter: ["in", ["geometry-type"], ["literal", ["LineString", "Polygon"]]],
      paint: { "line-color": INK, "line-width": 4 } });
    map.addLayer({ id: id + "-pt", type: "circle", source: id, filter: ["==", ["geometry-type"], "Point"],
      paint: { "circle-color": ["case", ["==", ["get", "role"], "vertex"], "#ffffff", INK], "circle-radius": 8,
        "circle-stroke-color": ["case", ["==", ["get", "role"], "vertex"], INK, "#ffffff"], "circle-stroke-width": 3 } });
    map.addLayer({ id: id + "-ends", type: "symbol", source: id, filter: ["has", "end"],
      layout: { "text-field": ["get", "end"], "text-font": ["wumen"], "text-size": 15, "text-anchor": "bottom",
        "text-offset": [0, -0.7], "text-allow-overlap": true },
      paint: { "text-color": INK, "text-halo-color": "#ffffff", "text-halo-width": 2 } });
  }

  // features of a geometry for the map: the geometry itself, and for a line
  // its vertices with 起 and 止 at the ends.
  function features(g) {
    var fs = [];
    if (!g || !g.type) return fs;
    fs.push({ type: "Feature", properties: {}, geometry: g });
    if (g.type === "LineString") {
      g.coordinates.forEach(function (c, i, all) {
        var p = { role: "vertex" };
        if (i === 0) p.end = "起";
        else if (i === all.length - 1) p.end = "止";
        fs.push({ type: "Feature", properties: p, geometry: { type: "Point", coordinates: c } });
      });
    }
    return fs;
  }

  function extend(bb, g) {
    if (!g) return;
    if (typeof g[0] === "number") { bb.extend(g); return; }
    g.forEach(function (c) { extend(bb, c); });
  }

  if (d.mode === "show") {
    var geom = parseJSON(d.geometry, null);
    var places = parseJSON(d.places, []);
    var bb = new maplibregl.LngLatBounds();
    if (geom) extend(bb, geom.coordinates);
    places.forEach(function (p) {
      var m = document.createElement("div");
      m.className = "place-marker";
      m.textContent = p.n;
      m.title = p.n + " · " + p.name;
      m.lang = "zh-Hans";
      m.setAttribute("aria-hidden", "true"); // the list below the map says the same
      new maplibregl.Marker({ element: m }).setLngLat([p.lon, p.lat]).addTo(map);
      bb.extend([p.lon, p.lat]);
    });
    if (!bb.isEmpty()) map.fitBounds(bb, { padding: 48, maxZoom: 16, duration: 0 });
    map.on("load", function () {
      map.addSource("proposal", { type: "geojson", data: { type: "FeatureCollection", features: features(geom) } });
      drawLayers("proposal");
    });
    return;
  }

  // Drawing on the proposal form.
  var field = document.getElementById("geometry");
  var status = document.getElementById("draw-status");
  var modes = document.querySelectorAll('input[name="draw-mode"]');
  var mode = "point";
  var vertices = [];

  function geometry() {
    if (mode === "point" && vertices.length) return { type: "Point", coordinates: vertices[vertices.length - 1] };
    if (mode === "line" && vertices.length >= 2) return { type: "LineString", coordinates: vertices.slice() };
    return null;
  }
  function fmt(c) { return c[1].toFixed(6) + ", " + c[0].toFixed(6); }
  function say() {
    var s;
    if (!vertices.length) s = "尚未绘制 Nothing drawn.";
    else if (mode === "point") s = "点 Point：" + fmt(vertices[vertices.length - 1]) + "（纬度, 经度 lat, lon）";
    else if (vertices.length === 1) s = "线 Line：起点 start " + fmt(vertices[0]) + "；请再点一个节点 click one more vertex.";
    else s = "线 Line：" + vertices.length + " 个节点 vertices，起点 start " + fmt(vertices[0]) + " → 止点 end " + fmt(vertices[vertices.length - 1]);
    status.textContent = s;
  }
  function redraw() {
    var src = map.getSource("draw");
    if (!src) return;
    var g = geometry();
    var fs = features(g);
    if (!g && vertices.length) fs.push({ type: "Feature", properties: { role: "vertex", end: "起" }, geometry: { type: "Point", coordinates: vertices[0] } });
    src.setData({ type: "FeatureCollection", features: fs });
  }
  // changed writes the drawing into the location field.
  function changed() {
    var g = geometry();
    field.value = g ? JSON.stringify(g) : "";
    say();
    redraw();
  }
  function setMode(m) {
    if (m === mode) return;
    mode = m;
    if (mode === "point" && vertices.length > 1) vertices = [vertices[0]];
    modes.forEach(function (r) { r.checked = r.value === mode; });
    changed();
  }
  function add(ll) {
    var c = lngLat([ll.lng, ll.lat]);
    if (mode === "point") vertices = [c];
    else vertices.push(c);
    changed();
  }
  // load reads a geometry the field already holds (GeoJSON or "lat,lon");
  // anything else (WKT, areas) stays as typed and is not drawn.
  function load(text) {
    text = (text || "").trim();
    var g = null;
    if (text.charAt(0) === "{") {
      g = parseJSON(text, null);
      if (g && g.type === "Feature") g = g.geometry;
    } else {
      var m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
      if (m) g = { type: "Point", coordinates: [Number(m[2]), Number(m[1])] };
    }
    if (g && g.type === "Point" && g.coordinates) { mode = "point"; vertices = [g.coordinates]; }
    else if (g && g.type === "LineString" && g.coordinates) { mode = "line"; vertices = g.coordinates.slice(); }
    else return false;
    modes.forEach(function (r) { r.checked = r.value === mode; });
    return true;
  }

  var start = parseJSON(d.geometry, null);
  var loaded = start ? load(JSON.stringify(start)) : load(field.value);
  if (!loaded && field.value.trim() === "") say();
  else if (loaded) say();
  else status.textContent = "位置框中的几何未在地图上显示；在地图上绘制将替换它。The location typed above is not drawn; drawing replaces it.";
  if (loaded && vertices.length) {
    var vb = new maplibregl.LngLatBounds();
    vertices.forEach(function (c) { vb.extend(c); });
    map.fitBounds(vb, { padding: 60, maxZoom: 17, duration: 0 });
  }

  map.on("load", function () {
    map.addSource("draw", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    drawLayers("draw");
    redraw();
  });
  map.on("click", function (e) { add(e.lngLat); });
  modes.forEach(function (r) { r.addEventListener("change", function () { if (r.checked) setMode(r.value); }); });
  document.getElementById("draw-centre").addEventListener("click", function () { add(map.getCenter()); });
  document.getElementById("draw-undo").addEventListener("click", function () { vertices.pop(); changed(); });
  document.getElementById("draw-clear").addEventListener("click", function () { vertices = []; changed(); });
  field.addEventListener("input", function () {
    if (load(field.value)) { say(); redraw(); }
  });
})();

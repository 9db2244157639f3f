// The officer's positioning map: MapLibre GL JS over Wumen's own vector
// tiles, with Terra Draw (vendored, site/static/vendor) to place a point or
// draw a line or polygon. The last finished drawing is written as GeoJSON
// into the form's position field (#geometry), which stays a plain textarea:
// without MapLibre (or WebGL) the officer types the position there.
// Loaded only on the position page; no inline script.
(function () {
  "use strict";
  var el = document.getElementById("position-map");
  if (!el || !window.maplibregl || !window.terraDraw || !window.terraDrawMaplibreGlAdapter) return;
  var d = el.dataset;
  var field = document.getElementById("geometry");
  var status = document.getElementById("draw-status");

  var layers = [];
  try { layers = JSON.parse(d.layers || "[]"); } catch (e) { layers = []; }
  var style = { version: 8, glyphs: location.origin + d.glyphs,
    sources: { wumen: { type: "vector", tiles: [location.origin + d.tiles], minzoom: 0, maxzoom: 16,
      attribution: "© OpenStreetMap contributors, GeoNames" } },
    layers: [{ id: "background", type: "background", paint: { "background-color": "#eef1ec" } }] };
  layers.forEach(function (c) {
    style.layers.push({ id: "ways-" + c, type: "line", source: "wumen", "source-layer": c,
      filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#8a97a3", "line-width": 1.5 } });
    style.layers.push({ id: "dots-" + c, type: "circle", source: "wumen", "source-layer": c,
      filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": "#8a97a3", "circle-radius": 3 } });
  });
  var b = (d.bounds || "120.598,31.287,120.642,31.331").split(",").map(Number);
  var map = new maplibregl.Map({ container: el, style: style, bounds: [[b[0], b[1]], [b[2], b[3]]],
    attributionControl: { compact: true }, dragRotate: false, pitchWithRotate: false });
  window.wumenPositionMap = map;

  map.on("load", function () {
    var draw = new terraDraw.TerraDraw({
      adapter: new terraDrawMaplibreGlAdapter.TerraDrawMapLibreGLAdapter({ map: map }),
      modes: [new terraDraw.TerraDrawPointMode(), new terraDraw.TerraDrawLineStringMode(),
        new terraDraw.TerraDrawPolygonMode()]
    });
    draw.start();
    window.wumenDraw = draw;
    var say = { point: "点击地图放置点 · click to place the point",
      linestring: "依次点击各点，再点最后一点结束 · click each vertex, click the last again to finish",
      polygon: "依次点击各角，回到第一点闭合 · click each corner, back to the first to close" };
    function mode(m) {
      draw.setMode(m);
      status.textContent = say[m];
      ["point", "line", "polygon"].forEach(function (n) {
        var btn = document.getElementById("draw-" + n);
        btn.setAttribute("aria-pressed", String((n === "line" ? "linestring" : n) === m));
      });
    }
    document.getElementById("draw-point").addEventListener("click", function () { mode("point"); });
    document.getElementById("draw-line").addEventListener("click", function () { mode("linestring"); });
    document.getElementById("draw-polygon").addEventListener("click", function () { mode("polygon"); });
    document.getElementById("draw-clear").addEventListener("click", function () {
      draw.clear();
      field.value = "";
      status.textContent = "";
    });
    // Only the last finished drawing is the position.
    draw.on("finish", function (id) {
      var others = draw.getSnapshot().filter(function (f) { return f.id !== id; }).map(function (f) { return f.id; });
      if (others.length) draw.removeFeatures(others);
      var f = draw.getSnapshotFeature(id);
      if (f) {
        field.value = JSON.stringify(f.geometry);
        status.textContent = "已画好，填写精度、来源与说明后保存 · drawn; give accuracy, source and note, then save";
      }
    });
    mode("point");
    el.dataset.ready = "1";
  });
})();

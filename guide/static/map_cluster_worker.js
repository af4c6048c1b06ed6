/* The large map's clustering, away from the page: builds the supercluster index of every
   zoom for the sites chosen (all, or the filters' choice) while the page, which drew its
   first clusters from a quick one-zoom index, stays free to pan. Then answers the
   clusters of a view and the zoom at which a cluster breaks apart.

   Messages in:  {type: "init", supercluster: URL}
                 {type: "load", generation, lat: Float64Array, lon: Float64Array,
                  chosen: Int32Array or null, options}
                 {type: "get", generation, seq, bbox, zoom}
                 {type: "expand", generation, seq, id}
   Messages out: {type: "ready", generation}, {type: "clusters", generation, seq, items},
                 {type: "expanded", generation, seq, zoom}, {type: "failed", reason} */
"use strict";

var index = null;
var generation = -1;

function build(message) {
  var lat = message.lat;
  var lon = message.lon;
  var chosen = message.chosen;
  var n = chosen ? chosen.length : lat.length;
  var features = new Array(n);
  for (var k = 0; k < n; k++) {
    var i = chosen ? chosen[k] : k;
    features[k] = { type: "Feature", properties: { i: i },
      geometry: { type: "Point", coordinates: [lon[i], lat[i]] } };
  }
  index = new Supercluster(message.options).load(features);
  generation = message.generation;
}

self.onmessage = function (event) {
  var message = event.data;
  try {
    if (message.type === "init") {
      importScripts(message.supercluster);
    } else if (message.type === "load") {
      build(message);
      self.postMessage({ type: "ready", generation: generation });
    } else if (message.generation !== generation) {
      /* A question about an index since replaced: the page has asked again. */
    } else if (message.type === "get") {
      self.postMessage({ type: "clusters", generation: generation, seq: message.seq,
        items: index.getClusters(message.bbox, message.zoom) });
    } else if (message.type === "expand") {
      self.postMessage({ type: "expanded", generation: generation, seq: message.seq,
        zoom: index.getClusterExpansionZoom(message.id) });
    }
  } catch (error) {
    self.postMessage({ type: "failed", reason: String(error && error.message || error) });
  }
};

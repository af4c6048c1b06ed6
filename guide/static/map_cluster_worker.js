/* The large map's clustering, away from the page: builds the supercluster index of every
   zoom for the sites chosen (all, or the filters' choice) while the page, which drew its
   first clusters from the server's file or a quick one-zoom index, stays free to pan. Then answers the
   clusters of a view and the zoom at which a cluster breaks apart.

   It also reads the positions file and sends the page its arrays ready to use, so the
   page never parses megabytes of JSON; and, as a second worker of the same script, the
   names file, answering what a popup needs.

   Messages in:  {type: "init", supercluster: URL}
                 {type: "positions", url: URL of /api/sites.positions.json}
                 {type: "details", url: URL of /api/sites.details.json}
                 {type: "site", seq, i}, {type: "find", seq, code}
                 {type: "load", generation, lat: Float64Array, lon: Float64Array
                  (left out: the positions this worker read), chosen: Int32Array or null,
                  options}
                 {type: "get", generation, seq, bbox, zoom}
                 {type: "expand", generation, seq, id}
   Messages out: {type: "positions", data}: the file's lists, with lat and lon decoded to
                 degrees and the per-site lists as typed arrays (transferred);
                 {type: "ready", generation}, {type: "clusters", generation, seq, items},
                 {type: "expanded", generation, seq, zoom}, {type: "failed", reason},
                 {type: "answer", seq, value}: a site's details, or a code's index
                 (-1 if none), or null if the names file could not be read. */
"use strict";

var index = null;
var generation = -1;
var details = null;
var detailsLoading = Promise.resolve();
/* The positions read here (degrees), kept for every index this worker builds. */
var ownLat = null;
var ownLon = null;

/* Latitudes come sorted as differences, longitudes as offsets, in 1e-5 degree. */
function positions(data) {
  var n = data.count;
  var lat = new Float64Array(n);
  var lon = new Float64Array(n);
  var at = data.lat0;
  for (var i = 0; i < n; i++) {
    at += data.dlat[i];
    lat[i] = at / data.scale;
    lon[i] = (data.lon0 + data.dlon[i]) / data.scale;
  }
  ownLat = lat;
  ownLon = lon;
  var sent = { count: n, scale: data.scale, groups: data.groups, levels: data.levels,
    areas: data.areas, lat: lat.slice(), lon: lon.slice(), group: Uint16Array.from(data.group),
    level: Uint16Array.from(data.level), area: Uint16Array.from(data.area) };
  self.postMessage({ type: "positions", data: sent },
    [sent.lat.buffer, sent.lon.buffer, sent.group.buffer, sent.level.buffer, sent.area.buffer]);
}

function site(i) {
  var names = {};
  Object.keys(details.name).forEach(function (lang) {
    if (details.name[lang][i]) names[lang] = details.name[lang][i];
  });
  return { code: details.code[i], slug: details.slug[i], names: names,
    kind: details.kinds[details.kind[i]], rank: details.ranks[details.rank[i]] };
}

function answer(message, value) {
  detailsLoading.then(function () {
    self.postMessage({ type: "answer", seq: message.seq, value: details ? value() : null });
  });
}

function build(message) {
  var lat = message.lat || ownLat;
  var lon = message.lon || ownLon;
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
    } else if (message.type === "positions") {
      fetch(message.url)
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + response.statusText);
          return response.json();
        })
        .then(positions)
        .catch(function (error) {
          self.postMessage({ type: "failed", reason: String(error && error.message || error) });
        });
    } else if (message.type === "details") {
      detailsLoading = fetch(message.url)
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + response.statusText);
          return response.json();
        })
        .then(function (data) { details = data; })
        .catch(function () { details = null; });
    } else if (message.type === "site") {
      answer(message, function () { return site(message.i); });
    } else if (message.type === "find") {
      answer(message, function () { return details.code.indexOf(message.code); });
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

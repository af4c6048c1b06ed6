/* The guide's map of a large catalogue: compact positions (/api/sites.positions.json)
   clustered per zoom by supercluster, only the clusters and sites in view drawn; the
   codes, slugs and names (/api/sites.details.json) fetched after the first markers, for
   popups and search. The first clusters come from a quick index of the current zoom
   alone; the index of every zoom is built by static/map_cluster_worker.js, so the page
   stays free to pan while it is made. Started by static/map.js as
   GuideMapLarge.start(handle) when the map's config has "large". */
(function () {
  "use strict";

  function getJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    });
  }

  /* supercluster's options: 60 px clusters, single sites from zoom 18. */
  var RADIUS = 60;
  var MAX_ZOOM = 17;
  var MIN_POINTS = 2;

  function start(handle) {
    var map = handle.map;
    var config = handle.config;
    var large = config.large;
    var labels = config.labels;
    var container = map.getContainer();
    var form = document.getElementById(config.form);
    var count = document.getElementById(config.count);
    var layer = L.layerGroup().addTo(map);
    var positions = null;
    var lat = null;
    var lon = null;
    var details = null;
    var detailsLoading = null;
    /* The quick index: one zoom (quickZoom), made in the page for the first clusters. */
    var index = null;
    var quickZoom = 0;
    /* The worker's index of every zoom; generation counts the choices sent to it. */
    var worker = null;
    var generation = 0;
    var workerReady = false;
    var seq = 0;
    var applied = null;
    /* The server's clusters of the first zooms (/api/sites.clusters.json): drawn before
       any clustering here, while every site is shown and the worker is not ready. */
    var pre = null;
    var preItems = {};
    var usePre = true;
    var positionsLoading = null;
    var shown = 0;
    var clusterIcons = {};

    function loadDetails() {
      if (!detailsLoading) {
        detailsLoading = getJSON(large.details).then(function (data) {
          details = data;
          return data;
        });
      }
      return detailsLoading;
    }

    /* The positions: read and decoded by the worker, which sends the arrays ready to use
       (the page parses no JSON then), else fetched and decoded here. */
    var positionsFromWorker = null;
    var workerPositions = false;
    function readPositions() {
      if (!worker) {
        return getJSON(large.positions).then(function (data) {
          decode(data);
          return data;
        });
      }
      return new Promise(function (resolve) {
        positionsFromWorker = resolve;
        worker.postMessage({ type: "positions",
          url: new URL(large.positions, document.baseURI).href });
      });
    }

    /* Latitudes come sorted as differences, longitudes as offsets, in 1e-5 degree. */
    function decode(data) {
      var n = data.count;
      lat = new Float64Array(n);
      lon = new Float64Array(n);
      var at = data.lat0;
      for (var i = 0; i < n; i++) {
        at += data.dlat[i];
        lat[i] = at / data.scale;
        lon[i] = (data.lon0 + data.dlon[i]) / data.scale;
      }
    }

    function searchText(i) {
      var names = Object.keys(details.name).map(function (lang) { return details.name[lang][i]; });
      return handle.fold(names.join(" ") + " " + details.slug[i] + " " + details.code[i] + " " +
        details.kinds[details.kind[i]]);
    }

    function selected() {
      var f = form ? form.elements : {};
      var kind = f.kind ? f.kind.value : "";
      var rank = f.rank ? f.rank.value : "";
      var area = handle.currentArea();
      var words = handle.fold(f.q ? f.q.value : "").split(" ").filter(Boolean);
      var group = kind ? positions.groups.indexOf(kind) : -1;
      var level = rank ? positions.levels.indexOf(rank) : -1;
      var place = area ? positions.areas.indexOf(area) : -1;
      var chosen = [];
      if (!(kind && group < 0) && !(rank && level < 0) && !(area && place < 0)) {
        for (var i = 0; i < positions.count; i++) {
          if (group >= 0 && positions.group[i] !== group) continue;
          if (level >= 0 && positions.level[i] !== level) continue;
          if (place >= 0 && positions.area[i] !== place) continue;
          if (words.length && !handle.matches(words, searchText(i))) continue;
          chosen.push(i);
        }
      }
      var q = words.join(" ");
      return { points: chosen, kind: kind, rank: rank, area: area, q: q,
        key: [q, kind, rank, area].join("|") };
    }

    function refresh(options) {
      options = options || {};
      var f = form ? form.elements : {};
      /* A search needs the names: it waits for them. */
      if (f.q && f.q.value.trim() && !details) {
        loadDetails().then(function () { refresh(options); });
        return;
      }
      var choice = selected();
      if (choice.key === applied) return;
      applied = choice.key;
      var points = choice.points;
      if (options.fit) fit(choice);
      var all = points.length === positions.count;
      var whole = !worker;
      /* Every site shown: the server's clusters do until the worker is ready. Else one
         zoom is quick to cluster here; the worker makes every zoom meanwhile. */
      usePre = all && !whole;
      index = null;
      if (!usePre || !pre) {
        quickZoom = whole ? MAX_ZOOM : Math.max(0, Math.min(MAX_ZOOM, Math.round(map.getZoom())));
        var features = new Array(points.length);
        for (var k = 0; k < points.length; k++) {
          var i = points[k];
          features[k] = { type: "Feature", properties: { i: i },
            geometry: { type: "Point", coordinates: [lon[i], lat[i]] } };
        }
        quickGeneration += 1;
        index = new Supercluster({ radius: RADIUS, maxZoom: quickZoom, minPoints: MIN_POINTS })
          .load(features);
      }
      if (worker) {
        generation += 1;
        workerReady = false;
        /* The worker that read the positions keeps them: only the choice is sent. */
        worker.postMessage({
          type: "load", generation: generation,
          lat: workerPositions ? null : lat, lon: workerPositions ? null : lon,
          chosen: all ? null : new Int32Array(points),
          options: { radius: RADIUS, maxZoom: MAX_ZOOM, minPoints: MIN_POINTS },
        });
        if (generation === 1 && names) {
          names.postMessage({ type: "details", url: new URL(large.details, document.baseURI).href });
        }
      }
      shown = points.length;
      if (count) {
        count.textContent = handle.format(labels.count, {
          shown: handle.thousands(shown),
          total: handle.thousands(positions.count),
        });
      }
      handle.say(shown ? "" : labels.noSites);
      handle.boundaries.setStyle(handle.boundaries.options.style);
      draw();
      container.setAttribute("data-filters", choice.key);
      if (options.then) options.then();
    }

    function fit(choice) {
      var area = config.areaList[choice.area];
      if (area) {
        map.fitBounds(area.bounds, { padding: [20, 20] });
        if (!map.hasLayer(handle.boundaries)) handle.boundaries.addTo(map);
      } else if (choice.points.length && (choice.q || choice.kind || choice.rank)) {
        var bounds = L.latLngBounds(choice.points.map(function (i) { return [lat[i], lon[i]]; }));
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
      }
    }

    function clusterIcon(n) {
      var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
      var key = size + n;
      if (!clusterIcons[key]) {
        clusterIcons[key] = L.divIcon({
          className: "marker-cluster marker-cluster-" + size,
          html: "<div><span>" + handle.thousands(n) + "</span></div>",
          iconSize: [40, 40],
        });
      }
      return clusterIcons[key];
    }

    function view() {
      var bounds = map.getBounds().pad(0.25);
      return [Math.max(-180, bounds.getWest()), Math.max(-85, bounds.getSouth()),
        Math.min(180, bounds.getEast()), Math.min(85, bounds.getNorth())];
    }

    /* Only what is in view (and a margin, so a short pan shows no gap) is drawn: from the
       worker's index once it is ready, else from the quick one (its zoom at most). */
    function draw() {
      var zoom = Math.round(map.getZoom());
      if (workerReady) {
        seq += 1;
        worker.postMessage({ type: "get", generation: generation, seq: seq, bbox: view(),
          zoom: zoom });
      } else if (usePre && pre) {
        render(preClusters(zoom, view()), "pre");
      } else if (index) {
        render(index.getClusters(view(), Math.min(zoom, quickZoom)), null);
      }
    }

    /* The server's clusters of the nearest zoom it sent, in the view, as supercluster's. */
    function preClusters(zoom, bbox) {
      var zooms = Object.keys(pre.zooms).map(Number);
      if (!zooms.length) return [];
      var z = Math.max(Math.min.apply(null, zooms), Math.min(Math.max.apply(null, zooms), zoom));
      if (!preItems[z]) {
        var data = pre.zooms[String(z)];
        preItems[z] = data.count.map(function (n, k) {
          var properties = n > 1 ? { cluster: true, point_count: n, cluster_id: k, zoom: z }
            : { i: data.i[k], group: pre.groups[data.group[k]] };
          return { geometry: { coordinates: [data.lon[k] / pre.scale, data.lat[k] / pre.scale] },
            properties: properties };
        });
      }
      return preItems[z].filter(function (item) {
        var c = item.geometry.coordinates;
        return c[0] >= bbox[0] && c[0] <= bbox[2] && c[1] >= bbox[1] && c[1] <= bbox[3];
      });
    }

    function expand(c, id, from) {
      if (from === "pre") {
        map.setView([c[1], c[0]], Math.min(Math.round(map.getZoom()) + 2, 18));
        return;
      }
      if (!from) {
        map.setView([c[1], c[0]], Math.min(index.getClusterExpansionZoom(id), 18));
        return;
      }
      seq += 1;
      expanding[seq] = c;
      worker.postMessage({ type: "expand", generation: from, seq: seq, id: id });
    }

    /* The markers on the map by key: a pan keeps those still in view and adds only the
       new ones, instead of building every marker again (hundreds of DOM elements). */
    var drawnMarkers = new Map();
    var quickGeneration = 0;

    function itemKey(item, from) {
      var p = item.properties;
      if (!p.cluster) return "s" + p.i;
      /* A cluster's id belongs to its index: "pre" (the server's, per zoom), the quick
         index or a worker's generation. */
      var source = from === "pre" ? "pre" + p.zoom : from ? "w" + from : "q" + quickGeneration;
      return source + ":" + p.cluster_id;
    }

    function makeMarker(item, from) {
      var c = item.geometry.coordinates;
      var marker;
      if (item.properties.cluster) {
        var id = item.properties.cluster_id;
        marker = L.marker([c[1], c[0]], { icon: clusterIcon(item.properties.point_count) });
        marker.on("click", function () { expand(c, id, from); });
      } else {
        var i = item.properties.i;
        var group = item.properties.group || positions.groups[positions.group[i]];
        marker = L.marker([c[1], c[0]], { icon: handle.icon(group) });
        marker.on("click", function () { openSite(i); });
      }
      return marker;
    }

    /* from: the worker's generation the items come from, "pre" for the server's clusters,
       or null for the quick index. */
    function render(items, from) {
      var next = new Map();
      var clusters = 0;
      var added = [];
      items.forEach(function (item) {
        if (item.properties.cluster) clusters += 1;
        var key = itemKey(item, from);
        var marker = drawnMarkers.get(key);
        if (!marker) {
          marker = makeMarker(item, from);
          added.push(marker);
        }
        next.set(key, marker);
      });
      drawnMarkers.forEach(function (marker, key) {
        if (!next.has(key)) layer.removeLayer(marker);
      });
      added.forEach(function (marker) { layer.addLayer(marker); });
      drawnMarkers = next;
      /* "clusters": the server's, drawn before the positions are in; "ready": every site. */
      container.setAttribute("data-state", positions ? "ready" : "clusters");
      container.setAttribute("data-index",
        from === "pre" ? "pre" : from || !worker ? "full" : "quick");
      container.setAttribute("data-shown", String(shown));
      container.setAttribute("data-drawn", String(next.size));
      container.setAttribute("data-clusters", String(clusters));
      container.setAttribute("data-zoom", String(map.getZoom()));
    }

    var expanding = {};

    /* Without the worker the page clusters every zoom itself, and reads the names. */
    function abandonWorker() {
      if (!worker) return;
      worker.terminate();
      worker = null;
      workerReady = false;
      workerPositions = false;
      applied = null;
      if (positionsFromWorker) {
        var resolve = positionsFromWorker;
        positionsFromWorker = null;
        resolve(readPositions());
      }
      if (positions) refresh();
    }

    function startWorker() {
      if (!window.Worker || !large.worker) return;
      try {
        worker = new Worker(large.worker);
      } catch (error) {
        worker = null;
        return;
      }
      worker.onmessage = function (event) {
        var message = event.data;
        if (message.type === "failed") {
          abandonWorker();
          return;
        }
        if (message.type === "positions") {
          var resolve = positionsFromWorker;
          positionsFromWorker = null;
          lat = message.data.lat;
          lon = message.data.lon;
          workerPositions = true;
          if (resolve) resolve(message.data);
          return;
        }
        if (message.generation !== generation) return;
        if (message.type === "ready") {
          workerReady = true;
          draw();
        } else if (message.type === "clusters" && message.seq === seq) {
          render(message.items, message.generation);
        } else if (message.type === "expanded") {
          var c = expanding[message.seq];
          delete expanding[message.seq];
          if (c) map.setView([c[1], c[0]], Math.min(message.zoom, 18));
        }
      };
      /* A worker script that cannot be loaded or run. */
      worker.onerror = abandonWorker;
      worker.postMessage({ type: "init", supercluster: new URL(large.supercluster,
        document.baseURI).href });
      startNames();
    }

    /* A second worker of the same script reads the names file and answers the popups:
       parsing megabytes of names there never holds up the clusters of a pan. */
    var names = null;
    function startNames() {
      try {
        names = new Worker(large.worker);
      } catch (error) {
        names = null;
        return;
      }
      names.onmessage = function (event) {
        var message = event.data;
        if (message.type !== "answer") return;
        var answered = asked[message.seq];
        delete asked[message.seq];
        if (answered) answered(message.value);
      };
      names.onerror = function () {
        if (!names) return;
        names.terminate();
        names = null;
        Object.keys(asked).forEach(function (key) { asked[key](null); delete asked[key]; });
      };
    }

    /* A question to the worker; its answer resolves the promise (null if it failed). */
    var asked = {};
    var askSeq = 0;
    /* Whether the names worker reads the names file (until it says it could not). */
    var workerNames = true;
    function ask(message) {
      askSeq += 1;
      message.seq = askSeq;
      return new Promise(function (resolve) {
        asked[message.seq] = resolve;
        names.postMessage(message);
      });
    }

    /* One site's code, slug, names, kind and rank: from the names file if the page has it
       (a search loads it), else from the worker, which reads it away from the page. */
    function siteDetails(i) {
      if (details || !names || !workerNames) {
        return loadDetails().then(function (data) {
          var names = {};
          Object.keys(data.name).forEach(function (lang) {
            if (data.name[lang][i]) names[lang] = data.name[lang][i];
          });
          return { code: data.code[i], slug: data.slug[i], names: names,
            kind: data.kinds[data.kind[i]], rank: data.ranks[data.rank[i]] };
        });
      }
      return ask({ type: "site", i: i }).then(function (record) {
        if (record) return record;
        workerNames = false;
        return siteDetails(i);
      });
    }

    function findCode(code) {
      if (details || !names || !workerNames) {
        return loadDetails().then(function (data) { return data.code.indexOf(code); });
      }
      return ask({ type: "find", code: code }).then(function (i) {
        if (i !== null) return i;
        workerNames = false;
        return findCode(code);
      });
    }

    /* The popup of map.js, filled from the site's details once they are here. */
    function openSite(i) {
      positionsLoading
        .then(function () { return siteDetails(i); })
        .then(function (site) {
          var names = site.names;
          var record = {
            properties: {
              code: site.code, slug: site.slug, name: names, kind: site.kind,
              kind_group: positions.groups[positions.group[i]], rank: site.rank,
              rank_level: positions.levels[positions.level[i]],
              area: positions.areas[positions.area[i]],
              url: large.story.replace("SLUG", encodeURIComponent(site.slug)),
              thumbnail: null,
            },
            name: names[config.language] || names[config.fallback] ||
              names[Object.keys(names)[0]] || "",
            marker: L.marker([lat[i], lon[i]]),
          };
          handle.openPopup(record);
        })
        .catch(function (error) {
          handle.say(handle.format(labels.loadFailed, { reason: error.message }));
        });
    }

    function focusSite() {
      if (!config.site) return;
      findCode(config.site).then(function (i) {
        if (i < 0) return;
        map.setView([lat[i], lon[i]], 18);
        openSite(i);
      });
    }

    handle.refresh = refresh;
    map.on("moveend", draw);
    /* Settled either way: without the server's clusters the page clusters the positions. */
    var clustersLoading = !large.clusters ? Promise.resolve() : getJSON(large.clusters)
      .then(function (data) {
        pre = data;
        if (!workerReady && usePre) draw();
      })
      .catch(function () {});
    /* The workers and the positions only once the server's clusters are drawn: on a first
       visit, starting two workers and reading the positions would compete with the first
       markers for the processor. */
    positionsLoading = clustersLoading
      .then(function () { return new Promise(function (resolve) { setTimeout(resolve, 0); }); })
      .then(function () {
        startWorker();
        return readPositions();
      });
    /* The positions wait for the clusters (the smaller file): else the page would
       cluster them itself for nothing. */
    Promise.all([positionsLoading, clustersLoading])
      .then(function (loaded) {
        positions = loaded[0];
        refresh({ fit: !config.site, then: focusSite });
        /* Names and links next, while the visitor looks at the first markers: read by
           the worker when there is one, so the page stays free to pan. */
        if (!worker) setTimeout(loadDetails, 0);
      })
      .catch(function (error) {
        handle.say(handle.format(labels.loadFailed, { reason: error.message }));
        container.setAttribute("data-state", "failed");
      });
  }

  window.GuideMapLarge = { start: start };
})();

/* The guide's map: sites from the GeoJSON API, clustered in the browser with
   Leaflet.markercluster, filtered and searched without reloading the page.
   Started by guide.maps.SiteLayer as GuideMap.start(map, config), config read with
   JSON.parse from the page's <script type="application/json" id="guide-map-config">. */
(function () {
  "use strict";

  /* Other scripts (the tour planner) extend every map started after they called use(). */
  var plugins = [];
  function use(plugin) {
    plugins.push(plugin);
  }

  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

  /* Lower-case text and strip its diacritics, like guide.text.fold in Python:
     "ĐÌNH CHÈM" and "dinh chem" both become "dinh chem". */
  function fold(text) {
    return String(text || "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(MARKS, "")
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .join(" ");
  }

  /* Whether every word of the query occurs in the folded text, like guide.text.matches. */
  function matches(words, folded) {
    for (var i = 0; i < words.length; i++) {
      if (folded.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  /* 40000 -> "40.000" in Vietnamese, "40,000" in English; Intl's first call costs more
     time than the whole map takes to draw 600 sites. */
  var separator = ",";
  function thousands(number) {
    return String(number).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  var ICONS = {
    locate:
      '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">' +
      '<circle cx="12" cy="12" r="4" fill="currentColor"/>' +
      '<path d="M12 2v3M12 19v3M2 12h3M19 12h3" stroke="currentColor" stroke-width="2"/>' +
      '<circle cx="12" cy="12" r="7.5" fill="none" stroke="currentColor" stroke-width="2"/></svg>',
    fullscreen:
      '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">' +
      '<path d="M3 9V3h6M15 3h6v6M21 15v6h-6M9 21H3v-6" fill="none" stroke="currentColor" ' +
      'stroke-width="2.2"/></svg>',
  };

  function button(container, className, label, icon, onClick) {
    var link = L.DomUtil.create("button", "map-button " + className, container);
    link.type = "button";
    link.title = label;
    link.setAttribute("aria-label", label);
    link.innerHTML = icon;
    L.DomEvent.disableClickPropagation(link);
    L.DomEvent.on(link, "click", onClick);
    return link;
  }

  /* Load a script of the guide's own; resolve once it ran (scripts added later run in order
     of arrival, so each waits for the ones before). */
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(script);
    });
  }

  function start(map, config) {
    var labels = config.labels;
    if (config.tiles) {
      L.tileLayer(config.tiles.url, {
        attribution: config.tiles.attribution,
        maxZoom: config.tiles.maxZoom,
      }).addTo(map);
    }
    separator = labels.thousands || ",";
    var container = map.getContainer();
    var form = document.getElementById(config.form);
    var status = document.getElementById(config.status);
    var count = document.getElementById(config.count);
    var records = [];
    var byCode = {};
    var icons = {};
    /* A large catalogue's map clusters with supercluster (map_large.js): its page does not
       load Leaflet.markercluster at all. */
    var cluster = config.large ? null : L.markerClusterGroup({
      chunkedLoading: true,
      /* Yield to the page often but briefly: the default 50 ms pauses add up to seconds
         over 40,000 sites. */
      chunkInterval: 150,
      chunkDelay: 1,
      showCoverageOnHover: false,
      maxClusterRadius: 60,
      spiderfyOnMaxZoom: true,
      disableClusteringAtZoom: 18,
    });
    var busy = false;
    var applied = null;
    var pending = null;

    function say(message) {
      if (status) {
        status.textContent = message || "";
        status.hidden = !message;
      }
    }

    /* Controls: zoom with translated titles, a metric scale bar, locate me,
       full screen, the legend and the area boundaries. */
    L.control
      .zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut, position: "topleft" })
      .addTo(map);
    L.control.scale({ imperial: false, position: "bottomright" }).addTo(map);

    var here = L.layerGroup().addTo(map);
    var Locate = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var bar = L.DomUtil.create("div", "leaflet-bar map-locate");
        button(bar, "locate", labels.locate, ICONS.locate, function () {
          say(labels.locating);
          map.locate({ setView: true, maxZoom: 16, enableHighAccuracy: true });
        });
        return bar;
      },
    });
    new Locate().addTo(map);
    map.on("locationfound", function (event) {
      here.clearLayers();
      L.circle(event.latlng, { radius: event.accuracy, weight: 1, className: "you-accuracy" }).addTo(
        here
      );
      L.circleMarker(event.latlng, { radius: 8, className: "you-are-here" })
        .bindTooltip(labels.youAreHere)
        .addTo(here);
      say("");
    });
    map.on("locationerror", function (event) {
      say(format(labels.locateFailed, { reason: event.message }));
    });

    var target = (config.fullscreen && document.querySelector(config.fullscreen)) || container;
    var Fullscreen = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var bar = L.DomUtil.create("div", "leaflet-bar map-fullscreen");
        var toggle = button(bar, "fullscreen", labels.fullscreen, ICONS.fullscreen, function () {
          var native = document.fullscreenElement !== undefined && target.requestFullscreen;
          if (native) {
            if (document.fullscreenElement) document.exitFullscreen();
            else target.requestFullscreen().catch(function () {
              setPseudo(!target.classList.contains("is-fullscreen"));
            });
          } else {
            setPseudo(!target.classList.contains("is-fullscreen"));
          }
        });
        toggle.setAttribute("aria-pressed", "false");
        function show(on) {
          var label = on ? labels.exitFullscreen : labels.fullscreen;
          toggle.title = label;
          toggle.setAttribute("aria-label", label);
          toggle.setAttribute("aria-pressed", on ? "true" : "false");
          setTimeout(function () { map.invalidateSize(); }, 50);
        }
        /* Phones without the Fullscreen API get the map over the whole window instead. */
        function setPseudo(on) {
          target.classList.toggle("is-fullscreen", on);
          show(on);
        }
        document.addEventListener("fullscreenchange", function () {
          show(document.fullscreenElement === target);
        });
        return bar;
      },
    });
    new Fullscreen().addTo(map);

    var legend = config.legend && document.getElementById(config.legend);
    if (legend) {
      var Legend = L.Control.extend({
        options: { position: "bottomleft" },
        onAdd: function () {
          legend.hidden = false;
          /* Open only where it leaves most of the map in view. */
          legend.open = container.clientHeight > 640 && container.clientWidth > 640;
          L.DomEvent.disableClickPropagation(legend);
          L.DomEvent.disableScrollPropagation(legend);
          return legend;
        },
      });
      new Legend().addTo(map);
    }

    var boundaries = L.geoJSON(null, {
      style: function (feature) {
        var chosen = feature.properties.id === currentArea();
        return {
          color: chosen ? "#7a1013" : "#5b4b8a",
          weight: chosen ? 3 : 1.5,
          opacity: 0.9,
          fillOpacity: chosen ? 0.06 : 0.02,
          dashArray: chosen ? null : "4 4",
        };
      },
      onEachFeature: function (feature, layer) {
        /* A text node: an area's name is data, never markup. The page's
           list has the name in the reader's language. */
        var listed = config.areaList[feature.properties.id];
        var name = listed ? listed.name : feature.properties.name;
        layer.bindTooltip(document.createTextNode(name), { sticky: true });
      },
    });
    var boundariesLoaded = false;
    boundaries.on("add", function () {
      if (boundariesLoaded) return;
      boundariesLoaded = true;
      fetch(config.areas)
        .then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + response.statusText);
          return response.json();
        })
        .then(function (data) {
          boundaries.addData(data);
          boundaries.bringToBack();
        })
        .catch(function (error) {
          boundariesLoaded = false;
          say(format(labels.loadFailed, { reason: error.message }));
        });
    });
    var overlays = {};
    overlays[labels.boundaries] = boundaries;
    L.control.layers(null, overlays, { position: "topright" }).addTo(map);
    if (config.area) boundaries.addTo(map);

    if (config.embed) {
      var home = element("a", null, labels.openFullMap);
      home.href = config.home;
      home.target = "_blank";
      home.rel = "noopener";
      map.attributionControl.addAttribution(home.outerHTML);
    }

    /* Sites */
    function icon(groupId) {
      if (!icons[groupId]) {
        var group = config.groups[groupId] || config.groups.other;
        icons[groupId] = L.divIcon({
          className: "site-marker shape-" + group.shape + " kind-" + (config.groups[groupId] ? groupId : "other"),
          html: "<span></span>",
          iconSize: [22, 22],
          iconAnchor: [11, 11],
          popupAnchor: [0, -10],
        });
      }
      return icons[groupId];
    }

    function localName(names) {
      return names[config.language] || names[config.fallback] || names[Object.keys(names)[0]] || "";
    }

    function popup(record) {
      var p = record.properties;
      var card = element("article", "site-popup");
      if (p.thumbnail) {
        var img = element("img", "site-popup-thumb");
        img.src = p.thumbnail;
        img.alt = "";
        img.loading = "lazy";
        img.width = 96;
        img.height = 72;
        card.appendChild(img);
      }
      card.appendChild(element("h2", "site-popup-name", record.name));
      var facts = element("dl", "site-popup-facts");
      function fact(term, value, native) {
        if (!value) return;
        facts.appendChild(element("dt", null, term));
        var dd = element("dd", null, value);
        if (native) {
          var raw = element("span", "site-popup-native", native);
          raw.lang = config.fallback;
          dd.appendChild(document.createElement("br"));
          dd.appendChild(raw);
        }
        facts.appendChild(dd);
      }
      var group = config.groups[p.kind_group] || config.groups.other;
      var level = config.levels[p.rank_level];
      // Kinds and ranks are vocabulary ids; the page's config carries their labels.
      fact(labels.kind, group ? group.label : p.kind, null);
      if (p.rank && level) fact(labels.rank, level, null);
      var area = config.areaList[p.area];
      fact(labels.area, area ? area.name : p.area, null);
      card.appendChild(facts);
      var link = element("a", "site-popup-link", labels.story);
      /* The story page in the map's language: the data is the same for every language. */
      link.href = config.story ? config.story.replace("SLUG", encodeURIComponent(p.slug)) : p.url;
      if (config.embed) {
        link.target = "_blank";
        link.rel = "noopener";
      }
      card.appendChild(link);
      handle.popupParts.forEach(function (part) { part(record, card); });
      return card;
    }

    /* One popup for the whole map, filled for the marker clicked (or chosen with the
       keyboard): thousands of markers need no popup object each. */
    var POPUP_CHROME = 48; /* the wrapper's padding and margins around the content */
    var POPUP_PADDING = 12;
    var sitePopup = L.popup({
      maxWidth: 260, minWidth: 180, autoPanPadding: [POPUP_PADDING, POPUP_PADDING]
    });

    /* On a narrow phone the popup is narrowed to fit between the map's edges, so that
       panning can bring all of it into view. */
    function fitPopup() {
      var room = map.getSize().x - POPUP_CHROME - 2 * POPUP_PADDING;
      sitePopup.options.maxWidth = Math.max(120, Math.min(260, room));
      sitePopup.options.minWidth = Math.min(180, sitePopup.options.maxWidth);
    }

    function openPopup(record) {
      fitPopup();
      sitePopup.setLatLng(record.marker.getLatLng()).setContent(popup(record)).openOn(map);
    }

    function searchText(record) {
      /* Folded on first search, not on load: most visits never search. */
      if (record.search === null) {
        var p = record.properties;
        var names = Object.keys(p.name).map(function (k) { return p.name[k]; });
        record.search = fold(names.join(" ") + " " + p.slug + " " + p.code + " " + p.kind);
      }
      return record.search;
    }

    function build(data) {
      var features = data.features || [];
      for (var i = 0; i < features.length; i++) {
        var p = features[i].properties;
        var c = features[i].geometry.coordinates; /* GeoJSON: [lon, lat] */
        var name = localName(p.name);
        var record = {
          properties: p,
          name: name,
          group: p.kind_group,
          level: p.rank_level,
          area: p.area,
          search: null,
          marker: L.marker([c[1], c[0]], { icon: icon(p.kind_group), title: name }),
        };
        record.marker.record = record;
        records.push(record);
        byCode[p.code] = record;
      }
      cluster.on("click", function (event) {
        if (event.layer.record) openPopup(event.layer.record);
      });
      map.addLayer(cluster);
      emit("loaded", records);
      /* Filters preset by the address show their sites; a site asked for shows itself. */
      refresh({ fit: !config.site, then: focusSite });
    }

    function currentArea() {
      return form && form.elements.area ? form.elements.area.value : config.area || "";
    }

    function selected() {
      var f = form ? form.elements : {};
      var kind = f.kind ? f.kind.value : "";
      var rank = f.rank ? f.rank.value : "";
      var area = currentArea();
      var words = fold(f.q ? f.q.value : "").split(" ").filter(Boolean);
      var chosen = [];
      for (var i = 0; i < records.length; i++) {
        var r = records[i];
        if (kind && r.group !== kind) continue;
        if (rank && r.level !== rank) continue;
        if (area && r.area !== area) continue;
        if (words.length && !matches(words, searchText(r))) continue;
        chosen.push(r.marker);
      }
      var q = words.join(" ");
      return {
        markers: chosen,
        kind: kind,
        rank: rank,
        area: area,
        q: q,
        key: [q, kind, rank, area].join("|"),
      };
    }

    /* Replace the clustered markers with the ones the filters select. A refresh asked
       for while markers are still being added in chunks waits for them. */
    function refresh(options) {
      if (handle.refresh) return handle.refresh(options);
      if (busy) {
        pending = options;
        return;
      }
      var choice = selected();
      /* Leaving the search box fires "change" too: the same filters again change nothing,
         and re-adding the markers would close an open popup. */
      if (choice.key === applied) return;
      applied = choice.key;
      busy = true;
      cluster.clearLayers();
      cluster.options.chunkProgress = function (done, total) {
        if (done < total) return;
        setTimeout(function () {
          busy = false;
          container.setAttribute("data-state", "ready");
          container.setAttribute("data-shown", String(choice.markers.length));
          container.setAttribute("data-filters", choice.key);
          emit("refreshed", choice);
          if (options.then) options.then();
          if (pending) {
            var next = pending;
            pending = null;
            refresh(next);
          }
        }, 0);
      };
      cluster.addLayers(choice.markers);
      if (!choice.markers.length) cluster.options.chunkProgress(0, 0);
      if (count) {
        count.textContent = format(labels.count, {
          shown: thousands(choice.markers.length),
          total: thousands(records.length),
        });
      }
      say(choice.markers.length ? "" : labels.noSites);
      if (options.fit) fit(choice);
      boundaries.setStyle(boundaries.options.style);
    }

    function fit(choice) {
      var area = config.areaList[choice.area];
      if (area) {
        map.fitBounds(area.bounds, { padding: [20, 20] });
        if (!map.hasLayer(boundaries)) boundaries.addTo(map);
      } else if (choice.markers.length && (choice.q || choice.kind || choice.rank)) {
        var bounds = L.latLngBounds(choice.markers.map(function (m) { return m.getLatLng(); }));
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
      }
    }

    function focusSite() {
      var record = config.site && byCode[config.site];
      if (!record) return;
      cluster.zoomToShowLayer(record.marker, function () {
        openPopup(record);
      });
    }

    /* The address bar keeps the filters, so the current view can be shared (unless the
       page keeps something else there, as the tour planner keeps its plan). */
    function remember() {
      if (config.keepAddress === false) return;
      if (!window.history || !window.history.replaceState || !form) return;
      var params = new URLSearchParams();
      ["q", "kind", "rank", "area"].forEach(function (name) {
        var field = form.elements[name];
        if (field && field.value.trim()) params.set(name, field.value.trim());
      });
      if (config.embed) params.set("embed", "1");
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      keepInLanguageLinks(params);
    }

    /* Switching language keeps what the map shows. Each link's path is already its
       language's map (a static host ignores ?lang=), so only the filters are added. */
    function keepInLanguageLinks(params) {
      var links = document.querySelectorAll("nav.languages a[hreflang]");
      var next = new URLSearchParams(params);
      next.delete("lang");
      var query = next.toString();
      for (var i = 0; i < links.length; i++) {
        links[i].href = links[i].pathname + (query ? "?" + query : "");
      }
    }
    if (config.keepAddress !== false) {
      var initial = new URLSearchParams(window.location.search);
      initial.delete("lang");
      keepInLanguageLinks(initial);
    }

    if (form) {
      var timer = null;
      var changed = function (delay) {
        clearTimeout(timer);
        timer = setTimeout(function () {
          refresh({ fit: true });
          remember();
        }, delay);
      };
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        changed(0);
      });
      form.addEventListener("input", function (event) {
        changed(event.target.name === "q" ? 250 : 0);
      });
      form.addEventListener("change", function (event) {
        if (event.target.name !== "q") changed(0);
      });
      /* "Clear filters" empties every field, even those the address preset. */
      form.addEventListener("reset", function (event) {
        event.preventDefault();
        ["q", "kind", "rank", "area"].forEach(function (name) {
          if (form.elements[name]) form.elements[name].value = "";
        });
        changed(0);
      });
    }

    /* What plugins see of this map, and the events they can follow: "loaded" (the sites'
       markers exist) and "refreshed" (the filters were applied; the choice of markers). */
    var listeners = {};
    var handle = {
      map: map,
      config: config,
      cluster: cluster,
      records: records,
      byCode: byCode,
      openPopup: openPopup,
      say: say,
      icon: icon,
      boundaries: boundaries,
      currentArea: currentArea,
      fit: fit,
      thousands: thousands,
      matches: matches,
      format: format,
      /* Set by map_large.js: the filters then choose among its compact data. */
      refresh: null,
      fold: fold,
      popupParts: [],
      on: function (name, listener) {
        (listeners[name] = listeners[name] || []).push(listener);
      },
    };
    function emit(name, value) {
      (listeners[name] || []).forEach(function (listener) { listener(value); });
    }
    plugins.forEach(function (plugin) { plugin(handle); });

    say(labels.loading);
    if (config.large) {
      /* A large catalogue: compact positions clustered by supercluster (static/map_large.js),
         which the page loads with this script, else loaded now. */
      if (window.GuideMapLarge && window.Supercluster) {
        window.GuideMapLarge.start(handle);
        return;
      }
      var scripts = [config.large.supercluster, config.large.script];
      Promise.all(scripts.map(loadScript))
        .then(function () { window.GuideMapLarge.start(handle); })
        .catch(function (error) {
          say(format(labels.loadFailed, { reason: error.message }));
          container.setAttribute("data-state", "failed");
        });
      return;
    }
    fetch(config.data)
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      })
      .then(build)
      .catch(function (error) {
        say(format(labels.loadFailed, { reason: error.message }));
        container.setAttribute("data-state", "failed");
      });
  }

  // format and element are shared with the scripts that plug in (planner.js).
  window.GuideMap = { start: start, fold: fold, use: use, format: format, element: element };
})();

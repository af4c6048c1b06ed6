/* The staff editor's helpers: place the point on a Leaflet map, check it as it moves,
   preview narratives and look addresses up. The forms also work without this file. */
(function () {
  "use strict";

  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function round6(x) { return Math.round(x * 1e6) / 1e6; }

  function clear(element) { while (element.firstChild) { element.removeChild(element.firstChild); } }

  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function initMap(element) {
    var data = element.dataset;
    var editable = data.editable === "true";
    var lat = document.getElementById("lat");
    var lon = document.getElementById("lon");
    var pasted = document.getElementById("point_text");
    var feedback = document.getElementById("point-feedback");
    var firstName = document.querySelector('input[id^="name_"]');
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    var marker = null;

    function show(result) {
      clear(feedback);
      if (result.area_name) {
        feedback.appendChild(paragraph("area", element.getAttribute("data-area-label") + ": " + result.area_name));
      }
      (result.problems || []).forEach(function (problem) {
        feedback.appendChild(paragraph(problem.level, problem.message));
      });
      feedback.dataset.state = result.ok ? "ok" : "error";
    }

    function check(params, moveMarker) {
      params.slug = data.slug || "";
      params.name = firstName ? firstName.value : "";
      var url = data.pointUrl + "?" + new URLSearchParams(params).toString();
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (result) {
          if (moveMarker && result.ok && result.lat !== undefined) {
            put(result.lat, result.lon, true);
            pasted.value = "";
          }
          show(result);
        })
        .catch(function () { feedback.textContent = ""; });
    }

    // The area list is only for sites without a point: a point decides its own area.
    var areaField = document.getElementById("field-area");
    function syncArea() {
      if (areaField) { areaField.hidden = Boolean(lat.value.trim() && lon.value.trim()); }
    }

    function put(y, x, pan) {
      y = round6(y); x = round6(x);
      lat.value = y; lon.value = x;
      syncArea();
      if (!marker) {
        marker = L.marker([y, x], { draggable: editable, keyboard: true, title: "" }).addTo(map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          put(p.lat, p.lng, false);
          check({ lat: lat.value, lon: lon.value }, false);
        });
      } else {
        marker.setLatLng([y, x]);
      }
      if (pan) { map.setView([y, x], Math.max(map.getZoom() || 0, 16)); }
    }

    var bounds = (data.bounds || "").split(",").map(Number);
    var startLat = parseFloat((lat.value || "").replace(",", "."));
    var startLon = parseFloat((lon.value || "").replace(",", "."));
    if (isFinite(startLat) && isFinite(startLon)) {
      map.setView([startLat, startLon], 16);
      put(startLat, startLon, false);
    } else if (bounds.length === 4) {
      map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]]);
    }
    syncArea();
    element.dataset.ready = "true";
    if (!editable) { return; }
    map.on("click", function (event) {
      put(event.latlng.lat, event.latlng.lng, false);
      check({ lat: lat.value, lon: lon.value }, false);
    });
    pasted.addEventListener("change", function () {
      if (pasted.value.trim()) { check({ text: pasted.value }, true); }
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        syncArea();
        var y = parseFloat(lat.value.replace(",", ".")), x = parseFloat(lon.value.replace(",", "."));
        if (isFinite(y) && isFinite(x)) { put(y, x, true); check({ lat: y, lon: x }, false); }
      });
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest(".use-point");
      if (button) {
        put(parseFloat(button.dataset.lat), parseFloat(button.dataset.lon), true);
        check({ lat: lat.value, lon: lon.value }, false);
      }
    });
    var lookup = document.getElementById("lookup");
    var results = document.getElementById("lookup-results");
    if (lookup) {
      lookup.addEventListener("click", function (event) {
        event.preventDefault();
        var address = document.getElementById("address").value;
        var ward = document.getElementById("ward").value;
        var query = [address, ward].filter(Boolean).join(", ");
        clear(results);
        fetch(data.geocodeUrl + "?" + new URLSearchParams({ q: query }).toString(),
              { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.json(); })
          .then(function (answer) {
            if (!answer.ok) { results.appendChild(paragraph("warning", answer.message)); return; }
            if (!answer.candidates.length) { results.appendChild(paragraph("warning", lookup.dataset.none || "")); return; }
            var list = document.createElement("ul");
            list.className = "candidates";
            answer.candidates.forEach(function (c) {
              var item = document.createElement("li");
              var use = document.createElement("button");
              use.type = "button";
              use.className = "use-point secondary";
              use.dataset.lat = c.lat; use.dataset.lon = c.lon;
              use.textContent = lookup.dataset.use || "Use";
              item.appendChild(use);
              item.appendChild(document.createTextNode(" " + c.label + " (" + c.lat + ", " + c.lon + ")"));
              list.appendChild(item);
            });
            results.appendChild(list);
          })
          .catch(function () { results.appendChild(paragraph("warning", lookup.dataset.failed || "")); });
      });
    }
  }

  function initPreviews() {
    document.querySelectorAll(".preview-button").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.preview);
        var target = document.getElementById("preview-" + button.dataset.preview);
        var body = new FormData();
        body.append("text", source.value);
        fetch(button.dataset.url || "/admin/api/preview", {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-CSRFToken": token, Accept: "application/json" }
        })
          .then(function (response) { return response.json(); })
          // The server sanitizes the HTML (markdown-it-py, then nh3).
          .then(function (answer) { target.innerHTML = answer.html || ""; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("point-map");
    if (element && window.L) { initMap(element); }
    initPreviews();
  });
})();

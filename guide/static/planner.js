/* The tour planner on the map: pick stops by clicking markers (or ticking the list), pick a
   start, ask POST /api/tours/plan, and show the plan: numbered stops and the route on the map,
   the totals, warnings and timetable in the page, and the permalink in the address bar.
   Plugs into static/map.js (GuideMap.use); its settings come in the map's config.planner. */
(function () {
  "use strict";

  var format = window.GuideMap.format;
  var element = window.GuideMap.element;

  window.GuideMap.use(function (handle) {
    var config = handle.config.planner;
    if (!config) return;
    var labels = config.labels;
    var map = handle.map;
    var form = document.getElementById("plan-form");
    var siteList = document.getElementById("plan-sites");
    var chosenList = document.getElementById("plan-chosen");
    var chosenCount = document.getElementById("plan-chosen-count");
    var empty = document.getElementById("plan-empty");
    var startSelect = document.getElementById("plan-start");
    var pickButton = document.getElementById("plan-pick-start");
    var errorBox = document.getElementById("plan-error");
    var status = document.getElementById("plan-status");
    var result = document.getElementById("plan-result");
    var mapBox = map.getContainer().closest(".plan-map");
    var routeLayer = L.layerGroup().addTo(map);
    var startLayer = L.layerGroup().addTo(map);
    var chosen = [];
    var minutes = {};
    var picking = false;
    var startPoint = null;

    /* Sites of the list by code: their names and default minutes. */
    var items = {};
    Array.prototype.forEach.call(siteList.querySelectorAll("li[data-code]"), function (li) {
      items[li.getAttribute("data-code")] = {
        li: li,
        box: li.querySelector("input[name=stops]"),
        name: li.getAttribute("data-name"),
        minutes: parseInt(li.getAttribute("data-minutes"), 10) || 0,
      };
    });
    /* The stops the page came with (a permalink), in their order, and their minutes. */
    Array.prototype.forEach.call(chosenList.querySelectorAll("li[data-code]"), function (li) {
      var code = li.getAttribute("data-code");
      if (!items[code]) return;
      chosen.push(code);
      var input = li.querySelector("input[type=number]");
      if (input && input.value !== "") minutes[code] = parseInt(input.value, 10);
    });
    var initialStart = startSelect.value;
    if (initialStart.indexOf(",") > 0) {
      var parts = initialStart.split(",");
      setStartPoint(L.latLng(parseFloat(parts[0]), parseFloat(parts[1])), false);
    }
    Array.prototype.forEach.call(form.querySelectorAll("[data-no-script]"), function (node) {
      node.hidden = true;
    });
    pickButton.hidden = false;

    function say(message) {
      status.textContent = message || "";
    }

    function showError(message) {
      errorBox.textContent = message || "";
      errorBox.hidden = !message;
      if (message) errorBox.scrollIntoView({ block: "nearest" });
    }

    /* Markers of chosen sites get a tick, so the map shows what is in the tour. */
    var tick = L.divIcon({
      className: "site-marker chosen",
      html: "<span>✓</span>",
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10],
    });
    function markOnMap(code, on) {
      var record = handle.byCode[code];
      if (!record) return;
      if (!record.plainIcon) record.plainIcon = record.marker.options.icon;
      record.marker.setIcon(on ? tick : record.plainIcon);
    }

    function add(code) {
      if (!items[code] || chosen.indexOf(code) >= 0) return;
      chosen.push(code);
      items[code].box.checked = true;
      markOnMap(code, true);
      render();
    }

    function remove(code) {
      var at = chosen.indexOf(code);
      if (at < 0) return;
      chosen.splice(at, 1);
      items[code].box.checked = false;
      markOnMap(code, false);
      render();
    }

    function move(code, by) {
      var at = chosen.indexOf(code);
      var to = at + by;
      if (at < 0 || to < 0 || to >= chosen.length) return;
      chosen.splice(at, 1);
      chosen.splice(to, 0, code);
      render();
      var again = chosenList.querySelector('li[data-code="' + code + '"] button.' + (by < 0 ? "up" : "down"));
      if (again && !again.disabled) again.focus();
    }

    function toolButton(className, text, label, onClick) {
      var node = element("button", "secondary " + className, text);
      node.type = "button";
      node.title = label;
      node.setAttribute("aria-label", label);
      node.addEventListener("click", onClick);
      return node;
    }

    /* "Your stops": each chosen site with its minutes, move and remove buttons; the start
       menu offers the chosen sites (and the point picked on the map). */
    function render() {
      chosenList.textContent = "";
      chosen.forEach(function (code, index) {
        var item = items[code];
        var li = element("li");
        li.setAttribute("data-code", code);
        li.appendChild(element("span", "name", item.name));
        var label = element("label", null, labels.minutesHere + " ");
        var input = document.createElement("input");
        input.type = "number";
        input.name = "visit." + code;
        input.min = "0";
        input.max = "1440";
        input.step = "5";
        input.inputMode = "numeric";
        input.value = String(code in minutes ? minutes[code] : item.minutes);
        input.setAttribute("data-default", String(item.minutes));
        input.addEventListener("input", function () {
          var value = parseInt(input.value, 10);
          if (isNaN(value)) delete minutes[code];
          else minutes[code] = value;
        });
        label.appendChild(input);
        li.appendChild(label);
        var tools = element("span", "tools");
        var up = toolButton("up", "↑", labels.moveUp + ": " + item.name, function () { move(code, -1); });
        var down = toolButton("down", "↓", labels.moveDown + ": " + item.name, function () { move(code, 1); });
        up.disabled = index === 0;
        down.disabled = index === chosen.length - 1;
        tools.appendChild(up);
        tools.appendChild(down);
        tools.appendChild(toolButton("remove", "✕", labels.remove + ": " + item.name, function () {
          remove(code);
        }));
        li.appendChild(tools);
        chosenList.appendChild(li);
      });
      empty.hidden = chosen.length > 0;
      chosenCount.textContent = format(labels.chosenCount, { count: chosen.length });
      var current = startSelect.value;
      startSelect.textContent = "";
      startSelect.appendChild(new Option(labels.anywhere, ""));
      chosen.forEach(function (code) {
        startSelect.appendChild(new Option(items[code].name, code));
      });
      if (startPoint) {
        var value = startPoint.lat.toFixed(6) + "," + startPoint.lng.toFixed(6);
        startSelect.appendChild(
          new Option(
            format(labels.point, { lat: startPoint.lat.toFixed(5), lon: startPoint.lng.toFixed(5) }),
            value
          )
        );
      }
      startSelect.value = current;
      if (startSelect.value !== current) startSelect.value = "";
    }

    function setStartPoint(latlng, choose) {
      startPoint = latlng;
      startLayer.clearLayers();
      L.circleMarker(latlng, { radius: 9, className: "start-point" })
        .bindTooltip(format(labels.point, { lat: latlng.lat.toFixed(5), lon: latlng.lng.toFixed(5) }))
        .addTo(startLayer);
      if (choose) {
        render();
        startSelect.value = latlng.lat.toFixed(6) + "," + latlng.lng.toFixed(6);
      }
    }

    /* Picking: the list's boxes, a marker's click, the popup's button. */
    siteList.addEventListener("change", function (event) {
      var box = event.target;
      if (box.name !== "stops") return;
      if (box.checked) add(box.value);
      else remove(box.value);
    });

    handle.popupParts.push(function (record, card) {
      var code = record.properties.code;
      if (!items[code]) return;
      var inTour = chosen.indexOf(code) >= 0;
      var box = element("div", "site-popup-tour");
      if (inTour) box.appendChild(element("p", null, labels.chosen));
      var button = element("button", inTour ? "secondary" : null, inTour ? labels.remove : labels.add);
      button.type = "button";
      button.setAttribute("data-code", code);
      button.addEventListener("click", function () {
        if (chosen.indexOf(code) >= 0) remove(code);
        else add(code);
        handle.openPopup(record);
      });
      box.appendChild(button);
      card.appendChild(box);
    });

    handle.on("loaded", function () {
      chosen.forEach(function (code) { markOnMap(code, true); });
      /* After the map's own listener has opened the popup: add the stop, show its new state. */
      handle.cluster.on("click", function (event) {
        var record = event.layer.record;
        if (!record || chosen.indexOf(record.properties.code) >= 0) return;
        add(record.properties.code);
        handle.openPopup(record);
      });
    });

    /* The list shows the sites the map's filters select. */
    handle.on("refreshed", function (choice) {
      var shown = {};
      choice.markers.forEach(function (marker) { shown[marker.record.properties.code] = true; });
      Object.keys(items).forEach(function (code) {
        items[code].li.hidden = !shown[code];
      });
    });

    pickButton.addEventListener("click", function () {
      picking = !picking;
      if (mapBox) mapBox.classList.toggle("picking", picking);
      handle.say(picking ? labels.pickingStart : "");
      if (picking) mapBox.scrollIntoView({ block: "nearest" });
    });
    map.on("click", function (event) {
      if (!picking) return;
      picking = false;
      if (mapBox) mapBox.classList.remove("picking");
      setStartPoint(event.latlng, true);
      handle.say("");
      say(labels.startSet);
    });

    /* Planning */
    function request() {
      var start = startSelect.value;
      var body = {
        stops: chosen.slice(),
        mode: form.elements.mode.value || "walk",
        return_to_start: form.elements["return"].checked,
        keep_order: form.elements.order.checked,
        start_time: form.elements.start_time.value || "08:00",
        visit_minutes: {},
        lang: form.elements.lang.value,
      };
      if (start.indexOf(",") > 0) {
        body.start = start.split(",").map(parseFloat);
      } else if (start) {
        body.start = start;
      }
      chosen.forEach(function (code) {
        if (code in minutes && minutes[code] !== items[code].minutes) body.visit_minutes[code] = minutes[code];
      });
      return body;
    }

    function distance(metres) {
      if (metres < 1000) return format(labels.metres, { metres: String(metres) });
      return format(labels.km, { km: (metres / 1000).toFixed(1).replace(".", labels.decimal) });
    }

    function duration(total) {
      var hours = Math.floor(total / 60);
      var rest = total % 60;
      if (!hours) return format(labels.minutes, { minutes: rest });
      if (!rest) return format(labels.hours, { hours: hours });
      return format(labels.hoursMinutes, { hours: hours, minutes: rest });
    }

    function legText(leg, mode) {
      return distance(leg.metres) + ", " + format(labels[mode], { time: duration(leg.minutes) });
    }

    function field(name) {
      return result.querySelector('[data-field="' + name + '"]');
    }

    /* Fill the result section (the same elements the server renders) with a plan. */
    function show(plan) {
      var places = {};
      plan.places.forEach(function (place) { places[place.id] = place; });
      var count = plan.timetable.filter(function (row) { return !row["return"]; }).length;
      field("title").textContent = plan.title;
      field("mode").textContent = config.modes[plan.mode];
      field("distance").textContent = distance(plan.total_m);
      var last = plan.timetable[plan.timetable.length - 1];
      field("duration").textContent =
        plan.start_time + "–" + last.leave + " (" + duration(plan.total_minutes) + ")";
      field("travelling").textContent = duration(plan.travel_minutes);
      field("note").textContent = plan.note;
      var warnings = field("warnings");
      var list = warnings.querySelector("ul");
      list.textContent = "";
      plan.warnings.forEach(function (warning) { list.appendChild(element("li", null, warning.message)); });
      warnings.hidden = !plan.warnings.length;

      var body = result.querySelector("table.timetable tbody");
      body.textContent = "";
      var number = 0;
      plan.timetable.forEach(function (row, index) {
        var place = places[row.id];
        var tr = element("tr");
        tr.setAttribute("data-id", row.id);
        if (row["return"]) {
          tr.className = "return";
          tr.appendChild(element("td"));
          var back = element("th", null, format(labels.backAt, { name: row.name }));
          back.scope = "row";
          tr.appendChild(back);
          tr.appendChild(element("td", null, row.arrive));
          tr.appendChild(element("td"));
        } else {
          number += 1;
          tr.className = "stop" + (row.warnings.length ? " warned" : "");
          var cell = element("td", "number");
          cell.appendChild(element("span", null, String(number)));
          tr.appendChild(cell);
          var name = element("th");
          name.scope = "row";
          if (place && place.slug) {
            var link = element("a", null, row.name);
            link.href = config.story.replace("SLUG", place.slug);
            name.appendChild(link);
          } else {
            name.textContent = row.name;
          }
          if (row.visit_minutes) {
            name.appendChild(document.createTextNode(" "));
            name.appendChild(element("span", "stay", format(labels.here, { time: duration(row.visit_minutes) })));
          }
          row.warnings.forEach(function (warning) { name.appendChild(element("span", "warning", warning)); });
          tr.appendChild(name);
          tr.appendChild(element("td", null, row.arrive));
          tr.appendChild(element("td", null, row.leave));
        }
        body.appendChild(tr);
        var leg = plan.legs[index];
        if (leg) {
          var legRow = element("tr", "leg");
          legRow.appendChild(element("td"));
          var text = element("td", null, "↓ " + legText(leg, plan.mode));
          text.colSpan = 3;
          legRow.appendChild(text);
          body.appendChild(legRow);
        }
      });

      var links = plan.links;
      var print = config.page + "/print?" + plan.query;
      result.querySelector('[data-link="print"]').href = print;
      result.querySelector('[data-link="gpx"]').href = links.gpx;
      result.querySelector('[data-link="geojson"]').href = links.geojson;
      result.querySelector('[data-link="qr"]').href = links.qr;
      result.querySelector('[data-link="permalink"]').value = window.location.origin + links.permalink;
      result.hidden = false;
      draw(plan);
      return count;
    }

    /* The numbered stops and the route line on the map. */
    function draw(plan) {
      routeLayer.clearLayers();
      var line = plan.places.map(function (place) { return [place.lat, place.lon]; });
      if (plan.return_to_start && line.length > 1) line.push(line[0]);
      L.polyline(line, { className: "plan-route", interactive: false }).addTo(routeLayer);
      plan.places.forEach(function (place, index) {
        var marker = L.marker([place.lat, place.lon], {
          icon: L.divIcon({
            className: "plan-stop" + (place.code ? "" : " point"),
            html: "<span>" + (index + 1) + "</span>",
            iconSize: [28, 28],
            iconAnchor: [14, 14],
          }),
          title: index + 1 + ". " + place.name,
          zIndexOffset: 1000,
        });
        marker.on("click", function () {
          var record = place.code && handle.byCode[place.code];
          if (record) handle.openPopup(record);
        });
        marker.addTo(routeLayer);
      });
      /* Clear of the buttons on the left and the layers button on the right. */
      map.fitBounds(L.latLngBounds(line), {
        paddingTopLeft: [56, 40],
        paddingBottomRight: [56, 40],
        maxZoom: 17,
      });
    }

    /* The language links keep the plan (each language has its own path). */
    function keepInLanguageLinks(query) {
      var links = document.querySelectorAll("a[hreflang]");
      for (var i = 0; i < links.length; i++) {
        var params = new URLSearchParams(query);
        params.delete("lang");
        links[i].href = links[i].pathname + "?" + params.toString();
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (event.submitter && event.submitter.value === "filter") return;
      if (picking) {
        picking = false;
        if (mapBox) mapBox.classList.remove("picking");
        handle.say("");
      }
      var start = startSelect.value;
      var count = chosen.length + (start && start.indexOf(",") < 0 && chosen.indexOf(start) < 0 ? 1 : 0);
      if (count < 2) {
        showError(labels.fewStops);
        return;
      }
      showError("");
      say(labels.planning);
      form.setAttribute("aria-busy", "true");
      fetch(config.api, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(request()),
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (answer) {
          form.removeAttribute("aria-busy");
          if (!answer.ok) {
            say("");
            showError(format(labels.failed, { reason: answer.data.error }));
            return;
          }
          var stops = show(answer.data);
          say(format(labels.planned, { count: stops }));
          if (window.history && window.history.replaceState) {
            window.history.replaceState(null, "", answer.data.links.permalink);
          }
          keepInLanguageLinks(answer.data.query);
          result.scrollIntoView({ block: "start" });
        })
        .catch(function (error) {
          form.removeAttribute("aria-busy");
          say("");
          showError(format(labels.failed, { reason: error.message }));
        });
    });

    render();
    if (config.plan) draw(config.plan);
  });
})();

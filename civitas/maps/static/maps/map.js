/* Maps beside lists: Leaflet with clustered markers, from the JSON the page embeds.
   Without JavaScript the panel stays hidden and the list is the page. */
(function () {
  "use strict";

  function attributionLink(text, url) {
    var link = document.createElement(url ? "a" : "span");
    link.textContent = text;
    if (url) {
      link.href = url;
      link.rel = "noopener noreferrer";
    }
    var holder = document.createElement("span");
    holder.appendChild(link);
    return holder.innerHTML; // Leaflet takes HTML: the text and address are escaped here
  }

  function popupContent(title, url) {
    var link = document.createElement("a");
    link.href = url;
    link.textContent = title;
    return link;
  }

  function start(panel) {
    var source = document.getElementById(panel.getAttribute("data-map"));
    if (!source || !window.L || !L.markerClusterGroup) return;
    // Leaflet guesses its pin images' folder from its stylesheet's address, which hashed
    // static names defeat (the pins were broken images): the page says where each one is.
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: panel.dataset.icon,
      iconRetinaUrl: panel.dataset.iconRetina,
      shadowUrl: panel.dataset.shadow,
    });
    var data = JSON.parse(source.textContent);
    var canvas = panel.querySelector(".map-canvas");
    panel.hidden = false;
    if (panel.parentNode.classList.contains("map-layout")) panel.parentNode.classList.add("map-shown");
    var map = L.map(canvas, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({
      zoomInTitle: canvas.getAttribute("data-zoom-in"),
      zoomOutTitle: canvas.getAttribute("data-zoom-out"),
    }).addTo(map);
    map.attributionControl.setPrefix(attributionLink("Leaflet", "https://leafletjs.com"));
    L.tileLayer(data.tiles, {
      maxZoom: 19,
      attribution: attributionLink(data.attribution, data.attributionUrl),
    }).addTo(map);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
    data.markers.forEach(function (marker) {
      var point = L.marker([marker[0], marker[1]], { alt: marker[2], title: marker[2], keyboard: true });
      point.bindPopup(popupContent(marker[2], marker[3]));
      cluster.addLayer(point);
    });
    map.addLayer(cluster);
    map.fitBounds(cluster.getBounds(), { maxZoom: 16, padding: [24, 24] });
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", canvas.getAttribute("data-close"));
    });
  }

  function startAll() {
    document.querySelectorAll("[data-map]").forEach(start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();

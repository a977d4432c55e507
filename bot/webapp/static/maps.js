// Maps drawn from our own data (streets, routes, doors) over optional tiles: with no tiles, or offline,
// everything that matters is still there.
/* global L */

export function townMap(container, me) {
  // No animations: steadier for those sensitive to motion, and a map is drawn when it says it is.
  const map = L.map(container, { zoomSnap: 0.5, keyboard: true, zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false });
  if (me.tiles.url) {
    L.tileLayer(me.tiles.url, { maxZoom: 19, attribution: me.tiles.attribution }).addTo(map);
  }
  map.setView(me.town.centre, 14);
  return map;
}

export function fit(map, points) {
  if (points.length) map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 17 });
}

// Outings told apart by colour and by dash, for those who see colours poorly.
const PALETTE = ["#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#4e342e", "#ad1457"];

export function routeStyle(index) {
  return { color: PALETTE[index % PALETTE.length], weight: 5, opacity: 0.9, dashArray: index % 2 ? "8 6" : null };
}

export function numbered(latlng, label, title, colour) {
  return L.marker(latlng, {
    title,
    alt: title,
    keyboard: true,
    icon: L.divIcon({ className: "door", html: `<span class="door-number">${Number(label)}</span>`, iconSize: [20, 20] }),
  }).on("add", function colourIt() {
    const node = this.getElement();
    if (node) node.style.borderColor = colour;
  });
}

export function meeting(latlng, title) {
  return L.marker(latlng, {
    title,
    alt: title,
    keyboard: true,
    icon: L.divIcon({ className: "meet", html: "<span aria-hidden=\"true\">★</span>", iconSize: [20, 20] }),
  });
}

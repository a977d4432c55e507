// The volunteer's outing: from the meeting point through each door on a map, the time to ring at each,
// Confirm / Can't go through the same service as the chat's buttons.
/* global L */
import { api, announce, el, t } from "./telegram.js";
import { dayLabel, failed, start, whenLeafletReady } from "./common.js";
import { fit, meeting, numbered, routeStyle, townMap } from "./maps.js";

const visitId = new URLSearchParams(window.location.search).get("visit");
let me;

function show(outing) {
  document.getElementById("when").textContent = t("webapp.outing.when", {
    day: dayLabel(outing.day, me.language),
    start: outing.start,
    partner: outing.partner,
  });
  const where = { hub: t("webapp.outing.meet_hub", { hub: outing.hub_name || "-" }),
    yours: t("webapp.outing.meet_yours"), partner: t("webapp.outing.meet_partner", { partner: outing.partner }) };
  document.getElementById("meet").textContent = where[outing.meet_where];
  const list = document.getElementById("stops");
  list.replaceChildren(
    ...outing.stops.map((stop) =>
      el("li", {},
        el("strong", { text: t("webapp.outing.stop", { arrival: stop.arrival, name: stop.first_name }) }),
        el("div", { text: stop.address }),
        stop.access_notes ? el("div", { class: "note", text: t("webapp.outing.access", { notes: stop.access_notes }) }) : null,
      ),
    ),
  );
  const answer = outing.answer === "confirmed" ? "webapp.outing.confirmed" : outing.answer === "declined" ? "webapp.outing.declined" : "webapp.outing.pending";
  document.getElementById("answer").textContent = t(answer);
  for (const id of ["confirm", "decline"]) document.getElementById(id).disabled = !outing.open;
  document.getElementById("confirm").hidden = outing.answer === "confirmed";
}

function draw(outing) {
  const map = townMap(document.getElementById("outing-map"), me);
  const path = [outing.meet, ...outing.stops.map((s) => [s.lat, s.lon])];
  L.polyline(path, { ...routeStyle(0), className: "route" }).addTo(map);
  meeting(outing.meet, document.getElementById("meet").textContent).addTo(map);
  outing.stops.forEach((stop, index) => {
    const title = t("webapp.outing.stop", { arrival: stop.arrival, name: stop.first_name });
    numbered([stop.lat, stop.lon], index + 1, title, "#1565c0").addTo(map).bindPopup(el("span", { text: title }));
  });
  fit(map, path);
  document.body.dataset.drawn = String(outing.stops.length);
}

function askDecline() {
  const sure = document.getElementById("decline-sure");
  sure.hidden = false;
  sure.querySelector("button").focus();
}

async function answer(confirm) {
  document.getElementById("decline-sure").hidden = true;
  try {
    const found = await api(`outings/${visitId}/${confirm ? "confirm" : "decline"}`, { method: "POST" });
    if (confirm) {
      show(found);
      announce(t("webapp.outing.confirmed"));
    } else {
      for (const id of ["confirm", "decline"]) document.getElementById(id).disabled = true;
      document.getElementById("answer").textContent = t("webapp.outing.declined");
      announce(t("webapp.outing.declined"));
    }
  } catch (error) {
    failed(error);
  }
}

async function main() {
  try {
    me = await start();
    const outing = await api(`outings/${encodeURIComponent(visitId)}`);
    show(outing);
    await whenLeafletReady();
    draw(outing);
    document.getElementById("confirm").addEventListener("click", () => answer(true));
    document.getElementById("decline").addEventListener("click", askDecline);
    document.getElementById("decline-yes").addEventListener("click", () => answer(false));
    document.getElementById("decline-keep").addEventListener("click", () => {
      document.getElementById("decline-sure").hidden = true;
    });
  } catch (error) {
    failed(error);
  }
}

main();

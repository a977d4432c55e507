// The coordinator's desk: the town, the week, the volunteers, reports and persons, indicators. Every change
// goes through the bot's services (the same rules as the chat); the page only shows and asks.
/* global L */
import { api, announce, el, t } from "./telegram.js";
import { dayLabel, failed, start, whenLeafletReady } from "./common.js";
import { fit, meeting, numbered, routeStyle, townMap } from "./maps.js";

let me;
const loaded = new Set();
const maps = {};
const $ = (id) => document.getElementById(id);

function options(select, entries, chosen) {
  select.replaceChildren(...entries.map(([value, label]) => el("option", { value, selected: value === chosen }, label)));
}

function table(node, caption, headers, rows) {
  node.replaceChildren(
    el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows),
  );
}

async function guarded(action) {
  try {
    await action();
  } catch (error) {
    failed(error);
  }
}

// --- tabs ----------------------------------------------------------------------------------------------
const SECTIONS = { town: loadTown, week: loadWeek, volunteers: loadVolunteers, reports: loadReports, stats: loadStats };

function select(name) {
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const chosen = tab.getAttribute("aria-controls") === name;
    tab.setAttribute("aria-selected", String(chosen));
    tab.tabIndex = chosen ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !chosen;
  }
  if (!loaded.has(name)) {
    loaded.add(name);
    guarded(SECTIONS[name]);
  }
  for (const map of Object.values(maps)) map.invalidateSize();
}

function setUpTabs(allowed) {
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const tab of tabs) {
    tab.hidden = !allowed.includes(tab.getAttribute("aria-controls"));
    tab.addEventListener("click", () => select(tab.getAttribute("aria-controls")));
    tab.addEventListener("keydown", (event) => {
      const visible = tabs.filter((x) => !x.hidden);
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = visible[(visible.indexOf(tab) + step + visible.length) % visible.length];
      next.focus();
      select(next.getAttribute("aria-controls"));
    });
  }
}

// --- the town ------------------------------------------------------------------------------------------
function nearestArea(point, areas) {
  let best = null;
  let distance = Infinity;
  for (const area of areas) {
    const d = (area.point[0] - point[0]) ** 2 + ((area.point[1] - point[1]) * Math.cos((point[0] * Math.PI) / 180)) ** 2;
    if (d < distance) [best, distance] = [area.neighbourhood, d];
  }
  return best;
}

async function loadTown() {
  const town = await api("town");
  await whenLeafletReady();
  const map = (maps.town = townMap($("town-map"), me));
  const groups = { streets: L.layerGroup().addTo(map), marks: L.layerGroup().addTo(map), risk: L.layerGroup().addTo(map) };
  $("town-legend").replaceChildren(
    ...["main", "backups", "nobody"].map((cover) =>
      el("span", {}, el("span", { class: `swatch ${cover}`, "aria-hidden": "true" }), t(`webapp.cover.${cover}`)),
    ),
    el("span", {}, "▲ ", t("webapp.town.report_marker")),
    el("span", {}, "● ", t("webapp.town.person_marker")),
  );
  options($("town-area"), [["", t("webapp.filter.all")], ...me.neighbourhoods.map((n) => [n, n])], "");
  const personArea = new Map(town.persons.map((p) => [p.id, nearestArea([p.lat, p.lon], town.areas)]));
  function draw() {
    const area = $("town-area").value;
    const shown = (name) => !area || name === area;
    Object.values(groups).forEach((g) => g.clearLayers());
    const points = [];
    for (const street of town.streets.filter((s) => shown(s.neighbourhood))) {
      const label = `${street.name} · ${t(`webapp.cover.${street.cover}`)}`;
      const style = { className: `street ${street.cover}`, weight: 5 };
      const layer = street.points.length > 1 ? L.polyline(street.points, style) : L.circleMarker(street.points[0], { ...style, radius: 5 });
      layer.bindTooltip(label).addTo(groups.streets);
      points.push(...street.points);
    }
    for (const report of town.reports.filter((r) => shown(r.neighbourhood))) {
      const label = `${report.reference} · ${t(`urgency.${report.urgency}`)} · ${t(`report.status_label.${report.status}`)}`;
      L.marker([report.lat, report.lon], {
        title: label,
        alt: label,
        icon: L.divIcon({ className: `report-mark ${report.urgency}`, html: "<span aria-hidden=\"true\">▲</span>", iconSize: [22, 22] }),
      }).addTo(groups.marks);
    }
    for (const person of town.persons.filter((p) => shown(personArea.get(p.id)))) {
      L.circleMarker([person.lat, person.lon], { className: "person-mark", radius: 6 })
        .bindTooltip(`${person.name} · ${t(`person.status.${person.status}`)}`)
        .addTo(groups.marks);
    }
    if ($("town-risk").checked) {
      for (const a of town.areas.filter((x) => shown(x.neighbourhood) && x.old_alone !== null)) {
        const level = a.coverage < 1 / 3 ? "low" : a.coverage < 2 / 3 ? "mid" : "high";
        L.circle(a.point, { radius: 12 * Math.sqrt(a.old_alone), className: `risk ${level}` })
          .bindTooltip(t("webapp.town.risk_tooltip", { area: a.neighbourhood, alone: Math.round(a.old_alone), coverage: Math.round(a.coverage * 100) }))
          .addTo(groups.risk);
      }
    }
    fit(map, points.length ? points : town.areas.map((a) => a.point));
    document.body.dataset.streets = String(groups.streets.getLayers().length);
  }
  $("town-area").addEventListener("change", draw);
  $("town-risk").addEventListener("change", draw);
  draw();
  riskTable(town);
}

function riskTable(town) {
  const note = town.census_year === null ? t("webapp.town.no_census") : t(town.approximate ? "webapp.town.census_approximate" : "webapp.town.census", { year: town.census_year });
  $("town-risk-note").textContent = note;
  const ranked = [...town.areas].sort((a, b) => (b.uncovered_alone ?? -1) - (a.uncovered_alone ?? -1));
  const percent = (x) => (x === null ? "–" : `${Math.round(x * 100)} %`);
  table($("town-risk-table"), t("webapp.town.risk_caption"),
    [t("webapp.town.col_area"), t("webapp.town.col_alone"), t("webapp.town.col_share"), t("webapp.town.col_coverage"), t("webapp.town.col_reports")],
    ranked.map((a) => el("tr", {},
      el("th", { scope: "row" }, a.neighbourhood),
      el("td", {}, a.old_alone === null ? "–" : String(Math.round(a.old_alone))),
      el("td", {}, percent(a.old_alone_share)),
      el("td", {}, `${a.covered}/${a.streets} (${percent(a.coverage)})`),
      el("td", {}, String(a.open_reports)),
    )),
  );
}

// --- the week ------------------------------------------------------------------------------------------
let week;
let firstWeekShown = true;

async function loadWeek() {
  $("week-rerun").addEventListener("click", () => guarded(rerun));
  $("week-publish").addEventListener("click", () => guarded(publish));
  $("week-input").addEventListener("change", () => guarded(() => showWeek($("week-input").value)));
  $("week-slot").addEventListener("change", drawWeek);
  await whenLeafletReady();
  maps.week = townMap($("week-map"), me);
  maps.weekLayer = L.layerGroup().addTo(maps.week);
  await showWeek(new URLSearchParams(window.location.search).get("week") || "");
}

async function showWeek(which) {
  week = await api(which ? `week?week=${encodeURIComponent(which)}` : "week");
  const label = `${week.year}-W${String(week.week).padStart(2, "0")}`;
  $("week-input").value = label;
  const plan = week.plan;
  const walking = week.outings.reduce((sum, o) => sum + o.walk_min, 0);
  const visits = week.outings.reduce((sum, o) => sum + o.stops.length, 0);
  $("week-summary").textContent = plan
    ? t("webapp.week.summary", { week: label, status: t(`plan.status.${plan.status}`), pairs: week.outings.length, visits, walking: Math.round(walking) })
    : t("webapp.week.none", { week: label });
  $("week-publish").disabled = !plan || plan.status !== "draft";
  $("week-rerun").disabled = Boolean(plan && plan.status === "published");
  const slots = [...new Set(week.outings.map((o) => o.slot_id))];
  const named = Object.fromEntries(me.slots.map((s) => [s.id, s]));
  // One half-day at a time reads best on a phone; "All" ("") draws the whole week. ?slot=all opens on it.
  let current = $("week-slot").options.length ? $("week-slot").value : null;
  if (firstWeekShown) {
    const asked = new URLSearchParams(window.location.search).get("slot");
    current = asked === "all" ? "" : asked;
    firstWeekShown = false;
  }
  const chosen = current === "" || slots.includes(current) ? current : slots[0] || "";
  options($("week-slot"), [["", t("webapp.filter.all")], ...slots.map((id) => [id, slotLabel(named[id], week.outings.find((o) => o.slot_id === id).day)])], chosen);
  drawWeek();
  $("week-left").replaceChildren(
    ...(week.left_out.length ? week.left_out : [null]).map((l) =>
      el("li", {}, l ? t("webapp.week.left_line", { name: l.name, missing: l.missing, reason: t(l.reason) }) : t("webapp.week.nobody_left")),
    ),
  );
}

function slotLabel(slot, day) {
  return `${dayLabel(day, me.language)} ${slot ? slot.start : ""}`;
}

function drawWeek() {
  const slot = $("week-slot").value;
  const outings = week.outings.filter((o) => !slot || o.slot_id === slot);
  const layer = maps.weekLayer;
  layer.clearLayers();
  const points = [];
  outings.forEach((o, index) => {
    const pair = `${o.pair[0].name} & ${o.pair[1].name}`;
    const path = [o.meet, ...o.stops.map((s) => [s.lat, s.lon])];
    const style = routeStyle(index);
    L.polyline(path, { ...style, className: "route" }).bindTooltip(`${dayLabel(o.day, me.language)} ${o.start} · ${pair}`).addTo(layer);
    meeting(o.meet, t("webapp.week.meet", { pair })).addTo(layer);
    o.stops.forEach((s, i) => numbered([s.lat, s.lon], i + 1, `${s.arrival} · ${s.name} · ${pair}`, style.color).addTo(layer));
    points.push(...path);
  });
  if (points.length) fit(maps.week, points);
  document.body.dataset.routes = String(outings.length);
  const draft = week.plan && week.plan.status === "draft";
  table($("week-table"), t("webapp.week.caption"),
    [t("webapp.week.col_when"), t("webapp.week.col_pair"), t("webapp.week.col_stops"), t("webapp.week.col_walk"), t("webapp.week.col_state"), draft ? t("webapp.week.col_edit") : null].filter(Boolean),
    outings.map((o) => el("tr", {},
      el("td", {}, `${dayLabel(o.day, me.language)} ${o.start}`),
      el("td", {}, `${o.pair[0].name} & ${o.pair[1].name}`),
      el("td", {}, el("ol", {}, o.stops.map((s) => el("li", {}, `${s.arrival} ${s.name}`)))),
      el("td", {}, t("webapp.week.minutes", { minutes: Math.round(o.walk_min) })),
      el("td", {}, o.stops.map((s) => t(`visit.status.${s.status}`)).filter((v, i, all) => all.indexOf(v) === i).join(", ")),
      draft ? el("td", {},
        el("button", { onclick: () => swapFlow(o), "aria-label": t("webapp.week.swap_for", { pair: `${o.pair[0].name} & ${o.pair[1].name}` }) }, t("webapp.week.swap")),
        " ",
        el("button", { onclick: () => moveFlow(o), "aria-label": t("webapp.week.move_for", { pair: `${o.pair[0].name} & ${o.pair[1].name}` }) }, t("webapp.week.move")),
      ) : null,
    )),
  );
}

function ask(title, choices) {
  // A dialog of choices; resolves with the chosen value, or null when closed.
  return new Promise((resolve) => {
    const dialog = $("dialog");
    $("dialog-title").textContent = title;
    $("dialog-choices").replaceChildren(
      ...(choices.length ? choices : [null]).map((c) =>
        el("li", {}, c ? el("button", { onclick: () => { dialog.close(); resolve(c.value); } }, c.label) : t("webapp.nothing_possible")),
      ),
    );
    dialog.addEventListener("close", () => resolve(null), { once: true });
    dialog.showModal();
  });
}

async function edited(path, body) {
  await guarded(async () => {
    await api(path, { method: "POST", body });
    announce(t("webapp.week.edited"));
    await showWeek($("week-input").value);
  });
}

async function swapFlow(outing) {
  const visit = outing.first_visit_id;
  const leaving = await ask(t("webapp.week.who_leaves"), outing.pair.map((m) => ({ value: m.id, label: m.name })));
  if (leaving === null) return;
  await guarded(async () => {
    const found = await api(`drafts/swap-choices?visit=${visit}&leaving=${leaving}`);
    const coming = await ask(t("webapp.week.who_comes"), found.choices.map((c) => ({ value: c.id, label: c.name })));
    if (coming !== null) await edited("drafts/swap", { visit, leaving, coming });
  });
}

async function moveFlow(outing) {
  const visit = await ask(t("webapp.week.which_visit"), outing.stops.map((s) => ({ value: s.visit_id, label: `${s.arrival} ${s.name}` })));
  if (visit === null) return;
  await guarded(async () => {
    const found = await api(`drafts/move-choices?visit=${visit}`);
    const choices = [
      ...found.outings.map((o) => ({ value: { target: o.first_visit_id }, label: `${dayLabel(o.day, me.language)} ${o.start} · ${o.pair[0]} & ${o.pair[1]} (${o.visits})` })),
      ...found.slots.map((s) => ({ value: { slot: s.index }, label: t("webapp.week.new_pair_in", { when: `${dayLabel(s.day, me.language)} ${s.start}` }) })),
    ];
    const where = await ask(t("webapp.week.where"), choices);
    if (where === null) return;
    if ("target" in where) {
      await edited("drafts/move", { visit, target: where.target });
      return;
    }
    const pairs = await api(`drafts/pair-choices?visit=${visit}&slot=${where.slot}`);
    const pair = await ask(t("webapp.week.which_pair"), pairs.pairs.map((p) => ({ value: [p.first, p.second], label: p.label })));
    if (pair !== null) await edited("drafts/move", { visit, slot: where.slot, pair });
  });
}

async function rerun() {
  announce(t("webapp.week.working"));
  await api("week/draft", { method: "POST", body: { week: $("week-input").value } });
  await showWeek($("week-input").value);
  announce(t("webapp.week.rerun_done"));
}

async function publish() {
  const found = await api(`plans/${week.plan.id}/publish`, { method: "POST" });
  await showWeek($("week-input").value);
  announce(t("webapp.week.published", { count: found.visits }));
}

// --- volunteers ----------------------------------------------------------------------------------------
async function loadVolunteers() {
  const { volunteers } = await api("volunteers");
  options($("vol-slot"), [["", t("webapp.filter.all")], ...me.slots.map((s) => [s.id, `${t(`webapp.day.${s.day}`)} ${s.start}`])], "");
  const kinds = ["benevole", "service_civique", "agent_municipal"];
  options($("vol-kind"), [["", t("webapp.filter.all")], ...kinds.map((k) => [k, t(`volunteer.kind.${k}`)])], "");
  function draw() {
    const slot = $("vol-slot").value;
    const kind = $("vol-kind").value;
    const experienced = $("vol-experienced").checked;
    const shown = volunteers.filter((v) => (!slot || v.slots.includes(slot)) && (!kind || v.kind === kind) && (!experienced || v.experienced));
    table($("vol-table"), t("webapp.volunteers.caption", { count: shown.length }),
      [t("webapp.volunteers.col_name"), t("webapp.volunteers.col_kind"), t("webapp.volunteers.col_experienced"), t("webapp.volunteers.col_load"),
        ...me.slots.map((s) => el("abbr", { title: `${t(`webapp.day.${s.day}`)} ${s.start}–${s.end}` }, `${t(`webapp.day_short.${s.day}`)} ${s.start}`)),
        t("webapp.volunteers.col_absences")],
      shown.map((v) => el("tr", {},
        el("th", { scope: "row" }, v.paused ? `${v.name} (${t("webapp.volunteers.paused")})` : v.name),
        el("td", {}, t(`volunteer.kind.${v.kind}`)),
        el("td", {}, v.experienced ? t("webapp.yes") : t("webapp.no")),
        el("td", {}, t("webapp.volunteers.load", { load: v.load, capacity: v.capacity })),
        ...me.slots.map((s) => v.slots.includes(s.id)
          ? el("td", { class: "yes" }, el("span", { "aria-hidden": "true" }, "✓"), el("span", { class: "skip" }, t("webapp.volunteers.free")))
          : el("td", {}, "")),
        el("td", {}, v.absences.map(([a, b]) => (a === b ? a : `${a} → ${b}`)).join(", ")),
      )),
    );
  }
  for (const id of ["vol-slot", "vol-kind", "vol-experienced"]) $(id).addEventListener("change", draw);
  draw();
}

// --- reports and persons -----------------------------------------------------------------------------------
async function loadReports() {
  const coordinator = me.roles.includes("coordinator");
  for (const id of ["rep-title", "rep-table", "rep-detail"]) $(id).hidden = !coordinator;
  $("rep-filter").closest(".toolbar").hidden = !coordinator;
  $("per-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(findPersons);
  });
  await guarded(findPersons);
  if (!coordinator) return;
  options($("rep-filter"), ["todo", "followed", "escalated", "all"].map((f) => [f, t(`report.filter.${f}`)]), "todo");
  options($("rep-area"), [["", t("webapp.filter.all")], ...me.neighbourhoods.map((n) => [n, n])], "");
  for (const id of ["rep-filter", "rep-area"]) $(id).addEventListener("change", () => guarded(listReports));
  await listReports();
}

async function listReports() {
  const area = $("rep-area").value;
  const { reports } = await api(`reports?filter=${$("rep-filter").value}${area ? `&area=${encodeURIComponent(area)}` : ""}`);
  table($("rep-table"), t("webapp.reports.caption", { count: reports.length }),
    [t("webapp.reports.col_reference"), t("webapp.reports.col_urgency"), t("webapp.reports.col_status"), t("webapp.reports.col_where"), t("webapp.reports.col_signs"), ""],
    reports.map((r) => el("tr", {},
      el("th", { scope: "row" }, r.reference),
      el("td", {}, t(`urgency.${r.urgency}`)),
      el("td", {}, t(`report.status_label.${r.status}`)),
      el("td", {}, [r.neighbourhood, r.address].filter(Boolean).join(" · ")),
      el("td", {}, r.signs.map((s) => t(`sign.${s}`)).join(", ")),
      el("td", {}, el("button", { onclick: () => guarded(() => openReport(r.id)), "aria-label": t("webapp.reports.open_for", { reference: r.reference }) }, t("webapp.reports.open"))),
    )),
  );
}

async function openReport(id) {
  const { report, candidates } = await api(`reports/${id}/read`, { method: "POST" });
  const act = (action, body) => guarded(async () => {
    await api(`reports/${id}/${action}`, { method: "POST", body });
    announce(t("webapp.reports.done"));
    await listReports();
    await openReport(id);
  });
  const reason = el("select", { "aria-label": t("webapp.reports.reason") }, me.no_action_reasons.map((r) => el("option", { value: r }, t(`reason.${r}`))));
  const name = el("input", { "aria-label": t("webapp.reports.file_name"), placeholder: t("webapp.reports.file_name") });
  const question = el("input", { "aria-label": t("webapp.reports.question"), placeholder: t("webapp.reports.question"), maxlength: "1000" });
  const attach = el("select", { "aria-label": t("webapp.reports.attach_to") }, candidates.map((p) => el("option", { value: p.id }, `${p.name} · ${p.address}`)));
  $("rep-detail").replaceChildren(
    ...[
    el("h3", {}, `${report.reference} · ${t(`report.status_label.${report.status}`)}`),
    el("p", {}, [t(`urgency.${report.urgency}`), report.address || t("webapp.reports.where_unknown"), report.signs.map((s) => t(`sign.${s}`)).join(", ")].join(" · ")),
    report.who ? el("p", {}, t("webapp.reports.who", { who: report.who })) : null,
    report.note ? el("p", {}, t("webapp.reports.note", { note: report.note })) : null,
    el("p", { class: "note" }, report.reporter ? t(report.anonymous ? "webapp.reports.reporter_anonymous" : "webapp.reports.reporter", { name: report.reporter }) : t("webapp.reports.reporter_hidden")),
    el("div", { class: "toolbar" },
      name, el("button", { onclick: () => act("open_file", { name: name.value }) }, t("webapp.reports.open_file")),
    ),
    candidates.length ? el("div", { class: "toolbar" }, attach, el("button", { onclick: () => act("attach", { person: attach.value }) }, t("webapp.reports.attach"))) : null,
    report.can_ask ? el("div", { class: "toolbar" }, question, el("button", { onclick: () => act("ask", { question: question.value }) }, t("webapp.reports.ask"))) : null,
    el("div", { class: "toolbar" },
      reason, el("button", { onclick: () => act("no_action", { reason: reason.value }) }, t("webapp.reports.no_action")),
      el("button", { onclick: () => act("escalate") }, t("webapp.reports.escalate")),
      el("button", { class: "danger", onclick: () => act("close") }, t("webapp.reports.close")),
    ),
    ].filter(Boolean),
  );
  $("rep-detail").querySelector("h3").tabIndex = -1;
  $("rep-detail").querySelector("h3").focus();
}

async function findPersons() {
  const { persons } = await api(`persons?q=${encodeURIComponent($("per-q").value)}`);
  table($("per-table"), t("webapp.persons.caption", { count: persons.length }),
    [t("webapp.persons.col_name"), t("webapp.persons.col_address"), t("webapp.persons.col_status"), ""],
    persons.map((p) => el("tr", {},
      el("th", { scope: "row" }, p.name),
      el("td", {}, p.address),
      el("td", {}, t(`person.status.${p.status}`)),
      el("td", {}, el("button", { onclick: () => guarded(() => openPerson(p.id)), "aria-label": t("webapp.persons.open_for", { name: p.name }) }, t("webapp.persons.open"))),
    )),
  );
}

async function openPerson(id) {
  const file = await api(`persons/${id}`);
  const p = file.person;
  const rows = [
    ["webapp.persons.col_address", p.address],
    ["webapp.persons.phone", p.phone || "–"],
    ["webapp.persons.needs", p.needs.map((n) => t(`need.${n}`)).join(", ") || "–"],
    ["webapp.persons.frequency", String(p.visits_per_month)],
    ["webapp.persons.col_status", t(`person.status.${p.status}`)],
    ["webapp.persons.consent", p.consent_at || "–"],
    ["webapp.persons.reports", file.reports.map((r) => r.reference).join(", ") || "–"],
    ["webapp.persons.next_checkin", file.next_checkin || "–"],
  ];
  $("per-file").replaceChildren(
    el("h3", { tabindex: "-1" }, p.name),
    el("dl", {}, rows.flatMap(([key, value]) => [el("dt", {}, t(key)), el("dd", {}, value)])),
    el("p", { class: "note" }, t("webapp.persons.audited")),
  );
  $("per-file").querySelector("h3").focus();
}

// --- indicators ----------------------------------------------------------------------------------------
const SERIES = [
  ["reports", (m) => Object.values(m.reports).reduce((a, b) => a + b, 0), "#1565c0"],
  ["newly_followed", (m) => m.newly_followed, "#2e7d32"],
  ["visits_done", (m) => m.visits_done, "#ef6c00"],
];
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

async function loadStats() {
  options($("stats-period"), me.periods.map((p) => [p, t(`stats.period.${p}`)]), "last_12_months");
  $("stats-period").addEventListener("change", () => guarded(showStats));
  $("stats-legend").replaceChildren(
    ...SERIES.map(([key, , colour]) => el("label", {}, el("input", { type: "checkbox", checked: true, "data-series": key, onchange: () => chart(lastStats) }),
      el("span", { class: "swatch", "data-colour": colour }), t(`webapp.stats.${key}`))),
  );
  for (const swatch of document.querySelectorAll("#stats-legend .swatch")) swatch.style.background = swatch.dataset.colour;
  await showStats();
}

let lastStats;

async function showStats() {
  const s = (lastStats = await api(`stats?period=${$("stats-period").value}`));
  const total = Object.values(s.reports).reduce((a, b) => a + b, 0);
  const cards = [
    ["webapp.stats.reports", total], ["webapp.stats.followed", s.followed], ["webapp.stats.newly_followed", s.newly_followed],
    ["webapp.stats.left_isolation", s.left_isolation], ["webapp.stats.visits_planned", s.visits.planned],
    ["webapp.stats.visits_done", s.visits.done], ["webapp.stats.visits_missed", s.visits.missed],
    ["webapp.stats.volunteers", s.volunteers], ["webapp.stats.active", s.active_volunteers],
    ["webapp.stats.wellbeing", s.wellbeing === null ? "–" : s.wellbeing.toFixed(1)],
  ];
  $("stats-cards").replaceChildren(...cards.map(([key, value]) => el("div", { class: "card" }, el("strong", {}, String(value)), t(key))));
  chart(s);
  coverageChart(s.coverage);
}

function chart(s) {
  const on = new Set([...document.querySelectorAll("#stats-legend input:checked")].map((i) => i.dataset.series));
  const series = SERIES.filter(([key]) => on.has(key));
  const width = 640;
  const height = 220;
  const top = Math.max(1, ...s.months.flatMap((m) => series.map(([, value]) => value(m))));
  const slot = (width - 40) / Math.max(1, s.months.length);
  const bar = Math.max(2, (slot - 6) / Math.max(1, series.length));
  const chartNode = svg("svg", { viewBox: `0 0 ${width} ${height + 30}`, role: "group", "aria-label": t("webapp.stats.months") });
  chartNode.append(svg("line", { x1: 36, x2: width, y1: height, y2: height, stroke: "currentColor" }));
  chartNode.append(svg("text", { x: 0, y: 12 }, String(top)));
  s.months.forEach((m, i) => {
    const month = new Date(`${m.first}T12:00:00`).toLocaleDateString(me.language, { month: "short", year: "2-digit" });
    series.forEach(([key, value, colour], j) => {
      const v = value(m);
      const h = (v / top) * (height - 10);
      const label = `${month}: ${t(`webapp.stats.${key}`)} ${v}`;
      chartNode.append(svg("rect", { x: 40 + i * slot + j * bar, y: height - h, width: bar - 1, height: Math.max(h, 0.5), fill: colour, tabindex: 0, role: "img", "aria-label": label }, svg("title", {}, label)));
    });
    if (s.months.length <= 6 || i % 2 === 0) chartNode.append(svg("text", { x: 40 + i * slot, y: height + 16 }, month));
  });
  $("stats-chart").replaceChildren(chartNode);
}

function coverageChart(coverage) {
  const areas = coverage.areas;
  const width = 640;
  const row = 22;
  const node = svg("svg", { viewBox: `0 0 ${width} ${row * (areas.length + 1)}`, role: "group", "aria-label": t("webapp.stats.coverage") });
  areas.forEach((a, i) => {
    const share = a.streets ? a.covered / a.streets : 0;
    const label = t("webapp.stats.coverage_line", { area: a.area, covered: a.covered, streets: a.streets, share: Math.round(share * 100) });
    node.append(svg("text", { x: 0, y: i * row + 15 }, a.area));
    node.append(svg("rect", { x: 180, y: i * row + 4, width: (width - 240) * share + 1, height: row - 8, fill: "#2e7d32", tabindex: 0, role: "img", "aria-label": label }, svg("title", {}, label)));
    node.append(svg("text", { x: 190 + (width - 240) * share, y: i * row + 15 }, `${Math.round(share * 100)} %`));
  });
  $("stats-coverage").replaceChildren(node);
}

// --- start ---------------------------------------------------------------------------------------------
async function main() {
  try {
    me = await start();
    const coordinator = me.roles.includes("coordinator");
    const allowed = coordinator ? Object.keys(SECTIONS) : me.roles.includes("professional") ? ["reports"] : [];
    if (!allowed.length) {
      announce(t("webapp.error.role"));
      return;
    }
    setUpTabs(allowed);
    const wanted = new URLSearchParams(window.location.search).get("tab");
    select(allowed.includes(wanted) ? wanted : allowed.includes("week") ? "week" : allowed[0]);
  } catch (error) {
    failed(error);
  }
}

main();

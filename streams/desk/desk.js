// The desk: a live list of events from the worker's stream, and the view of one event with its
// tolls drawn over time. No framework: the state is a few maps, and each part of the page is
// updated in place when a revision arrives, so nothing the reader looks at moves.

import { causeBox, mapGrid, outletOf, stepChart, tollSteps } from "./charts.js";
import {
  MAIN_CATEGORIES, ago, bounds, categoryName, changeSummary, coordinates, day, figure, h, moment, number, place,
  rules,
} from "./format.js";

const TOKEN_KEY = "tollstream-token";
const state = {
  events: new Map(), // event id -> latest revision
  shown: [], // event ids in the list, in display order
  pending: new Set(), // events that arrived after the list was laid out, waiting for "show"
  ready: false, // the first snapshot has arrived
  selected: null,
  history: new Map(), // revision number -> revision, of the selected event
  forgotten: 0,
  chosen: new Map(), // category -> chosen step index of the selected event
  token: sessionStorage.getItem(TOKEN_KEY),
  rows: new Map(), // event id -> its list row
};

const $ = (id) => document.getElementById(id);
const ui = {
  status: $("status"), list: $("events"), count: $("count"), pending: $("pending"), map: $("map"),
  detail: $("detail"), text: $("f-text"), country: $("f-country"), statusFilter: $("f-status"),
  dialog: $("token-dialog"), tokenForm: $("token-form"), tokenInput: $("token-input"), back: $("back"),
};

// ---- talking to the worker -------------------------------------------------------------------

class Locked extends Error {}

function headers() {
  return state.token ? { Authorization: `Bearer ${state.token}` } : {};
}

async function api(path) {
  const response = await fetch(path, { headers: headers(), cache: "no-store" });
  if (response.status === 401) throw new Locked();
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response;
}

function setStatus(kind, text) {
  ui.status.dataset.state = kind;
  ui.status.textContent = text;
}

function askToken() {
  setStatus("locked", "Waiting for the access token");
  if (!ui.dialog.open) ui.dialog.showModal();
}

ui.tokenForm.addEventListener("submit", (e) => {
  e.preventDefault();
  state.token = ui.tokenInput.value.trim();
  sessionStorage.setItem(TOKEN_KEY, state.token);
  ui.dialog.close();
  connect();
});

// Server-Sent Events read through fetch, so the request can carry the token.
async function* sse(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      if (data.length) yield { name, data: data.join("\n") };
    }
  }
}

let connecting = false;
async function connect() {
  if (connecting) return;
  connecting = true;
  let wait = 1000;
  for (;;) {
    try {
      const response = await api("/events/stream?replay=latest");
      wait = 1000;
      for await (const message of sse(response)) {
        if (message.name === "revision") onRevision(JSON.parse(message.data));
        else if (message.name === "ready") onReady();
        else if (message.name === "overflow") setStatus("reconnecting", "Fell behind the stream; catching up…");
      }
      setStatus("reconnecting", "Stream ended; reconnecting…");
    } catch (error) {
      if (error instanceof Locked) {
        connecting = false;
        askToken();
        return;
      }
      setStatus("reconnecting", `No connection to the worker; retrying in ${Math.round(wait / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, 15000);
  }
}

// ---- state -----------------------------------------------------------------------------------

function onRevision(update) {
  const id = update.event_id;
  const known = state.events.get(id);
  if (id === state.selected && !state.history.has(update.revision)) {
    state.history.set(update.revision, update);
    scheduleDetail();
  }
  if (known && known.revision >= update.revision) return;
  state.events.set(id, update);
  addCountry(update);
  if (!state.ready) return;
  if (state.rows.has(id)) fillRow(state.rows.get(id), update, true);
  else if (state.shown.length === 0 && matches(update)) layOut();
  else if (matches(update)) {
    state.pending.add(id);
    showPending();
  }
  scheduleMap();
}

function onReady() {
  const first = !state.ready;
  state.ready = true;
  setStatus("live", `Live · ${state.events.size} events`);
  if (first) {
    layOut();
    route();
  }
}

// ---- the list --------------------------------------------------------------------------------

function matches(update) {
  const country = ui.country.value, status = ui.statusFilter.value, text = ui.text.value.trim().toLowerCase();
  if (country && (!update.place || update.place.country !== country)) return false;
  if (status && update.status !== status) return false;
  if (!text) return true;
  const p = update.place || { name: "", mentions: [] };
  const words = [update.event_id, update.title, update.perpetrator, update.incident_type, p.name, p.admin1, ...(p.mentions || [])];
  return words.filter(Boolean).join(" ").toLowerCase().includes(text);
}

function newestFirst(a, b) {
  const da = a.incident_date || "", db = b.incident_date || "";
  return da === db ? (a.event_id < b.event_id ? 1 : -1) : da < db ? 1 : -1;
}

// The list laid out afresh (first snapshot, a filter, or "show new events"): the only times rows move.
function layOut() {
  const chosen = [...state.events.values()].filter(matches).sort(newestFirst);
  state.shown = chosen.map((u) => u.event_id);
  state.pending.clear();
  showPending();
  const focused = document.activeElement && document.activeElement.closest(".event");
  const rows = chosen.map((update) => state.rows.get(update.event_id) || makeRow(update));
  state.rows = new Map(rows.map((row) => [row.dataset.eventId, row]));
  rows.forEach((row, i) => fillRow(row, chosen[i], false));
  ui.list.replaceChildren(...rows);
  rove(rows.find((r) => r.dataset.eventId === state.selected) || rows[0]);
  if (focused && rows.includes(focused)) focused.querySelector("a").focus();
  ui.count.textContent = `${chosen.length} of ${state.events.size} events`;
  scheduleMap();
}

function makeRow(update) {
  const link = h("a", { href: `#/event/${encodeURIComponent(update.event_id)}`, tabindex: -1 });
  const row = h("li", { class: "event", dataset: { eventId: update.event_id } }, link);
  return row;
}

function tollLine(update) {
  const t = update.tolls;
  const killed = t.killed_total ? [h("b", { text: bounds(t.killed_total) }), " killed"] : ["no death toll"];
  const groups = ["killed_civilians", "killed_security", "killed_militants", "injured_total"]
    .filter((c) => t[c])
    .map((c) => `${c === "injured_total" ? "injured" : c.slice(7)} ${number(t[c].best)}`);
  return [...killed, groups.length ? ` · ${groups.join(" · ")}` : ""];
}

function lastChange(update) {
  const outlet = outletOf(update, update.caused_by);
  const when = update.produced_at ? ago(update.produced_at) : update.stream_time ? `stream time ${day(new Date(update.stream_time * 1000).toISOString().slice(0, 10))}` : "";
  return [`rev ${update.revision}`, changeSummary(update), outlet, when].filter(Boolean).join(" · ");
}

function fillRow(row, update, flash) {
  const link = row.querySelector("a");
  const reports = update.articles.length, outlets = update.sources.length, copies = update.copies.length;
  link.setAttribute("aria-label", `${update.title}, ${day(update.incident_date)}, ${update.status}`);
  link.replaceChildren(
    h("span", { class: "line" },
      h("span", { class: "title", text: update.title }),
      update.late ? h("span", { class: "badge late", text: "late" }) : null,
      h("span", { class: `badge ${update.status}`, text: update.status })),
    h("span", { class: "line meta", text: `${day(update.incident_date)} · ${place(update)} · ${reports} report${reports === 1 ? "" : "s"}, ${outlets} outlet${outlets === 1 ? "" : "s"}${copies ? `, ${copies} cop${copies === 1 ? "y" : "ies"}` : ""}` }),
    h("span", { class: "line tolls num" }, tollLine(update)),
    h("span", { class: "line change", dataset: { role: "change" }, text: lastChange(update) }),
  );
  link.setAttribute("aria-current", String(update.event_id === state.selected));
  if (flash) {
    row.classList.remove("flash");
    void row.offsetWidth; // restart the highlight
    row.classList.add("flash");
  }
}

function showPending() {
  const n = state.pending.size;
  ui.pending.hidden = n === 0;
  ui.pending.textContent = `Show ${n} new event${n === 1 ? "" : "s"}`;
}

function addCountry(update) {
  const code = update.place && update.place.country;
  if (!code || [...ui.country.options].some((o) => o.value === code)) return;
  const options = [...ui.country.options].slice(1).map((o) => o.value).concat(code).sort();
  const current = ui.country.value;
  ui.country.replaceChildren(h("option", { value: "", text: "All" }), ...options.map((c) => h("option", { value: c, text: c })));
  ui.country.value = current;
}

// One row of the list takes Tab; arrows move between rows.
function rove(row) {
  for (const link of ui.list.querySelectorAll("a")) link.tabIndex = -1;
  if (row) row.querySelector("a").tabIndex = 0;
}

ui.list.addEventListener("keydown", (e) => {
  const rows = [...ui.list.children];
  const at = rows.indexOf(document.activeElement.closest(".event"));
  const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[e.key];
  if (to === undefined || !rows.length) return;
  e.preventDefault();
  const row = rows[Math.max(0, Math.min(rows.length - 1, to))];
  rove(row);
  row.querySelector("a").focus();
});
ui.list.addEventListener("focusin", (e) => {
  const row = e.target.closest(".event");
  if (row) rove(row);
});

for (const control of [ui.text, ui.country, ui.statusFilter]) control.addEventListener("input", () => layOut());
$("filters").addEventListener("submit", (e) => e.preventDefault());
ui.pending.addEventListener("click", () => layOut());

let mapQueued = false;
function scheduleMap() {
  if (mapQueued) return;
  mapQueued = true;
  requestAnimationFrame(() => {
    mapQueued = false;
    const shown = state.shown.map((id) => state.events.get(id)).filter(Boolean);
    mapGrid(ui.map, shown, state.selected, (e) => `${e.title}, ${day(e.incident_date)}: ${bounds(e.tolls.killed_total)} killed`);
  });
}

// ---- one event -------------------------------------------------------------------------------

function route() {
  const match = location.hash.match(/^#\/event\/(.+)$/);
  select(match ? decodeURIComponent(match[1]) : null);
}

async function select(id) {
  state.selected = id;
  state.history = new Map();
  state.chosen = new Map();
  document.body.classList.toggle("has-selection", Boolean(id));
  for (const [eventId, row] of state.rows) row.querySelector("a").setAttribute("aria-current", String(eventId === id));
  scheduleMap();
  if (!id) {
    ui.detail.replaceChildren(h("p", { class: "empty", text: "Choose an event to see how its tolls moved, who gave each figure, and why each was kept or set apart." }));
    return;
  }
  try {
    const body = await (await api(`/events/${encodeURIComponent(id)}`)).json();
    if (state.selected !== id) return;
    for (const update of body.revisions) state.history.set(update.revision, update);
    state.forgotten = body.forgotten_revisions || 0;
  } catch (error) {
    if (error instanceof Locked) return askToken();
    if (state.selected !== id) return;
    ui.detail.replaceChildren(h("p", { class: "empty", text: "This event is not known to the worker (it may have been forgotten)." }));
    return;
  }
  detail = null;
  renderDetail();
  const heading = ui.detail.querySelector("h2");
  if (heading) heading.focus({ preventScroll: true });
}

let detail = null; // the laid-out event view: its parts, updated in place
let detailQueued = false;
function scheduleDetail() {
  if (detailQueued) return;
  detailQueued = true;
  requestAnimationFrame(() => {
    detailQueued = false;
    if (state.selected && state.history.size) renderDetail();
  });
}

function revisionsInOrder() {
  return [...state.history.values()].sort((a, b) => a.revision - b.revision);
}

function categoriesOf(revisions) {
  const extra = new Set();
  for (const update of revisions) for (const c of Object.keys(update.tolls)) if (!MAIN_CATEGORIES.includes(c)) extra.add(c);
  return [...MAIN_CATEGORIES, ...[...extra].sort()];
}

function observationId(category, o, index) {
  return `obs-${category}-${o.article_id}-${index}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

function layOutDetail(latest) {
  const title = h("h2", { tabindex: -1 });
  const facts = h("dl", { class: "facts" });
  const charts = h("div", { class: "charts" });
  const note = h("p", { class: "section-note" });
  const changes = h("ul", { class: "changes", "aria-label": "What the latest revision changed" });
  const body = h("tbody");
  ui.detail.replaceChildren(
    title, facts,
    h("h3", { class: "section-title", text: "Tolls over time" }), note, charts,
    h("h3", { class: "section-title", text: "What the latest revision changed" }), changes,
    h("h3", { class: "section-title", text: "Every observation, in the order the reports arrived" }),
    h("div", { class: "table-wrap" },
      h("table", { class: "observations" },
        h("thead", {}, h("tr", {}, ...["Category", "Figure", "Report", "Attribution", "Rule", "Quote"].map((t) => h("th", { scope: "col", text: t })))),
        body)),
  );
  detail = { id: latest.event_id, title, facts, charts, note, changes, body, figures: new Map() };
}

function renderDetail() {
  const revisions = revisionsInOrder();
  const latest = revisions[revisions.length - 1];
  if (!detail || detail.id !== latest.event_id) layOutDetail(latest);
  const focusedStep = document.activeElement && document.activeElement.closest(".chart .step");
  const refocus = focusedStep ? [focusedStep.closest(".chart").dataset.category, focusedStep.dataset.index] : null;

  detail.title.replaceChildren(...[latest.title, " ", h("span", { class: `badge ${latest.status}`, text: latest.status }),
    latest.late ? h("span", { class: "badge late", text: "late" }) : null].filter(Boolean));
  const p = latest.place;
  const perpetrator = latest.perpetrator ? `${latest.perpetrator}${latest.responsibility_claimed ? " (claimed responsibility)" : ""}` : "not named";
  const rows = [
    ["Date", `${day(latest.incident_date)} (± ${latest.date_tolerance_days} day${latest.date_tolerance_days === 1 ? "" : "s"})`],
    ["Place", p ? `${place(latest)}${p.mentions && p.mentions.length ? `; also named: ${p.mentions.join(", ")}` : ""}` : "unknown"],
    ["On the map", coordinates(latest.location)],
    ["Perpetrator", perpetrator],
    ["Type", latest.incident_type || "unknown"],
    ["Sources", `${latest.articles.length} independent report(s), ${latest.sources.length} outlet(s): ${latest.sources.join(", ") || "none"}${latest.copies.length ? `; ${latest.copies.length} republished cop${latest.copies.length === 1 ? "y" : "ies"}` : ""}`],
    ["Last revision", [`revision ${latest.revision}`, latest.produced_at ? `${moment(latest.produced_at)} (${ago(latest.produced_at)})` : null,
      latest.caused_by ? `caused by report ${latest.caused_by}` : "made by stream time"].filter(Boolean).join(" · ")],
    ["Event id", latest.event_id],
  ];
  detail.facts.replaceChildren(...rows.flatMap(([term, text]) => [h("dt", { text: term }), h("dd", { text })]));
  detail.note.textContent = state.forgotten
    ? `The worker keeps the first and latest revisions; ${state.forgotten} in between are not shown.`
    : `${revisions.length} revision${revisions.length === 1 ? "" : "s"}; each step is the report that moved the toll.`;

  // Observation rows: every figure the latest revision holds, reports in arrival order.
  const order = new Map(latest.articles.map((a, i) => [a, i]));
  const observations = [];
  for (const [category, toll] of Object.entries(latest.tolls)) {
    const givers = toll.observations.filter((o) => o.best === toll.best && !rules(o, toll, false).some((r) => r.kind === "apart"));
    const giver = givers[givers.length - 1];
    toll.observations.forEach((o, index) => observations.push({ category, toll, o, index, gives: o === giver }));
  }
  observations.sort((a, b) => (order.get(a.o.article_id) ?? 1e9) - (order.get(b.o.article_id) ?? 1e9)
    || categoriesOf([latest]).indexOf(a.category) - categoriesOf([latest]).indexOf(b.category) || a.index - b.index);
  const ids = new Map(observations.map((x) => [x.o, observationId(x.category, x.o, x.index)]));

  for (const category of categoriesOf(revisions)) {
    let part = detail.figures.get(category);
    if (!part) {
      const caption = h("figcaption", {}, h("span", { text: categoryName(category) }), h("span", { class: "now" }));
      part = { figure: h("figure", { class: "chart", dataset: { category } }, caption, h("p", { class: "basis" }), h("svg"), h("div", { class: "cause", "aria-live": "polite" })) };
      detail.figures.set(category, part);
      detail.charts.append(part.figure);
    }
    const steps = tollSteps(revisions, category);
    const toll = latest.tolls[category];
    const chosen = state.chosen.has(category) ? state.chosen.get(category) : steps.length - 1;
    part.figure.querySelector(".now").textContent = toll ? bounds(toll) : "–";
    const basis = part.figure.querySelector(".basis");
    basis.title = toll ? toll.basis : "";
    basis.textContent = toll
      ? `${toll.basis}${toll.perpetrator_claim !== undefined && toll.perpetrator_claim !== null ? `; the perpetrator claims ${number(toll.perpetrator_claim)} (kept apart)` : ""}`
      : "No report has given this figure yet.";
    const svg = stepChart(category, steps, (i) => {
      state.chosen.set(category, i);
      showCause(part, steps, i, category);
    });
    part.figure.querySelector("svg").replaceWith(svg);
    showCause(part, steps, chosen, category);
  }

  detail.changes.replaceChildren(...(latest.changes.length ? latest.changes : [{ field: "nothing", reason: "" }]).map((c) =>
    h("li", {}, `${c.field.replace(/^tolls\./, "").replaceAll("_", " ")}: `,
      c.before === undefined && c.after === undefined ? "" : `${describe(c.before)} → ${describe(c.after)} `,
      h("span", { class: "reason", text: c.reason ? `(${c.reason})` : "" }))));

  detail.body.replaceChildren(...observations.map(({ category, toll, o, gives }) =>
    h("tr", { id: ids.get(o) },
      h("td", { text: categoryName(category) }),
      h("td", { class: "num", text: figure(o) }),
      h("td", {}, h("span", { class: "outlet", text: o.source || "unknown outlet" }), h("br"),
        h("span", { class: "muted", text: `${o.article_id}${o.published_at ? `, ${o.published_at}` : ""}` })),
      h("td", { text: [o.attribution || "no attribution", o.authority !== "unknown" ? `(${o.authority})` : ""].filter(Boolean).join(" ") }),
      h("td", {}, ...rules(o, toll, gives).map((r) => h("span", { class: `rule ${r.kind}`, text: r.text }))),
      h("td", { class: "quote", text: o.quote }))));

  if (refocus) {
    const again = detail.figures.get(refocus[0])?.figure.querySelector(`.step[data-index="${refocus[1]}"]`);
    if (again) again.focus({ preventScroll: true });
  }

  function showCause(part, steps, i, category) {
    for (const g of part.figure.querySelectorAll(".step")) g.classList.toggle("chosen", g.dataset.index === String(i));
    const step = steps[i];
    const find = (o) => {
      const toll = latest.tolls[category];
      const match = toll && toll.observations.find((x) => x.article_id === o.article_id && x.quote === o.quote && x.best === o.best);
      return match ? ids.get(match) : "";
    };
    part.figure.querySelector(".cause").replaceChildren(...causeBox(step, find));
  }
}

function describe(value) {
  if (value === null || value === undefined) return "–";
  if (typeof value === "object" && "best" in value) return bounds(value);
  if (typeof value === "object") return value.name || JSON.stringify(value);
  return String(value);
}

// A link from a step to its observation row marks the row without touching the route.
ui.detail.addEventListener("click", (e) => {
  const link = e.target.closest("a[data-observation]");
  if (!link) return;
  e.preventDefault();
  const row = document.getElementById(link.dataset.observation);
  if (!row) return;
  for (const r of ui.detail.querySelectorAll("tr.chosen")) r.classList.remove("chosen");
  row.classList.add("chosen");
  row.scrollIntoView({ block: "center" });
});

ui.back.addEventListener("click", () => { location.hash = ""; });

document.addEventListener("keydown", (e) => {
  const typing = e.target.closest("input, select, textarea");
  if (e.key === "/" && !typing) {
    e.preventDefault();
    if (state.selected) location.hash = "";
    ui.text.focus();
  } else if (e.key === "Escape" && state.selected && !ui.dialog.open) {
    const id = state.selected;
    location.hash = "";
    const row = state.rows.get(id);
    if (row) requestAnimationFrame(() => row.querySelector("a").focus());
  }
});

// Downloads go through fetch so they carry the token; the filters in use apply.
for (const button of document.querySelectorAll("[data-export]")) {
  button.addEventListener("click", async () => {
    const query = new URLSearchParams();
    if (ui.country.value) query.set("country", ui.country.value);
    if (ui.statusFilter.value) query.set("status", ui.statusFilter.value);
    if (ui.text.value.trim()) query.set("q", ui.text.value.trim().slice(0, 200));
    const format = button.dataset.export;
    try {
      const blob = await (await api(`/export.${format}?${query}`)).blob();
      const link = h("a", { href: URL.createObjectURL(blob), download: `tollstream-events.${format}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (error) {
      if (error instanceof Locked) askToken();
    }
  });
}

window.addEventListener("hashchange", route);
// Relative times in the list ("3 min ago") move on; only their text changes.
setInterval(() => {
  for (const [id, row] of state.rows) {
    const line = row.querySelector('[data-role="change"]');
    const update = state.events.get(id);
    if (line && update) line.textContent = lastChange(update);
  }
}, 30000);

connect();

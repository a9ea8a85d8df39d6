// SVG drawings: the step chart of one toll over its revisions, and the map grid of events.
// Both draw into a fixed viewBox, so a new step or a new event changes the picture, never the layout.

import { categoryName, h, number, s, shortDay } from "./format.js";

// The steps of one category: the revisions where its toll changed (or first appeared), each with its cause.
export function tollSteps(revisions, category) {
  const steps = [];
  let last = null;
  for (const update of revisions) {
    const toll = update.tolls[category];
    if (!toll) continue;
    const key = `${toll.low}/${toll.best}/${toll.high}`;
    if (key === last) continue;
    last = key;
    steps.push({ update, toll, cause: causeOf(update, category, toll) });
  }
  return steps;
}

// The outlet of a report, from any figure it gave in the revision.
export function outletOf(update, article) {
  if (!article) return null;
  for (const toll of Object.values(update.tolls)) {
    const found = toll.observations.find((o) => o.article_id === article && o.source);
    if (found) return found.source;
  }
  return null;
}

// The report behind a step: its observation in this category when it gave one, else what it derived from.
function causeOf(update, category, toll) {
  const article = update.caused_by;
  const mine = toll.observations.filter((o) => o.article_id === article);
  const observation = mine.find((o) => o.best === toll.best) || mine[0] || null;
  const source = (observation && observation.source) || outletOf(update, article);
  return { article, observation, source, revision: update.revision, basis: toll.basis };
}

function niceMax(value) {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  // Even multiples, so the middle tick is a whole number too.
  for (const m of [1, 2, 4, 6, 8, 10]) if (m * magnitude >= value && (m * magnitude) % 2 === 0) return m * magnitude;
  return 10 * magnitude;
}

const W = 320, H = 140, LEFT = 36, RIGHT = 10, TOP = 18, BOTTOM = 20;

function stepDay(step) {
  const published = step.cause.observation && step.cause.observation.published_at;
  if (published) return published;
  const seconds = step.update.stream_time;
  return seconds ? new Date(seconds * 1000).toISOString().slice(0, 10) : null;
}

// One chart: treads at each step's best value, a band from low to high (open upwards when the wording
// gave no upper bound), risers where the toll moved. Each step is a focusable button naming its cause.
export function stepChart(category, steps, onChoose) {
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": `${categoryName(category)} over time` });
  const plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
  svg.append(s("line", { class: "axis", x1: LEFT, y1: TOP + plotH, x2: W - RIGHT, y2: TOP + plotH }));
  if (!steps.length) return svg;
  const top = niceMax(Math.max(...steps.map((st) => Math.max(st.toll.high ?? st.toll.best * 1.15, st.toll.best, 1))));
  const y = (v) => TOP + plotH - (Math.min(v, top) / top) * plotH;
  for (const tick of [0, top / 2, top]) {
    svg.append(s("text", { class: "tick", x: LEFT - 5, y: y(tick) + 3, "text-anchor": "end", text: number(Math.round(tick)) }));
  }
  const width = plotW / steps.length;
  steps.forEach((step, i) => {
    const x0 = LEFT + i * width, x1 = x0 + width;
    const { low, best, high } = step.toll;
    const who = step.cause.source || step.cause.article || "stream time";
    const label = `${number(best)} ${categoryName(category).toLowerCase()} from revision ${step.cause.revision}, ${who}`;
    const group = s("g", {
      class: "step", tabindex: 0, role: "button", "aria-label": label,
      dataset: { best: String(best), revision: String(step.cause.revision), index: String(i) },
    });
    const bandTop = high === null || high === undefined ? top : high;
    group.append(
      s("rect", { class: "hit", x: x0, y: TOP, width, height: plotH }),
      s("rect", { class: high === null || high === undefined ? "band open-top" : "band", x: x0, y: y(bandTop), width, height: Math.max(1, y(low) - y(bandTop)) }),
      s("line", { class: "tread", x1: x0, y1: y(best), x2: x1, y2: y(best) }),
      s("text", { class: "value", x: x0 + 4, y: Math.max(TOP - 4, y(best) - 5), text: number(best) }),
      s("text", { class: "when", x: x0 + 2, y: H - 6, text: shortDay(stepDay(step)) }),
      s("title", { text: label }),
    );
    if (i > 0) {
      const before = steps[i - 1].toll.best;
      svg.append(s("line", { class: "riser", x1: x0, y1: y(before), x2: x0, y2: y(best) }));
    }
    const choose = () => onChoose(i);
    group.addEventListener("click", choose);
    group.addEventListener("focus", choose);
    group.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(); }
    });
    svg.append(group);
  });
  return svg;
}

// The text under a chart: who gave the chosen step's figure, in their words.
export function causeBox(step, observationId) {
  if (!step) return [];
  const { cause } = step;
  const parts = [];
  const head = [`Revision ${cause.revision}`];
  if (cause.article) head.push(`report ${cause.article}`);
  if (cause.source) head.push(cause.source);
  parts.push(h("div", { class: "who", text: head.join(" · ") }));
  const o = cause.observation;
  if (o) {
    const said = [o.attribution ? `according to ${o.attribution}` : "no attribution", o.published_at ? `published ${o.published_at}` : null];
    parts.push(h("div", { text: said.filter(Boolean).join(", ") }));
    parts.push(h("q", { text: o.quote }));
    const id = observationId(o);
    parts.push(h("a", { href: `#${id}`, dataset: { observation: id }, text: "See it in the table of observations" }));
  } else {
    parts.push(h("div", { text: cause.article ? `Derived, not quoted: ${cause.basis}` : `Set by stream time: ${cause.basis}` }));
  }
  return parts;
}

function gridStep(span) {
  for (const step of [0.5, 1, 2, 5, 10, 15, 30, 45]) if (span / step <= 7) return step;
  return 60;
}

const PRECISE_RING = { place: 0, district: 5, province: 9, country: 14 };

// Events on a longitude/latitude grid fitted to them (no tiles, no coastline data: just where they are).
export function mapGrid(svg, events, selectedId, stateLabel) {
  svg.replaceChildren();
  const located = events.filter((e) => e.location);
  let lonMin = 60, lonMax = 75, latMin = 24, latMax = 37;
  if (located.length) {
    lonMin = Math.min(...located.map((e) => e.location.longitude));
    lonMax = Math.max(...located.map((e) => e.location.longitude));
    latMin = Math.min(...located.map((e) => e.location.latitude));
    latMax = Math.max(...located.map((e) => e.location.latitude));
  }
  // A 2:1 window around the events, at least 8 degrees wide, with a margin.
  const cx = (lonMin + lonMax) / 2, cy = (latMin + latMax) / 2;
  const spanLon = Math.min(360, Math.max(8, (lonMax - lonMin) * 1.3, (latMax - latMin) * 2.6));
  const spanLat = spanLon / 2;
  const x = (lon) => ((lon - (cx - spanLon / 2)) / spanLon) * 360;
  const y = (lat) => ((cy + spanLat / 2 - lat) / spanLat) * 180;
  const step = gridStep(spanLon);
  for (let lon = Math.ceil((cx - spanLon / 2) / step) * step; lon <= cx + spanLon / 2; lon += step) {
    svg.append(s("line", { class: "grid", x1: x(lon), y1: 0, x2: x(lon), y2: 180 }));
    svg.append(s("text", { class: "grid-label", x: x(lon) + 1.5, y: 177, text: `${Math.abs(lon)}°${lon >= 0 ? "E" : "W"}` }));
  }
  for (let lat = Math.ceil((cy - spanLat / 2) / step) * step; lat <= cy + spanLat / 2; lat += step) {
    svg.append(s("line", { class: "grid", x1: 0, y1: y(lat), x2: 360, y2: y(lat) }));
    svg.append(s("text", { class: "grid-label", x: 2, y: y(lat) - 1.5, text: `${Math.abs(lat)}°${lat >= 0 ? "N" : "S"}` }));
  }
  for (const event of located) {
    const { latitude, longitude, precision } = event.location;
    const killed = event.tolls.killed_total ? event.tolls.killed_total.best : 0;
    const r = 2.5 + 1.2 * Math.log2(1 + killed);
    const link = s("a", {
      href: `#/event/${encodeURIComponent(event.event_id)}`,
      class: event.event_id === selectedId ? "selected" : null,
      "aria-label": stateLabel(event),
    });
    const ring = PRECISE_RING[precision] || 0;
    if (ring) link.append(s("circle", { class: "ring", cx: x(longitude), cy: y(latitude), r: r + ring }));
    link.append(
      s("circle", { class: `dot ${event.status}`, cx: x(longitude), cy: y(latitude), r }),
      s("text", { class: "label", x: x(longitude) + r + 2, y: y(latitude) + 2, text: event.place ? event.place.name : event.event_id }),
      s("title", { text: stateLabel(event) }),
    );
    svg.append(link);
  }
}

// Building DOM nodes and saying things in words. Text from reports only ever goes in through
// textContent or attribute values, never as markup.

const SVG_NS = "http://www.w3.org/2000/svg";

function fill(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function h(tag, attrs, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

export function s(tag, attrs, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

const NUMBER = new Intl.NumberFormat("en");
const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const SHORT_DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const MOMENT = new Intl.DateTimeFormat("en-GB", {
  day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC",
  timeZoneName: "short",
});

export const number = (n) => NUMBER.format(n);
export const day = (iso) => (iso ? DAY.format(new Date(`${iso}T00:00:00Z`)) : "date unknown");
export const shortDay = (iso) => (iso ? SHORT_DAY.format(new Date(`${iso}T00:00:00Z`)) : "?");
export const moment = (seconds) => MOMENT.format(new Date(seconds * 1000));

export function ago(seconds, now = Date.now() / 1000) {
  const gap = Math.max(0, now - seconds);
  if (gap < 45) return "just now";
  if (gap < 3600) return `${Math.round(gap / 60)} min ago`;
  if (gap < 86400) return `${Math.round(gap / 3600)} h ago`;
  return `${Math.round(gap / 86400)} d ago`;
}

// Categories the desk always charts, in this order; any other category a report gives follows them.
export const MAIN_CATEGORIES = [
  "killed_total", "killed_civilians", "killed_security", "killed_militants", "injured_total", "abducted_total",
];
const CATEGORY_NAMES = {
  killed_total: "Killed, all",
  killed_civilians: "Civilians killed",
  killed_security: "Security forces killed",
  killed_militants: "Militants killed",
  injured_total: "Injured",
  abducted_total: "Abducted",
  missing_total: "Missing",
};
const SHORT_NAMES = {
  killed_civilians: "civilians", killed_security: "security", killed_militants: "militants",
  killed_total: "killed", injured_total: "injured", abducted_total: "abducted",
};
export const categoryName = (c) => CATEGORY_NAMES[c] || c.replaceAll("_", " ");
export const shortName = (c) => SHORT_NAMES[c] || c.replaceAll("_", " ");

// A toll or figure as written: "31", "at least 23", "61 to open", "20 to 25".
export function bounds(v) {
  if (!v) return "–";
  if (v.high === null || v.high === undefined) return v.low === v.best ? `${number(v.best)}+` : `${number(v.best)} (${number(v.low)}+)`;
  if (v.low === v.high) return number(v.best);
  return `${number(v.best)} (${number(v.low)}–${number(v.high)})`;
}

const QUALIFIERS = {
  exact: "", at_least: "at least ", more_than: "more than ", about: "about ", up_to: "up to ", range: "",
};
export function figure(o) {
  if (o.qualifier === "range" && o.high !== null && o.high !== undefined) return `${number(o.low)} to ${number(o.high)}`;
  const written = o.qualifier === "more_than" ? o.low - 1 : o.best;
  return `${QUALIFIERS[o.qualifier] ?? ""}${number(written)}`;
}

export function place(update) {
  const p = update.place;
  if (!p) return "place unknown";
  const parts = [p.name];
  if (p.admin1 && p.admin1 !== p.name) parts.push(p.admin1);
  if (p.country) parts.push(p.country);
  return parts.join(", ");
}

const PRECISION = {
  place: "the place itself",
  district: "its district",
  province: "its province",
  country: "its country",
};
export function coordinates(location) {
  if (!location) return "no coordinates";
  const lat = `${Math.abs(location.latitude).toFixed(3)}° ${location.latitude >= 0 ? "N" : "S"}`;
  const lon = `${Math.abs(location.longitude).toFixed(3)}° ${location.longitude >= 0 ? "E" : "W"}`;
  return `${lat}, ${lon} — stands for ${PRECISION[location.precision] || location.precision} (${location.basis})`;
}

// What one revision changed, briefly: "civilians 11 → 31".
export function changeSummary(update) {
  const tolls = update.changes.filter((c) => c.field.startsWith("tolls."));
  if (update.changes.some((c) => c.field === "event")) return "opened";
  if (update.changes.some((c) => c.field === "status")) return update.status === "final" ? "closed: final" : "reopened";
  if (!tolls.length) return update.changes.map((c) => c.field.replaceAll("_", " ")).join(", ") || "no change";
  return tolls
    .slice(0, 3)
    .map((c) => `${shortName(c.field.slice(6))} ${c.before ? number(c.before.best) : "–"} → ${c.after ? number(c.after.best) : "–"}`)
    .join(", ");
}

// Why an observation was kept or set apart. Fields are read generically: any flag a later model adds
// ("stale", "unofficial", "background" ...) is shown by its name, so the page never hides a reason.
const SHOWN_FIELDS = new Set([
  "article_id", "source", "published_at", "low", "best", "high", "qualifier", "attribution", "authority", "quote",
]);
const INFORMATIVE = { correction: "stated as a correction", implicit: "one victim named, no number" };
const SET_APART = {
  partial: "partial figure: only raises the low bound",
  stale: "stale repeat of a superseded figure",
  unofficial: "unofficial source",
  background: "about an earlier incident",
};

export function rules(observation, toll, givesToll) {
  const found = [];
  let apart = false;
  if (observation.authority === "perpetrator") {
    found.push({ kind: "apart", text: "perpetrator's claim: kept apart" });
    apart = true;
  }
  for (const [name, value] of Object.entries(observation)) {
    if (SHOWN_FIELDS.has(name) || value === null || value === false || value === undefined) continue;
    if (value === true && INFORMATIVE[name]) found.push({ kind: "info", text: INFORMATIVE[name] });
    else if (value === true) {
      found.push({ kind: "apart", text: SET_APART[name] || name.replaceAll("_", " ") });
      apart = true;
    } else found.push({ kind: "info", text: `${name.replaceAll("_", " ")}: ${value}` });
  }
  if (!apart) {
    if (givesToll) found.unshift({ kind: "kept", text: "gives the toll" });
    else if (observation.best === toll.best) found.unshift({ kind: "kept", text: "agrees with the toll" });
    else found.unshift({ kind: "info", text: "superseded" });
  }
  return found;
}

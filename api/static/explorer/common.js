// What every explorer page shares: URLs relative to <base>, JSON from this server, a small
// DOM builder, entity links and kind names. Nothing here talks to any other host.

/** An absolute URL on this server for a path relative to <base> (works behind a prefix). */
export function url(path, params = {}) {
  const u = new URL(path, document.baseURI);
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") u.searchParams.set(k, String(v));
  }
  return u.toString();
}

export class HttpError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** The server's error detail: the JSON `detail`, else the body's text. */
export async function detailOf(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body && body.detail !== undefined) {
      return typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail, null, 2);
    }
  } catch (_) { /* not JSON: the text itself */ }
  return text || response.statusText;
}

export async function getJSON(path, params = {}, init = {}) {
  const response = await fetch(url(path, params), { headers: { Accept: "application/json" }, ...init });
  if (!response.ok) throw new HttpError(response.status, await detailOf(response));
  return response.json();
}

/**
 * el("a", { href: "x", class: "c", text: "t" }, child, ...): an element; children may be
 * strings, nodes, arrays or null. `on: { click: f }` adds listeners, `data: {k: v}` data-*.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "class") node.className = v;
    else if (k === "on") for (const [ev, f] of Object.entries(v)) node.addEventListener(ev, f);
    else if (k === "data") for (const [dk, dv] of Object.entries(v)) node.dataset[dk] = dv;
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : String(c));
  }
}

export const AGREEMENT_KINDS = ["MemorandumOfUnderstanding", "JointVentureAgreement", "Acquisition", "Procurement",
  "Partnership"];

/** The explorer page of an entity or document, by public id (e.g. organization.baykar). */
export function entityHref(id) {
  return id.startsWith("document.") ? "explore/document/" + id : "explore/entity/" + id;
}

/** UnmannedCombatAerialVehicle -> "Unmanned combat aerial vehicle". */
export function kindName(kind) {
  if (!kind) return "";
  const words = kind.replace(/([a-z])([A-Z])/g, "$1 $2").split(" ");
  return words.map((w, i) => (i === 0 ? w : w.toLowerCase())).join(" ");
}

export function kindBadge(kind) {
  return el("span", { class: "badge kind-" + kind, text: kindName(kind) });
}

/** A link to an entity's page: its label and, unless `bare`, its kind. */
export function entityLink(ref, { bare = false } = {}) {
  const a = el("a", { class: "entity", href: entityHref(ref.id), text: ref.label, data: { id: ref.id } });
  return bare ? a : el("span", { class: "ref" }, a, " ", kindBadge(ref.kind));
}

export function documentLink(id, title) {
  if (!id) return el("span", { class: "muted", text: "reference base" });
  return el("a", { class: "document", href: entityHref(id), text: title || id });
}

export function confidence(value) {
  if (value === null || value === undefined) return el("span", { class: "muted", text: "—" });
  return el("span", { class: "confidence", title: "extraction confidence", text: Math.round(value * 100) + "%" });
}

/** One evidence sentence: the quote, its confidence and the document it is from. */
export function evidenceItem(ev) {
  return el("li", { class: "evidence" },
    el("q", { text: ev.sentence || "" }), " ",
    confidence(ev.confidence), " ",
    documentLink(ev.document, ev.documentTitle));
}

export function evidenceList(evidence) {
  if (!evidence || evidence.length === 0) return el("p", { class: "muted", text: "From the reference base." });
  return el("ul", { class: "evidence-list" }, evidence.map(evidenceItem));
}

export function money(value) {
  if (!value) return null;
  const amount = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 2 }).format(value.amount);
  return (value.currency ? value.currency + " " : "") + amount;
}

export function heading(text, level = 2) {
  return el("h" + level, { text });
}

/** A page's main content: replaces the view's children. */
export function show(main, ...children) {
  main.replaceChildren();
  append(main, children);
}

export function errorBox(message) {
  return el("div", { class: "error", role: "alert", text: message });
}

/** This page's CSP nonce: the libraries put it on the <style> elements they write. */
export function cspNonce() {
  const meta = document.querySelector('meta[name="csp-nonce"]');
  return meta ? meta.content : "";
}

/** A vendor library bundle (api/static/vendor/), or an Error naming `make assets`. */
export async function vendor(name) {
  try {
    return await import(url("static/vendor/" + name));
  } catch (err) {
    throw new Error("The explorer's assets are not built (static/vendor/" + name + " is missing): run `make assets`.");
  }
}

export function debounce(f, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}

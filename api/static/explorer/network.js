// The network view: firms, government bodies and countries as nodes, agreements as edges
// (coloured by kind), from /api/v1/network; filter by agreement kind and date range.
import { AGREEMENT_KINDS, cspNonce, el, entityHref, errorBox, getJSON, kindName, show, vendor } from "./common.js";

export const KIND_COLOURS = {
  MemorandumOfUnderstanding: "#8e6cc6",
  JointVentureAgreement: "#d9822b",
  Acquisition: "#c23b3b",
  Procurement: "#2f7ed8",
  Partnership: "#3a9a5b",
};
const GROUPS = {
  firm: { shape: "round-rectangle", colour: "#1f3a5f", name: "Firm" },
  government: { shape: "diamond", colour: "#b7791f", name: "Government body" },
  country: { shape: "ellipse", colour: "#4a7c59", name: "Country" },
};
const DATE_PATTERN = "\\d{4}(-\\d{2}(-\\d{2})?)?";

export async function render(main) {
  const params = new URLSearchParams(window.location.search);
  const kind = el("select", { id: "network-kind", name: "kind" },
    el("option", { value: "", text: "every kind" }),
    AGREEMENT_KINDS.map((k) => el("option", { value: k, text: kindName(k), selected: params.get("kind") === k })));
  const from = el("input", { id: "network-from", name: "from", placeholder: "YYYY[-MM[-DD]]", pattern: DATE_PATTERN,
    size: 12, value: params.get("from") || "" });
  const to = el("input", { id: "network-to", name: "to", placeholder: "YYYY[-MM[-DD]]", pattern: DATE_PATTERN,
    size: 12, value: params.get("to") || "" });
  const form = el("form", { id: "network-filters", class: "filters" },
    el("label", {}, "Agreement kind ", kind),
    el("label", {}, "From ", from),
    el("label", {}, "To ", to),
    el("button", { type: "submit", text: "Draw" }));
  const summary = el("p", { id: "network-summary", class: "muted", role: "status" });
  const graph = el("div", { id: "network-graph", class: "graph" });
  const info = el("aside", { id: "network-info", class: "info" },
    el("p", { class: "muted", text: "Click a party to open its page, an agreement to see it here." }));
  show(main,
    el("h1", { text: "Who makes agreements with whom" }),
    form, summary,
    el("div", { class: "network" }, graph, el("div", { class: "side" }, legend(), info)));

  let cytoscape;
  try {
    cytoscape = (await vendor("cytoscape.js")).default;
  } catch (err) {
    graph.replaceWith(errorBox(err.message));
    return;
  }
  containerStyle();
  let cy = null;
  async function draw() {
    const query = { kind: kind.value, from: from.value.trim(), to: to.value.trim() };
    const shown = new URL(window.location.href);
    for (const [k, v] of Object.entries(query)) v ? shown.searchParams.set(k, v) : shown.searchParams.delete(k);
    window.history.replaceState(null, "", shown);
    summary.textContent = "Loading…";
    let net;
    try {
      net = await getJSON("api/v1/network", query);
    } catch (err) {
      summary.replaceChildren(errorBox(err.message));
      return;
    }
    if (cy) cy.destroy();
    cy = cytoscape({
      container: graph,
      elements: elements(net),
      style: STYLE,
      layout: { name: "cose", animate: false, randomize: true, nodeRepulsion: () => 400000, nodeOverlap: 20,
        idealEdgeLength: () => 140, componentSpacing: 120, gravity: 0.4, numIter: 2500, padding: 40 },
      maxZoom: 1.4,
      minZoom: 0.1,
    });
    cy.on("tap", "node", (ev) => { window.location.href = entityHref(ev.target.id()); });
    cy.on("tap", "edge", (ev) => showAgreement(info, ev.target.data(), cy));
    graph.dataset.nodes = String(cy.nodes().length);
    graph.dataset.edges = String(cy.edges().length);
    window.explorerNetwork = cy;  // for the browser tests and the console
    summary.textContent = net.nodes.length + " parties, " + net.count + " agreement" + (net.count === 1 ? "" : "s")
      + (net.truncated ? " (the first " + net.edges.length + " edges drawn)" : "")
      + (net.nodes.length === 0 ? ": nothing matches these filters." : ".");
  }
  form.addEventListener("submit", (ev) => { ev.preventDefault(); if (form.reportValidity()) draw(); });
  kind.addEventListener("change", draw);
  await draw();
}

// Cytoscape writes one <style> (its container's position) unless an element with this id
// exists: written here with the page's CSP nonce, so the strict style-src lets it apply.
function containerStyle() {
  const id = "__________cytoscape_stylesheet";
  if (document.getElementById(id)) return;
  const style = el("style", { id, nonce: cspNonce(), text: ".__________cytoscape_container { position: relative; }" });
  document.head.prepend(style);
}

function elements(net) {
  const nodes = net.nodes.map((n) => ({
    group: "nodes",
    data: { id: n.id, label: n.label, kind: n.kind, group: n.group, agreements: n.agreements,
      size: 26 + 8 * Math.min(n.agreements, 8) },
  }));
  const edges = net.edges.map((e, i) => ({
    group: "edges",
    data: { id: "e" + i + ":" + e.agreement, source: e.source, target: e.target, agreement: e.agreement, kind: e.kind,
      status: e.status, date: e.date, colour: KIND_COLOURS[e.kind] || "#888",
      label: e.date ? e.date.slice(0, 7) : "" },
  }));
  return [...nodes, ...edges];
}

const STYLE = [
  { selector: "node", style: {
    label: "data(label)", width: "data(size)", height: "data(size)", "font-size": 16, color: "#1b1f24",
    "text-valign": "bottom", "text-margin-y": 4, "text-outline-color": "#fff", "text-outline-width": 2,
    "border-width": 2, "border-color": "#fff" } },
  ...Object.entries(GROUPS).map(([g, s]) => ({ selector: `node[group = "${g}"]`,
    style: { shape: s.shape, "background-color": s.colour } })),
  { selector: "edge", style: {
    width: 3, "line-color": "data(colour)", "curve-style": "bezier", opacity: 0.85,
    label: "data(label)", "font-size": 12, color: "#555", "text-rotation": "autorotate",
    "text-background-color": "#fafafa", "text-background-opacity": 1, "text-background-padding": 1 } },
  { selector: "edge:selected", style: { width: 6, opacity: 1 } },
  { selector: "node:selected", style: { "border-color": "#f2c94c", "border-width": 4 } },
];

function legend() {
  return el("div", { class: "legend" },
    el("h3", { text: "Parties" }),
    el("ul", {}, Object.entries(GROUPS).map(([key, g]) => el("li", {},
      el("span", { class: "swatch group-" + key }), g.name))),
    el("h3", { text: "Agreements" }),
    el("ul", {}, Object.entries(KIND_COLOURS).map(([k]) => el("li", {},
      el("span", { class: "line kind-" + k }), kindName(k)))));
}

function showAgreement(info, d, cy) {
  const label = (id) => cy.getElementById(id).data("label");
  info.replaceChildren(
    el("h3", { text: kindName(d.kind) }),
    el("p", {}, el("a", { href: entityHref(d.source), text: label(d.source) }), " and ",
      el("a", { href: entityHref(d.target), text: label(d.target) })),
    el("p", { text: (d.status || "status unknown") + " · " + (d.date || "undated") }),
    el("p", { class: "muted", text: d.agreement }));
}

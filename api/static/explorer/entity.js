// An entity's page: names, kind, country; facts grouped by relation, each with its evidence;
// people and their posts; agreements with parties, status history and dates; documents.
import {
  documentLink, el, entityLink, errorBox, evidenceList, getJSON, heading, kindBadge, kindName, money, show,
} from "./common.js";

// How a relation reads from this entity's side: [when it is the subject, when it is the object].
const RELATION_NAMES = {
  manufacturer: ["Made by", "Makes"],
  operator: ["Operated by", "Operates"],
  country: ["Country", "Based here"],
  parentOrganization: ["Part of", "Has parts"],
  subOrganization: ["Has parts", "Part of"],
  supplier: ["Supplies", "Supplied by"],
  participant: ["Participants", "Takes part in"],
};

// How a stated fact reads: subject <phrase> object.
const RELATION_PHRASES = {
  manufacturer: "is made by",
  operator: "is operated by",
  country: "is based in",
  parentOrganization: "is part of",
  subOrganization: "has as a part",
  supplier: "supplies",
  participant: "has as a participant",
};

export function relationPhrase(predicate) {
  return RELATION_PHRASES[predicate] || predicate;
}

export function relationName(predicate, direction) {
  const names = RELATION_NAMES[predicate];
  return names ? names[direction === "out" ? 0 : 1] : predicate + (direction === "in" ? " (of)" : "");
}

export async function render(main, id) {
  let e;
  try {
    e = await getJSON("api/v1/entities/" + id);
  } catch (err) {
    show(main, errorBox(err.status === 404 ? "No entity with id “" + id + "”." : err.message));
    return;
  }
  document.title = e.label + " — Defence knowledge graph";
  const aliases = e.labels.filter((l) => l !== e.label);
  const countries = e.relations.filter((r) => r.predicate === "country" && r.direction === "out").map((r) => r.other);
  show(main,
    el("article", { id: "entity", data: { id: e.id } },
      el("h1", { id: "entity-name" }, e.label, " ", kindBadge(e.kind)),
      el("dl", { class: "facts-summary" },
        el("dt", { text: "Kind" }), el("dd", { id: "entity-kind", text: kindName(e.kind) }),
        aliases.length ? [el("dt", { text: "Also known as" }), el("dd", { id: "entity-aliases", text: aliases.join(" · ") })] : null,
        countries.length ? [el("dt", { text: "Country" }),
          el("dd", { id: "entity-country" }, countries.map((c, i) => [i ? ", " : "", entityLink(c, { bare: true })]))] : null,
        e.types.length > 1 ? [el("dt", { text: "Classes" }), el("dd", { text: e.types.map(kindName).join(", ") })] : null,
        el("dt", { text: "IRI" }), el("dd", {}, el("code", { class: "iri", text: e.iri }))),
      relationsSection(e.relations),
      positionsSection(e.positions),
      agreementsSection(e.agreements, e.id),
      documentsSection(e.documents)));
}

function relationsSection(relations) {
  if (relations.length === 0) return null;
  const groups = new Map();
  for (const r of relations) {
    const key = relationName(r.predicate, r.direction);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  return el("section", { id: "relations" }, heading("Facts"),
    [...groups].map(([name, rs]) => el("div", { class: "relation-group", data: { relation: rs[0].predicate, direction: rs[0].direction } },
      el("h3", { text: name }),
      el("ul", { class: "facts" }, rs.map((r) => el("li", { class: "fact" },
        entityLink(r.other), evidenceList(r.evidence)))))));
}

function positionsSection(positions) {
  if (positions.length === 0) return null;
  const held = positions.filter((p) => p.direction === "out");
  const here = positions.filter((p) => p.direction === "in");
  const item = (p, who) => el("li", { class: "position" },
    who, el("span", { class: "post", text: p.title ? " — " + p.title : " — post" }), evidenceList(p.evidence));
  return el("section", { id: "positions" }, heading(here.length ? "People" : "Posts"),
    here.length ? el("ul", { class: "facts" }, here.map((p) => item(p, entityLink(p.person)))) : null,
    held.length ? el("ul", { class: "facts" }, held.map((p) => item(p, entityLink(p.organization)))) : null);
}

export function agreementCard(a, selfId) {
  const others = a.parties.filter((p) => p.id !== selfId);
  const history = a.reports.map((r) => el("li", {},
    el("span", { class: "status-" + (r.status || "none"), text: r.status || "no status" }),
    r.date ? " · dated " + r.date : "", r.published ? " · published " + r.published : "",
    " · ", documentLink(r.document)));
  return el("li", { class: "agreement", data: { id: a.id || "" } },
    el("div", { class: "agreement-head" },
      el("span", { class: "badge kind-" + a.kind, text: kindName(a.kind) }),
      el("span", { class: "status status-" + (a.status || "none"), text: a.status || "status unknown" }),
      el("span", { class: "date", text: a.date || "undated" }),
      a.value ? el("span", { class: "value", text: money(a.value) }) : null),
    el("div", { class: "parties" }, "Parties: ",
      (selfId ? others : a.parties).map((p, i) => [i ? ", " : "", entityLink(p, { bare: true })]),
      selfId && others.length === 0 ? "—" : null),
    a.subjects.length ? el("div", {}, "About: ", a.subjects.map((s, i) => [i ? ", " : "", entityLink(s, { bare: true })])) : null,
    a.sites.length ? el("div", {}, "Where: ", a.sites.map((s, i) => [i ? ", " : "", entityLink(s, { bare: true })])) : null,
    a.roles && !a.roles.includes("party") ? el("div", { class: "muted", text: "This entity is its " + a.roles.join(" and ") + "." }) : null,
    el("details", { class: "history" }, el("summary", { text: "Status history (" + a.reports.length + ")" }),
      el("ol", {}, history)),
    a.evidence ? evidenceList(a.evidence) : null);
}

function agreementsSection(agreements, selfId) {
  if (agreements.length === 0) return null;
  return el("section", { id: "agreements" }, heading("Agreements"),
    el("ul", { class: "agreements" }, agreements.map((a) => agreementCard(a, selfId))));
}

function documentsSection(documents) {
  if (documents.length === 0) return null;
  return el("section", { id: "documents" }, heading("Mentioned in"),
    el("ul", {}, documents.map((d) => el("li", {}, documentLink(d.id, d.title)))));
}

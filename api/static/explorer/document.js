// A document's page: title, dates, the entities it mentions, and what it states.
import { el, entityLink, errorBox, evidenceList, getJSON, heading, show } from "./common.js";
import { agreementCard, relationPhrase } from "./entity.js";

export async function render(main, id) {
  let d;
  try {
    d = await getJSON("api/v1/documents/" + id);
  } catch (err) {
    show(main, errorBox(err.status === 404 ? "No document with id “" + id + "”." : err.message));
    return;
  }
  document.title = (d.title || d.id) + " — Defence knowledge graph";
  show(main, el("article", { id: "document", data: { id: d.id } },
    el("h1", { id: "document-title", text: d.title || d.id }),
    el("dl", { class: "facts-summary" },
      d.publishedDate ? [el("dt", { text: "Published" }), el("dd", { text: d.publishedDate })] : null,
      d.sourceFile ? [el("dt", { text: "Source file" }), el("dd", {}, el("code", { text: d.sourceFile }))] : null,
      el("dt", { text: "IRI" }), el("dd", {}, el("code", { class: "iri", text: d.iri }))),
    d.mentions.length ? el("section", {}, heading("Mentions"),
      el("ul", { class: "mentions" }, d.mentions.map((m) => el("li", {}, entityLink(m))))) : null,
    d.relations.length ? el("section", {}, heading("Facts it states"),
      el("ul", { class: "facts" }, d.relations.map((r) => el("li", { class: "fact" },
        entityLink(r.subject, { bare: true }), " ", el("span", { class: "predicate", text: relationPhrase(r.predicate) }),
        " ", entityLink(r.object, { bare: true }), evidenceList(r.evidence))))) : null,
    d.positions.length ? el("section", {}, heading("Posts"),
      el("ul", { class: "facts" }, d.positions.map((p) => el("li", { class: "position" },
        entityLink(p.person, { bare: true }), " — " + (p.title || "post") + " at ", entityLink(p.organization, { bare: true }),
        evidenceList(p.evidence))))) : null,
    d.agreements.length ? el("section", {}, heading("Agreements"),
      el("ul", { class: "agreements" }, d.agreements.map((a) => agreementCard(a, null)))) : null));
}

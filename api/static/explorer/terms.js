// RDF terms as the SPARQL page shows them: an IRI as prefix:local (the query's own prefixes
// first, then the project's), as `kg query` writes them, and entity IRIs as links to their
// explorer pages.
import { el, entityHref } from "./common.js";

const PREFIX_DECL = /PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>\s]*)>/gi;
const LOCAL = /^[\w-]([\w./-]*[\w-])?$/u;

/** The PREFIX declarations of a query: {prefix: namespace}. */
export function prefixesOf(query) {
  const found = {};
  for (const m of query.matchAll(PREFIX_DECL)) found[m[1] || ""] = m[2];
  return found;
}

/** prefix:local for an IRI under one of `prefixes` (longest namespace first), else <iri>. */
export function shortName(iri, prefixes) {
  const known = Object.entries(prefixes).sort((a, b) => b[1].length - a[1].length);
  for (const [prefix, ns] of known) {
    if (ns && iri.startsWith(ns) && LOCAL.test(iri.slice(ns.length))) return prefix + ":" + iri.slice(ns.length);
  }
  return "<" + iri + ">";
}

/** The public id of an individual's IRI (`<idBase><kind>/<slug>` -> kind.slug), or null. */
export function publicId(iri, idBase) {
  if (!idBase || !iri.startsWith(idBase)) return null;
  const parts = iri.slice(idBase.length).split("/");
  if (parts.length < 2 || parts.some((p) => p === "")) return null;
  return parts.map((p) => p.replace(/\./g, "%2E")).join(".");
}

/** A table cell's content for a SPARQL JSON term. */
export function termNode(term, prefixes, idBase) {
  if (term.type === "uri") {
    const name = shortName(term.value, prefixes);
    const id = publicId(term.value, idBase);
    return id ? el("a", { class: "iri entity", href: entityHref(id), title: term.value, text: name })
      : el("span", { class: "iri", title: term.value, text: name });
  }
  if (term.type === "bnode") return el("span", { class: "iri", text: "_:" + term.value });
  const lang = term["xml:lang"];
  const text = el("span", { class: "literal", title: term.datatype ? shortName(term.datatype, prefixes) : null,
    text: term.value });
  return lang ? [text, el("span", { class: "dt", text: "@" + lang })] : text;
}

// The explorer's router: one HTML shell for every page; the path (relative to <base>) picks
// the view module that draws it. Links are ordinary links: each page is a fresh load.
import { errorBox, show } from "./common.js";

const main = document.getElementById("view");

/** [view name, argument] for a path relative to <base>, or null for an unknown page. */
export function route(path, search) {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return search.has("query") ? ["sparql", null] : ["home", null];
  if (parts.length === 1 && parts[0] === "query") return ["sparql", null];
  if (parts[0] === "explore") {
    if (parts.length === 2 && (parts[1] === "network" || parts[1] === "timeline")) return [parts[1], null];
    if (parts.length === 3 && parts[1] === "entity") return ["entity", parts[2]];
    if (parts.length === 3 && parts[1] === "document") return ["document", parts[2]];
  }
  if (parts[0] === "id" && parts.length >= 3) {
    // an entity IRI path: https://w3id.org/defence-kg/id/<kind>/<slug> has the public id <kind>.<slug>
    const id = parts.slice(1).map((p) => p.replace(/\./g, "%2E")).join(".");
    return [parts[1] === "document" ? "document" : "entity", id];
  }
  return null;
}

function relativePath() {
  const base = new URL(document.baseURI).pathname;
  const here = window.location.pathname;
  return here.startsWith(base) ? here.slice(base.length) : here;
}

async function start() {
  const found = route(relativePath(), new URLSearchParams(window.location.search));
  if (!found) {
    show(main, errorBox("No such page: " + window.location.pathname));
    return;
  }
  const [view, arg] = found;
  document.body.dataset.view = view;
  for (const a of document.querySelectorAll("#nav a")) {
    a.classList.toggle("current", a.dataset.view === view || (view === "entity" && a.dataset.view === "home"));
  }
  try {
    const module = await import("./" + view + ".js");
    await module.render(main, arg);
  } catch (err) {
    show(main, errorBox(String(err.message || err)));
  }
  document.body.dataset.ready = "true";
}

start();

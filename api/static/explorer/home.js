// Home: search the name index as you type (typo-tolerant), and the graph's counts.
import { debounce, el, entityHref, errorBox, getJSON, kindBadge, kindName, show } from "./common.js";

const SEARCH_LIMIT = 12;

export async function render(main) {
  const input = el("input", {
    id: "search", type: "search", autocomplete: "off", spellcheck: "false", autofocus: true,
    placeholder: "Search firms, countries, people, aircraft, programmes… (typos are fine)",
    "aria-label": "Search entities by name", "aria-controls": "search-results",
  });
  const status = el("p", { id: "search-status", class: "muted", role: "status" });
  const results = el("ol", { id: "search-results", class: "results" });
  const stats = el("section", { id: "stats" }, el("p", { class: "muted", text: "Counting…" }));
  show(main,
    el("section", { class: "search" },
      el("h1", { text: "Explore the defence-industry graph" }),
      el("p", { class: "lead", text: "Firms, government bodies, countries, people and their posts, aircraft, "
        + "programmes and the agreements between them: every fact with the sentence it was read from." }),
      input, status, results),
    stats);

  let asked = 0;  // answers to older keystrokes are dropped
  async function search() {
    const name = input.value.trim();
    const mine = ++asked;
    if (name.length < 2) {
      results.replaceChildren();
      status.textContent = name ? "Type at least two letters." : "";
      return;
    }
    try {
      const body = await getJSON("api/v1/entities", { name, match: "fuzzy", limit: SEARCH_LIMIT });
      if (mine !== asked) return;
      results.replaceChildren(...body.data.map(resultItem));
      results.dataset.query = name;  // what the list answers (the tests wait for it)
      status.textContent = body.count === 0 ? "Nothing matches “" + name + "”."
        : body.count + " match" + (body.count === 1 ? "" : "es") + (body.count > SEARCH_LIMIT ? ", best " + SEARCH_LIMIT + " shown" : "");
    } catch (err) {
      if (mine === asked) results.replaceChildren(el("li", {}, errorBox(err.message)));
    }
  }
  input.addEventListener("input", debounce(search, 180));
  input.addEventListener("keydown", (ev) => {
    const first = results.querySelector("a");
    if (ev.key === "Enter" && first) window.location.href = first.href;
    if (ev.key === "ArrowDown" && first) { ev.preventDefault(); first.focus(); }
  });
  results.addEventListener("keydown", (ev) => {  // up and down through the results, back to the box
    const links = [...results.querySelectorAll("a.result")];
    const at = links.indexOf(document.activeElement);
    if (at < 0 || (ev.key !== "ArrowDown" && ev.key !== "ArrowUp")) return;
    ev.preventDefault();
    const next = ev.key === "ArrowDown" ? links[at + 1] : links[at - 1];
    (next || (ev.key === "ArrowUp" ? input : links[at])).focus();
  });
  const initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    search();
  }
  renderStats(stats);
}

function resultItem(e) {
  return el("li", {},
    el("a", { class: "result", href: entityHref(e.id), data: { id: e.id } },
      el("span", { class: "label", text: e.label }), " ", kindBadge(e.kind)),
    e.score === null ? null : el("span", { class: "score muted", text: Math.round(e.score * 100) + "% match" }));
}

async function renderStats(section) {
  let s;
  try {
    s = await getJSON("api/v1/stats");
  } catch (err) {
    section.replaceChildren(errorBox(err.message));
    return;
  }
  const card = (n, what, href) => el(href ? "a" : "div", { class: "card", href },
    el("span", { class: "number", text: n.toLocaleString("en") }), el("span", { text: what }));
  const breakdown = (title, counts) => el("div", { class: "breakdown" }, el("h3", { text: title }),
    el("ul", {}, Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) =>
      el("li", {}, el("span", { text: kindName(k) }), el("span", { class: "n", text: String(n) })))));
  section.replaceChildren(
    el("h2", { text: "In the graph" }),
    el("div", { class: "cards" },
      card(s.documents, "documents"),
      card(s.entities, "entities"),
      card(s.agreements, "agreements", "explore/timeline"),
      card(s.relations, "facts"),
      card(s.positions, "posts")),
    el("div", { class: "breakdowns" },
      breakdown("Entities by kind", s.entitiesByKind),
      breakdown("Agreements by kind", s.agreementsByKind),
      breakdown("Facts by relation", s.relationsByPredicate)));
}

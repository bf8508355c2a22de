// The SPARQL page: an editor with syntax highlighting (CodeMirror, or a plain text box when
// the assets are not built), example queries, the project's prefixes, results as a table
// whose IRIs are prefixed names (entity IRIs link to their pages), CSV/TSV/JSON downloads and
// the server's error detail. ?query=... fills the editor and runs it.
import { cspNonce, detailOf, el, getJSON, show, url, vendor } from "./common.js";
import { prefixesOf, termNode } from "./terms.js";

function examples(p) {
  const head = (...names) => names.map((n) => "PREFIX " + n + ": <" + p[n] + ">").join("\n") + "\n\n";
  return [
    { name: "Documents", query: head("dk") + [
      "SELECT ?doc ?title ?published WHERE {",
      "  ?doc a dk:NewsArticle ; dk:title ?title .",
      "  OPTIONAL { ?doc dk:publishedDate ?published }",
      "} ORDER BY ?doc"].join("\n") },
    { name: "Agreements with parties", query: head("dk", "rdfs") + [
      "SELECT ?agreement ?kind ?status ?date (GROUP_CONCAT(DISTINCT ?partyName; separator=\", \") AS ?parties) WHERE {",
      "  ?agreement a ?kind . ?kind rdfs:subClassOf dk:Agreement .",
      "  ?agreement dk:party ?party . ?party rdfs:label ?partyName .",
      "  OPTIONAL { ?agreement dk:status ?status }",
      "  OPTIONAL { ?agreement dk:date ?date }",
      "} GROUP BY ?agreement ?kind ?status ?date ORDER BY ?date ?agreement"].join("\n") },
    { name: "Entities by kind", query: head("dk") + [
      "SELECT ?kind (COUNT(DISTINCT ?entity) AS ?entities) WHERE {",
      "  ?doc dk:mentions ?entity .",
      "  ?entity a ?kind .",
      "  FILTER(STRSTARTS(STR(?kind), STR(dk:)))",
      "} GROUP BY ?kind ORDER BY DESC(?entities)"].join("\n") },
    { name: "Companies", query: head("dk", "rdfs") + [
      "SELECT DISTINCT ?company ?name WHERE {",
      "  ?doc dk:mentions ?company .",
      "  ?company a/rdfs:subClassOf* dk:Company ; rdfs:label ?name .",
      "} ORDER BY ?name"].join("\n") },
    { name: "Aircraft and manufacturers", query: head("dk", "rdfs") + [
      "SELECT ?aircraft ?name ?manufacturer WHERE {",
      "  ?aircraft dk:manufacturer ?manufacturer ; rdfs:label ?name .",
      "  ?doc dk:mentions ?aircraft .",
      "} ORDER BY ?name"].join("\n") },
  ];
}

export async function render(main) {
  const prefixes = await getJSON("static/prefixes.json");
  const EXAMPLES = examples(prefixes);
  const endpoint = url("sparql");
  const textarea = el("textarea", { id: "query", name: "query", rows: 14, spellcheck: "false", autocomplete: "off",
    "aria-label": "SPARQL query" });
  const editorBox = el("div", { id: "query-editor", class: "editor", hidden: true });
  const runButton = el("button", { id: "run", type: "button", title: "Ctrl+Enter", text: "Run query" });
  const picker = el("select", { id: "examples" }, el("option", { value: "", text: "choose an example…" }),
    EXAMPLES.map((ex, i) => el("option", { value: String(i), text: ex.name })));
  const statusBox = el("span", { id: "status", role: "status", "aria-live": "polite" });
  const errorBox = el("div", { id: "error", role: "alert", hidden: true });
  const downloads = el("div", { id: "downloads", hidden: true }, "Download: ",
    ["csv", "tsv", "json"].map((f) => [el("a", { id: "dl-" + f, download: "results." + f, text: f.toUpperCase() }), " "]));
  const results = el("div", { id: "results" });
  const editorNote = el("p", { id: "editor-note", class: "muted", hidden: true });
  show(main,
    el("h1", { text: "SPARQL query" }),
    el("section", { id: "editor" },
      editorBox, textarea, editorNote,
      el("div", { class: "controls" }, runButton, el("label", {}, "Examples ", picker),
        el("button", { id: "add-prefixes", type: "button", class: "secondary", text: "Declare every prefix" }), statusBox)),
    prefixTable(prefixes),
    errorBox,
    el("section", { id: "output" }, downloads, results));

  let editor = null;
  try {
    const { createEditor } = await vendor("editor.js");
    editor = createEditor(editorBox, { onRun: () => run(), nonce: cspNonce() });
    editorBox.hidden = false;
    textarea.hidden = true;
  } catch (err) {
    editorNote.textContent = "Plain text editor: " + err.message;
    editorNote.hidden = false;
  }
  const getQuery = () => (editor ? editor.value : textarea.value);
  const setQuery = (q) => { if (editor) editor.value = q; else textarea.value = q; };

  picker.addEventListener("change", () => {
    const ex = EXAMPLES[Number(picker.value)];
    if (picker.value !== "" && ex) setQuery(ex.query);
  });
  main.querySelector("#add-prefixes").addEventListener("click", () => {
    const q = getQuery();
    const have = prefixesOf(q);
    const missing = Object.entries(prefixes).filter(([p]) => !(p in have));
    setQuery(missing.map(([p, ns]) => "PREFIX " + p + ": <" + ns + ">\n").join("") + q);
  });

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function clearOutput() {
    errorBox.hidden = true;
    errorBox.textContent = "";
    results.replaceChildren();
    downloads.hidden = true;
  }

  function setDownloads(query) {
    for (const fmt of ["csv", "tsv", "json"]) {
      const u = new URL(endpoint);
      u.searchParams.set("query", query);
      u.searchParams.set("format", fmt);
      main.querySelector("#dl-" + fmt).href = u.toString();
    }
    downloads.hidden = false;
  }

  function renderTable(data, query) {
    const shown = { ...prefixes, ...prefixesOf(query) };
    const vars = data.head.vars || [];
    const rows = data.results.bindings;
    const table = el("table", { id: "results-table" });
    const head = table.createTHead().insertRow();
    for (const v of vars) head.appendChild(el("th", { text: v }));
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(el("td", {}, row[v] ? termNode(row[v], shown, prefixes.id) : null));
    }
    results.appendChild(table);
    return rows.length;
  }

  async function run() {
    const query = getQuery().trim();
    clearOutput();
    if (!query) {
      showError("Write a query first.");
      return;
    }
    runButton.disabled = true;
    statusBox.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        },
        body: new URLSearchParams({ query }).toString(),
      });
      const ms = Math.round(performance.now() - started);
      if (!response.ok) {
        statusBox.textContent = "Error " + response.status;
        showError(await detailOf(response));
        return;
      }
      const type = response.headers.get("Content-Type") || "";
      if (type.includes("sparql-results+json") || type.includes("application/json")) {
        const data = await response.json();
        if (typeof data.boolean === "boolean") {
          results.appendChild(el("p", { id: "ask-result", text: "Answer: " + data.boolean }));
          statusBox.textContent = "Done in " + ms + " ms";
        } else {
          const n = renderTable(data, query);
          statusBox.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms";
          setDownloads(query);
        }
      } else {
        results.appendChild(el("pre", { class: "graph", text: await response.text() }));
        statusBox.textContent = "Graph result in " + ms + " ms";
      }
    } catch (err) {
      statusBox.textContent = "";
      showError("The server could not be reached: " + err);
    } finally {
      runButton.disabled = false;
    }
  }

  runButton.addEventListener("click", run);
  textarea.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) run();
  });

  const initial = new URLSearchParams(window.location.search).get("query");
  if (initial) {
    setQuery(initial);
    await run();
  } else {
    setQuery(EXAMPLES[0].query);
  }
}

function prefixTable(prefixes) {
  return el("details", { id: "prefixes" }, el("summary", { text: "Prefixes (" + Object.keys(prefixes).length + ")" }),
    el("table", { class: "prefixes" }, el("tbody", {}, Object.entries(prefixes).map(([p, ns]) =>
      el("tr", {}, el("td", {}, el("code", { text: p + ":" })), el("td", {}, el("code", { text: ns })))))));
}

// The query page: posts the query to /sparql, renders SPARQL JSON results as a table,
// offers CSV/TSV/JSON downloads, shows the server's error detail. Runs offline: no
// library and nothing fetched but this server's own endpoints.
"use strict";

(function () {
  const PREFIXES = [
    "PREFIX dk: <https://w3id.org/defence-kg/ontology#>",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "",
  ].join("\n");

  const EXAMPLES = [
    {
      name: "Documents",
      query: PREFIXES + [
        "SELECT ?doc ?title ?published WHERE {",
        "  ?doc a dk:NewsArticle ; dk:title ?title .",
        "  OPTIONAL { ?doc dk:publishedDate ?published }",
        "} ORDER BY ?doc",
      ].join("\n"),
    },
    {
      name: "Agreements with parties",
      query: PREFIXES + [
        "SELECT ?agreement ?kind ?status ?date (GROUP_CONCAT(DISTINCT ?partyName; separator=\", \") AS ?parties) WHERE {",
        "  ?agreement a ?kind . ?kind rdfs:subClassOf dk:Agreement .",
        "  ?agreement dk:party ?party . ?party rdfs:label ?partyName .",
        "  OPTIONAL { ?agreement dk:status ?status }",
        "  OPTIONAL { ?agreement dk:date ?date }",
        "} GROUP BY ?agreement ?kind ?status ?date ORDER BY ?date ?agreement",
      ].join("\n"),
    },
    {
      name: "Entities by kind",
      query: PREFIXES + [
        "SELECT ?kind (COUNT(DISTINCT ?entity) AS ?entities) WHERE {",
        "  ?doc dk:mentions ?entity .",
        "  ?entity a ?kind .",
        "  FILTER(STRSTARTS(STR(?kind), STR(dk:)))",
        "} GROUP BY ?kind ORDER BY DESC(?entities)",
      ].join("\n"),
    },
    {
      name: "Companies",
      query: PREFIXES + [
        "SELECT DISTINCT ?company ?name WHERE {",
        "  ?doc dk:mentions ?company .",
        "  ?company a/rdfs:subClassOf* dk:Company ; rdfs:label ?name .",
        "} ORDER BY ?name",
      ].join("\n"),
    },
    {
      name: "Aircraft and manufacturers",
      query: PREFIXES + [
        "SELECT ?aircraft ?name ?manufacturerName WHERE {",
        "  ?aircraft dk:manufacturer ?manufacturer ; rdfs:label ?name .",
        "  ?manufacturer rdfs:label ?manufacturerName .",
        "  ?doc dk:mentions ?aircraft .",
        "} ORDER BY ?name",
      ].join("\n"),
    },
  ];

  const $ = (id) => document.getElementById(id);
  const queryBox = $("query");
  const runButton = $("run");
  const statusBox = $("status");
  const errorBox = $("error");
  const results = $("results");
  const downloads = $("downloads");
  // Relative to the page, so the page works behind a path prefix too.
  const endpoint = new URL("sparql", document.baseURI).toString();

  for (const [i, ex] of EXAMPLES.entries()) {
    const opt = document.createElement("option");
    opt.value = String(i);
    opt.textContent = ex.name;
    $("examples").appendChild(opt);
  }
  $("examples").addEventListener("change", (ev) => {
    const ex = EXAMPLES[Number(ev.target.value)];
    if (ev.target.value !== "" && ex) queryBox.value = ex.query;
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
      const url = new URL(endpoint);
      url.searchParams.set("query", query);
      url.searchParams.set("format", fmt);
      $("dl-" + fmt).href = url.toString();
    }
    downloads.hidden = false;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.className = "iri";
      td.textContent = term.value;
    } else if (term.type === "bnode") {
      td.className = "iri";
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      const tag = term["xml:lang"] ? "@" + term["xml:lang"] : "";
      if (tag) {
        const span = document.createElement("span");
        span.className = "dt";
        span.textContent = tag;
        td.appendChild(span);
      }
    }
    return td;
  }

  function renderTable(data) {
    const vars = data.head.vars || [];
    const rows = data.results.bindings;
    const table = document.createElement("table");
    table.id = "results-table";
    const head = table.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(row[v]));
    }
    results.appendChild(table);
    return rows.length;
  }

  async function detailOf(response) {
    const text = await response.text();
    try {
      const body = JSON.parse(text);
      if (body && body.detail !== undefined) {
        return typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail, null, 2);
      }
    } catch (_) { /* not JSON: show the text */ }
    return text || response.statusText;
  }

  async function run() {
    const query = queryBox.value.trim();
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
          const p = document.createElement("p");
          p.id = "ask-result";
          p.textContent = "Answer: " + data.boolean;
          results.appendChild(p);
          statusBox.textContent = "Done in " + ms + " ms";
        } else {
          const n = renderTable(data);
          statusBox.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + ms + " ms";
          setDownloads(query);
        }
      } else {
        const pre = document.createElement("pre");
        pre.className = "graph";
        pre.textContent = await response.text();
        results.appendChild(pre);
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
  queryBox.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) run();
  });

  // ?query=... fills the editor and runs it: shareable links, and the browser test.
  const initial = new URLSearchParams(window.location.search).get("query");
  if (initial) {
    queryBox.value = initial;
    run();
  } else {
    queryBox.value = EXAMPLES[0].query;
  }
})();

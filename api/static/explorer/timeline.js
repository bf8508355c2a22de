// The agreements timeline: counts per year or month, and the dated agreements oldest first.
import { AGREEMENT_KINDS, el, entityLink, errorBox, getJSON, kindName, money, show } from "./common.js";

const PAGE = 500;

export async function render(main) {
  const params = new URLSearchParams(window.location.search);
  const kind = el("select", { id: "timeline-kind", name: "kind" },
    el("option", { value: "", text: "every kind" }),
    AGREEMENT_KINDS.map((k) => el("option", { value: k, text: kindName(k), selected: params.get("kind") === k })));
  const granularity = el("select", { id: "timeline-granularity", name: "granularity" },
    ["year", "month"].map((g) => el("option", { value: g, text: "per " + g, selected: (params.get("granularity") || "year") === g })));
  const chart = el("div", { id: "timeline-chart", class: "chart" });
  const summary = el("p", { id: "timeline-summary", class: "muted", role: "status" });
  const rows = el("ol", { id: "timeline-rows", class: "timeline" });
  show(main,
    el("h1", { text: "Agreements over time" }),
    el("form", { class: "filters" }, el("label", {}, "Agreement kind ", kind), el("label", {}, "Counts ", granularity)),
    chart, summary, rows);

  async function draw() {
    const query = { kind: kind.value, granularity: granularity.value, limit: PAGE };
    let t;
    try {
      t = await getJSON("api/v1/timeline", query);
    } catch (err) {
      summary.replaceChildren(errorBox(err.message));
      return;
    }
    const most = Math.max(1, ...t.buckets.map((b) => b.count));
    chart.replaceChildren(...t.buckets.map((b) => {
      const bar = el("span", { class: "bar" });
      bar.style.height = Math.round((100 * b.count) / most) + "%";  // CSSOM, allowed by the page's CSP
      return el("div", { class: "bucket", title: b.period + ": " + b.count },
        el("span", { class: "count", text: String(b.count) }), bar, el("span", { class: "period", text: b.period }));
    }));
    summary.textContent = t.count + " dated agreement" + (t.count === 1 ? "" : "s")
      + (t.count > t.data.length ? ", the first " + t.data.length + " listed" : "") + ".";
    rows.replaceChildren(...t.data.map(row));
  }
  kind.addEventListener("change", draw);
  granularity.addEventListener("change", draw);
  await draw();
}

function row(a) {
  const list = (refs) => refs.map((r, i) => [i ? ", " : "", entityLink(r, { bare: true })]);
  return el("li", { class: "timeline-row", data: { id: a.id || "" } },
    el("time", { text: a.date }),
    el("div", { class: "what" },
      el("span", { class: "badge kind-" + a.kind, text: kindName(a.kind) }), " ",
      el("span", { class: "status status-" + (a.status || "none"), text: a.status || "status unknown" }),
      a.value ? el("span", { class: "value", text: " · " + money(a.value) }) : null,
      el("div", { class: "parties" }, list(a.parties)),
      a.subjects.length ? el("div", { class: "muted" }, "About ", list(a.subjects)) : null));
}

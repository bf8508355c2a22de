// Bundles the explorer's libraries into api/static/vendor/ and writes their licences beside them:
// licenses/<package>.txt (each package's own licence file) and LICENSES.txt (the list, then the texts).
// Run by `make assets` after `npm ci --ignore-scripts`; nothing is fetched here.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "../api/static/vendor");
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "licenses"), { recursive: true });

const result = await build({
  absWorkingDir: here,
  entryPoints: { editor: "src/editor.js", cytoscape: "src/graph.js" },
  outdir: out,
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "eof",
  metafile: true,
  logLevel: "warning",
});

// Every package some bundle holds, from esbuild's record of its inputs.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) packages.set(m[1], join(here, "node_modules", m[1]));
}

const bundled = [...packages.keys()].sort();
const listed = [];
const texts = [];
for (const name of bundled) {
  const dir = packages.get(name);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  if (!file) throw new Error(`${name}: no licence file to ship with it`);
  const target = join("licenses", name.replace("/", "__") + ".txt");
  copyFileSync(join(dir, file), join(out, target));
  listed.push(`${name}@${meta.version}  ${meta.license}  ${target}`);
  texts.push(`==== ${name}@${meta.version} (${meta.license}) ====\n\n${readFileSync(join(dir, file), "utf8").trim()}\n`);
}
const header = "Front-end libraries bundled into editor.js and cytoscape.js (package@version, licence, file):\n\n";
writeFileSync(join(out, "LICENSES.txt"), header + listed.join("\n") + "\n\n" + texts.join("\n"));
for (const f of Object.keys(result.metafile.outputs)) {
  if (!existsSync(resolve(here, f))) throw new Error(`missing output ${f}`);
}
console.log(`api/static/vendor: ${Object.keys(result.metafile.outputs).map((f) => relative(out, resolve(here, f))).join(", ")}; `
  + `${bundled.length} packages, licences in LICENSES.txt`);

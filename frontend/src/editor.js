// The SPARQL editor: CodeMirror 6 with the SPARQL mode of @codemirror/legacy-modes.
// Bundled by build.mjs into api/static/vendor/editor.js; the explorer imports it.
import { basicSetup, EditorView } from "codemirror";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { keymap } from "@codemirror/view";
import { Prec } from "@codemirror/state";

// `nonce`: the page's CSP nonce for the <style> element CodeMirror writes its theme into.
export function createEditor(parent, { doc = "", onRun = () => {}, nonce = "" } = {}) {
  const run = () => { onRun(); return true; };
  const view = new EditorView({
    parent,
    doc,
    extensions: [
      Prec.highest(keymap.of([{ key: "Mod-Enter", run }])),
      basicSetup,
      StreamLanguage.define(sparql),
      EditorView.lineWrapping,
      nonce ? EditorView.cspNonce.of(nonce) : [],
    ],
  });
  return {
    view,
    get value() { return view.state.doc.toString(); },
    set value(text) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); },
    focus() { view.focus(); },
  };
}

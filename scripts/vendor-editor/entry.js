// The query page's editor, bundled from npm by scripts/build-vendor-editor.sh into
// webapp/static/vendor/codemirror/editor.js (global TwitchEditor). The npm packages are unmodified;
// this file only chooses what the bundle exports, and mounts CodeMirror's styles CSP-safely.
import {StyleModule} from "style-mod";
import {EditorView, keymap, lineNumbers, drawSelection, highlightActiveLine, highlightSpecialChars} from "@codemirror/view";
import {EditorState, Prec} from "@codemirror/state";
import {StreamLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput} from "@codemirror/language";
import {sparql} from "@codemirror/legacy-modes/mode/sparql";
import {autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap} from "@codemirror/autocomplete";
import {defaultKeymap, history, historyKeymap} from "@codemirror/commands";
import {setDiagnostics, lintGutter} from "@codemirror/lint";
import {classHighlighter} from "@lezer/highlight";

// The site's CSP is style-src 'self': the <style> element style-mod makes for a document is refused.
// A constructed CSSStyleSheet adopted by the document is CSSOM, which CSP leaves to the scripts it
// allows (script-src 'self'), the same way style-mod already mounts its rules in a shadow root. So the
// modules are mounted in one adopted sheet, in the order asked (later modules take precedence).
// Where adopted style sheets are missing, `supported` is false and the page keeps its textarea.
const supported = typeof CSSStyleSheet === "function" && typeof document !== "undefined" &&
  "adoptedStyleSheets" in document && "replaceSync" in CSSStyleSheet.prototype;
const sheet = supported ? new CSSStyleSheet() : null;
let mounted = [];
StyleModule.mount = function (root, modules) {
  const doc = root.ownerDocument || root;
  const asked = Array.isArray(modules) ? modules : [modules];
  const next = mounted.filter((m) => asked.indexOf(m) < 0).concat(asked);
  if (next.length !== mounted.length || next.some((m, i) => m !== mounted[i])) {
    mounted = next;
    sheet.replaceSync(mounted.map((m) => m.getRules()).join("\n"));
  }
  if (doc.adoptedStyleSheets.indexOf(sheet) < 0) doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
};

const sparqlLanguage = StreamLanguage.define(sparql);

export {
  supported, EditorView, EditorState, Prec, keymap, lineNumbers, drawSelection, highlightActiveLine,
  highlightSpecialChars, sparqlLanguage, syntaxHighlighting, defaultHighlightStyle, bracketMatching,
  indentOnInput, autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, defaultKeymap,
  history, historyKeymap, setDiagnostics, lintGutter, classHighlighter,
};

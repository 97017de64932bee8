// The SPARQL editor (CodeMirror 6, webapp/static/vendor/codemirror/editor.js) over the query page's
// textarea, as progressive enhancement: on wherever the bundle runs, unless this browser switched it
// off with the "Code editor" toggle button (aria-pressed; the choice is remembered, and only a press
// stores one). The textarea stays the form's field and is kept in step, so the form, the saved-query
// loader (sparql.js) and the page without JavaScript work as before; off, the page is that textarea.
// Highlighting, bracket matching, completion from /api/complete, Ctrl/Cmd+Enter runs (announced),
// and the server's syntax error marked at its line and column.
(function () {
  "use strict";
  var E = window.TwitchEditor;
  var textarea = document.getElementById("query");
  var toggle = document.getElementById("editor-toggle");
  if (!E || !E.supported || !textarea || !toggle || !window.fetch) {
    return;
  }
  var KEY = "twitch-kg.code-editor";  // not the old key: the editor stored "off" there on every visit
  var live = document.getElementById("sparql-status");
  var label = document.querySelector("label[for=query]");
  var view = null;

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  function run() {
    textarea.value = view.state.doc.toString();
    announce("Running the query…");
    textarea.form.requestSubmit ? textarea.form.requestSubmit() : textarea.form.submit();
    return true;
  }

  function kindOf(type) {
    return {prefix: "namespace", "class": "class", property: "property"}[type] || "constant";
  }

  // Completion: the word before the cursor, and the query before it (its last 2,000 characters: the
  // subject's class is read from there), sent to /api/complete.
  function complete(context) {
    var word = context.matchBefore(/(?:[A-Za-z_][\w.\-]*)?:[\w.\-]*|[A-Za-z_][\w\-]*/);
    if (!word && !context.explicit) {
      return null;
    }
    var from = word ? word.from : context.pos;
    var params = new URLSearchParams({
      token: word ? word.text : "",
      before: context.state.sliceDoc(Math.max(0, from - 2000), from),
      limit: "30"
    });
    return fetch("/api/complete?" + params.toString(), {headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
      .then(function (answer) {
        var options = (answer.suggestions || []).map(function (s) {
          return {label: s.text, detail: s.type === s.label ? "" : s.label, type: kindOf(s.type),
                  info: s.definition || s.iri};
        });
        return options.length ? {from: from, options: options, filter: false} : null;
      })
      .catch(function () { return null; });
  }

  // The server's syntax error (the page carries its line and column), marked in place.
  function markError() {
    var error = document.getElementById("sparql-error");
    if (!error || !error.dataset.line) {
      return;
    }
    var doc = view.state.doc;
    var line = doc.line(Math.min(Math.max(1, parseInt(error.dataset.line, 10)), doc.lines));
    var from = Math.min(line.from + Math.max(0, parseInt(error.dataset.column, 10) - 1), line.to);
    var to = Math.min(from + 1, doc.length);
    var message = error.querySelector(".error-message").textContent;
    view.dispatch(E.setDiagnostics(view.state, [{from: from, to: to, severity: "error", message: message}]));
  }

  // Typing over a selection: left to the browser, Chrome's editing deletes the selected lines with
  // style attributes that the CSP (style-src 'self') refuses, a console error on every Ctrl+A and type.
  // So the editor makes that change itself, through its input handlers (closing brackets) as typing does.
  function typeOver(event, editor) {
    var range = editor.state.selection.main;
    if (event.inputType !== "insertText" || !event.data || editor.composing || editor.state.readOnly ||
        editor.state.selection.ranges.length !== 1 || range.empty) {
      return false;
    }
    event.preventDefault();
    var text = event.data;
    var insert = function () {
      return editor.state.update(editor.state.replaceSelection(text), {userEvent: "input.type", scrollIntoView: true});
    };
    var handled = editor.state.facet(E.EditorView.inputHandler).some(function (handler) {
      return handler(editor, range.from, range.to, text, insert);
    });
    if (!handled) {
      editor.dispatch(insert());
    }
    return true;
  }

  function start() {
    view = new E.EditorView({
      doc: textarea.value,
      extensions: [
        E.lineNumbers(), E.highlightSpecialChars(), E.history(), E.drawSelection(), E.indentOnInput(),
        E.syntaxHighlighting(E.classHighlighter), E.bracketMatching(), E.closeBrackets(),
        E.highlightActiveLine(), E.sparqlLanguage, E.lintGutter(),
        E.autocompletion({override: [complete], icons: false}),
        E.Prec.highest(E.keymap.of([{key: "Mod-Enter", run: run}])),
        E.keymap.of([].concat(E.closeBracketsKeymap, E.defaultKeymap, E.historyKeymap, E.completionKeymap)),
        E.EditorView.updateListener.of(function (update) {
          if (update.docChanged) {
            textarea.value = update.state.doc.toString();
          }
        }),
        E.EditorView.domEventHandlers({beforeinput: typeOver}),
        E.EditorView.editorAttributes.of({"class": "query-editor"}),
        E.EditorView.contentAttributes.of({
          id: "query-editor", tabindex: "0", "aria-labelledby": "query-label", "aria-describedby": "query-help",
          "aria-keyshortcuts": "Control+Enter Meta+Enter"
        })
      ]
    });
    textarea.parentNode.insertBefore(view.dom, textarea.nextSibling);
    textarea.hidden = true;
    markError();
  }

  function stop() {
    textarea.value = view.state.doc.toString();
    view.destroy();
    view = null;
    textarea.hidden = false;
  }

  function set(on) {
    if (on && !view) {
      start();
    } else if (!on && view) {
      stop();
    }
    toggle.setAttribute("aria-pressed", on ? "true" : "false");
  }

  // sparql.js loads a saved query into the textarea and says so with an input event.
  textarea.addEventListener("input", function () {
    if (view && view.state.doc.toString() !== textarea.value) {
      view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: textarea.value}});
    }
  });
  textarea.addEventListener("twitch-kg:focus", function () {
    if (view) {
      view.focus();
    }
  });
  if (label) {
    label.addEventListener("click", function () {
      if (view) {
        view.focus();
      }
    });
  }
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    set(!view);
    try {
      window.localStorage.setItem(KEY, view ? "on" : "off");
    } catch (e) { /* storage refused: the choice lasts for this page */ }
    (view || textarea).focus();
  });
  var stored = null;
  try {
    stored = window.localStorage.getItem(KEY);
  } catch (e) { /* no storage: the default */ }
  set(stored !== "off");
})();

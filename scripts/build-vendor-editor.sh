#!/bin/sh
# Rebuild the query page's editor bundle from npm: CodeMirror 6 with its SPARQL mode, pinned in
# scripts/vendor-editor/package.json and package-lock.json, bundled by esbuild (also pinned) from
# scripts/vendor-editor/entry.js into webapp/static/vendor/codemirror/editor.js, with the licences of
# every bundled package in webapp/static/vendor/codemirror/LICENSE. Needs node and npm; nothing is
# fetched at run time. Usage: sh scripts/build-vendor-editor.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/scripts/vendor-editor"
out="$root/webapp/static/vendor/codemirror"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src/package.json" "$src/package-lock.json" "$src/entry.js" "$work/"
cd "$work"
npm ci --no-audit --no-fund --ignore-scripts
node node_modules/esbuild/install.js  # esbuild's own binary (its postinstall, run explicitly)
mkdir -p "$out"
node_modules/.bin/esbuild entry.js --bundle --format=iife --global-name=TwitchEditor --target=es2020 \
  --minify --legal-comments=none --charset=utf8 --outfile="$out/editor.js"
{
  echo "webapp/static/vendor/codemirror/editor.js bundles these npm packages (versions in"
  echo "scripts/vendor-editor/package-lock.json), each under the licence that follows its name."
  for dir in node_modules/@codemirror/* node_modules/@lezer/* node_modules/@marijn/* node_modules/style-mod \
             node_modules/w3c-keyname node_modules/crelt; do
    [ -d "$dir" ] || continue
    name=$(node -p "require('./$dir/package.json').name + ' ' + require('./$dir/package.json').version")
    echo
    echo "================================================================ $name"
    cat "$dir/LICENSE" 2>/dev/null || cat "$dir/LICENSE.md" 2>/dev/null || node -p "require('./$dir/package.json').license"
  done
} > "$out/LICENSE"
if grep -q -e 'eval(' -e 'new Function' "$out/editor.js"; then
  echo "editor.js calls eval or new Function: the CSP (no unsafe-eval) would refuse it" >&2
  exit 1
fi
echo "wrote $out/editor.js ($(wc -c < "$out/editor.js") bytes) and $out/LICENSE"

// Tokenizes rule files with the TextMate grammar, through the same engine
// VS Code uses (vscode-textmate + vscode-oniguruma), and fails when a token
// that is not white space is left without a scope of its own (only
// `source.eligo`) or is scoped `invalid`.
//
//   node editors/test/check-grammar.mjs FILE_OR_FOLDER...
//
// Prints one line per problem and a summary; exit 1 on any problem.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const textmate = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = dirname(fileURLToPath(import.meta.url));
const wasm = readFileSync(join(dirname(require.resolve("vscode-oniguruma")), "onig.wasm"));
await oniguruma.loadWASM(wasm.buffer);
const registry = new textmate.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text) => new oniguruma.OnigString(text),
  }),
  loadGrammar: async (scope) => {
    if (scope !== "source.eligo") return null;
    const path = join(here, "..", "eligo.tmLanguage.json");
    return textmate.parseRawGrammar(readFileSync(path, "utf8"), path);
  },
});
const grammar = await registry.loadGrammar("source.eligo");

function ruleFiles(path) {
  if (statSync(path).isDirectory()) {
    return readdirSync(path).sort().flatMap((name) => ruleFiles(join(path, name)));
  }
  return path.endsWith(".elig") ? [path] : [];
}

const files = process.argv.slice(2).flatMap(ruleFiles);
let problems = 0;
let tokens = 0;
const scopes = new Set();
for (const file of files) {
  const lines = readFileSync(file, "utf8").split("\n");
  let state = textmate.INITIAL;
  lines.forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const text = line.slice(token.startIndex, token.endIndex);
      if (text.trim() === "") continue;
      tokens += 1;
      const own = token.scopes.filter((s) => s !== "source.eligo");
      own.forEach((s) => scopes.add(s));
      if (own.length === 0 || own.some((s) => s.startsWith("invalid"))) {
        problems += 1;
        console.log(`${file}:${index + 1}:${token.startIndex + 1}: ${JSON.stringify(text)} is scoped ${JSON.stringify(token.scopes)}`);
      }
    }
    state = result.ruleStack;
  });
}
console.log(`${files.length} files, ${tokens} tokens, ${scopes.size} scopes, ${problems} unscoped`);
if (files.length === 0) {
  console.log("no rule files given");
  process.exit(1);
}
process.exit(problems === 0 ? 0 : 1);

// Starts `eligo lsp` for .elig files. The server does the work; this file
// only tells VS Code how to start it. Code lenses run `eligo.runTests`,
// which the language client forwards to the server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("eligo").get("path") || "eligo";
  client = new LanguageClient(
    "eligo",
    "eligo",
    { command, args: ["lsp"] },
    { documentSelector: [{ scheme: "file", language: "eligo" }, { scheme: "untitled", language: "eligo" }] },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

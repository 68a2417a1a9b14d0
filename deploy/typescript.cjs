// Loads TypeScript files transpile-only, with sucrase: the one TypeScript loader of this project,
// for `pulumi preview` and `pulumi up` (Pulumi.yaml's nodeargs), the policy pack (its index.js),
// the commands (package.json's scripts) and the tests (.mocharc.json). Type-checking happens once,
// in `npm test` (tsc). Sucrase keeps every line where it was, so stack traces point at the
// TypeScript lines without a source map; none is made, which is faster.
//
// It replaces, rather than wraps, any loader already registered for .ts files: the Pulumi CLI's
// policy runner registers ts-node with type-checking on for every pack (@pulumi/pulumi
// cmd/run-policy-pack/run.js), and this takes its place.
"use strict";
const fs = require("fs");
const { transform } = require("sucrase");

require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    module._compile(transform(source, { transforms: ["typescript", "imports"], filePath: filename }).code, filename);
};

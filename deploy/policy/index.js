// The policy pack's entry: load the TypeScript pack transpile-only (see deploy/typescript.cjs),
// not through the type-checking ts-node that the Pulumi CLI's policy runner registers.
"use strict";
require("../typescript.cjs");
require("./pack.ts");

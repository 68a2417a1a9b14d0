// The files generated from the definition of the settings, and the definition's own invariants:
// fast and without the component provider's analysis, so that mutation testing runs them for
// every mutant of deploy/components/ (stryker.config.json). tests/contract.spec.ts checks the
// package that the analysis makes.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { settingsOf } from "../deploy/components/definition";
import { TOTP_USER_POOL } from "../deploy/components/settings";
import { renderArgsSource } from "../tools/contract/argsSource";
import { ARGS_FILE, REFERENCE_FILE } from "../tools/contract/cli";
import { renderConfigurationReference } from "../tools/contract/reference";
import { PROJECT, ROOT, STALE } from "./support";

const read = (file: string) => fs.readFileSync(file, "utf8");

describe("what is derived from the definition of the settings (deploy/components/settings.ts)", () => {
    it("deploy/components/totpUserPoolArgs.ts is what `npm run generate` makes of it", () => {
        assert.ok(read(ARGS_FILE) === renderArgsSource(TOTP_USER_POOL), `${path.relative(ROOT, ARGS_FILE)} ${STALE}`);
    });

    it("docs/configuration.md is what `npm run generate` makes of it", () => {
        assert.ok(read(REFERENCE_FILE) === renderConfigurationReference(PROJECT), `${path.relative(ROOT, REFERENCE_FILE)} ${STALE}`);
    });

    it("finds no problem in the defaults alone: every default is valid", () => {
        assert.deepStrictEqual(validateTotpUserPoolArgs({ poolName: "p", adminUser: { username: "a" } }).problems, []);
    });

    it("cites an AWS page for every feature plan gate", () => {
        const gates = settingsOf(TOTP_USER_POOL).filter(({ setting }) => setting.plan);
        assert.deepStrictEqual(gates.map(({ path }) => path), ["threatProtection", "passwordPolicy.passwordHistorySize", "appClient.refreshTokenRotation", "appClient.explicitAuthFlows"]);
        for (const { path: at, setting } of gates) assert.match(setting.plan!.source, /Cognito API reference|developer guide|AWS What's New/, at);
    });
});

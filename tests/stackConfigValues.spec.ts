import * as assert from "assert";
import { ValidationError } from "../deploy/components/problems";
import { configPathOf, parseStackConfig } from "../deploy/stack/stackConfig";
import type { TotpUserPoolArgs } from "../deploy/components/totpUserPoolArgs";

/** The config every stack needs: a region, a pool name and an admin username, under the project `proj`. */
const BASE = { "aws:region": "us-east-1", "proj:poolName": "users", "proj:adminUsername": "admin" };

/** The component's args that parseStackConfig makes of `values` over BASE. */
function userPoolOf(values: Record<string, string>): TotpUserPoolArgs {
    return parseStackConfig({ project: "proj", stack: "test", values: { ...BASE, ...values }, secretKeys: new Set() }).userPool;
}

/** The lines of the ValidationError that parseStackConfig throws for `values` over BASE. */
function problemLines(values: Record<string, string>): readonly string[] {
    try {
        parseStackConfig({ project: "proj", stack: "test", values: { ...BASE, ...values }, secretKeys: new Set() });
    } catch (error) {
        assert.ok(error instanceof ValidationError, `a ValidationError, not ${String(error)}`);
        return error.lines;
    }
    return assert.fail("the config was accepted");
}

/** What the stack config says of a key in a namespace the program does not read. */
const READS = "is in a namespace the program does not read: it reads proj, aws, random, command, pulumi";

describe("stack config values: numbers, true/false and text inside structured keys", () => {
    it("reads a number given as text, but not a list that holds one", () => {
        assert.deepStrictEqual(userPoolOf({ "proj:passwordPolicy": '{"minimumLength":"12"}' }).passwordPolicy, { minimumLength: 12 });
        for (const list of ["[12]", '["12"]']) {
            assert.deepStrictEqual(
                problemLines({ "proj:passwordPolicy": `{"minimumLength":${list}}` }),
                ["proj:passwordPolicy.minimumLength: must be a number (value not shown: it may hold a secret)"],
                list,
            );
        }
    });

    it("takes a number or true/false where text belongs as that text", () => {
        assert.deepStrictEqual(userPoolOf({ "proj:appClient": '{"name":true}' }).appClient, { name: "true" });
        assert.deepStrictEqual(userPoolOf({ "proj:appClient": '{"name":5}' }).appClient, { name: "5" });
    });

    it("takes numbers and true/false in a list of text (the admin's groups) as text", () => {
        const userPool = userPoolOf({ "proj:groups": '[{"name":"1"},{"name":"true"}]', "proj:adminGroups": "[1,true]" });
        assert.deepStrictEqual(userPool.adminUser, { username: "admin", groups: ["1", "true"] });
        assert.deepStrictEqual(userPool.groups, [{ name: "1" }, { name: "true" }]);
    });

    it("takes numbers and true/false in a map of text (the tags) as text", () => {
        assert.deepStrictEqual(userPoolOf({ "proj:tags": '{"team":5,"on":true}' }).tags, { team: "5", on: "true" });
    });
});

describe("stack config values: namespaces", () => {
    it("takes a key with an empty namespace as in a namespace the program does not read, not as one without a namespace", () => {
        assert.deepStrictEqual(problemLines({ ":poolName": "users" }), [`:poolName: ${READS}`]);
    });

    it("suggests a namespace two edits away, and none three edits away", () => {
        assert.deepStrictEqual(problemLines({ "rand:seed": "1", "comm:x": "1", "ran:y": "1" }), [
            `rand:seed: ${READS}; did you mean random:seed?`,
            `comm:x: ${READS}`,
            `ran:y: ${READS}`,
        ]);
    });
});

describe("stack config values: the config key of an arg path (configPathOf)", () => {
    it("names the flat key of an admin user's field, with what is below it", () => {
        assert.deepStrictEqual(
            ["adminUser.username", "adminUser.groups[1]", "adminUser.username.first"].map(configPathOf),
            ["adminUsername", "adminGroups[1]", "adminUsername.first"],
        );
    });

    it("leaves the path of any other arg, and a path of no arg, as it is", () => {
        assert.deepStrictEqual(
            ["appClient.name", "groups[0].name", "verifySignIn", "undefined.x", "undefined[0]"].map(configPathOf),
            ["appClient.name", "groups[0].name", "verifySignIn", "undefined.x", "undefined[0]"],
        );
    });
});

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { policies } from "../deploy/policy/policies";
import { CONFIG_KEYS, STACK_CONFIG_KEYS, parseStackConfig } from "../deploy/stack/stackConfig";
import { StackFile, configText } from "../tools/mock/stackFile";
import { FORCE_NEW } from "../tools/plan/forceNew";
import { planSteps } from "../tools/plan/impact";
import { Plan, planStack } from "../tools/plan/plan";
import { checkoutFiles, mockRuntime, PROGRAM, PROJECT, ROOT, TYPES } from "./support";

/**
 * The README and docs/ against the code: the configuration reference (generated from the
 * definition of the settings, and checked current by tests/generated.spec.ts) lists exactly the
 * stack config's keys, with the defaults the code resolves and the replacements the offline plan
 * makes; every link resolves; the figures of the IAM policy, the force-new table and the policy
 * pack are the code's. Nothing here touches the network.
 */

const DOCS_DIR = path.join(ROOT, "docs");
const MARKDOWN_FILES = ["README.md", ...fs.readdirSync(DOCS_DIR).filter((name) => name.endsWith(".md")).map((name) => `docs/${name}`)];
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The text with fenced code blocks blanked out (their lines kept, so that line counts hold). */
function withoutFences(markdown: string): string {
    let inFence = false;
    return markdown
        .split("\n")
        .map((line) => {
            if (/^\s*(```|~~~)/.test(line)) {
                inFence = !inFence;
                return "";
            }
            return inFence ? "" : line;
        })
        .join("\n");
}

/** The text with inline code spans blanked out. */
function withoutCodeSpans(text: string): string {
    return text.replace(/``[^`]*``|`[^`\n]*`/g, "");
}

/** The headings of a markdown file, as written (outside code blocks). */
function headings(markdown: string): string[] {
    return withoutFences(markdown)
        .split("\n")
        .map((line) => /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1])
        .filter((heading): heading is string => heading !== undefined);
}

/** GitHub's anchors for a file's headings: lower case, punctuation but `-` and `_` dropped, spaces as `-`, repeats numbered. */
function anchors(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const result = new Set<string>();
    for (const heading of headings(markdown)) {
        const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/<[^>]*>/g, "");
        const base = text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        result.add(count === 0 ? base : `${base}-${count}`);
    }
    return result;
}

/** The lines of the section under `heading` (exact text), up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string[] {
    const lines = markdown.split("\n");
    const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, "") === heading);
    assert.ok(start >= 0, `no heading "${heading}"`);
    const level = /^#+/.exec(lines[start])![0].length;
    const end = lines.findIndex((line, index) => index > start && new RegExp(`^#{1,${level}} `).test(line));
    return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The first table of a section, as rows keyed by the header's cells; `\|` is a `|` inside a cell. */
function table(markdown: string, heading: string): Record<string, string>[] {
    const lines = section(markdown, heading);
    const first = lines.findIndex((line) => line.startsWith("|"));
    assert.ok(first >= 0, `no table under "${heading}"`);
    const rows: string[][] = [];
    for (const line of lines.slice(first)) {
        if (!line.startsWith("|")) break;
        rows.push(
            line
                .trim()
                .replace(/^\||\|$/g, "")
                .split(/(?<!\\)\|/)
                .map((cell) => cell.trim().replace(/\\\|/g, "|")),
        );
    }
    const [header, , ...body] = rows;
    return body.map((cells) => Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ""])));
}

/** `` `poolName` `` → `poolName`. */
function unquote(cell: string): string {
    return cell.replace(/^`|`$/g, "");
}

const CONFIGURATION = read("docs/configuration.md");
const KEY_ROWS = table(CONFIGURATION, "Keys");
const FIELD_ROWS = table(CONFIGURATION, "Fields of structured keys");
const ROWS = new Map([...KEY_ROWS.map((row) => [unquote(row.Key), row] as const), ...FIELD_ROWS.map((row) => [unquote(row.Field), row] as const)]);

describe("the docs", () => {
    describe("the configuration reference (docs/configuration.md)", () => {
        it("lists exactly the keys the stack config accepts (STACK_CONFIG_KEYS), each once", () => {
            const keys = KEY_ROWS.map((row) => unquote(row.Key));
            assert.deepStrictEqual([...keys].sort(), [...STACK_CONFIG_KEYS].sort());
            assert.strictEqual(new Set(keys).size, keys.length, "a key is listed twice");
        });

        it("gives every structured key's fields, nested ones included", () => {
            const fields = FIELD_ROWS.map((row) => unquote(row.Field));
            assert.ok(fields.includes("appClient.refreshTokenRotation.enabled") && fields.includes("adminUsers[].recreate") && fields.includes("groups[].precedence"));
            assert.strictEqual(new Set(fields).size, fields.length, "a field is listed twice");
            for (const field of fields) assert.ok(STACK_CONFIG_KEYS.includes(field.split(/[.[]/)[0]), `${field} is a field of no key`);
        });

        it("gives each key's feature plan: a gated setting on LITE is refused, naming the plan", () => {
            for (const [key, row] of ROWS) {
                if (row.Plan === "any") continue;
                assert.match(row.Plan, /^(ESSENTIALS or PLUS|PLUS) when /, key);
            }
            assert.deepStrictEqual(
                [...ROWS].filter(([, row]) => row.Plan !== "any").map(([key]) => key),
                ["threatProtection", "passwordPolicy.passwordHistorySize", "appClient.refreshTokenRotation", "appClient.explicitAuthFlows"],
            );
        });

        it("gives, where a default is one JSON value, the default the code resolves", () => {
            // Every optional object given, so that the defaults of its fields show.
            const args = { poolName: "p", adminUser: { username: "a" }, appClient: { refreshTokenRotation: { enabled: false } }, import: { userPoolId: "us-east-1_Abc" } };
            const resolved = validateTotpUserPoolArgs(args).resolved as unknown as Record<string, unknown>;
            const argPath: Record<string, string> = Object.fromEntries(CONFIG_KEYS.flatMap(({ key, argPath }) => (argPath === undefined ? [] : [[key, argPath]])));
            const verifySignInDefault =
                parseStackConfig({
                    project: PROJECT,
                    stack: "docs",
                    values: { "aws:region": "us-east-1", [`${PROJECT}:poolName`]: "p", [`${PROJECT}:adminUsername`]: "a" },
                    secretKeys: new Set(),
                }).signInCheck !== undefined;
            let compared = 0;
            for (const [key, row] of ROWS) {
                const literal = /^`([^`]+)`$/.exec(row.Default)?.[1];
                let documented: unknown;
                try {
                    documented = literal === undefined ? undefined : JSON.parse(literal);
                } catch {
                    continue;
                }
                if (documented === undefined) continue;
                const actual =
                    key === "verifySignIn"
                        ? verifySignInDefault
                        : (argPath[key] ?? key).split(".").reduce<unknown>((at, step) => (at as Record<string, unknown> | undefined)?.[step], resolved);
                assert.deepStrictEqual(documented, actual, `the default of ${key}`);
                compared++;
            }
            assert.ok(compared >= 10, `only ${compared} defaults were compared`);
        });
    });

    describe("what a change replaces, computed with the offline plan and the provider's force-new table", () => {
        /** A stack of the seed's settings, with a group, a membership and a second admin, so that every kind of resource exists. */
        const BASE: Record<string, unknown> = {
            "aws:region": "us-east-1",
            poolName: "totp-dev",
            adminUsername: "admin",
            passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true, temporaryPasswordValidityDays: 7 },
            selfSignUp: true,
            mfaConfiguration: "ON",
            softwareTokenMfa: true,
            appClient: { refreshTokenValidityDays: 30 },
            deletionProtection: "INACTIVE",
            verifySignIn: true,
            groups: [{ name: "admins", description: "Administrators", precedence: 1 }],
            adminGroups: ["admins"],
            adminUsers: [{ username: "ops", groups: ["admins"] }],
        };
        /** Config changes to BASE (`undefined` removes a key), and the keys that are secrets. */
        interface Sample {
            readonly set: Record<string, unknown>;
            readonly secrets?: readonly string[];
        }
        const policy = (fields: Record<string, unknown>): Sample => ({ set: { passwordPolicy: { ...(BASE.passwordPolicy as object), ...fields } } });
        const client = (fields: Record<string, unknown>): Sample => ({ set: { appClient: { ...(BASE.appClient as object), ...fields } } });
        // Refresh token rotation needs the ESSENTIALS plan, a change made in place.
        const rotation = (settings: Record<string, unknown>): Sample => ({
            set: { ...client({ refreshTokenRotation: settings, explicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] }).set, featurePlan: "ESSENTIALS" },
        });
        const ops = (fields: Record<string, unknown>): Sample => ({ set: { adminUsers: [{ username: "ops", groups: ["admins"], ...fields }] } });
        const renameGroup: Sample = { set: { groups: [{ name: "admins2" }], adminGroups: ["admins2"], adminUsers: [{ username: "ops", groups: ["admins2"] }] } };
        const set = (values: Record<string, unknown>): Sample => ({ set: values });

        /** Changes of each documented key: what they replace or delete must be what the reference says. */
        const SAMPLES: Record<string, readonly Sample[]> = {
            poolName: [set({ poolName: "totp-renamed" })],
            adminUsername: [set({ adminUsername: "root" })],
            adminTemporaryPassword: [{ set: { adminTemporaryPassword: "Other-Passw0rd!" }, secrets: ["adminTemporaryPassword"] }],
            adminEmail: [set({ adminEmail: "admin@example.com" })],
            passwordPolicy: [policy({ minimumLength: 10 }), policy({ minimumLength: 24 }), policy({ requireSymbols: false })],
            featurePlan: [set({ featurePlan: "ESSENTIALS" })],
            threatProtection: [set({ featurePlan: "PLUS", threatProtection: "AUDIT" })],
            accountRecovery: [set({ accountRecovery: ["verified_email"] })],
            selfSignUp: [set({ selfSignUp: false })],
            mfaConfiguration: [set({ mfaConfiguration: "OPTIONAL", verifySignIn: false })],
            softwareTokenMfa: [set({ mfaConfiguration: "OFF", softwareTokenMfa: false, verifySignIn: false })],
            usernameCaseSensitive: [set({ usernameCaseSensitive: false }), set({ usernameCaseSensitive: true })],
            usernameAttributes: [set({ usernameAttributes: ["email"], adminUsername: "admin@example.com", adminUsers: [{ username: "ops@example.com", groups: ["admins"] }] })],
            aliasAttributes: [set({ aliasAttributes: ["email"] })],
            appClient: [client({ generateSecret: true }), client({ refreshTokenValidityDays: 60 })],
            deletionProtection: [set({ deletionProtection: "ACTIVE" })],
            tags: [set({ tags: { environment: "dev" } })],
            verifySignIn: [set({ verifySignIn: false })],
            production: [set({ production: true, deletionProtection: "ACTIVE" })],
            protect: [set({ protect: true })],
            retainOnDelete: [set({ retainOnDelete: true })],
            adminUsers: [set({ adminUsers: undefined }), set({ adminUsers: [{ username: "ops2", groups: ["admins"] }] })],
            groups: [renameGroup, set({ groups: [{ name: "admins", description: "Other", precedence: 1 }] })],
            adminGroups: [set({ adminGroups: undefined })],
            adminPasswordRotation: [set({ adminPasswordRotation: "2026-11" })],
            adminPasswordReissue: [set({ adminPasswordReissue: "2026-11-26 expired" })],
            adminRecreate: [set({ adminRecreate: "2026-11-26 lost phone" })],
            "passwordPolicy.minimumLength": [policy({ minimumLength: 10 }), policy({ minimumLength: 24 })],
            "passwordPolicy.requireLowercase": [policy({ requireLowercase: false })],
            "passwordPolicy.requireUppercase": [policy({ requireUppercase: false })],
            "passwordPolicy.requireNumbers": [policy({ requireNumbers: false })],
            "passwordPolicy.requireSymbols": [policy({ requireSymbols: false })],
            "passwordPolicy.temporaryPasswordValidityDays": [policy({ temporaryPasswordValidityDays: 3 })],
            "passwordPolicy.passwordHistorySize": [{ set: { ...policy({ passwordHistorySize: 5 }).set, featurePlan: "ESSENTIALS" } }],
            "appClient.name": [client({ name: "other-client" })],
            "appClient.refreshTokenValidityDays": [client({ refreshTokenValidityDays: 60 })],
            "appClient.accessTokenValidityMinutes": [client({ accessTokenValidityMinutes: 30 })],
            "appClient.idTokenValidityMinutes": [client({ idTokenValidityMinutes: 30 })],
            "appClient.explicitAuthFlows": [client({ explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH"] })],
            "appClient.generateSecret": [client({ generateSecret: true })],
            "appClient.refreshTokenRotation": [rotation({ enabled: true })],
            "appClient.refreshTokenRotation.enabled": [rotation({ enabled: true }), client({ refreshTokenRotation: { enabled: false } })],
            "appClient.refreshTokenRotation.retryGracePeriodSeconds": [rotation({ enabled: true, retryGracePeriodSeconds: 10 })],
            "adminUsers[].username": [set({ adminUsers: [{ username: "ops2", groups: ["admins"] }] })],
            "adminUsers[].temporaryPassword": [{ ...ops({ temporaryPassword: "Other-Passw0rd!" }), secrets: ["adminUsers"] }],
            "adminUsers[].email": [ops({ email: "ops@example.com" })],
            "adminUsers[].groups": [set({ adminUsers: [{ username: "ops" }] })],
            "adminUsers[].passwordReissue": [ops({ passwordReissue: "2026-11-26 lost phone" })],
            "adminUsers[].recreate": [ops({ recreate: "2026-11-26 lost phone" })],
            "groups[].name": [renameGroup],
            "groups[].description": [set({ groups: [{ name: "admins", description: "Other", precedence: 1 }] })],
            "groups[].precedence": [set({ groups: [{ name: "admins", description: "Administrators", precedence: 2 }] })],
        };
        /** Adoption is for a stack whose state holds no pool yet (docs/adopting.md): a change to it on a running stack is not a case to document. */
        const NEW_STACKS_ONLY = "n/a (new stacks only)";

        /** The words the reference uses for each type a change can replace or delete, in the order it lists them. */
        const LABELS: Readonly<Record<string, string>> = {
            [TYPES.client]: "app client",
            [TYPES.user]: "admin user",
            [TYPES.group]: "group",
            [TYPES.membership]: "group membership",
        };
        const POOL = TYPES.userPool;

        function stackFile(sample: Sample): StackFile {
            const config: Record<string, unknown> = { ...BASE };
            for (const [key, value] of Object.entries(sample.set)) {
                if (value === undefined) delete config[key];
                else config[key] = value;
            }
            const fullKey = (key: string) => (key.includes(":") ? key : `${PROJECT}:${key}`);
            const values = Object.fromEntries(Object.entries(config).map(([key, value]) => [fullKey(key), configText(value)]));
            return { stack: "docs", values, secretKeys: (sample.secrets ?? []).map(fullKey), encryptedKeys: [], encrypted: {} };
        }

        /** Plans by stack file: samples that make the same config are planned once. */
        const planned = new Map<string, Plan>();
        async function planOf(sample: Sample): Promise<Plan> {
            const file = stackFile(sample);
            const key = JSON.stringify(file);
            if (!planned.has(key)) planned.set(key, await planStack(await mockRuntime("docs"), PROGRAM, file));
            return planned.get(key)!;
        }

        /** What the samples replace or delete, in the reference's words: `pool`, a list, or `no`. */
        function effect(baseline: Plan, plans: readonly Plan[]): string {
            const types = new Set(plans.flatMap((plan) => planSteps(baseline, plan).filter((step) => step.op === "replace" || step.op === "delete").map((step) => step.type)));
            if (types.has(POOL)) return "pool";
            const labels = Object.entries(LABELS).filter(([type]) => types.has(type)).map(([, label]) => label);
            return labels.length > 0 ? labels.join(", ") : "no";
        }

        let baseline: Plan;
        before(async function () {
            this.timeout(60_000);
            baseline = await planOf({ set: {} });
        });

        it("has a sample change for every key but the adoption keys, and no sample for a key it does not list", () => {
            const documented = [...ROWS.keys()].filter((key) => ROWS.get(key)!.Replaces !== NEW_STACKS_ONLY);
            assert.deepStrictEqual(documented.sort(), Object.keys(SAMPLES).sort());
            assert.deepStrictEqual(
                [...ROWS].filter(([, row]) => row.Replaces === NEW_STACKS_ONLY).map(([key]) => key),
                ["import", "import.userPoolId", "import.clientId", "import.adminUser"],
            );
        });

        for (const [key, samples] of Object.entries(SAMPLES)) {
            it(`${key}: "Replaces" says what its changes replace or delete`, async function () {
                this.timeout(60_000);
                const plans: Plan[] = [];
                for (const sample of samples) plans.push(await planOf(sample));
                assert.strictEqual(ROWS.get(key)?.Replaces.replace(/\*\*/g, ""), effect(baseline, plans));
            });
        }

        it("marks exactly usernameCaseSensitive, usernameAttributes and aliasAttributes as replacing the pool", () => {
            const pool = [...ROWS].filter(([, row]) => row.Replaces === "**pool**").map(([key]) => key);
            assert.deepStrictEqual(pool.sort(), ["aliasAttributes", "usernameAttributes", "usernameCaseSensitive"]);
        });
    });

    describe("the force-new table (docs/reviewing-changes.md)", () => {
        it("is FORCE_NEW of tools/plan/forceNew.ts", () => {
            const rows = table(read("docs/reviewing-changes.md"), "The force-new table");
            const documented = Object.fromEntries(
                rows.map((row) => [
                    unquote(row.Type),
                    row["Inputs whose change replaces it"].startsWith("every input") ? "every input" : row["Inputs whose change replaces it"].split(", ").map(unquote),
                ]),
            );
            assert.deepStrictEqual(documented, FORCE_NEW);
        });
    });

    describe("the IAM permissions (docs/environments.md)", () => {
        /** Cognito calls authorized by a session or a user's access token, not by IAM. */
        const TOKEN_AUTHORIZED = ["InitiateAuth", "RespondToAuthChallenge", "AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference"];

        /** The Cognito SDK commands that deploy/ and tools/ send. */
        function sentCommands(): string[] {
            const names = new Set<string>();
            const visit = (dir: string) => {
                for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                    const full = path.join(dir, entry.name);
                    if (entry.isDirectory()) visit(full);
                    else if (entry.name.endsWith(".ts")) {
                        const text = fs.readFileSync(full, "utf8");
                        const imported = /import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-cognito-identity-provider"/.exec(text)?.[1] ?? "";
                        for (const name of imported.split(",").map((item) => item.trim())) {
                            const command = /^(\w+)Command$/.exec(name)?.[1];
                            if (command && new RegExp(`new ${name}\\(`).test(text)) names.add(command);
                        }
                    }
                }
            };
            visit(path.join(ROOT, "deploy"));
            visit(path.join(ROOT, "tools"));
            return [...names].sort();
        }

        it("grants every Cognito call the program and the tools make, and names the ones IAM does not authorize", () => {
            const text = read("docs/environments.md");
            const granted = new Set([...text.matchAll(/cognito-idp:(\w+)/g)].map((match) => match[1]));
            const sent = sentCommands();
            assert.ok(sent.includes("AdminDeleteSoftwareToken") && sent.includes("ListUsers"), `unexpected scan: ${sent.join(", ")}`);
            for (const command of sent) {
                if (TOKEN_AUTHORIZED.includes(command)) assert.match(text, new RegExp(`\\b${command}\\b`), command);
                else assert.ok(granted.has(command), `cognito-idp:${command} is sent by the code but not granted in docs/environments.md`);
            }
        });
    });

    describe("the policy pack table (docs/environments.md)", () => {
        it("lists every policy of deploy/policy, with its enforcement level", () => {
            const rows = table(read("docs/environments.md"), "The policy pack");
            assert.deepStrictEqual(
                rows.map((row) => [unquote(row.Policy), row.Level]).sort(),
                policies.map((policy) => [policy.name, policy.enforcementLevel]).sort(),
            );
        });
    });

    describe("links", () => {
        /** The relative links of a markdown file, outside code. */
        const relativeLinks = (file: string) =>
            [...withoutCodeSpans(withoutFences(read(file))).matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
                .map((match) => match[1])
                .filter((target) => !/^[a-z]+:/i.test(target));

        it("finds the links it checks: README.md links every page of docs/", () => {
            const targets = new Set(relativeLinks("README.md").map((link) => link.split("#")[0]));
            assert.deepStrictEqual(MARKDOWN_FILES.filter((file) => file !== "README.md" && !targets.has(file)), []);
        });

        for (const file of MARKDOWN_FILES) {
            it(`every relative link of ${file} points to a file that exists, and to a heading that exists`, () => {
                for (const link of relativeLinks(file)) {
                    assert.ok(!link.startsWith("/"), `${file}: ${link} is absolute; GitHub resolves it from the site's root`);
                    const [target, anchor] = link.split("#");
                    const resolved = target === "" ? file : path.posix.join(path.posix.dirname(file), target);
                    assert.ok(fs.existsSync(path.join(ROOT, resolved)), `${file}: ${link} points to ${resolved}, which does not exist`);
                    if (anchor !== undefined) {
                        assert.ok(resolved.endsWith(".md"), `${file}: ${link} has an anchor into a file that is not markdown`);
                        assert.ok(anchors(read(resolved)).has(anchor), `${file}: ${link}: ${resolved} has no heading #${anchor}`);
                    }
                }
            });
        }
    });

    describe("README.md", () => {
        const readme = read("README.md");

        it("has at most 150 lines, and a Mermaid diagram", () => {
            assert.ok(readme.trimEnd().split("\n").length <= 150, `README.md has ${readme.trimEnd().split("\n").length} lines`);
            assert.match(readme, /^```mermaid$/m);
        });

        it("gives the two fresh-clone commands, and .ci/run runs the same two", () => {
            assert.match(readme, /^npm ci && npm run plan -- --stack dev(\s+#.*)?$/m);
            assert.match(readme, /^npm test(\s+#.*)?$/m);
            const ci = read(".ci/run");
            assert.match(ci, /^npm ci\b/m);
            assert.match(ci, /^npm test$/m);
        });

        it("names, in its layout, every folder of the repository and of deploy/, tools/ and tests/", () => {
            const layout = section(readme, "Layout").join("\n");
            // The repository's folders, as git sees them: committed, or new and not ignored.
            const files = checkoutFiles();
            // A listing that missed the checkout would leave nothing to miss: it holds this very file.
            assert.ok(files.includes("tests/docs.spec.ts"), `git listed ${files.length} files, not this one`);
            const folders = new Set<string>();
            for (const file of files) {
                const parts = file.split("/").slice(0, -1);
                const depth = ["deploy", "tools", "tests"].includes(parts[0]) ? parts.length : Math.min(parts.length, 1);
                for (let i = 1; i <= depth; i++) folders.add(parts.slice(0, i).join("/"));
            }
            const missing = [...folders].sort().filter((folder) => !layout.includes(`\`${folder}/\``));
            assert.deepStrictEqual(missing, []);
        });
    });

    describe("commands and files the docs name", () => {
        const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);

        it("every `npm run <script>` is a script of package.json", () => {
            for (const file of MARKDOWN_FILES) {
                for (const match of read(file).matchAll(/npm run (?:--silent )?([\w:-]+)/g)) {
                    assert.ok(scripts.includes(match[1]), `${file}: npm run ${match[1]} is not a script of package.json`);
                }
            }
        });

        it("every workflow file is described in docs/environments.md", () => {
            const text = read("docs/environments.md");
            for (const workflow of fs.readdirSync(path.join(ROOT, ".github", "workflows"))) {
                assert.ok(text.includes(`.github/workflows/${workflow}`), `.github/workflows/${workflow} is not described`);
            }
        });

        it("docs/testing.md keeps the mutation-testing section the mutation change fills in", () => {
            assert.ok(headings(read("docs/testing.md")).includes("Mutation testing"));
        });
    });
});

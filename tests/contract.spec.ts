import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { validateTotpUserPoolArgs } from "../deploy/components/areaChecks";
import { COMPONENT_PACKAGE, PACKAGE_TYPE } from "../deploy/components/componentPackage";
import { settingsOf, valuesOf } from "../deploy/components/definition";
import { TOTP_USER_POOL } from "../deploy/components/settings";
import { parseStackConfig } from "../deploy/stack/stackConfig";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { specialOutputValueSig as OUTPUT_VALUE_SIG, specialSecretSig as SECRET_SIG, specialSigKey as SIG } from "@pulumi/pulumi/runtime/rpc";
import { Registration, valueOf } from "../tools/mock/mockRuntime";
import { metaschemaErrors } from "../tools/contract/checkSchema";
import { PACKAGE_DIR, SCHEMA_FILE, committedSchemaProvider, committedSchemaStale, componentProvider, renderSchema } from "../tools/contract/schema";
import { PROGRAM, PROJECT, ROOT, STALE, TYPES, mockRuntime, seedConfig, wireSecret, withValues } from "./support";

const read = (file: string) => fs.readFileSync(file, "utf8");

describe("the component package (deploy/components)", () => {
    let provider: ComponentProvider;
    let schema: string;

    before(async function () {
        // The analyzer reads the package's TypeScript with TypeScript's compiler, @pulumi/aws's types
        // included: some seconds. The committed schema stands in for it while every file it read is
        // as `npm run generate` recorded (tools/contract/schemaInputs.ts).
        this.timeout(60_000);
        const stale = committedSchemaStale();
        if (stale.length > 0) {
            const named = stale.length > 3 ? [...stale.slice(0, 3), `and ${stale.length - 3} more`] : stale;
            process.stdout.write(`  The schema's record is stale (${named.join("; ")}): analyzing the package again, some seconds; npm run generate records it anew.\n`);
        }
        provider = stale.length === 0 ? committedSchemaProvider() : componentProvider();
        schema = await provider.getSchema();
    });

    it("is a nodejs plugin whose entry hosts TotpUserPool with componentProviderHost, and holds nothing outside its folder", () => {
        assert.deepStrictEqual(parse(read(path.join(PACKAGE_DIR, "PulumiPlugin.yaml"))), { runtime: "nodejs" });
        const manifest = JSON.parse(read(path.join(PACKAGE_DIR, "package.json"))) as { name: string; main: string; dependencies: Record<string, string> };
        assert.deepStrictEqual([manifest.name, manifest.main], [COMPONENT_PACKAGE.name, "provider.ts"]);
        assert.match(read(path.join(PACKAGE_DIR, manifest.main)), /^componentProviderHost\(\{ \.\.\.COMPONENT_PACKAGE, dirname: __dirname \}\);$/m);
        // `pulumi package add` installs only the folder's own dependencies: every import is one of them, or a file of the folder.
        const root = JSON.parse(read(path.join(ROOT, "package.json"))) as { dependencies: Record<string, string> };
        for (const file of fs.readdirSync(PACKAGE_DIR).filter((name) => name.endsWith(".ts"))) {
            for (const [, specifier] of read(path.join(PACKAGE_DIR, file)).matchAll(/from "([^"]+)"/g)) {
                const dependency = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
                const local = specifier.startsWith("./") && fs.existsSync(path.join(PACKAGE_DIR, `${specifier}.ts`));
                assert.ok(local || manifest.dependencies[dependency] !== undefined, `${file} imports ${specifier}, which the package does not have`);
                if (!local) assert.strictEqual(manifest.dependencies[dependency], root.dependencies[dependency], `${dependency}: the package's version is the project's`);
            }
        }
    });

    it("has the schema the component provider makes of TotpUserPool, committed (npm run generate): analyzed again unless all it read is as recorded", async () => {
        assert.ok(read(SCHEMA_FILE) === (await renderSchema(provider)), `${path.relative(ROOT, SCHEMA_FILE)} ${STALE}`);
        assert.deepStrictEqual(Object.keys(JSON.parse(schema).resources), [PACKAGE_TYPE]);
    });

    it("is checked against a metaschema by npm run check:schema, which names each place that breaks it", () => {
        // Pulumi's own metaschema is not committed here (the tests workflow downloads it at a pinned
        // commit and runs the command on it); a metaschema of the same dialect stands in for it.
        const metaschema = {
            $schema: "https://json-schema.org/draft/2020-12/schema",
            type: "object",
            required: ["name", "resources"],
            properties: {
                name: { type: "string" },
                resources: {
                    type: "object",
                    additionalProperties: {
                        type: "object",
                        properties: { inputProperties: { type: "object", additionalProperties: { $ref: "#/$defs/property" } } },
                    },
                },
            },
            $defs: { property: { type: "object", properties: { type: { enum: ["string", "integer", "number", "boolean", "array", "object"] } } } },
        };
        assert.deepStrictEqual(metaschemaErrors(metaschema, JSON.parse(schema)), []);
        const broken = JSON.parse(schema) as { resources: Record<string, { inputProperties: Record<string, unknown> }> };
        broken.resources[PACKAGE_TYPE].inputProperties.poolName = { type: "text" };
        assert.deepStrictEqual(metaschemaErrors(metaschema, broken), [
            `/resources/${PACKAGE_TYPE.replace(/\//g, "~1")}/inputProperties/poolName/type: must be equal to one of the allowed values`,
        ]);
    });

    it("has every closed set of values as an enum type: mfaConfiguration's, and each other setting's", () => {
        const { resources, types } = JSON.parse(schema) as {
            resources: Record<string, { inputProperties: Record<string, SchemaType> }>;
            types: Record<string, { enum?: { value: string }[]; properties?: Record<string, SchemaType> }>;
        };
        /** The schema's type of the setting at a path of the definition (`appClient.explicitAuthFlows`, `adminUsers[].groups`). */
        const typeAt = (at: string): SchemaType => {
            let properties = resources[PACKAGE_TYPE].inputProperties;
            let found: SchemaType | undefined;
            for (const step of at.split(".")) {
                found = properties[step.replace("[]", "")];
                const ref = (found.items ?? found).$ref;
                properties = ref ? types[ref.replace("#/types/", "")].properties ?? {} : {};
            }
            return found!;
        };
        const enumValues = (type: SchemaType) => types[(type.items ?? type).$ref!.replace("#/types/", "")].enum?.map((member) => member.value).sort();
        assert.deepStrictEqual(enumValues(typeAt("mfaConfiguration")), ["OFF", "ON", "OPTIONAL"]);
        const closed = settingsOf(TOTP_USER_POOL).filter(({ setting }) => setting.kind === "enum" || setting.kind === "enumList");
        assert.strictEqual(closed.length, 8);
        for (const { path: at, setting } of closed) {
            if (setting.kind !== "enum" && setting.kind !== "enumList") continue;
            assert.deepStrictEqual(enumValues(typeAt(at)), valuesOf(setting.type).sort(), at);
        }
    });

    it("describes every input, and every field of every type of an input", () => {
        const { resources, types } = JSON.parse(schema) as {
            resources: Record<string, { inputProperties: Record<string, { description?: string }> }>;
            types: Record<string, { properties?: Record<string, { description?: string }> }>;
        };
        const undescribed = [
            ...Object.entries(resources[PACKAGE_TYPE].inputProperties).map(([name, property]) => [name, property] as const),
            ...Object.entries(types).flatMap(([type, spec]) => Object.entries(spec.properties ?? {}).map(([name, property]) => [`${type}.${name}`, property] as const)),
        ].filter(([, property]) => !property.description?.trim());
        assert.deepStrictEqual(undescribed.map(([name]) => name), []);
    });

    describe("construct(), under Pulumi's mocks, as the engine asks for TotpUserPool", () => {
        /** The admin's own temporary password, a secret. */
        const OPS_PASSWORD = "Ops-Passw0rd!";
        /** The seed's settings, with a second admin who has a password, a group, and no sign-in check (the program's own). */
        const CONFIG = withValues(seedConfig(), {
            adminTemporaryPassword: undefined,
            verifySignIn: "false",
            groups: '[{"name":"admins","description":"Administrators"}]',
            adminGroups: '["admins"]',
        });
        const config = { values: { ...CONFIG.values, [`${PROJECT}:adminUsers`]: JSON.stringify([{ username: "ops", temporaryPassword: OPS_PASSWORD }]) }, secretKeys: [`${PROJECT}:adminUsers`] };

        /**
         * The args index.ts makes of that config, on the wire as the engine sends them to construct:
         * a secret is an output value, whose value a caller's SDK knows.
         */
        const { userPool } = parseStackConfig({ project: PROJECT, stack: "dev", values: config.values, secretKeys: new Set(config.secretKeys) });
        const WIRE = {
            ...userPool,
            adminUsers: userPool.adminUsers?.map((user) => ({ ...user, temporaryPassword: { [SIG]: OUTPUT_VALUE_SIG, secret: true, value: OPS_PASSWORD } })),
        };

        /** What the engine's inputs become in the provider: @pulumi/pulumi's own deserializeInputs (provider/server.js). */
        async function inputsOf(wire: object): Promise<Record<string, unknown>> {
            const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(value: object): unknown } };
            const { deserializeInputs } = require("@pulumi/pulumi/provider/server") as { deserializeInputs(struct: unknown, dependencies: Map<string, unknown>): Promise<Record<string, unknown>> };
            return deserializeInputs(Struct.fromJavaScript(wire), new Map());
        }

        /** A registration without what differs by who asked for it. */
        const comparable = (registration: Registration) => ({ ...registration, dependencies: [...registration.dependencies].sort() });

        it("registers the pool, app client, admin users, generated passwords, group and memberships that index.ts does, and records no password", async () => {
            const runtime = await mockRuntime();
            const program = await runtime.runProgram(PROGRAM, config);
            const inputs = await inputsOf(WIRE);
            let construction: ReturnType<ComponentProvider["construct"]> | undefined;
            const constructed = await runtime.run(config, () => {
                construction = provider.construct("cognito", PACKAGE_TYPE, inputs, {});
            });
            const result = await construction!;
            assert.deepStrictEqual(constructed.registrations.map(comparable), program.registrations.map(comparable));
            assert.deepStrictEqual(
                program.registrations.map((r) => r.type).sort(),
                [TYPES.component, TYPES.userPool, TYPES.client, TYPES.group, TYPES.user, TYPES.user, TYPES.membership, TYPES.randomPassword].sort(),
            );
            const ops = constructed.registrations.find((r) => r.name === "cognito-admin-user-ops");
            assert.deepStrictEqual(ops?.inputs.temporaryPassword, wireSecret(OPS_PASSWORD));
            const component = constructed.registrations.find((r) => r.type === TYPES.component);
            assert.deepStrictEqual(component?.inputs, { production: false });
            assert.strictEqual(await valueOf(result.urn), `urn:pulumi:dev::${PROJECT}::${TYPES.component}::cognito`);
            const generated = result.state.generatedAdminTemporaryPasswords as pulumi.Output<Record<string, string>>;
            assert.strictEqual(await pulumi.isSecret(generated), true);
            assert.deepStrictEqual(Object.keys((await valueOf(generated)) ?? {}), ["admin"]);
            assert.strictEqual(await valueOf(result.state.userPoolId as pulumi.Output<string>), "us-east-1_mockcognitouserpool");
        });

        it("gets the same from the provider holding the committed schema, which never runs the analyzer (what npm test uses while the record is current)", async () => {
            const analyzer = require("@pulumi/pulumi/provider/experimental/analyzer") as { Analyzer: unknown };
            const { Analyzer } = analyzer;
            analyzer.Analyzer = class {
                constructor() {
                    throw new Error("the analyzer ran");
                }
            };
            try {
                const committed = committedSchemaProvider();
                assert.strictEqual(await renderSchema(committed), read(SCHEMA_FILE));
                const runtime = await mockRuntime();
                const inputs = await inputsOf(WIRE);
                let construction: ReturnType<ComponentProvider["construct"]> | undefined;
                await runtime.run(config, () => {
                    construction = committed.construct("cognito", PACKAGE_TYPE, inputs, {});
                });
                const { state } = await construction!;
                const { resources } = JSON.parse(read(SCHEMA_FILE)) as { resources: Record<string, { properties: Record<string, unknown> }> };
                assert.deepStrictEqual(Object.keys(state).sort(), Object.keys(resources[PACKAGE_TYPE].properties).sort());
                assert.strictEqual(await valueOf(state.userPoolId as pulumi.Output<string>), "us-east-1_mockcognitouserpool");
            } finally {
                analyzer.Analyzer = Analyzer;
            }
        });

        it("refuses, naming it, an arg whose secret came as a plain secret (older SDKs): the whole arg is then an Output", async () => {
            const runtime = await mockRuntime();
            const inputs = await inputsOf({ ...WIRE, adminUsers: [{ username: "ops", temporaryPassword: { [SIG]: SECRET_SIG, value: OPS_PASSWORD } }] });
            let construction: Promise<unknown> | undefined;
            const constructed = await runtime.run(config, () => {
                construction = provider.construct("cognito", PACKAGE_TYPE, inputs, {}).catch((error: unknown) => error);
            });
            assert.deepStrictEqual(constructed.registrations, []);
            assert.strictEqual(
                String(await construction),
                'ValidationError: TotpUserPool "cognito" has invalid args; nothing was declared:\n  - args.adminUsers: must be known while the program is built, not an Output',
            );
        });
    });
});

describe("the YAML example (examples/yaml/Pulumi.yaml)", () => {
    const EXAMPLE_DIR = path.join(ROOT, "examples", "yaml");
    const example = parse(read(path.join(EXAMPLE_DIR, "Pulumi.yaml"))) as {
        packages: Record<string, string>;
        config: Record<string, { type: string; default: unknown }>;
        resources: Record<string, { type: string; properties: Record<string, unknown> }>;
    };
    const schema = JSON.parse(read(SCHEMA_FILE)) as {
        resources: Record<string, { inputProperties: Record<string, SchemaType>; requiredInputs: string[] }>;
        types: Record<string, { enum?: { value: unknown }[]; properties?: Record<string, SchemaType>; required?: string[] }>;
    };
    const [resource] = Object.values(example.resources);

    /** The problems of a value against a type of the schema, with the config's types where a value is `${key}`. */
    function schemaProblems(type: SchemaType, value: unknown, at: string): string[] {
        const reference = typeof value === "string" ? /^\$\{(\w+)\}$/.exec(value)?.[1] : undefined;
        if (reference !== undefined) {
            const declared = example.config[reference];
            if (!declared) return [`${at}: \${${reference}} is no config of the example`];
            const primitive = type.$ref ? (schema.types[type.$ref.replace("#/types/", "")].enum ? "string" : "object") : type.type;
            const fits = declared.type === primitive || (declared.type === "integer" && primitive === "number");
            return [...(fits ? [] : [`${at}: config ${reference} is ${declared.type}, the schema says ${primitive}`]), ...schemaProblems(type, declared.default, at)];
        }
        if (type.$ref) {
            const named = schema.types[type.$ref.replace("#/types/", "")];
            if (named.enum) return named.enum.some((member) => member.value === value) ? [] : [`${at}: ${JSON.stringify(value)} is not one of the enum's values`];
            return objectProblems(named.properties ?? {}, named.required ?? [], value, at);
        }
        if (type.type === "array") return Array.isArray(value) ? value.flatMap((item, index) => schemaProblems(type.items!, item, `${at}[${index}]`)) : [`${at}: must be a list`];
        if (type.type === "object") return typeof value === "object" && value !== null ? Object.entries(value).flatMap(([key, item]) => schemaProblems(type.additionalProperties!, item, `${at}.${key}`)) : [`${at}: must be an object`];
        const actual = typeof value === "number" ? "number" : typeof value;
        return actual === (type.type === "integer" ? "number" : type.type) ? [] : [`${at}: must be ${type.type}`];
    }

    function objectProblems(properties: Record<string, SchemaType>, required: readonly string[], value: unknown, at: string): string[] {
        if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${at}: must be an object`];
        const given = value as Record<string, unknown>;
        return [
            ...required.filter((name) => given[name] === undefined).map((name) => `${at}.${name}: is required`),
            ...Object.entries(given).flatMap(([name, item]) => (properties[name] ? schemaProblems(properties[name], item, `${at}.${name}`) : [`${at}.${name}: is no input of the schema`])),
        ];
    }

    /** The example's properties with each `${key}` of its config replaced by the config's default. */
    function withDefaults(value: unknown): unknown {
        if (typeof value === "string") {
            const reference = /^\$\{(\w+)\}$/.exec(value)?.[1];
            return reference === undefined ? value : example.config[reference].default;
        }
        if (Array.isArray(value)) return value.map(withDefaults);
        if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withDefaults(item)]));
        return value;
    }

    it("uses TotpUserPool from the component package of this repository", () => {
        assert.strictEqual(resource.type, PACKAGE_TYPE);
        assert.strictEqual(path.resolve(EXAMPLE_DIR, example.packages[COMPONENT_PACKAGE.name]), PACKAGE_DIR);
    });

    it("gives properties, and config for them, that the package's schema accepts", () => {
        const { inputProperties, requiredInputs } = schema.resources[PACKAGE_TYPE];
        assert.deepStrictEqual(objectProblems(inputProperties, requiredInputs, resource.properties, "cognito"), []);
        // And the checker sees what it is meant to: a property that is no input, a value not among an enum's.
        assert.deepStrictEqual(objectProblems(inputProperties, requiredInputs, { poolName: 5, mfaConfiguration: "MAYBE", adminUsers: [{}], extra: 1 }, "x"), [
            "x.adminUser: is required",
            "x.poolName: must be string",
            'x.mfaConfiguration: "MAYBE" is not one of the enum\'s values',
            "x.adminUsers[0].username: is required",
            "x.extra: is no input of the schema",
        ]);
    });

    it("gives args that the component accepts, with its config's defaults", () => {
        assert.deepStrictEqual(validateTotpUserPoolArgs(withDefaults(resource.properties) as never).problems, []);
    });
});

/** A type of the package schema, as these tests read it. */
interface SchemaType {
    readonly type?: string;
    readonly $ref?: string;
    readonly items?: SchemaType;
    readonly additionalProperties?: SchemaType;
}

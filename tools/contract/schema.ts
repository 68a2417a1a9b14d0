/**
 * The component package's schema: what the component provider of
 * @pulumi/pulumi/provider/experimental (its analyzer, which reads TotpUserPoolArgs with TypeScript's
 * compiler) makes of deploy/components, as `pulumi package add` would get it. Committed as
 * deploy/components/schema.json.
 */
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { COMPONENT_PACKAGE } from "../../deploy/components/componentPackage";

/** The component package's folder: PulumiPlugin.yaml, package.json, tsconfig.json and provider.ts. */
export const PACKAGE_DIR = path.resolve(__dirname, "..", "..", "deploy", "components");

/** The committed schema. */
export const SCHEMA_FILE = path.join(PACKAGE_DIR, "schema.json");

/** The component provider that deploy/components/provider.ts hosts. */
export function componentProvider(): ComponentProvider {
    return new ComponentProvider({ ...COMPONENT_PACKAGE, dirname: PACKAGE_DIR });
}

/** The schema as committed: the provider's JSON, indented. */
export async function renderSchema(provider: ComponentProvider = componentProvider()): Promise<string> {
    return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 4)}\n`;
}

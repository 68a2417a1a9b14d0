/**
 * The component package's schema: what the component provider of
 * @pulumi/pulumi/provider/experimental (its analyzer, which reads TotpUserPoolArgs with TypeScript's
 * compiler) makes of deploy/components, as `pulumi package add` would get it. Committed as
 * deploy/components/schema.json.
 */
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { COMPONENT_PACKAGE } from "../../deploy/components/componentPackage";
import { PACKAGE_DIR } from "./schemaFile";

export { PACKAGE_DIR, SCHEMA_FILE } from "./schemaFile";

/** The component provider that deploy/components/provider.ts hosts. */
export function componentProvider(): ComponentProvider {
    return new ComponentProvider({ ...COMPONENT_PACKAGE, dirname: PACKAGE_DIR });
}

/** The schema as committed: the provider's JSON, indented. */
export async function renderSchema(provider: ComponentProvider = componentProvider()): Promise<string> {
    return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 4)}\n`;
}

/**
 * The component package (PulumiPlugin.yaml, package.json and provider.ts here): its name, which
 * makes the type token `cognito-totp:index:TotpUserPool`, and its one component.
 */
import { TotpUserPool } from "./totpUserPool";

/** What `componentProviderHost` serves, and what the tests build the same provider from. */
export const COMPONENT_PACKAGE = { name: "cognito-totp", components: [TotpUserPool] };

/** The package's type token for TotpUserPool: the component provider takes module `index` only (ComponentProvider.validateResourceType). */
export const PACKAGE_TYPE = `${COMPONENT_PACKAGE.name}:index:TotpUserPool`;

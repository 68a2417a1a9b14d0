import * as assert from "assert";
import * as cognito from "@pulumi/aws/cognito";
import * as command from "@pulumi/command";
import { rootPulumiStackTypeName } from "@pulumi/pulumi/runtime/stack";
import * as random from "@pulumi/random";
import { TYPE_TOKENS } from "../deploy/components/typeTokens";

/** The token a resource class of a provider SDK registers with: its static `__pulumiType`, which its types do not declare. */
const tokenOf = (resourceClass: unknown) => (resourceClass as { __pulumiType: string }).__pulumiType;

describe("the type tokens (deploy/components/typeTokens.ts)", () => {
    it("are the tokens the SDK classes register with, the stack's the engine names, and the component's own, which its URNs carry since before the component package", () => {
        assert.deepStrictEqual(TYPE_TOKENS, {
            component: "cognito-totp:cognito:TotpUserPool",
            userPool: tokenOf(cognito.UserPool),
            client: tokenOf(cognito.UserPoolClient),
            user: tokenOf(cognito.User),
            group: tokenOf(cognito.UserGroup),
            membership: tokenOf(cognito.UserInGroup),
            randomPassword: tokenOf(random.RandomPassword),
            command: tokenOf(command.local.Command),
            stack: rootPulumiStackTypeName,
        });
    });
});

import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// `pulumi preview --policy-pack policy` runs this pack: mandatory policies fail the preview,
// advisory ones warn.
new PolicyPack("cognito-totp-baseline", { policies });

/**
 * `check:drift`'s words: the findings as Markdown (read in a terminal, or pasted as it is into
 * the stack's drift issue) or as one JSON document, each with how to restore the declared state.
 * Every name and value sits in a code span, so that nothing read from AWS (a tag, an attribute)
 * renders as Markdown, HTML or an @-mention in an issue. A secret shows as `[secret]`, a value not
 * known until apply as `(unknown until apply)`.
 */
import { USER_HOLDING_TYPES } from "../plan/forceNew";
import { shown } from "../plan/impact";
import { SECRET, redact } from "../plan/plan";
import { UNKNOWN_SHOWN, isUnknownValue } from "../plan/previewDocument";
import { DriftClass } from "./classify";
import { DriftReport, Finding, ResourceDrift } from "./findings";

/** Where the drift was read: the stack and its project. */
export interface DriftScope {
    readonly stack: string;
    readonly project: string;
}

/** The drift of a whole preview: `security` if any finding is, `other` if there are only others, else `none`. */
export type Drift = DriftClass | "none";

/** The preview's drift, from its resources. */
export function driftClass(report: DriftReport): Drift {
    if (report.resources.some((resource) => resource.class === "security")) return "security";
    return report.resources.length > 0 ? "other" : "none";
}

/** A value as JSON for people and machines: secrets as `[secret]`, values not known until apply as `(unknown until apply)`. */
function forPeople(value: unknown): unknown {
    const visit = (item: unknown): unknown => {
        if (isUnknownValue(item)) return UNKNOWN_SHOWN;
        if (Array.isArray(item)) return item.map(visit);
        if (typeof item === "object" && item !== null) return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, visit(inner)]));
        return item;
    };
    return visit(redact(value));
}

/** A value in words: `unset`, `[secret]`, `(unknown until apply)`, or JSON. */
export function valueText(value: unknown): string {
    if (value === undefined) return "unset";
    const redacted = redact(value);
    return redacted === SECRET ? SECRET : shown(redacted);
}

/** Text as a Markdown code span on one line, whatever backticks it holds. */
export function code(raw: string): string {
    const text = raw.replace(/[\r\n]+/g, " ");
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(longest + 1);
    const pad = longest > 0 || text.startsWith(" ") || text.endsWith(" ") ? " " : "";
    return `${fence}${pad}${text}${pad}${fence}`;
}

/** What creating a resource of these types again means, beyond its coming back. */
const CREATED_AGAIN: Readonly<Record<string, string>> = {
    [USER_HOLDING_TYPES.userPool]:
        ", as a new, empty pool with new ids (the apps need the new pool and client ids; each admin is created again with its temporary password, signs in for the first time and enrols TOTP again)",
    [USER_HOLDING_TYPES.user]: " with its temporary password (the admin signs in for the first time and enrols TOTP again)",
};

/** How to restore the declared state for a finding of a resource, or accept the drift. */
export function restoreText(finding: Finding, resource: ResourceDrift, scope: DriftScope): string {
    const up = code(`pulumi up --stack ${scope.stack}`);
    const stackFile = code(`Pulumi.${scope.stack}.yaml`);
    const losesUsers = (Object.values(USER_HOLDING_TYPES) as string[]).includes(resource.type);
    switch (finding.kind) {
        case "input":
            return (
                (resource.op === "replace"
                    ? `${up} puts back what ${stackFile} declares by REPLACING this resource${losesUsers ? ", which loses its users (the deploy's check:preview stops it unless accepted: read docs/drift.md first)" : ""}.`
                    : `${up} puts back what ${stackFile} declares.`) + ` If the change was intended, change ${stackFile} in a pull request so that it declares what is there now.`
            );
        case "deleted":
            return `${up} creates it again${CREATED_AGAIN[resource.type] ?? ""}. If the deletion was intended, change ${stackFile} in a pull request so that it no longer declares it.`;
        case "not-deployed":
            return `${up} creates it. If it should not exist, change ${stackFile} in a pull request so that it no longer declares it.`;
        case "undeclared":
            return `The next ${up} deletes it, as ${stackFile} declares. To keep it, declare it again in ${stackFile} in a pull request.`;
        case "pending-delete":
            return `The next ${up} deletes it, finishing the replacement.`;
    }
}

/** What `pulumi up` would do to a resource, in words. */
const OP_WORDS: Readonly<Record<string, string>> = {
    update: "`pulumi up` would update it in place",
    replace: "`pulumi up` would REPLACE it",
    create: "`pulumi up` would create it",
    delete: "`pulumi up` would delete it",
    same: "`pulumi up` would leave it",
};

function count(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** One finding as a list item: its class, its path, the value now (in AWS, or in the state of a resource outside AWS) and the declared one, and why. */
function findingLine(finding: Finding, type: string): string {
    const mark = finding.class === "security" ? "**security**" : "other";
    if (finding.kind !== "input") return `- ${mark}: ${finding.why}.`;
    const subject = finding.path === undefined ? "" : ` ${code(finding.path)}`;
    const now = type.startsWith("aws:") ? "AWS has" : "the state has";
    const values = finding.path === undefined ? "" : ` ${now} ${code(valueText(finding.cloud))}; the stack declares ${code(valueText(finding.declared))}.`;
    return `- ${mark}${subject}:${values} ${finding.why[0].toUpperCase()}${finding.why.slice(1)}.`;
}

/** The report as Markdown that reads as plain text too: a summary line, then each resource and its findings, each with how to restore. */
export function renderMarkdown(report: DriftReport, scope: DriftScope): string {
    const drift = driftClass(report);
    const findings = report.resources.flatMap((resource) => resource.findings);
    const security = findings.filter((finding) => finding.class === "security").length;
    const lines: string[] = [];
    if (drift === "none") {
        lines.push(`**No drift in stack ${code(scope.stack)}** (project ${code(scope.project)}): the ${count(report.refreshed, "refreshed resource")} are as ${code(`Pulumi.${scope.stack}.yaml`)} declares.`);
        return lines.join("\n") + "\n";
    }
    const title = drift === "security" ? "Security drift" : "Drift";
    lines.push(
        `**${title} in stack ${code(scope.stack)}** (project ${code(scope.project)}): ${count(security, "security finding")} and ${findings.length - security} other, ` +
            `in ${report.resources.length} of ${count(report.refreshed, "refreshed resource")}.`,
    );
    for (const resource of report.resources) {
        lines.push("", `**${code(resource.name)}** (${code(resource.type)}; ${OP_WORDS[resource.op]})`, "");
        for (const finding of resource.findings) {
            lines.push(findingLine(finding, resource.type), `  - Restore: ${restoreText(finding, resource, scope)}`);
        }
    }
    lines.push("", `What each finding means, and the exit statuses: docs/drift.md.`);
    return lines.join("\n") + "\n";
}

/** The report as one JSON document (see docs/drift.md for its shape). */
export function renderJson(report: DriftReport, scope: DriftScope): string {
    const findings = report.resources.flatMap((resource) => resource.findings);
    const security = findings.filter((finding) => finding.class === "security").length;
    const document = {
        stack: scope.stack,
        project: scope.project,
        drift: driftClass(report),
        summary: { refreshed: report.refreshed, resources: report.resources.length, security, other: findings.length - security },
        resources: report.resources.map((resource) => ({
            urn: resource.urn,
            type: resource.type,
            name: resource.name,
            op: resource.op,
            class: resource.class,
            findings: resource.findings.map((finding) => ({
                kind: finding.kind,
                path: finding.path ?? null,
                ...(finding.cloud === undefined ? {} : { cloud: forPeople(finding.cloud) }),
                ...(finding.declared === undefined ? {} : { declared: forPeople(finding.declared) }),
                class: finding.class,
                why: finding.why,
                restore: restoreText(finding, resource, scope),
            })),
        })),
    };
    return JSON.stringify(document, null, 2) + "\n";
}

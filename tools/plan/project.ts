/**
 * The project the plan and the preview check read: this repository, or with `--project-dir` the
 * checkout of another commit of it, so that the pull-request workflow can run the base branch's
 * (trusted) checker against the pull request's code.
 */
import * as fs from "fs";
import * as path from "path";
import { OptionSpec, UsageError, checkStackName } from "../../deploy/commandLine";
import { MockRuntime, loadPulumiSdk } from "../mock/mockRuntime";
import { readProjectFile, stackFilePaths } from "../mock/stackFile";
import { checkGitRef } from "./inputFiles";

/** This repository's root: the default project. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** `--stack` of the commands that read a preview of one stack (`check:preview`, `check:drift`). */
export const PREVIEW_STACK_OPTION: OptionSpec = {
    type: "string",
    short: "s",
    value: "<name>",
    description: "The stack the preview is of: it must have a Pulumi.<name>.yaml, and every URN must be of it.",
};

/** `--project-dir`, shared by `plan`, `check:preview` and `check:drift`. */
export const PROJECT_DIR_OPTION: OptionSpec = {
    type: "string",
    value: "<dir>",
    description:
        "The project to read: its Pulumi.yaml, Pulumi.<stack>.yaml files, index.ts (run with its own node_modules/@pulumi/pulumi), plans/ and acceptance file. Default: this repository.",
};

/** `--base-ref`, shared by `plan` and `check:preview`. */
export const BASE_REF_OPTION: OptionSpec = {
    type: "string",
    value: "<git-ref>",
    description:
        "The commit the change is measured from, in the project's git repository: an acceptance entry it already holds is spent. In a pull request its base; at deploy time the commit main had before the push. Default: HEAD.",
};

/** A project directory, read. */
export interface Project {
    /** Its directory, absolute. */
    readonly dir: string;
    /** Its name, from Pulumi.yaml. */
    readonly name: string;
    /** Its program, `index.ts`. */
    readonly program: string;
    /** Its stack files by stack name. */
    readonly stackFiles: Readonly<Record<string, string>>;
}

/** The project in `dir` (default: this repository): a missing directory is a usage error, a bad Pulumi.yaml or stray stack file an error. */
export function openProject(dir: string | undefined): Project {
    const resolved = path.resolve(dir ?? ROOT);
    if (!fs.existsSync(path.join(resolved, "Pulumi.yaml")) || !fs.statSync(resolved).isDirectory()) {
        throw new UsageError(`--project-dir ${JSON.stringify(dir)}: there is no Pulumi.yaml there`);
    }
    return { dir: resolved, name: readProjectFile(resolved).name, program: path.join(resolved, "index.ts"), stackFiles: stackFilePaths(resolved) };
}

/** The stack file of `stack` (checked as a name); a stack without one is a usage error naming the stacks there are. */
export function stackFileOf(project: Project, stack: string): string {
    const name = checkStackName(stack);
    const file = Object.prototype.hasOwnProperty.call(project.stackFiles, name) ? project.stackFiles[name] : undefined;
    if (!file) {
        throw new UsageError(`there is no Pulumi.${name}.yaml in ${project.dir}; the stacks are ${Object.keys(project.stackFiles).join(", ") || "none"}`);
    }
    return file;
}

/** A `--base-ref` value, or HEAD; one git would read as an option is a usage error. */
export function baseRefOf(value: string | boolean | string[] | undefined): string {
    if (value === undefined) return "HEAD";
    try {
        return checkGitRef(value as string);
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
}

/** A mock runtime for the project's program, on the project's own `@pulumi/pulumi`, with the values AWS computes unknown. */
export function mockRuntimeFor(project: Project, stack: string): Promise<MockRuntime> {
    return MockRuntime.create(project.name, stack, "unknown", loadPulumiSdk(project.dir));
}

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readCommittedFile } from "../tools/plan/inputFiles";
import { testGit, testGitInit } from "./support";

// readCommittedFile reads an entry with one `git ls-tree <ref>^{commit}` and asks `git rev-parse`
// only once that fails, to word the error. plan.spec checks a file, none, a symlink, a bad ref; these
// check what rests on that order: a ref that names no commit, and a folder git cannot enter.
describe("readCommittedFile's refusals (tools/plan/inputFiles.ts)", () => {
    let dir: string;

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "committed-file-"));
        testGitInit(dir);
        fs.writeFileSync(path.join(dir, "a.yaml"), "a: 1\n");
        testGit(dir, "add", "a.yaml");
        testGit(dir, "commit", "-q", "-m", "files");
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("refuses a ref that names a tree, not a commit", () => {
        assert.strictEqual(readCommittedFile(dir, "HEAD", "a.yaml", 100), "a: 1\n");
        assert.throws(() => readCommittedFile(dir, "HEAD^{tree}", "a.yaml", 100), { message: "cannot read HEAD^{tree}:a.yaml with git: HEAD^{tree} is not a commit here" });
    });

    it("passes git's own error on for a folder it cannot enter", () => {
        const missing = path.join(dir, "missing");
        assert.throws(() => readCommittedFile(missing, "HEAD", "a.yaml", 100), { message: `cannot read HEAD:a.yaml with git: fatal: cannot change to '${missing}': No such file or directory` });
    });
});

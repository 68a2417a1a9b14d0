import * as assert from "assert";
import { execFile } from "child_process";
import { promisify } from "util";
import { MOTO_SEAM_DIR } from "./motoServer";

/**
 * In the Python that has moto (python3), with the seam on PYTHONPATH as tests/motoServer.ts puts
 * it: how joserfc's RSAKey.import_key answers moto's key twice, another key, and parameters; or
 * `{"missing": true}` where that Python has no moto. One process, which reads moto's key file
 * (moto 5.2.1 keeps it gzipped) without importing moto, to keep it quick.
 */
const SCRIPT = `
import importlib.util, json
if not (importlib.util.find_spec("moto") and importlib.util.find_spec("joserfc")):
    print(json.dumps({"missing": True}))
    raise SystemExit
import gzip, os, sitecustomize
from joserfc import jwk
folder = os.path.dirname(importlib.util.find_spec("moto").origin)
with gzip.open(os.path.join(folder, "cognitoidp", "resources", "jwks-private.json.gz")) as f:
    key = json.load(f)
first, second = jwk.RSAKey.import_key(key), jwk.RSAKey.import_key(dict(key))
fresh = sitecustomize._import_key(jwk.RSAKey, key)
print(json.dumps({
    "sameKeyOnce": first is second,
    "equalToFresh": first.as_dict(private=True) == fresh.as_dict(private=True),
    "otherKeyOwn": jwk.RSAKey.import_key(dict(key, kid="another")) is not first,
    "parametersPassThrough": jwk.RSAKey.import_key(key, {"use": "sig"}) is not first,
}))
`;

describe("the tests' moto seam (tests/setup/moto/sitecustomize.py)", () => {
    let answers: Record<string, boolean>;
    before(async function () {
        const run = promisify(execFile)("python3", ["-c", SCRIPT], { env: { ...process.env, PYTHONPATH: MOTO_SEAM_DIR } });
        const { stdout } = await run.catch((error: NodeJS.ErrnoException) => {
            if (error.code === "ENOENT") return { stdout: '{"missing": true}' };
            throw error;
        });
        answers = JSON.parse(stdout) as Record<string, boolean>;
        if (!answers.missing) return;
        if (process.env.CI === "true") throw new Error("CI must run this test, and python3 has no moto (pip install \"moto[server]\")");
        this.skip();
    });

    it("gives moto's CreateUserPool the key it imported first, equal to a fresh import", () => {
        assert.deepStrictEqual([answers.sameKeyOnce, answers.equalToFresh], [true, true]);
    });

    it("passes any other call through: another key, or parameters", () => {
        assert.deepStrictEqual([answers.otherKeyOwn, answers.parametersPassThrough], [true, true]);
    });
});

import * as assert from "assert";
import { execFile } from "child_process";
import { promisify } from "util";
import {
    AdminDeleteSoftwareTokenCommand,
    AdminGetUserAuthFactorsCommand,
    AdminGetUserAuthFactorsCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoSignIn } from "../deploy/verifier/cognitoSignIn";
import { createSeedPool, enrolWithoutSrp, useMoto } from "./moto";
import { MOTO_SEAM_DIR, sharedMoto } from "./motoServer";

/**
 * In the Python that runs moto_server (MotoServer.python, tests/motoServer.ts), with the seam on
 * PYTHONPATH as tests/motoServer.ts puts it: how joserfc's RSAKey.import_key answers moto's key
 * twice, and what it passes on to the real import (stood in for, once the first key is in) for
 * another key and for parameters; whether moto_server's WSGI application (stood in for) holds the
 * seam's lock while it answers, and which modules the seam changes as they load; what moto's own
 * backends.py gives for its module list, read twice; what a response class's method list (stood
 * in for) gives, read twice; on which threads the seam's workers run jobs one after another and
 * side by side, and whether werkzeug's server (stood in for) hands its connections to them;
 * whether werkzeug's access log is left out with stderr on a pipe and on /dev/null; and whether
 * the garbage collector was off as the probe started, and is on, with what was made so far
 * frozen, once moto_server's WSGI module has loaded. Or `{"missing": true}` where that Python has
 * no moto. One process, which never imports moto itself, to keep it quick: it reads moto's key
 * file (moto 5.2.1 keeps it gzipped) directly, and loads backends.py under a stand-in for the moto
 * package, whose __init__.py would import all of moto.
 */
const SCRIPT = `
import gc
collector_at_start = gc.isenabled()
import importlib.util, json
if not (importlib.util.find_spec("moto") and importlib.util.find_spec("joserfc")):
    print(json.dumps({"missing": True}))
    raise SystemExit
import gzip, os, sys, threading, types, sitecustomize
from joserfc import jwk
folder = os.path.dirname(importlib.util.find_spec("moto").origin)
with gzip.open(os.path.join(folder, "cognitoidp", "resources", "jwks-private.json.gz")) as f:
    key = json.load(f)
first, second = jwk.RSAKey.import_key(key), jwk.RSAKey.import_key(dict(key))
fresh = sitecustomize._import_key(jwk.RSAKey, key)
passed = []
sitecustomize._import_key = lambda *call: passed.append([repr(part) for part in call]) or len(passed)
other = dict(key, kid="another")
passed_through = [jwk.RSAKey.import_key(other), jwk.RSAKey.import_key(key, {"use": "sig"})]

held = []
class DomainDispatcherApplication:
    def __call__(self, environ, start_response):
        held.append(sitecustomize._one_request_at_a_time.locked())
        return [environ, start_response]
werkzeug_app = types.ModuleType("werkzeug_app")
werkzeug_app.DomainDispatcherApplication = DomainDispatcherApplication
collector_before_app = [gc.isenabled(), gc.get_freeze_count()]
sitecustomize._change_werkzeug_app(werkzeug_app)
collector_after_app = [gc.isenabled(), gc.get_freeze_count() > collector_before_app[1]]
answered = DomainDispatcherApplication()("environ", "start_response")

listed_for = []
core_responses = types.ModuleType("responses")
core_responses.method_names_from_class = lambda clazz: listed_for.append(clazz.__name__) or ["dispatch", "call_action"]
sitecustomize._keep_method_names(core_responses)
class Response: pass
class OtherResponse: pass
method_lists = [core_responses.method_names_from_class(Response), core_responses.method_names_from_class(Response)]
method_lists[0].append("changed by a caller")
method_lists.append(core_responses.method_names_from_class(Response))
method_lists.append(core_responses.method_names_from_class(OtherResponse))

ran = []
release = threading.Event()
workers = sitecustomize._Workers()
def job(name):
    def run():
        if name == "held":
            release.wait(10)
        ran.append([name, threading.get_ident()])
    return run
def waiting(count):
    inboxes = [workers._waiting.get(timeout=10) for _ in range(count)]
    for inbox in inboxes:
        workers._waiting.put(inbox)
workers.run(job("first")); waiting(1)
workers.run(job("second")); waiting(1)
workers.run(job("held"))
workers.run(job("beside held")); waiting(1)
release.set(); waiting(2)
threads = []
for name, ident in ran:
    threads += [] if ident in threads else [ident]
jobs_ran = [[name, threads.index(ident)] for name, ident in ran]

class ThreadedWSGIServer:
    def process_request(self, request, client_address):
        self.process_request_thread(request, client_address)
    def process_request_thread(self, request, client_address):
        served.append([request, client_address, threading.current_thread() is not threading.main_thread()])
        done.set()
served, done = [], threading.Event()
class WSGIRequestHandler:
    def log_request(self, code="-", size="-"): pass
def serving():
    module = types.ModuleType("serving")
    module.ThreadedWSGIServer, module.WSGIRequestHandler = type("ThreadedWSGIServer", (ThreadedWSGIServer,), {}), type("WSGIRequestHandler", (WSGIRequestHandler,), {})
    sitecustomize._change_serving(module)
    return module
on_pipe = serving()
stderr, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
os.dup2(null, 2)
on_null = serving()
os.dup2(stderr, 2)
os.close(null); os.close(stderr)
on_pipe.ThreadedWSGIServer().process_request("request", "address")
done.wait(10)
access_log = [on_pipe.WSGIRequestHandler.log_request is WSGIRequestHandler.log_request, on_null.WSGIRequestHandler.log_request is sitecustomize._no_access_log]

sys.modules["moto"] = types.ModuleType("moto")
sys.modules["moto"].__path__, sys.modules["moto"].__file__ = [folder], os.path.join(folder, "__init__.py")
import moto.backends
listed = moto.backends.list_of_moto_modules()
read_fresh = list(getattr(moto.backends.list_of_moto_modules, "__wrapped__", moto.backends.list_of_moto_modules)())
read_again = []
listdir = os.listdir
os.listdir = lambda path: read_again.append(path) or listdir(path)
listed_again = moto.backends.list_of_moto_modules()
print(json.dumps({
    "sameKeyOnce": first is second,
    "equalToFresh": first.as_dict(private=True) == fresh.as_dict(private=True),
    "passedThrough": passed_through,
    "passed": passed,
    "expectedPassed": [[repr(jwk.RSAKey), repr(other)], [repr(jwk.RSAKey), repr(key), repr({"use": "sig"}), "None"]],
    "heldDuringRequest": held,
    "answered": answered,
    "changedOnImport": sorted(sitecustomize._ChangeOnImport.changes),
    "heldAfterRequest": sitecustomize._one_request_at_a_time.locked(),
    "modulesListed": list(listed),
    "modulesReadFresh": read_fresh,
    "modulesKept": listed_again is listed,
    "foldersReadAgain": len(read_again),
    "collector": [collector_at_start, collector_before_app[0], *collector_after_app],
    "methodLists": method_lists,
    "methodsListedFor": listed_for,
    "jobsRan": jobs_ran,
    "served": served,
    "accessLog": access_log,
}))
`;

describe("the tests' moto seam (tests/setup/moto/sitecustomize.py): speed, with the same answers", () => {
    let answers: Record<string, unknown>;
    before(async function () {
        // The run's moto tells which Python runs it; elsewhere (no /proc), python3 on PATH.
        const python = (await sharedMoto(this)).python() ?? "python3";
        const run = promisify(execFile)(python, ["-c", SCRIPT], { env: { ...process.env, PYTHONPATH: MOTO_SEAM_DIR } });
        const { stdout } = await run.catch((error: NodeJS.ErrnoException) => {
            if (error.code === "ENOENT") return { stdout: '{"missing": true}' };
            throw error;
        });
        answers = JSON.parse(stdout) as Record<string, unknown>;
        if (!answers.missing) return;
        if (process.env.CI === "true") throw new Error(`CI must run this test, and ${python} has no moto (pip install "moto[server]")`);
        this.skip();
    });

    it("gives moto's CreateUserPool the key it imported first, equal to a fresh import", () => {
        assert.deepStrictEqual([answers.sameKeyOnce, answers.equalToFresh], [true, true]);
    });

    it("passes any other call through to the real import, as it was: another key, or parameters", () => {
        assert.deepStrictEqual([answers.passedThrough, answers.passed], [[1, 2], answers.expectedPassed]);
    });

    it("has moto_server answer one request at a time: its WSGI application holds the seam's lock while it answers, and gives its answer", () => {
        assert.deepStrictEqual([answers.heldDuringRequest, answers.heldAfterRequest, answers.answered], [[true], false, ["environ", "start_response"]]);
        assert.deepStrictEqual(answers.changedOnImport, [
            "moto.backends",
            "moto.cognitoidp.responses",
            "moto.core.responses",
            "moto.moto_server.werkzeug_app",
            "werkzeug.serving",
        ]);
    });

    it("keeps the garbage collector off while moto_server loads its modules, and turns it on, with what they made frozen, once its WSGI module has loaded", () => {
        assert.deepStrictEqual(answers.collector, [false, false, true, true]);
    });

    it("answers connections on threads kept for the next one: one after another on one thread, side by side on two; werkzeug's server hands its connections to them", () => {
        assert.deepStrictEqual(answers.jobsRan, [["first", 0], ["second", 0], ["beside held", 1], ["held", 0]]);
        assert.deepStrictEqual(answers.served, [["request", "address", true]]);
    });

    it("lists a response class's methods once a class, and gives each caller a list of its own", () => {
        const methods = ["dispatch", "call_action"];
        assert.deepStrictEqual(answers.methodLists, [[...methods, "changed by a caller"], methods, methods, methods]);
        assert.deepStrictEqual(answers.methodsListedFor, ["Response", "OtherResponse"]);
    });

    it("writes werkzeug's access log while stderr goes somewhere, and not while it is /dev/null", () => {
        assert.deepStrictEqual(answers.accessLog, [true, true]);
    });

    it("reads moto's folder once for moto's list of its modules, which is the list a fresh read gives", () => {
        assert.deepStrictEqual([answers.modulesListed, answers.modulesKept, answers.foldersReadAgain], [answers.modulesReadFresh, true, 0]);
        assert.ok((answers.modulesListed as string[]).includes("cognitoidp"));
    });
});

describe("the tests' moto seam (tests/setup/moto/sitecustomize.py): AdminDeleteSoftwareToken and AdminGetUserAuthFactors, as Cognito documents them", () => {
    const emulator = useMoto();

    it("lists an enrolled token as SOFTWARE_TOKEN; deletes it, idempotently; then the next sign-in on the MFA-required pool gets MFA_SETUP", async () => {
        const { client } = emulator;
        const ids = await createSeedPool(client);
        const key = { UserPoolId: ids.userPoolId, Username: "admin" };
        const factors = async () => {
            const { $metadata, ...answer } = (await client.send(new AdminGetUserAuthFactorsCommand(key))) as AdminGetUserAuthFactorsCommandOutput;
            return answer;
        };
        const signIn = new CognitoSignIn(client, { userPoolId: ids.userPoolId }, ids.clientId);
        await enrolWithoutSrp(client, ids, "admin", "Seed-Passw0rd!", "Own-Passw0rd!");
        const enrolled = await factors();
        const challengeBefore = (await signIn.srp("USER_SRP_AUTH", "admin", "Own-Passw0rd!")).ChallengeName;

        const deleted = [await client.send(new AdminDeleteSoftwareTokenCommand(key)), await client.send(new AdminDeleteSoftwareTokenCommand(key))];
        const after = await factors();
        const challengeAfter = (await signIn.srp("USER_SRP_AUTH", "admin", "Own-Passw0rd!")).ChallengeName;

        assert.deepStrictEqual(
            { enrolled, challengeBefore, deleted: deleted.map(({ $metadata, ...answer }) => answer), after, challengeAfter },
            {
                enrolled: {
                    Username: "admin",
                    UserMFASettingList: ["SOFTWARE_TOKEN_MFA"],
                    ConfiguredUserAuthFactors: ["PASSWORD", "SOFTWARE_TOKEN"],
                    PreferredMfaSetting: "SOFTWARE_TOKEN_MFA",
                },
                challengeBefore: "SOFTWARE_TOKEN_MFA",
                deleted: [{}, {}],
                after: { Username: "admin", UserMFASettingList: [], ConfiguredUserAuthFactors: ["PASSWORD"] },
                challengeAfter: "MFA_SETUP",
            },
        );
    });

    it("answers UserNotFoundException for a user that does not exist, to both", async () => {
        const ids = await createSeedPool(emulator.client);
        const key = { UserPoolId: ids.userPoolId, Username: "nobody" };
        await assert.rejects(emulator.client.send(new AdminGetUserAuthFactorsCommand(key)), { name: "UserNotFoundException", message: "User does not exist." });
        await assert.rejects(emulator.client.send(new AdminDeleteSoftwareTokenCommand(key)), { name: "UserNotFoundException", message: "User does not exist." });
    });
});

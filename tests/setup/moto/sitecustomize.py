# The tests' moto seam. The moto_server that `npm test` starts (tests/motoServer.ts) has this
# folder on PYTHONPATH, so Python runs this file as it starts. It changes moto 5.2.1, and the
# werkzeug server it runs on, in two ways, both checked by tests/motoSeam.spec.ts; neither is
# changed on disk.
#
# 1. Speed, none of which changes an answer:
#    - moto's CreateUserPool imports the same RSA private key, from the same bundled JSON file,
#      for every pool, and joserfc (through the cryptography package) checks the key on each
#      import: about 150 ms of CPU a pool, most of the emulator's time in a run. This keeps the
#      first import of a key and hands the same key back for the same input: the same key moto
#      would build again. Any other call goes through as it was.
#    - moto_server answers one request at a time. It gives each connection a thread, and what moto
#      builds on first use (the key above; cognito-idp's service model, read from botocore's JSON,
#      about 100 ms of CPU) was built once by each of the requests that came in together: mocha's
#      workers start at once, and a spec starts three verifiers at once. A run loaded both four
#      times (measured). One at a time, the first builds it and the others find it built. The lock
#      is held while its WSGI application (werkzeug_app's DomainDispatcherApplication) makes an
#      answer, not for a connection: a client that keeps its connection open, or sends nothing,
#      holds up no other.
#    - moto_server lists moto's package folder (a stat of each of its some 200 entries) on every
#      request, to see whether the request names a service folder (werkzeug_app's
#      get_backend_for_host calls backends.list_of_moto_modules()): about 1 ms of CPU a request,
#      some 600 requests a run. The list is read once and kept: the folder does not change while
#      moto runs.
#    - moto_server starts a thread for each connection, and werkzeug closes every connection after
#      one answer: some 600 threads a run, one a request, each made and ended for one answer. A
#      thread that has answered its connection now waits for the next one, and a new thread
#      starts only when none waits, so every open connection still has a thread of its own (one
#      that sends nothing holds up no other). moto's CPU for a scripted load of 650 Cognito calls,
#      one connection each: 2.45 s with a thread a connection, 1.67 s with threads kept (medians of
#      six runs).
#    - moto's BaseResponse.call_action lists the methods of its response class (inspect.getmembers)
#      on every request, to see whether the action is one of them: some 90 ms of CPU a run. The
#      list is made once a class, and each call gets a copy: moto's classes do not change once they
#      answer (the two operations below are added as their module loads, before its first answer).
#    - werkzeug makes a line for each request (its access log, some 110 ms of CPU a run) and writes
#      it to stderr, which npm test's moto has on /dev/null. It is not made while stderr is
#      /dev/null; a moto_server started by hand, on a terminal, keeps it.
#    - Python's garbage collector went through the objects of every module moto had imported,
#      again and again, for what a few requests left (some 130 ms of CPU a run, 25 ms now). It is
#      off while moto_server imports its modules, which leave nothing to collect, and the objects
#      made so far are moved out of its reach (gc.freeze) before it is turned on again, once
#      moto_server's WSGI module has loaded.
#
# 2. Two operations moto 5.2.1 lacks, answered as the Cognito API reference documents them, so
#    that admin:recover and admin:status run end to end against the emulator:
#    - AdminDeleteSoftwareToken {UserPoolId, Username} -> {}: "Removes the user's software token
#      registration and any preference for TOTP MFA"; on a pool that requires MFA, the user's next
#      sign-in gets MFA_SETUP (moto asks for MFA_SETUP while its `token_verified` is false).
#    - AdminGetUserAuthFactors {UserPoolId, Username} -> {Username, PreferredMfaSetting,
#      UserMFASettingList, ConfiguredUserAuthFactors}: PASSWORD for a user with a password, and
#      SOFTWARE_TOKEN for a registered software token (the SDK's AuthFactorType).
#    An unknown user gets UserNotFoundException. moto's own serializer knows only the operations of
#    its bundled botocore, which lacks both, so the answers are written here as JSON.
#
# The changes to moto's and werkzeug's modules are made as each module is first imported
# (moto_server imports werkzeug.serving and moto.backends as it starts, and cognitoidp.responses
# on the first Cognito call): a process that never imports them, such as the spec's probe, never
# imports moto for this. The garbage collector is off from the start of any Python with this
# folder on PYTHONPATH until moto_server's WSGI module loads.
import gc
import importlib.abc
import importlib.machinery
import json
import os
import queue
import sys
import threading

# Off until moto_server's modules are loaded (see _collect_from_here): what Python imports as it
# starts is kept to the end, and collecting it found nothing to free.
gc.disable()

try:
    from joserfc import jwk
except ImportError:
    jwk = None

if jwk is not None:
    _import_key = jwk.RSAKey.import_key.__func__
    _imported = {}

    def _import_key_once(cls, value, parameters=None, password=None):
        if cls is not jwk.RSAKey or parameters is not None or password is not None or not isinstance(value, dict):
            return _import_key(cls, value, parameters, password)
        text = json.dumps(value, sort_keys=True)
        if text not in _imported:
            _imported[text] = _import_key(cls, value)
        return _imported[text]

    jwk.RSAKey.import_key = classmethod(_import_key_once)


def _user_or_error(response):
    """The request's user, or the error answer Cognito gives for an unknown one."""
    from moto.cognitoidp.exceptions import UserNotFoundError

    try:
        return response.backend.admin_get_user(response._get_param("UserPoolId"), response._get_param("Username")), None
    except UserNotFoundError as error:
        return None, (json.dumps({"__type": "UserNotFoundException", "message": error.message}), {"status": 400})


def admin_delete_software_token(self):
    user, error = _user_or_error(self)
    if error:
        return error
    user.token_verified = False
    user.software_token_mfa_enabled = False
    if user.preferred_mfa_setting == "SOFTWARE_TOKEN_MFA":
        user.preferred_mfa_setting = ""
    return "{}"


def admin_get_user_auth_factors(self):
    user, error = _user_or_error(self)
    if error:
        return error
    answer = {
        "Username": user.username,
        "UserMFASettingList": ["SOFTWARE_TOKEN_MFA"] if user.software_token_mfa_enabled else [],
        "ConfiguredUserAuthFactors": (["PASSWORD"] if user.password else []) + (["SOFTWARE_TOKEN"] if user.token_verified else []),
    }
    if user.preferred_mfa_setting:
        answer["PreferredMfaSetting"] = user.preferred_mfa_setting
    return json.dumps(answer)


def _add_operations(module):
    module.CognitoIdpResponse.admin_delete_software_token = admin_delete_software_token
    module.CognitoIdpResponse.admin_get_user_auth_factors = admin_get_user_auth_factors


_one_request_at_a_time = threading.Lock()


def _answer_alone(module):
    """Makes moto_server's WSGI application answer one request while no other is answered."""
    answer = module.DomainDispatcherApplication.__call__

    def answer_alone(self, environ, start_response):
        with _one_request_at_a_time:
            return answer(self, environ, start_response)

    module.DomainDispatcherApplication.__call__ = answer_alone


def _collect_from_here():
    """Moves every object made so far out of the garbage collector's reach (they live as long as the process), then turns it on."""
    gc.freeze()
    gc.enable()


def _change_werkzeug_app(module):
    """moto_server's WSGI application, the last of the modules it loads as it starts (with flask and
    moto's backends; after it, a few for its first log line): one request answered at a time, and
    the collector on, for what is made from here."""
    _answer_alone(module)
    _collect_from_here()


class _Workers:
    """Threads that run one job at a time each, and then wait for the next: a job goes to a thread
    that waits, where there is one, and to a new thread otherwise, so that no job waits for another."""

    def __init__(self):
        # The inbox of each thread that waits for a job.
        self._waiting = queue.SimpleQueue()

    def run(self, job):
        """Runs `job` (a function of no arguments) on a thread that waits, or on a new one."""
        try:
            inbox = self._waiting.get_nowait()
        except queue.Empty:
            inbox = queue.SimpleQueue()
            threading.Thread(target=self._work, args=(inbox,), daemon=True).start()
        inbox.put(job)

    def _work(self, inbox):
        """What each thread does: the jobs put in its `inbox`, one at a time, waiting among the others between them."""
        while True:
            inbox.get()()
            self._waiting.put(inbox)


def _reuse_threads(server_class):
    """Makes `server_class` (werkzeug's ThreadedWSGIServer) answer each connection on a thread of
    its _Workers, not on a thread started for it alone."""
    workers = _Workers()

    def process_request(server, request, client_address):
        workers.run(lambda: server.process_request_thread(request, client_address))

    server_class.process_request = process_request


def _stderr_discarded():
    """Whether this process's stderr is the null device (npm test's moto has stdio "ignore")."""
    try:
        return os.path.samestat(os.fstat(2), os.stat(os.devnull))
    except OSError:
        return False


def _no_access_log(handler, code="-", size="-"):
    """werkzeug's WSGIRequestHandler.log_request, writing nothing."""


def _change_serving(module):
    """werkzeug.serving: connection threads reused, and no access log while stderr is the null device."""
    _reuse_threads(module.ThreadedWSGIServer)
    if _stderr_discarded():
        module.WSGIRequestHandler.log_request = _no_access_log


def _keep_method_names(module):
    """Makes moto.core.responses list the methods of a response class on its first request only,
    and give a copy of that list every time (call_action only reads it)."""
    method_names_from_class = module.method_names_from_class
    listed = {}

    def method_names_once(clazz):
        if clazz not in listed:
            listed[clazz] = tuple(method_names_from_class(clazz))
        return list(listed[clazz])

    module.method_names_from_class = method_names_once


def _list_once(list_of_moto_modules):
    """A list_of_moto_modules that reads moto's folder on its first call only, and gives that list every time."""
    listed = []

    def listed_once():
        if not listed:
            listed.append(tuple(list_of_moto_modules()))
        return listed[0]

    listed_once.__wrapped__ = list_of_moto_modules
    return listed_once


def _keep_module_list(module):
    module.list_of_moto_modules = _list_once(module.list_of_moto_modules)


class _ChangeOnImport(importlib.abc.MetaPathFinder):
    """Makes the changes above to a moto module as soon as it is loaded, before anything can use it."""

    changes = {
        "moto.backends": _keep_module_list,
        "moto.core.responses": _keep_method_names,
        "moto.moto_server.werkzeug_app": _change_werkzeug_app,
        "moto.cognitoidp.responses": _add_operations,
        "werkzeug.serving": _change_serving,
    }

    def find_spec(self, name, path, target=None):
        change = self.changes.get(name)
        if change is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            change(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _ChangeOnImport())

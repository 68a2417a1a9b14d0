# The tests' moto seam. The moto_server that `npm test` starts (tests/motoServer.ts) has this
# folder on PYTHONPATH, so Python runs this file as it starts. It changes moto 5.2.1 in two ways,
# both checked by tests/motoSeam.spec.ts; moto itself is never changed on disk.
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
# The changes to moto's modules are made as each module is first imported (moto_server imports
# moto.backends as it starts, and cognitoidp.responses on the first Cognito call): a process that
# never imports them, such as the spec's probe, never imports moto for this.
import importlib.abc
import importlib.machinery
import json
import sys
import threading

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

    changes = {"moto.backends": _keep_module_list, "moto.moto_server.werkzeug_app": _answer_alone, "moto.cognitoidp.responses": _add_operations}

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

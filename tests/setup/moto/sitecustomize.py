# The tests' moto seam. The moto_server that `npm test` starts (tests/motoServer.ts) has this
# folder on PYTHONPATH, so Python runs this file as it starts. It changes moto 5.2.1 in two ways,
# both checked by tests/motoSeam.spec.ts; moto itself is never changed on disk.
#
# 1. Speed. moto's CreateUserPool imports the same RSA private key, from the same bundled JSON
#    file, for every pool, and joserfc (through the cryptography package) checks the key on each
#    import: about 150 ms of CPU a pool, most of the emulator's time in a run. This keeps the first
#    import of a key and hands the same key back for the same input: the same key moto would build
#    again. Any other call goes through as it was.
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
#    Added when moto's cognitoidp.responses module is first imported, which moto_server does on the
#    first Cognito call: a process that never calls Cognito never imports moto for this.
import importlib.abc
import importlib.machinery
import json
import sys

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


class _AddOperationsOnImport(importlib.abc.MetaPathFinder):
    """Adds the two operations to moto's CognitoIdpResponse as soon as its module is loaded."""

    def find_spec(self, name, path, target=None):
        if name != "moto.cognitoidp.responses":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            _add_operations(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _AddOperationsOnImport())

# Test speed only, like tests/setup/fastModPow.cjs on the JavaScript side. The moto_server that
# `npm test` starts (tests/motoServer.ts) has this folder on PYTHONPATH, so Python runs this file
# as it starts.
#
# moto's CreateUserPool imports the same RSA private key, from the same bundled JSON file, for
# every pool, and joserfc (through the cryptography package) checks the key on each import: about
# 150 ms of CPU a pool, most of the emulator's time in a run. This keeps the first import of a key
# and hands the same key back for the same input: the same key moto would build again. Any other
# call goes through as it was. tests/motoSeam.spec.ts checks both.
import json

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

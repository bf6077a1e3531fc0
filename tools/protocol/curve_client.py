#!/usr/bin/env python3
"""A foreign client of a secured Megatest site: libzmq CURVE (pyzmq) plus the AuthHello proof (PyNaCl).

Usage: curve_client.py KEYS_DIR CLIENT_NAME ENDPOINT [SERVER_NAME]
Sends AuthHello, then a StatusQuery for every run, and prints the AuthReply and the StatusReply.
Needs pyzmq (with CURVE), PyNaCl and msgpack (Debian: python3-zmq python3-nacl python3-msgpack).
See schemas/packets/README.md, "Security".
"""
import base64, os, sys, time, uuid

import msgpack
import zmq
import zmq.auth
from nacl.public import Box, PrivateKey, PublicKey
from nacl.utils import random as random_bytes

PROTOCOL_VERSION = 1
AUTH_HELLO, AUTH_REPLY, STATUS_QUERY, STATUS_REPLY = 800, 801, 905, 912


def header(code, sequence):
    return msgpack.packb([PROTOCOL_VERSION, code, uuid.uuid4().bytes_le, None,
                          "python@" + os.uname().nodename, sequence, int(time.time() * 1000)], use_bin_type=True)


def auth_hello(client_public_z85, client_secret, server_public, identity):
    """AuthHello (800): [PublicKey (Z85), Nonce (base64), Proof (base64)]."""
    nonce = random_bytes(24)
    proved = b"megatest-auth-1" + server_public + identity
    proof = Box(PrivateKey(client_secret), PublicKey(server_public)).encrypt(proved, nonce).ciphertext  # MAC first
    return msgpack.packb([client_public_z85.decode(), base64.b64encode(nonce).decode(), base64.b64encode(proof).decode()],
                         use_bin_type=True)


def main(keys_dir, name, endpoint, server_name="server"):
    client_public, client_secret = zmq.auth.load_certificate(os.path.join(keys_dir, name + ".key_secret"))
    server_public, _ = zmq.auth.load_certificate(os.path.join(keys_dir, server_name + ".key"))
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.curve_publickey, sock.curve_secretkey, sock.curve_serverkey = client_public, client_secret, server_public
    identity = os.urandom(16).hex().encode()            # at least 16 unguessable bytes
    sock.setsockopt(zmq.IDENTITY, identity)
    sock.connect(endpoint)
    sock.send_multipart([header(AUTH_HELLO, 1), auth_hello(client_public, zmq.utils.z85.decode(client_secret),
                                                           zmq.utils.z85.decode(server_public), identity)])
    sock.send_multipart([header(STATUS_QUERY, 2), msgpack.packb(["%", "%"], use_bin_type=True)])
    status = 1
    while sock.poll(10000, zmq.POLLIN):
        head, body = sock.recv_multipart()
        code = msgpack.unpackb(head)[1]
        fields = msgpack.unpackb(body)
        if code == AUTH_REPLY:
            print("AuthReply: accepted=%s outcome=%s reason=%s" % tuple(fields[:3]))
            if not fields[0]:
                break
        elif code == STATUS_REPLY:
            print("StatusReply: %d run(s)" % len(fields[0]))
            status = 0
            break
    sock.close()
    return status


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))

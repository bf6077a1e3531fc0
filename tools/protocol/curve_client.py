#!/usr/bin/env python3
"""A foreign client of a secured Megatest site: libzmq CURVE (pyzmq) plus the AuthHello proof (PyNaCl).

Usage: curve_client.py KEYS_DIR CLIENT_NAME ENDPOINT [SERVER_NAME]
         Sends AuthHello, then a StatusQuery for every run, and prints the AuthReply and the StatusReply.
       curve_client.py --in-test STEPNAME
         Inside a running test: records step STEPNAME (state start) of this test through its agent's in-test
         endpoint, with the endpoint's key from MT_CMDINFO and the test's own key from MT_INTEST_KEY (plain when the
         agent is not secured), and prints the Ack.
Needs pyzmq (with CURVE), PyNaCl and msgpack (Debian: python3-zmq python3-nacl python3-msgpack).
See schemas/packets/README.md, "Security" and "The agent's in-test endpoint".
"""
import base64, json, os, sys, time, uuid

import msgpack
import zmq
import zmq.auth
from nacl.public import Box, PrivateKey, PublicKey
from nacl.utils import random as random_bytes

PROTOCOL_VERSION = 1
ACK, STEP, AUTH_HELLO, AUTH_REPLY, STATUS_QUERY, STATUS_REPLY = 200, 201, 800, 801, 905, 912


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


def connect(endpoint, client_public_z85, client_secret_z85, server_public_z85):
    """A DEALER on ENDPOINT: over CURVE with AuthHello sent first when a server key is given, else plain."""
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    if server_public_z85:
        sock.curve_publickey, sock.curve_secretkey, sock.curve_serverkey = client_public_z85, client_secret_z85, server_public_z85
        identity = os.urandom(16).hex().encode()        # at least 16 unguessable bytes
        sock.setsockopt(zmq.IDENTITY, identity)
    sock.connect(endpoint)
    if server_public_z85:
        sock.send_multipart([header(AUTH_HELLO, 1), auth_hello(client_public_z85, zmq.utils.z85.decode(client_secret_z85),
                                                               zmq.utils.z85.decode(server_public_z85), identity)])
    return sock


def replies(sock, timeout_ms=10000):
    """(code, fields) of each packet that arrives, until none comes within TIMEOUT_MS."""
    while sock.poll(timeout_ms, zmq.POLLIN):
        head, body = sock.recv_multipart()
        yield msgpack.unpackb(head)[1], msgpack.unpackb(body)


def main(keys_dir, name, endpoint, server_name="server"):
    client_public, client_secret = zmq.auth.load_certificate(os.path.join(keys_dir, name + ".key_secret"))
    server_public, _ = zmq.auth.load_certificate(os.path.join(keys_dir, server_name + ".key"))
    sock = connect(endpoint, client_public, client_secret, server_public)
    sock.send_multipart([header(STATUS_QUERY, 2), msgpack.packb(["%", "%"], use_bin_type=True)])
    status = 1
    for code, fields in replies(sock):
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


def in_test(step_name):
    info = json.loads(base64.b64decode(os.environ["MT_CMDINFO"]))
    agent_key = info.get("AgentKey", "").encode()
    secret = os.environ.get("MT_INTEST_KEY", "").encode() if agent_key else b""
    sock = connect(info["AgentEndpoint"], zmq.curve_public(secret) if agent_key else b"", secret, agent_key)
    # Step (201): [TestId, StepName, State, Status, EventTime, Comment, LogFile]
    sock.send_multipart([header(STEP, 2), msgpack.packb([info["TestId"], step_name, "start", "-", int(time.time()), None, None],
                                                        use_bin_type=True)])
    status = 1
    for code, fields in replies(sock, 60000):
        if code == AUTH_REPLY:
            print("AuthReply: accepted=%s outcome=%s reason=%s" % tuple(fields[:3]))
            if not fields[0]:
                break
        elif code == ACK:
            print("Ack: ok=%s %s" % (fields[0], fields[1]))
            status = 0 if fields[0] else 1
            break
    sock.close()
    return status


if __name__ == "__main__":
    sys.exit(in_test(sys.argv[2]) if sys.argv[1:2] == ["--in-test"] else main(*sys.argv[1:5]))

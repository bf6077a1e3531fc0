#!/usr/bin/env python3
"""A foreign status sender that bundles: several status packets in one Bundle (205), one BundleAck (206) back.

Usage: bundle_client.py DB_WRITER_ENDPOINT TARGET RUNNAME
  Registers run RUNNAME of TARGET (key values joined by "/") with tests b1 and b2, then sends one Bundle of:
    0  StatusChange b1 COMPLETED/PASS
    1  Step b1 "build" end/0
    2  StatusChange of a test id that does not exist
    3  StatusChange b2 COMPLETED/FAIL
    4  entry 0 again, byte for byte (a repeat: acknowledged, not applied twice)
  and prints one line per entry of the BundleAck: "entry I: ok" or "entry I: refused: ERROR". Exits 1 when no
  BundleAck arrives. Needs pyzmq and msgpack (Debian: python3-zmq python3-msgpack).
See schemas/packets/README.md, "Status packets -> db writer".
"""
import os, sys, time, uuid

import msgpack
import zmq

PROTOCOL_VERSION = 1
STEP, STATUS_CHANGE, BUNDLE, BUNDLE_ACK = 201, 202, 205, 206
REGISTER_RUN, RUN_REGISTERED, REGISTER_TESTS, TESTS_REGISTERED = 300, 301, 302, 303
SENDER = "python-bundler@" + os.uname().nodename
sequence = 0


def header(code):
    """A header frame with a fresh message id and the next sequence number; returns (frame, message id)."""
    global sequence
    sequence += 1
    message_id = uuid.uuid4().bytes_le
    frame = msgpack.packb([PROTOCOL_VERSION, code, message_id, None, SENDER, sequence, int(time.time() * 1000)],
                          use_bin_type=True)
    return frame, message_id


def ask(sock, code, body, want):
    """Sends one packet and returns the body of the reply correlated with it (a list: the fields by key)."""
    frame, message_id = header(code)
    sock.send_multipart([frame, msgpack.packb(body, use_bin_type=True)])
    while sock.poll(10000, zmq.POLLIN):
        head, reply = sock.recv_multipart()
        head = msgpack.unpackb(head)
        if head[1] == want and head[3] == message_id:
            return msgpack.unpackb(reply)
    sys.exit(f"no answer to packet {code}")


def status_change(test_id, state, status):
    # StatusChange (202): [TestId, State, Status, Comment, Host, Uname, RunDir, ShortDir, EventTime, RunDuration,
    # FinalLogf, AttemptNum, CpuLoad, DiskFree]; nil leaves a field as it is.
    return [test_id, state, status, "from python", None, None, None, None, None, 1.5, None, None, None, None]


def main():
    endpoint, target, run_name = sys.argv[1:4]
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(endpoint)
    run = ask(sock, REGISTER_RUN, [target.split("/"), run_name, "python"], RUN_REGISTERED)
    if run[2]:
        sys.exit("RegisterRun: " + run[2])
    rows = ask(sock, REGISTER_TESTS, [run[0], [["b1", ""], ["b2", ""]]], TESTS_REGISTERED)
    if rows[1]:
        sys.exit("RegisterTests: " + rows[1])
    b1, b2 = rows[0][0][0], rows[0][1][0]  # TestRowInfo: [Id, RunId, TestName, ...]

    entries = [
        (STATUS_CHANGE, status_change(b1, "COMPLETED", "PASS")),
        # Step (201): [TestId, StepName, State, Status, EventTime, Comment, LogFile]
        (STEP, [b1, "build", "end", "0", int(time.time()), "", "build.log"]),
        (STATUS_CHANGE, status_change(987654321, "RUNNING", "n/a")),
        (STATUS_CHANGE, status_change(b2, "COMPLETED", "FAIL")),
    ]
    headers, bodies = [], []
    for code, body in entries:
        frame, _ = header(code)  # each entry is the packet as it would go alone: its own message id and sequence
        headers.append(frame)
        bodies.append(msgpack.packb(body, use_bin_type=True))
    headers.append(headers[0])
    bodies.append(bodies[0])

    answer = ask(sock, BUNDLE, [headers, bodies], BUNDLE_ACK)  # Bundle (205): [Headers, Bodies]
    for i, error in enumerate(answer[0]):                      # BundleAck (206): [Errors]
        print(f"entry {i}: " + ("ok" if error == "" else "refused: " + error))


if __name__ == "__main__":
    main()

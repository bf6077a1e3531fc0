#!/usr/bin/env python3
"""Checks the Python client example of schemas/packets/README.md without pyzmq or msgpack.

Supplies a minimal MessagePack codec (the subset the protocol uses) as `msgpack` and a fake `zmq`,
runs the README's python block, and checks that
  - encode_header and run_request produce exactly the frames of schemas/packets/RunRequest.bin
    when given the golden values,
  - every golden .bin splits into a 7-element header and an array body that the codec reads,
  - main() sends [header, body] and prints the ControlAck and RunEnded it gets back.

Usage: python3 tools/protocol/check_readme_example.py   (from anywhere; exits non-zero on failure)
"""
import contextlib, io, os, re, struct, sys, time, types, uuid

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
folder = os.path.join(root, "schemas", "packets")


# ---- a minimal MessagePack codec, same choices as msgpack-python >= 1.0 with use_bin_type=True ----
def packb(obj, use_bin_type=True):
    out = bytearray()
    _pack(obj, out)
    return bytes(out)


def _pack(o, out):
    if o is None:
        out += b"\xc0"
    elif o is True:
        out += b"\xc3"
    elif o is False:
        out += b"\xc2"
    elif isinstance(o, int):
        if 0 <= o < 0x80: out += bytes([o])
        elif -32 <= o < 0: out += struct.pack("b", o)
        elif 0 <= o <= 0xff: out += b"\xcc" + struct.pack(">B", o)
        elif 0 <= o <= 0xffff: out += b"\xcd" + struct.pack(">H", o)
        elif 0 <= o <= 0xffffffff: out += b"\xce" + struct.pack(">I", o)
        elif 0 <= o: out += b"\xcf" + struct.pack(">Q", o)
        elif o >= -0x80: out += b"\xd0" + struct.pack(">b", o)
        elif o >= -0x8000: out += b"\xd1" + struct.pack(">h", o)
        elif o >= -0x80000000: out += b"\xd2" + struct.pack(">i", o)
        else: out += b"\xd3" + struct.pack(">q", o)
    elif isinstance(o, float):
        out += b"\xcb" + struct.pack(">d", o)
    elif isinstance(o, str):
        b = o.encode("utf-8")
        n = len(b)
        if n < 32: out += bytes([0xa0 | n])
        elif n <= 0xff: out += b"\xd9" + struct.pack(">B", n)
        elif n <= 0xffff: out += b"\xda" + struct.pack(">H", n)
        else: out += b"\xdb" + struct.pack(">I", n)
        out += b
    elif isinstance(o, (bytes, bytearray)):
        n = len(o)
        if n <= 0xff: out += b"\xc4" + struct.pack(">B", n)
        elif n <= 0xffff: out += b"\xc5" + struct.pack(">H", n)
        else: out += b"\xc6" + struct.pack(">I", n)
        out += bytes(o)
    elif isinstance(o, (list, tuple)):
        n = len(o)
        if n < 16: out += bytes([0x90 | n])
        elif n <= 0xffff: out += b"\xdc" + struct.pack(">H", n)
        else: out += b"\xdd" + struct.pack(">I", n)
        for x in o: _pack(x, out)
    elif isinstance(o, dict):
        n = len(o)
        if n < 16: out += bytes([0x80 | n])
        elif n <= 0xffff: out += b"\xde" + struct.pack(">H", n)
        else: out += b"\xdf" + struct.pack(">I", n)
        for k, v in o.items():
            _pack(k, out); _pack(v, out)
    else:
        raise TypeError("cannot pack %r" % (o,))


def unpackb(data, raw=False):
    value, end = _unpack(bytes(data), 0)
    if end != len(data):
        raise ValueError("extra data after the value")
    return value


def _unpack(d, i):
    t = d[i]; i += 1
    def take(n):
        nonlocal i
        if i + n > len(d): raise ValueError("truncated")
        s = d[i:i + n]; i += n; return s
    def seq(n):
        nonlocal i
        items = []
        for _ in range(n):
            v, i = _unpack(d, i); items.append(v)
        return items
    def mapping(n):
        nonlocal i
        m = {}
        for _ in range(n):
            k, i = _unpack(d, i); v, i = _unpack(d, i); m[k] = v
        return m
    if t < 0x80: return t, i
    if t >= 0xe0: return t - 0x100, i
    if 0x80 <= t <= 0x8f: return mapping(t & 0x0f), i
    if 0x90 <= t <= 0x9f: return seq(t & 0x0f), i
    if 0xa0 <= t <= 0xbf: return take(t & 0x1f).decode("utf-8"), i
    simple = {0xc0: None, 0xc2: False, 0xc3: True}
    if t in simple: return simple[t], i
    fixed = {0xcc: ">B", 0xcd: ">H", 0xce: ">I", 0xcf: ">Q", 0xd0: ">b", 0xd1: ">h", 0xd2: ">i", 0xd3: ">q", 0xca: ">f", 0xcb: ">d"}
    if t in fixed:
        fmt = fixed[t]
        return struct.unpack(fmt, take(struct.calcsize(fmt)))[0], i
    lengths = {0xc4: ">B", 0xc5: ">H", 0xc6: ">I", 0xd9: ">B", 0xda: ">H", 0xdb: ">I", 0xdc: ">H", 0xdd: ">I", 0xde: ">H", 0xdf: ">I"}
    if t in lengths:
        fmt = lengths[t]
        n = struct.unpack(fmt, take(struct.calcsize(fmt)))[0]
        if t in (0xc4, 0xc5, 0xc6): return take(n), i
        if t in (0xd9, 0xda, 0xdb): return take(n).decode("utf-8"), i
        if t in (0xdc, 0xdd): return seq(n), i
        return mapping(n), i
    raise ValueError("unsupported type byte 0x%02x" % t)


# ---- golden files ----
def golden(name):
    data = open(os.path.join(folder, name + ".bin"), "rb").read()
    (h,) = struct.unpack_from("<I", data)
    return data[4:4 + h], data[4 + h:]


# ---- a fake zmq whose DEALER answers a RunRequest with golden ControlAck and RunEnded bodies ----
class FakeSocket:
    def __init__(self):
        self.sent, self.inbox, self.closed = [], [], False

    def setsockopt(self, option, value): pass
    def connect(self, endpoint): self.endpoint = endpoint
    def close(self): self.closed = True

    def send_multipart(self, frames):
        self.sent.append(list(frames))
        request_id = unpackb(frames[0])[2]
        self.inbox.append([b"not", b"a", b"packet"])
        for code, name in ((910, "ControlAck"), (911, "RunEnded")):
            header = packb([1, code, b"\x01" * 16, request_id, "coordinator@test", 1, 0])
            self.inbox.append([header, golden(name)[1]])

    def poll(self, timeout=None, flags=None): return 1 if self.inbox else 0
    def recv_multipart(self): return self.inbox.pop(0)


class FakeContext:
    socket_made = None

    @classmethod
    def instance(cls): return cls()

    def socket(self, kind):
        FakeContext.socket_made = FakeSocket()
        return FakeContext.socket_made


def main():
    sys.modules["msgpack"] = types.SimpleNamespace(packb=packb, unpackb=unpackb)
    sys.modules["zmq"] = types.SimpleNamespace(Context=FakeContext, DEALER=5, LINGER=17, POLLIN=1)
    readme = open(os.path.join(folder, "README.md")).read()
    block = re.search(r"## 8\. Example.*?```python\n(.*?)```", readme, re.S)
    assert block, "no python block under '## 8. Example' in README.md"

    uuid.uuid4 = lambda: uuid.UUID("00112233-4455-6677-8899-aabbccddeeff")
    time.time = lambda: 1767225600.0
    example = {"__name__": "readme_example"}
    exec(compile(block[1], "README.md example", "exec"), example)

    header, body = golden("RunRequest")
    mine = example["encode_header"](900, 42, "golden@host1")
    assert mine == header, "header differs:\n  README %s\n  golden %s" % (mine.hex(" "), header.hex(" "))
    mine = example["run_request"](
        "RunRequest.Target", "RunRequest.RunName", "RunRequest.TestPatt",
        ["RunRequest.RerunStatuses[0]", "RunRequest.RerunStatuses[1]"], True, True, True,
        "RunRequest.TagExpr", "RunRequest.ModePatt",
        {"K9a": "RunRequest.SetVars=a", "K9b": "RunRequest.SetVars=b"}, "RunRequest.Owner", True, True)
    assert mine == body, "body differs:\n  README %s\n  golden %s" % (mine.hex(" "), body.hex(" "))

    names = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".bin"))
    for name in names:
        h, b = golden(name)
        fields = unpackb(h)
        assert len(fields) == 7 and fields[0] == 1 and len(fields[2]) == 16, name
        assert fields[3] is None or len(fields[3]) == 16, name
        assert isinstance(unpackb(b), list), name
        assert packb(unpackb(h)) == h and packb(unpackb(b)) == b, name + ": re-encoding differs"

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = example["main"]("tcp://127.0.0.1:5555", "ubuntu/v1", "run1")
    sock = FakeContext.socket_made
    assert rc == 0, "main returned %r" % rc
    assert sock.closed and len(sock.sent) == 1 and len(sock.sent[0]) == 2, sock.sent
    sent = unpackb(sock.sent[0][1])
    assert sent[:2] == ["ubuntu/v1", "run1"] and len(sent) == 13, sent
    assert out.getvalue() == "accepted: ControlAck.Reason\nRunEnded.Message\n", repr(out.getvalue())
    print("README example OK: header and body match RunRequest.bin; %d golden files read; main printed %r"
          % (len(names), out.getvalue()))


if __name__ == "__main__":
    main()

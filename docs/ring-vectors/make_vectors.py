#!/usr/bin/env python3
"""Writes the ring vectors from docs/ring-format.md alone: an independent writer of the layout.

Run from this directory: python3 make_vectors.py. Each NAME.ring has a NAME.expect (JSON) with
what a reader must recover. The Java tests (RingVectorsTest) read both.
"""
import json
import struct

HEADER = 4096
MAGIC = b"RAYOSRNG"


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def record(seq: int, payload: bytes, rtype=1, cat=0, flags=0) -> bytes:
    body = struct.pack("<QBBHI", seq, rtype, cat, flags, 0) + payload
    rec = struct.pack("<II", len(payload), crc32c(body)) + body
    return rec + b"\0" * (-len(rec) % 8)


class RingImage:
    def __init__(self, capacity=4096, boot="0123456789abcdef0123456789abcdef", categories=("boot",)):
        self.capacity = capacity
        self.data = bytearray(capacity)
        self.boot = bytes.fromhex(boot)
        self.categories = categories
        self.head = self.tail = self.next_seq = 0
        self.commit_pos = self.commit_seq = 0
        self.lost = 0

    def append(self, payload: bytes, **kw) -> None:
        rec = record(self.next_seq, payload, **kw)
        assert len(rec) <= self.capacity
        while self.head + len(rec) - self.tail > self.capacity:  # early boot: drop the oldest
            length = struct.unpack_from("<I", self.read(self.tail, 4))[0]
            size = (24 + length + 7) & ~7
            self.tail += size
            if self.commit_pos < self.tail:
                self.lost += 1
                self.commit_pos = self.tail
                self.commit_seq = struct.unpack_from("<Q", self.read(self.tail + 8, 8))[0] if self.tail < self.head else self.next_seq + 0
        for i, b in enumerate(rec):
            self.data[(self.head + i) % self.capacity] = b
        self.head += len(rec)
        self.next_seq += 1

    def read(self, pos, n):
        return bytes(self.data[(pos + i) % self.capacity] for i in range(n))

    def commit(self, pos, seq):
        self.commit_pos, self.commit_seq = pos, seq

    def image(self) -> bytearray:
        h = bytearray(HEADER)
        h[0:8] = MAGIC
        struct.pack_into("<IIQ", h, 8, 1, HEADER, self.capacity)
        h[24:40] = self.boot
        struct.pack_into("<Q", h, 40, 4242)
        struct.pack_into("<QQQQQQ", h, 48, self.head, self.tail, self.next_seq, self.commit_pos,
                         self.commit_seq, self.lost)
        for i, name in enumerate(self.categories):
            h[512 + 32 * i: 512 + 32 * i + len(name)] = name.encode()
        return h + self.data


def line(i: int, comp="kernel", level="INFO", extra="") -> bytes:
    return f"2026-11-27T10:00:{i % 60:02d}.{i:06d}Z {level} {comp} TICK i={i}{extra}".encode()


def save(name, img: bytes, expect: dict):
    with open(name + ".ring", "wb") as f:
        f.write(img)
    with open(name + ".expect", "w") as f:
        json.dump(expect, f, indent=1)
        f.write("\n")


def main():
    boot = "0123456789abcdef0123456789abcdef"

    # Three lines logged, none written to a file yet (a process killed before its drainer ran).
    r = RingImage()
    for i in range(3):
        r.append(line(i))
    save("pending", r.image(), {"boot": boot, "pending": [line(i).decode() for i in range(3)],
                                "retained": [], "corrupt": 0, "lost": 0})

    # Two lines in files already (committed), one not: only the third is owed.
    r = RingImage()
    for i in range(3):
        r.append(line(i))
    second_end = len(record(0, line(0))) + len(record(1, line(1)))
    r.commit(second_end, 2)
    save("partly-committed", r.image(), {"boot": boot, "pending": [line(2).decode()],
                                         "retained": [line(0).decode(), line(1).decode()], "corrupt": 0, "lost": 0})

    # Early boot overflow: the ring wrapped and overwrote its oldest lines, counting them as lost;
    # records straddle the end of the data area.
    r = RingImage()
    for i in range(60):
        r.append(line(i, extra=" pad=" + "x" * 20))
    pending = []
    pos = r.tail
    while pos < r.head:
        length, _, seq = struct.unpack("<IIQ", r.read(pos, 16))
        pending.append(r.read(pos + 24, length).decode())
        pos += (24 + length + 7) & ~7
    save("wrapped", r.image(), {"boot": boot, "pending": pending, "retained": [], "corrupt": 0, "lost": r.lost})

    # A torn last record: its CRC does not match (the writer died while copying it).
    r = RingImage()
    for i in range(3):
        r.append(line(i))
    img = r.image()
    last = HEADER + len(record(0, line(0))) + len(record(1, line(1))) + 24 + 5
    img[last] ^= 0xFF
    save("torn-last", img, {"boot": boot, "pending": [line(0).decode(), line(1).decode()],
                            "retained": [], "corrupt": 1, "lost": 0})

    # Categories and a crash record: lines of 'input' and a crash report written into the ring
    # because the data partition was not there.
    r = RingImage(categories=("boot", "input"))
    r.append(line(0))
    r.append(line(1, comp="input", extra=" text=[redacted]"), cat=1)
    r.append(b"boot_id=" + boot.encode() + b"\nreason=demo\n", rtype=2, flags=1)
    save("categories-and-crash", r.image(), {"boot": boot, "pending": [line(0).decode(), line(1, comp="input",
                                             extra=" text=[redacted]").decode()],
                                             "pending_categories": ["boot", "input"],
                                             "crash_records": ["boot_id=" + boot + "\nreason=demo\n"],
                                             "retained": [], "corrupt": 0, "lost": 0})

    # Not a ring at all.
    save("bad-magic", b"NOTARING" + bytes(HEADER + 4096 - 8), {"error": "not a ring (bad magic)"})


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the ring vectors from docs/ring-format.md alone: an independent writer of the layout.

Run from this directory: python3 make_vectors.py. Each NAME.ring has a NAME.expect (JSON) with
what a reader must recover. The Java tests (RingVectorsTest) read both.

Two versions of the layout are written. Version 1 (pending, partly-committed, wrapped, torn-last,
categories-and-crash, bad-magic) has one lane, its cursors at header offset 48 and records' order
word 0: readers must still take it. Version 2 (two-lanes, two-lanes-order-wrap, two-lanes-torn,
three-lanes-early-boot-lost, bad-lanes) has 1 … 16 lanes (the count at header offset 112), lane 0's
cursors at 48 and lane k's (k ≥ 1) at 2048 + (k - 1) × 64, lane k's data area at
4096 + k × capacity, sequence numbers counted per lane, and each record's order word (byte 20) the
low 32 bits of the process-wide order of its append; a reader merges the lanes by order, two order
words comparing by their difference as a signed 32-bit number. The expected lists are computed
from the appends themselves (in true append order), not by reading the images back.
"""
import json
import struct

HEADER = 4096
MAGIC = b"RAYOSRNG"
CURSORS_LANE0 = 48
LANES_FIELD = 112
CURSORS_LANE1 = 2048
CURSOR_BLOCK = 64
MAX_LANES = 16


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def record(seq: int, payload: bytes, rtype=1, cat=0, flags=0, order=0) -> bytes:
    body = struct.pack("<QBBHI", seq, rtype, cat, flags, order) + payload
    rec = struct.pack("<II", len(payload), crc32c(body)) + body
    return rec + b"\0" * (-len(rec) % 8)


class Lane:
    """One lane: a circular data area and its cursors. `held` mirrors the records still in the
    area, as (pos, seq, process-wide order, type, payload), so expectations need no read-back."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.data = bytearray(capacity)
        self.head = self.tail = self.next_seq = 0
        self.commit_pos = self.commit_seq = 0
        self.lost = 0
        self.pending_end_pos = self.pending_end_seq = 0
        self.held = []

    def append(self, payload: bytes, order_word=0, order=0, **kw) -> None:
        rec = record(self.next_seq, payload, order=order_word, **kw)
        assert len(rec) <= self.capacity
        while self.head + len(rec) - self.tail > self.capacity:  # early boot: drop the oldest
            length = struct.unpack_from("<I", self.read(self.tail, 4))[0]
            size = (24 + length + 7) & ~7
            self.tail += size
            self.held.pop(0)
            if self.commit_pos < self.tail:
                self.lost += 1
                self.commit_pos = self.tail
                self.commit_seq = struct.unpack_from("<Q", self.read(self.tail + 8, 8))[0] if self.tail < self.head else self.next_seq + 0
        for i, b in enumerate(rec):
            self.data[(self.head + i) % self.capacity] = b
        self.held.append((self.head, self.next_seq, order, kw.get("rtype", 1), payload))
        self.head += len(rec)
        self.next_seq += 1

    def read(self, pos, n):
        return bytes(self.data[(pos + i) % self.capacity] for i in range(n))

    def commit(self, pos, seq):
        self.commit_pos, self.commit_seq = pos, seq

    def commit_after(self, count):
        """Commits the lane's first `count` held records: commit pos after them, commit seq the
        seq of the record at that position (the lane's next seq when none is there yet)."""
        if count < len(self.held):
            self.commit(self.held[count][0], self.held[count][1])
        else:
            self.commit(self.head, self.next_seq)

    def cursors(self) -> bytes:
        return struct.pack("<QQQQQQQQ", self.head, self.tail, self.next_seq, self.commit_pos,
                           self.commit_seq, self.lost, self.pending_end_pos, self.pending_end_seq)


class RingImage:
    def __init__(self, capacity=4096, boot="0123456789abcdef0123456789abcdef", categories=("boot",),
                 version=1, lanes=1, first_order=0):
        assert version == 2 or lanes == 1
        self.capacity = capacity
        self.boot = bytes.fromhex(boot)
        self.categories = categories
        self.version = version
        self.lanes = [Lane(capacity) for _ in range(lanes)]
        self.order = first_order  # the process-wide order counter (unbounded here; the word is its low 32 bits)

    def append(self, payload: bytes, lane=0, **kw) -> None:
        order = self.order
        self.order += 1
        word = 0 if self.version == 1 else order & 0xFFFFFFFF
        self.lanes[lane].append(payload, order_word=word, order=order, **kw)

    # Version 1 code below speaks of the one lane directly.
    def __getattr__(self, name):
        if name in ("head", "tail", "next_seq", "commit_pos", "commit_seq", "lost", "read", "commit"):
            return getattr(self.lanes[0], name)
        raise AttributeError(name)

    def data_offset(self, lane, pos):
        """File offset of a lane's absolute offset `pos`."""
        return HEADER + lane * self.capacity + pos % self.capacity

    def image(self) -> bytearray:
        h = bytearray(HEADER)
        h[0:8] = MAGIC
        struct.pack_into("<IIQ", h, 8, self.version, HEADER, self.capacity)
        h[24:40] = self.boot
        struct.pack_into("<Q", h, 40, 4242)
        if self.version == 1:
            l0 = self.lanes[0]
            struct.pack_into("<QQQQQQ", h, 48, l0.head, l0.tail, l0.next_seq, l0.commit_pos,
                             l0.commit_seq, l0.lost)
        else:
            for k, lane in enumerate(self.lanes[:MAX_LANES]):  # no cursor block beyond lane 15
                at = CURSORS_LANE0 if k == 0 else CURSORS_LANE1 + (k - 1) * CURSOR_BLOCK
                h[at:at + CURSOR_BLOCK] = lane.cursors()
            struct.pack_into("<I", h, LANES_FIELD, len(self.lanes))
        for i, name in enumerate(self.categories):
            h[512 + 32 * i: 512 + 32 * i + len(name)] = name.encode()
        return h + b"".join(lane.data for lane in self.lanes)

    def expected(self, damaged=()):
        """What a reader recovers: the held line records of every lane merged by their true append
        order, split into committed (retained) and not (pending); `damaged` = orders of records
        whose bytes were broken after writing, which a reader skips."""
        pending, retained = [], []
        for lane in self.lanes:
            for pos, seq, order, rtype, payload in lane.held:
                if rtype != 1 or order in damaged:
                    continue
                (pending if pos >= lane.commit_pos else retained).append((order, payload.decode()))
        return {"pending": [t for _, t in sorted(pending)], "retained": [t for _, t in sorted(retained)],
                "lost": sum(lane.lost for lane in self.lanes)}


def line(i: int, comp="kernel", level="INFO", extra="") -> bytes:
    return f"2026-11-27T10:00:{i % 60:02d}.{i:06d}Z {level} {comp} TICK i={i}{extra}".encode()


def save(name, img: bytes, expect: dict):
    with open(name + ".ring", "wb") as f:
        f.write(img)
    with open(name + ".expect", "w") as f:
        json.dump(expect, f, indent=1)
        f.write("\n")


# The uneven interleaving of the two-lane vectors: the lane of the n-th append.
TWO_LANES = (0, 0, 1, 1, 0, 1, 1, 0)


def version1(boot):
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


def version2(boot):
    # Two lanes, appends interleaved unevenly (orders 0,1 in lane 0, 2,3 in lane 1, 4 in lane 0,
    # 5,6 in lane 1, 7 in lane 0), line i = order i. Lane 1 has its first record (order 2) in a
    # file, lane 0 nothing: pending is the rest merged by order, retained that one line.
    r = RingImage(version=2, lanes=2)
    for i, lane in enumerate(TWO_LANES):
        r.append(line(i), lane=lane)
    r.lanes[1].commit_after(1)
    e = r.expected()
    save("two-lanes", r.image(), {"boot": boot, "pending": e["pending"], "retained": e["retained"],
                                  "corrupt": 0, "lost": 0})

    # The same appends by a process whose order counter stands at 0xFFFFFFFC: the order words run
    # FFFFFFFC, FFFFFFFD (lane 0), FFFFFFFE, FFFFFFFF (lane 1), 0 (lane 0), 1, 2 (lane 1), 3 (lane 0).
    # Line i = the i-th append; compared as unsigned words the last four would sort first.
    r = RingImage(version=2, lanes=2, first_order=0xFFFFFFFC)
    for i, lane in enumerate(TWO_LANES):
        r.append(line(i), lane=lane)
    r.lanes[1].commit_after(1)
    e = r.expected()
    save("two-lanes-order-wrap", r.image(), {"boot": boot, "pending": e["pending"], "retained": e["retained"],
                                             "corrupt": 0, "lost": 0})

    # Two lanes, nothing committed, a payload byte of lane 1's third record (seq 2, order 5, in the
    # middle of the lane) damaged: its CRC fails, it is counted corrupt and left out of the merge.
    r = RingImage(version=2, lanes=2)
    for i, lane in enumerate(TWO_LANES):
        r.append(line(i), lane=lane)
    img = r.image()
    pos, seq, order, _, _ = r.lanes[1].held[2]
    assert (seq, order) == (2, 5)
    img[r.data_offset(1, pos) + 24 + 5] ^= 0xFF
    e = r.expected(damaged={5})
    save("two-lanes-torn", img, {"boot": boot, "pending": e["pending"], "retained": e["retained"],
                                 "corrupt": 1, "lost": 0})

    # Three lanes before the data partition was mounted: lane 2 took two appends in three and
    # overflowed, dropping its oldest records (tail and commit pos past them, lost counting them,
    # commit seq the seq of the record at the new commit pos); some of its records straddle the
    # end of its area. Lanes 0 and 1 kept everything. Nothing reached a file.
    r = RingImage(version=2, lanes=3)
    for i in range(96):
        r.append(line(i), lane=0 if i % 6 == 0 else 1 if i % 6 == 3 else 2)
    l2 = r.lanes[2]
    assert l2.lost > 0 and r.lanes[0].lost == r.lanes[1].lost == 0
    assert l2.commit_pos == l2.tail and l2.commit_seq == l2.held[0][1] == l2.lost
    assert l2.head > l2.capacity
    e = r.expected()
    save("three-lanes-early-boot-lost", r.image(), {"boot": boot, "pending": e["pending"], "retained": e["retained"],
                                                    "corrupt": 0, "lost": e["lost"]})

    # A version 2 header claiming 17 lanes (there are cursor blocks for 16): not a ring. The file
    # is otherwise whole (17 empty data areas) so that the lanes field is the one thing wrong.
    r = RingImage(version=2, lanes=MAX_LANES + 1)
    save("bad-lanes", r.image(), {"error": "ring lanes 17 outside 1..16"})


def main():
    boot = "0123456789abcdef0123456789abcdef"
    version1(boot)
    version2(boot)


if __name__ == "__main__":
    main()

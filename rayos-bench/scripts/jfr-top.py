#!/usr/bin/env python3
"""Summarises a JFR recording for the write benchmark: CPU samples per thread (top frames and the
first frame inside dev.rayos / the logging library), and where threads parked (lock and condition
waits), from `jfr print --json`.

usage: jfr-top.py RECORDING.jfr [THREAD_PREFIX...]
"""
import collections
import json
import subprocess
import sys

rec = sys.argv[1]
prefixes = sys.argv[2:] or ["producer", "rayos-log", "Log4j2", "AsyncAppender", "logback"]

def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "12", "--events", kind, rec],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]

def frames(e):
    st = e["values"].get("stackTrace") or {}
    return [f"{f['method']['type']['name'].replace('/', '.').split('.')[-1]}.{f['method']['name']}:{f.get('lineNumber', '?')}"
            for f in st.get("frames", [])]

def thread_of(e, key):
    t = e["values"].get(key) or {}
    return (t.get("javaName") or t.get("osName") or "?")

def interesting(name):
    return any(name.startswith(p) for p in prefixes)

samples = collections.defaultdict(collections.Counter)
paths = collections.defaultdict(collections.Counter)
first_lib = collections.defaultdict(collections.Counter)
totals = collections.Counter()
for e in events("jdk.ExecutionSample") + events("jdk.NativeMethodSample"):
    t = thread_of(e, "sampledThread")
    if not interesting(t):
        continue
    fs = frames(e)
    if not fs:
        continue
    totals[t] += 1
    samples[t][fs[0]] += 1
    lib = [f for f in fs if f.startswith(("LogSystem", "Ring", "CategoryFile", "ConsoleSink", "Event", "LineBuffer",
                                          "LineCodec", "Logger", "RayosContender", "AsyncLogger", "RingBuffer",
                                          "RollingRandomAccessFile", "AsyncAppender", "OutputStreamAppender",
                                          "PatternLayout", "RawContender"))]
    paths[t][" < ".join(lib[:3]) or fs[0]] += 1
    # the first frame that is ours or the library's, below JDK internals
    for f in fs:
        if not f.split(".")[0] in ("Unsafe", "ScopedMemoryAccess", "FileDispatcherImpl", "IOUtil", "FileChannelImpl",
                                   "ByteBuffer", "DirectByteBuffer", "MappedByteBuffer", "System", "CRC32C",
                                   "AbstractQueuedSynchronizer", "ReentrantLock", "ReentrantLock$Sync", "LockSupport",
                                   "ReentrantLock$NonfairSync", "AbstractQueuedSynchronizer$ConditionObject",
                                   "UnixNativeDispatcher", "UnixFileAttributeViews$Unix", "UnixFileAttributes",
                                   "HeapByteBuffer", "Buffer", "FileDispatcher", "NativeThreadSet", "Thread",
                                   "AbstractInterruptibleChannel", "FileKey", "FileLockImpl", "FileLockTable",
                                   "SharedFileLockTable", "Preconditions", "Objects", "Math"):
            first_lib[t][f] += 1
            break

print("## Samples per thread (jdk.ExecutionSample: running Java, every 10 ms; jdk.NativeMethodSample: in native code, every 20 ms)")
for t, n in totals.most_common():
    print(f"\n### {t}: {n} samples")
    print("top frames:")
    for f, c in samples[t].most_common(8):
        print(f"  {100.0 * c / n:5.1f}%  {f}")
    print("innermost library frames (3):")
    for f, c in paths[t].most_common(10):
        print(f"  {100.0 * c / n:5.1f}%  {f}")

print("\n## Parking (jdk.ThreadPark, >= the recording's threshold), total ms per thread and site")
park = collections.defaultdict(collections.Counter)
for e in events("jdk.ThreadPark"):
    t = thread_of(e, "eventThread")
    if not interesting(t):
        continue
    d = e["values"]["duration"]
    ms = float(d[2:-1]) * 1000 if d.startswith("PT") and d.endswith("S") else 0.0
    fs = [f for f in frames(e) if not f.startswith(("Unsafe.", "LockSupport.", "AbstractQueuedSynchronizer"))]
    park[t][" < ".join(fs[:3])] += ms
for t, c in park.items():
    print(f"\n### {t}: {sum(c.values()):.0f} ms parked")
    for site, ms in c.most_common(5):
        print(f"  {ms:8.0f} ms  {site}")

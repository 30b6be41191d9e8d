package dev.rayos.log.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rayos.log.ChildJvm;
import dev.rayos.log.child.RingLockHolder;
import dev.rayos.log.root.BootId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start taking its ring file while another process's start recovers an orphan that had the same
 * name (pids are reused, above all from one boot to the next). The other start holds the file's
 * lock for a moment and then deletes the file; the new ring must wait for it and end up in a file
 * at its path, never in one that was deleted or renamed under it, where no later start would find
 * what a SIGKILL left in it.
 */
class RingStartTest {
    @TempDir
    Path dir;

    private static void appendOne(Ring r) {
        byte[] b = "2026-12-07T06:00:00Z INFO app START n=1".getBytes(StandardCharsets.US_ASCII);
        r.append(RingFormat.TYPE_LINE, 0, 0, b, 0, b.length);
    }

    /** An orphan: a ring with one pending record whose owner is gone. */
    private static void orphanAt(Path p) throws IOException {
        try (Ring orphan = Ring.create(p, 4096, BootId.random())) {
            appendOne(orphan);
        }
    }

    /** Descriptors of this process open on {@code file}, deleted or not (Linux: /proc/self/fd). */
    private static long openDescriptorsOn(Path file) throws IOException {
        String real = file.toAbsolutePath().toString();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.equals(real) || target.equals(real + " (deleted)");
                } catch (IOException e) {
                    return false; // the descriptor of the listing itself, gone meanwhile
                }
            }).count();
        }
    }

    /** A child process holding the lock of {@code p} until told to delete the file or keep it. */
    private static Process holdLock(Path p) throws IOException {
        Process holder = ChildJvm.start(RingLockHolder.class, p.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(out.readLine()).isEqualTo("locked");
        return holder;
    }

    private static void tell(Process holder, String order) throws Exception {
        OutputStream in = holder.getOutputStream();
        in.write((order + "\n").getBytes(StandardCharsets.US_ASCII));
        in.flush();
        assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(holder.exitValue()).isZero();
    }

    @Test
    void aStartWaitsWhileAnotherStartRecoversTheOrphanAtItsPathThenOwnsAFreshFileAtThatPath() throws Exception {
        Path p = dir.resolve("41.ring");
        orphanAt(p);
        Process holder = holdLock(p);
        BootId boot = BootId.random();
        CompletableFuture<Ring> start = CompletableFuture.supplyAsync(() -> {
            try {
                return Ring.create(p, 4096, boot);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(start).isNotDone(); // the lock is held: it waits, it neither fails nor takes the file
        tell(holder, "delete");
        try (Ring ring = start.get(60, TimeUnit.SECONDS)) {
            appendOne(ring);
            RingImage atPath = RingImage.read(Files.readAllBytes(p));
            assertThat(atPath.boot()).isEqualTo(boot);
            assertThat(atPath.pending()).hasSize(1);
            assertThat(openDescriptorsOn(p)).isEqualTo(1);
        }
    }

    @Test
    void aRingStillLockedAfterTwoSecondsIsInUseByAnotherProcessAndIsLeftAsItWas() throws Exception {
        Path p = dir.resolve("42.ring");
        orphanAt(p);
        byte[] before = Files.readAllBytes(p);
        Process holder = holdLock(p);
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Ring.create(p, 4096, BootId.random())).isInstanceOf(IOException.class)
                    .hasMessage("ring " + p + " is in use by another process");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(2));
            assertThat(openDescriptorsOn(p)).isZero();
            assertThat(Files.readAllBytes(p)).isEqualTo(before);
        } finally {
            tell(holder, "keep");
        }
    }

    @Test
    void aFileDeletedBetweenTheOpenAndTheLockIsNotTakenAndItsDescriptorIsClosed() throws Exception {
        Path p = dir.resolve("43.ring");
        orphanAt(p);
        assertThat(RingFile.lockedAt(p, () -> delete(p))).isNull();
        assertThat(openDescriptorsOn(p)).isZero();
        try (Ring ring = Ring.create(p, 4096, BootId.random())) {
            assertThat(ring.nextSeq()).isZero();
            assertThat(Files.exists(p)).isTrue();
            assertThat(openDescriptorsOn(p)).isEqualTo(1);
        }
    }

    @Test
    void aFileRenamedAwayBetweenTheOpenAndTheLockIsNotTakenAndKeepsItsRecords() throws Exception {
        Path p = dir.resolve("44.ring");
        orphanAt(p);
        byte[] before = Files.readAllBytes(p);
        Path aside = p.resolveSibling("44.ring.corrupt");
        assertThat(RingFile.lockedAt(p, () -> move(p, aside))).isNull();
        assertThat(openDescriptorsOn(aside)).isZero();
        assertThat(Files.readAllBytes(aside)).isEqualTo(before);
    }

    @Test
    void aLinkAtTheRingsPathIsRefusedAndWhatItPointsAtIsNotTouched() throws Exception {
        Path target = dir.resolve("precious.txt");
        Files.writeString(target, "not a ring");
        Path p = dir.resolve("45.ring");
        Files.createSymbolicLink(p, target);
        assertThatThrownBy(() -> Ring.create(p, 4096, BootId.random())).isInstanceOf(IOException.class);
        assertThat(Files.readString(target)).isEqualTo("not a ring");
        assertThat(openDescriptorsOn(target)).isZero();
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

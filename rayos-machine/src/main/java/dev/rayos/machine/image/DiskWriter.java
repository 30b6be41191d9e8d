package dev.rayos.machine.image;

import dev.rayos.machine.disk.PartitionTable;
import dev.rayos.machine.disk.Tool;
import dev.rayos.machine.disk.ToolException;
import dev.rayos.machine.entries.EntryException;
import dev.rayos.machine.entries.ImageEsp;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Lays out a disk image without root and without loop devices: a sparse file, a GPT from sfdisk,
 * FAT32 written by mkfs.vfat at the ESP's offset and filled with mtools, and ext4 made by mke2fs at
 * the data partition's offset ({@code -E offset}), seeded from a directory ({@code -d}).
 */
final class DiskWriter {
    private static final long SECTOR = 512;
    private static final long FIRST = 2048; // 1 MiB alignment

    private DiskWriter() {}

    /** Writes the partition table and both filesystems; {@code esp} maps ESP paths to host files or bytes. */
    static PartitionTable write(Path image, long size, Map<String, Object> esp, Path dataSeed) throws ToolException, IOException {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(size);
        }
        long espSectors = ImageSpec.ESP_BYTES / SECTOR;
        String script = "label: gpt\n"
                + "start=" + FIRST + ", size=" + espSectors + ", type=" + PartitionTable.ESP_TYPE + ", name=\"ESP\"\n"
                + "start=" + (FIRST + espSectors) + ", type=" + PartitionTable.LINUX_TYPE + ", name=\"" + PartitionTable.DATA_LABEL + "\"\n";
        Tool.run(List.of("sfdisk", "-q", "--no-reread", "--no-tell-kernel", image.toString()),
                script.getBytes(StandardCharsets.US_ASCII), Map.of(), 60);
        PartitionTable pt = PartitionTable.read(image);
        PartitionTable.Partition e = pt.esp().orElseThrow(() -> new ToolException("sfdisk wrote no ESP"));
        PartitionTable.Partition d = pt.data().orElseThrow(() -> new ToolException("sfdisk wrote no data partition"));
        // -s 1: a cluster per sector, so a 256 MiB FAT32 has the clusters FAT32 needs
        Tool.run(List.of("mkfs.vfat", "-F", "32", "-s", "1", "-S", "512", "-n", "RAYOS_ESP",
                "--offset=" + (e.offset() / SECTOR), image.toString(), Long.toString(e.size() / 1024)));
        ImageEsp fat = new ImageEsp(image, e.offset());
        try {
            for (Map.Entry<String, Object> f : esp.entrySet()) {
                String path = f.getKey();
                int slash = path.lastIndexOf('/');
                if (slash > 0) {
                    fat.mkdirs(path.substring(0, slash));
                }
                if (f.getValue() instanceof Path p) {
                    fat.copyIn(p, path);
                } else {
                    fat.write(path, (byte[]) f.getValue());
                }
            }
        } catch (EntryException x) {
            throw new ToolException("writing the ESP: " + x.getMessage(), x);
        }
        Path seed = dataSeed != null ? dataSeed : Files.createTempDirectory("rayos-data");
        try {
            Tool.run(List.of("mke2fs", "-q", "-F", "-t", "ext4", "-L", PartitionTable.DATA_LABEL, "-E", "offset=" + d.offset(),
                    "-d", seed.toString(), image.toString(), (d.size() / 1024) + "k"));
        } finally {
            if (dataSeed == null) {
                Files.deleteIfExists(seed);
            }
        }
        return pt;
    }
}

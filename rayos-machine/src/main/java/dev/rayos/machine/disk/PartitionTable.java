package dev.rayos.machine.disk;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GPT of a RayOS disk image as {@code sfdisk -J} reports it, and the layout the image builder
 * writes: an EFI system partition, then the ext4 data partition labelled {@code RAYOS_DATA}.
 */
public final class PartitionTable {
    /** GPT type of an EFI system partition. */
    public static final String ESP_TYPE = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
    /** GPT type of a Linux filesystem partition. */
    public static final String LINUX_TYPE = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
    /** The data partition's GPT name and filesystem label. */
    public static final String DATA_LABEL = "RAYOS_DATA";

    /** One partition: where it starts and how long it is, in bytes. */
    public record Partition(String type, String name, long offset, long size) {}

    private final List<Partition> partitions;

    private PartitionTable(List<Partition> partitions) {
        this.partitions = List.copyOf(partitions);
    }

    /** Reads the partition table of an image file with {@code sfdisk -J}. */
    public static PartitionTable read(Path image) throws ToolException {
        Tool.Result r = Tool.run(List.of("sfdisk", "-J", image.toString()));
        return parse(r.outText());
    }

    /** Parses {@code sfdisk -J} output; anything unexpected is a {@link ToolException}. */
    @SuppressWarnings("unchecked")
    static PartitionTable parse(String json) throws ToolException {
        try {
            Object o = JSON.std.anyFrom(json);
            Map<String, Object> pt = (Map<String, Object>) ((Map<String, Object>) o).get("partitiontable");
            long sector = ((Number) pt.getOrDefault("sectorsize", 512)).longValue();
            List<Partition> out = new ArrayList<>();
            for (Object p : (List<Object>) pt.get("partitions")) {
                Map<String, Object> m = (Map<String, Object>) p;
                out.add(new Partition(String.valueOf(m.get("type")).toUpperCase(Locale.ROOT), String.valueOf(m.get("name")),
                        ((Number) m.get("start")).longValue() * sector, ((Number) m.get("size")).longValue() * sector));
            }
            return new PartitionTable(out);
        } catch (IOException | RuntimeException e) {
            throw new ToolException("not a partition table sfdisk could read: " + e.getMessage(), e);
        }
    }

    public List<Partition> partitions() {
        return partitions;
    }

    /** The EFI system partition, if there is one. */
    public Optional<Partition> esp() {
        return partitions.stream().filter(p -> p.type().equals(ESP_TYPE)).findFirst();
    }

    /** The RayOS data partition (GPT name {@code RAYOS_DATA}), if there is one. */
    public Optional<Partition> data() {
        return partitions.stream().filter(p -> p.type().equals(LINUX_TYPE) && DATA_LABEL.equals(p.name())).findFirst();
    }
}

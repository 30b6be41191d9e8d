package dev.rayos.machine.entries;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Boot Loader Interface variables that systemd-boot reads and writes, through efivarfs
 * ({@code /sys/firmware/efi/efivars}): {@code LoaderEntrySelected} (which entry this boot started)
 * and {@code LoaderEntryOneShot} (the entry the next boot starts, once; what {@code bootctl
 * set-oneshot} writes). A file there holds a 4-byte attribute word, then the value; these values are
 * NUL-terminated UTF-16LE strings.
 */
public final class EfiVars {
    /** The vendor GUID of the Boot Loader Interface. */
    public static final String LOADER_GUID = "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";
    /** The default efivarfs mount point. */
    public static final Path DEFAULT = Path.of("/sys/firmware/efi/efivars");
    // EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS
    private static final int ATTRIBUTES = 0x7;
    private static final int MAX_CHARS = 512;

    private final Path dir;

    public EfiVars(Path dir) {
        this.dir = dir;
    }

    /** Whether the variables can be read here (efivarfs mounted, or a test directory present). */
    public boolean present() {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
    }

    /** A loader variable's string value, or empty when unset. */
    public Optional<String> get(String name) throws EntryException {
        Path f = file(name);
        try {
            return Optional.of(decode(Files.readAllBytes(f)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new EntryException("cannot read the EFI variable " + name + ": " + e.getMessage(), e);
        }
    }

    /** Sets a loader variable (one write, as efivarfs requires). */
    public void set(String name, String value) throws EntryException {
        if (!present()) {
            throw new EntryException("no EFI variables at " + dir + " (is efivarfs mounted? a machine booted without UEFI has none)");
        }
        byte[] v = encode(value);
        try (FileOutputStream out = new FileOutputStream(file(name).toFile())) {
            out.write(v); // efivarfs takes the whole variable in one write(2)
        } catch (IOException e) {
            throw new EntryException("cannot set the EFI variable " + name + ": " + e.getMessage(), e);
        }
    }

    /** Removes a loader variable if set. */
    public void delete(String name) throws EntryException {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new EntryException("cannot remove the EFI variable " + name + ": " + e.getMessage(), e);
        }
    }

    private Path file(String name) throws EntryException {
        if (!name.matches("[A-Za-z][A-Za-z0-9]{0,63}")) {
            throw new EntryException("'" + BootEntry.printable(name) + "' is not a variable name");
        }
        return dir.resolve(name + "-" + LOADER_GUID);
    }

    /** The bytes of a variable file holding {@code value}. */
    static byte[] encode(String value) throws EntryException {
        if (value.isEmpty() || value.length() > MAX_CHARS || value.indexOf('\0') >= 0) {
            throw new EntryException("'" + BootEntry.printable(value) + "' cannot be an EFI variable value");
        }
        byte[] s;
        try {
            // getBytes would store a lone surrogate as '?': a different value than asked
            ByteBuffer enc = StandardCharsets.UTF_16LE.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(value));
            s = new byte[enc.remaining()];
            enc.get(s);
        } catch (CharacterCodingException e) {
            throw new EntryException("'" + BootEntry.printable(value) + "' is not valid UTF-16 text", e);
        }
        ByteBuffer b = ByteBuffer.allocate(4 + s.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(ATTRIBUTES).put(s).putShort((short) 0);
        return b.array();
    }

    /** The string in a variable file's bytes: after the attribute word, up to the first NUL. */
    static String decode(byte[] raw) throws EntryException {
        if (raw.length < 4 || (raw.length - 4) % 2 != 0 || raw.length > 4 + 2 * (MAX_CHARS + 1)) {
            throw new EntryException("an EFI variable of " + raw.length + " bytes is not a UTF-16 string");
        }
        String s = new String(raw, 4, raw.length - 4, StandardCharsets.UTF_16LE);
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }
}

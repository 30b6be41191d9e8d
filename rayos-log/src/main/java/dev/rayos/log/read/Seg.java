package dev.rayos.log.read;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One log file of a boot, opened for a read: its channel, and its size and inode taken at the open.
 * The size bounds what the read sees, so lines appended meanwhile wait for the next read or poll;
 * the inode is how a follower knows the file after a rotation renamed it.
 */
final class Seg {
    final String category;
    final Path path;
    final FileChannel ch;
    final long size;
    final long inode;

    Seg(String category, Path path, FileChannel ch, long size, long inode) {
        this.category = category;
        this.path = path;
        this.ch = ch;
        this.size = size;
        this.inode = inode;
    }
}

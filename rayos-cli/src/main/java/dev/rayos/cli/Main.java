package dev.rayos.cli;

import picocli.CommandLine;

/** Entry point of the {@code rayos} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(RayosCommand.commandLine(args).execute(args));
    }
}

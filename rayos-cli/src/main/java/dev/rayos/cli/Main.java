package dev.rayos.cli;

/** Entry point of the {@code rayos} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(0);
    }
}

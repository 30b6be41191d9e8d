package dev.rayos.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the rayos command in this JVM against a root, capturing what it prints (logs output included). */
final class ReadingCli {
    record Result(int exit, String out, String err) {}

    private ReadingCli() {}

    static Result run(Path root, String... args) {
        CommandLine cl = RayosCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ((LogsCommand) cl.getSubcommands().get("logs").getCommand()).out = bytes;
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = root.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = cl.execute(all);
        return new Result(exit, out + bytes.toString(StandardCharsets.UTF_8), err.toString());
    }
}

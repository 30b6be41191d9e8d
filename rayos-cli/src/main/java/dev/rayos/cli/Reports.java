package dev.rayos.cli;

import dev.rayos.recovery.Report;
import java.io.PrintWriter;

/** Prints a recovery tool's report: a line per change, then what was left, then notes. */
final class Reports {
    private Reports() {}

    static void print(PrintWriter out, Report r) {
        for (Report.Change c : r.changes()) {
            out.println(c.line());
        }
        for (String u : r.unresolved()) {
            out.println("NOT REPAIRED " + u);
        }
        for (String n : r.notes()) {
            out.println("note: " + n);
        }
    }
}

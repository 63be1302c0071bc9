package io.fleetpulse.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * A check of help texts that picocli only reports when --help is rendered: a description is a format string, so a
 * bare '%' (write "%%") makes picocli print "[picocli WARN] Could not format ..." to stderr, three times, in the
 * middle of the help. Each CLI's tests run {@link #warnings} over its whole command tree.
 */
public final class HelpText {

  private HelpText() {}

  /** The picocli warnings printed while rendering the help of every command in the tree. */
  public static synchronized List<String> warnings(CommandLine root) {
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    // Picocli's tracer writes to whatever System.err is at the moment it warns.
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      render(root);
    } finally {
      System.setErr(stderr);
    }
    List<String> out = new ArrayList<>();
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("[picocli WARN]") && !out.contains(line)) out.add(line);
    }
    return out;
  }

  private static void render(CommandLine cl) {
    cl.getUsageMessage();
    cl.getSubcommands().values().forEach(HelpText::render);
  }
}

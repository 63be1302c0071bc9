package io.fleetpulse.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/options.md: every flag of every command, rendered from the {@link Opt}s the commands are built from. A
 * test compares the file with this rendering, so the page cannot drift from --help.
 */
public final class OptionsDocs {

  private OptionsDocs() {}

  public static String render(List<CommandLine> roots) {
    List<CommandLine> all = roots.stream().flatMap(r -> Commands.tree(r).stream()).toList();
    StringBuilder md = new StringBuilder();
    md.append("# Options of every command\n\n")
        .append("Generated from the option declarations (`SharedOptions` and each command's own) by `OptionsDocs`; ")
        .append("a test fails when this page and the code disagree. Every flag can also be set by the environment ")
        .append("variable shown (the flag wins); repeatable `KEY=VALUE` flags have none. A flag that several ")
        .append("commands share is declared once and reads, defaults and means the same in each.\n\n");
    Map<Opt<?>, List<String>> shared = new LinkedHashMap<>();
    for (CommandLine cl : all) {
      for (OptionSpec spec : cl.getCommandSpec().options()) {
        Opt<?> opt = Commands.optOf(spec);
        if (opt != null) shared.computeIfAbsent(opt, o -> new java.util.ArrayList<>()).add(name(cl));
      }
    }
    md.append("## Shared flags\n\n| flag | value | default | env | commands | meaning |\n|---|---|---|---|---|---|\n");
    shared.forEach((opt, commands) -> {
      if (commands.size() > 1) md.append(row(opt, String.join(", ", commands)));
    });
    for (CommandLine cl : all) {
      List<Opt<?>> own = cl.getCommandSpec().options().stream().map(Commands::optOf)
          .filter(o -> o != null && shared.get(o).size() == 1).toList();
      List<Opt<?>> flags = cl.getCommandSpec().options().stream().map(Commands::optOf).filter(o -> o != null).toList();
      if (flags.isEmpty()) continue;
      md.append("\n## `").append(name(cl)).append("`\n\n");
      List<String> sharedFlags = flags.stream().filter(o -> !own.contains(o)).map(Opt::flag).toList();
      if (!sharedFlags.isEmpty()) {
        md.append("Shared flags: ").append(String.join(", ", sharedFlags.stream().map(f -> "`" + f + "`").toList()))
            .append(".\n\n");
      }
      if (own.isEmpty()) continue;
      md.append("| flag | value | default | env | meaning |\n|---|---|---|---|---|\n");
      own.forEach(opt -> md.append(row(opt, null)));
    }
    return md.toString();
  }

  /** The command as a user types it: {@code fleetpulse query serve}, {@code fleetpulse bench job}. */
  static String name(CommandLine cl) {
    String q = cl.getCommandSpec().qualifiedName();
    return q.startsWith("fleetpulse") ? q : "fleetpulse " + q;
  }

  private static String row(Opt<?> opt, String commands) {
    StringBuilder r = new StringBuilder("| `").append(opt.flag()).append("` | `").append(cell(opt.label()))
        .append("` | ").append(cell(opt.defaultText())).append(" | ")
        .append(opt.isMultiple() ? "-" : "`" + opt.envVar() + "`").append(" | ");
    if (commands != null) r.append(cell(commands)).append(" | ");
    return r.append(cell(opt.description())).append(" |\n").toString();
  }

  /** A table cell: a pipe would end it, so it is escaped (also inside code spans, which GitHub honours). */
  static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}

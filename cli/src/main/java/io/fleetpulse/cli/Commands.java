package io.fleetpulse.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Builds a command's command line from its {@link Opt}s, and finds the Opt behind each flag of a command tree. */
public final class Commands {

  private Commands() {}

  /** {@code command} (a picocli {@code @Command} for its name and description) with {@code options} as its flags. */
  public static CommandLine commandLine(Object command, List<? extends Opt<?>> options) {
    CommandLine cl = new CommandLine(command);
    Flags.declare(cl.getCommandSpec(), options);
    return cl;
  }

  /** The groups of options one after the other, as a command lists them. */
  @SafeVarargs
  public static List<Opt<?>> options(List<? extends Opt<?>>... groups) {
    List<Opt<?>> all = new ArrayList<>();
    for (List<? extends Opt<?>> group : groups) all.addAll(group);
    return List.copyOf(all);
  }

  /** The Opt a flag was built from, or null for picocli's own (--help, --version). */
  public static Opt<?> optOf(OptionSpec spec) {
    return spec.userObject() instanceof Opt<?> opt ? opt : null;
  }

  /** Every command of the tree under {@code root}, root first, depth first. */
  public static List<CommandLine> tree(CommandLine root) {
    List<CommandLine> all = new ArrayList<>();
    all.add(root);
    root.getSubcommands().values().forEach(sub -> all.addAll(tree(sub)));
    return all;
  }
}

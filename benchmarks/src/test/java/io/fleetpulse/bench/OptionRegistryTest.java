package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.HelpText;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.OptionsDocs;
import io.fleetpulse.runner.FleetPulseCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command of ./fleetpulse (bench included, which lives here and sees them all) takes its flags from the one
 * registry: a flag two commands share is one declaration, and docs/options.md is its rendering.
 */
class OptionRegistryTest {

  static final Path PAGE = Path.of("..", "docs", "options.md");

  static List<CommandLine> roots() {
    return List.of(FleetPulseCli.commandLine(), BenchCli.commandLine());
  }

  @Test
  void everyFlagComesFromTheRegistryAndASharedFlagIsOneDeclaration() {
    Map<String, Opt<?>> byFlag = new HashMap<>();
    Map<String, String> firstCommand = new HashMap<>();
    for (CommandLine root : roots()) {
      for (CommandLine cl : Commands.tree(root)) {
        for (OptionSpec spec : cl.getCommandSpec().options()) {
          if (spec.usageHelp() || spec.versionHelp()) continue;
          Opt<?> opt = Commands.optOf(spec);
          String where = cl.getCommandSpec().qualifiedName() + " " + spec.longestName();
          assertThat(opt).as("%s is declared as an Opt", where).isNotNull();
          Opt<?> seen = byFlag.putIfAbsent(spec.longestName(), opt);
          firstCommand.putIfAbsent(spec.longestName(), cl.getCommandSpec().qualifiedName());
          assertThat(seen == null || seen == opt)
              .as("%s and %s declare %s twice: declare it once in SharedOptions", where,
                  firstCommand.get(spec.longestName()), spec.longestName())
              .isTrue();
        }
      }
    }
    assertThat(byFlag).containsKeys("--data", "--bootstrap-servers", "--checkpoint-interval", "--partitions");
  }

  /**
   * An option declared in a registry but given to no command is a flag nobody can pass (the job's --workload-topic
   * once was, until it was added to JobOptions.ALL by hand): every public Opt of each registry is some command's.
   */
  @Test
  void everyOptionOfTheRegistriesIsSomeCommandsFlag() throws Exception {
    java.util.Set<Opt<?>> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (CommandLine root : roots()) {
      for (CommandLine cl : Commands.tree(root)) {
        for (OptionSpec spec : cl.getCommandSpec().options()) {
          Opt<?> opt = Commands.optOf(spec);
          if (opt != null) used.add(opt);
        }
      }
    }
    for (Class<?> registry : List.of(io.fleetpulse.cli.SharedOptions.class, io.fleetpulse.jobs.config.JobOptions.class,
        io.fleetpulse.lake.LakeOptions.class)) {
      for (java.lang.reflect.Field f : registry.getFields()) {
        if (!java.lang.reflect.Modifier.isStatic(f.getModifiers()) || !Opt.class.isAssignableFrom(f.getType())) continue;
        assertThat(used).as("%s.%s is no command's flag: add it to a command's option list", registry.getSimpleName(),
            f.getName()).contains((Opt<?>) f.get(null));
      }
    }
  }

  @Test
  void sharedFlagsReadTheSameInEveryHelp() {
    CommandLine cli = FleetPulseCli.commandLine();
    for (String command : List.of("demo", "job")) {
      OptionSpec data = cli.getSubcommands().get(command).getCommandSpec().findOption("--data");
      assertThat(data.paramLabel()).isEqualTo("DIR");
      assertThat(data.description()[0]).contains("Default: ./data.");
      OptionSpec ckp = cli.getSubcommands().get(command).getCommandSpec().findOption("--checkpoint-interval");
      assertThat(ckp.description()[0]).contains("Default: 5s.");
    }
  }

  @Test
  void theHelpOfEveryCommandRendersWithoutWarnings() {
    for (CommandLine root : roots()) assertThat(HelpText.warnings(root)).isEmpty();
  }

  @Test
  void theOptionsPageIsTheRegistryRendered() throws Exception {
    String rendered = OptionsDocs.render(roots());
    if (Boolean.getBoolean("update-docs")) Files.writeString(PAGE, rendered);
    assertThat(PAGE).exists();
    assertThat(Files.readString(PAGE))
        .as("docs/options.md is stale: run ./mvnw -pl benchmarks -am test -Dtest=OptionRegistryTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dupdate-docs=true")
        .isEqualTo(rendered);
    // A table row has as many cells as its header: no unescaped | inside a cell.
    for (String line : rendered.lines().filter(l -> l.startsWith("| `--")).toList()) {
      long cells = line.replace("\\|", "").chars().filter(c -> c == '|').count();
      assertThat(cells).as(line).isIn(6L, 7L);
    }
  }
}

package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fleetpulse.cli.Commands;
import io.fleetpulse.cli.Flags;
import io.fleetpulse.cli.FleetOptions;
import io.fleetpulse.cli.Opt;
import io.fleetpulse.cli.SharedOptions;
import io.fleetpulse.runner.FleetPulseCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code ./fleetpulse ...} line in the code blocks of the READMEs and docs/ is a command that parses: its flags
 * exist, its values read, and its fleet flags (--config, --chips, --set ...) make a valid fleet. It is not run (a
 * demo takes minutes); the ITs run the same commands.
 */
class DocumentedCommandsTest {

  static final Path ROOT = Path.of("..");

  /** A placeholder a reader replaces (HOST:PORT, DIR, NAME): such a line shows a form, not a command. */
  static boolean hasPlaceholder(List<String> args) {
    return args.stream().anyMatch(a -> a.matches(".*\\b(HOST:PORT|DIR|FILE|NAME|SQL)\\b.*") && !a.contains(" "));
  }

  @Test
  void everyDocumentedCommandParsesAndDescribesAValidFleet() throws IOException {
    List<String> lines = documentedCommands();
    assertThat(lines).as("commands found in the docs").hasSizeGreaterThan(15);
    for (String line : lines) {
      List<String> args = words(line);
      if (hasPlaceholder(args)) continue;
      assertThatCode(() -> check(args)).as(line).doesNotThrowAnyException();
    }
  }

  @Test
  void aWrongExampleIsCaught() {
    // The example the README once had: shares must sum to 1, so it always failed.
    assertThat(catchOf(List.of("demo", "--set", "sites.us-in.share=0.6"))).hasMessageContaining("sum to 1");
    assertThat(catchOf(List.of("job", "--no-such-flag"))).hasMessageContaining("--no-such-flag");
  }

  static Throwable catchOf(List<String> args) {
    try {
      check(args);
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  static void check(List<String> args) {
    boolean bench = !args.isEmpty() && args.get(0).equals("bench");
    CommandLine root = bench ? BenchCli.commandLine() : FleetPulseCli.commandLine();
    CommandLine.ParseResult parsed = root.parseArgs((bench ? args.subList(1, args.size()) : args)
        .toArray(String[]::new));
    while (parsed.hasSubcommand()) parsed = parsed.subcommand();
    List<Opt<?>> options = new ArrayList<>();
    for (CommandLine.Model.OptionSpec spec : parsed.commandSpec().options()) {
      Opt<?> opt = Commands.optOf(spec);
      if (opt != null) options.add(opt);
    }
    Flags flags = Flags.read(parsed, options, Map.of());
    if (options.contains(SharedOptions.CHIPS) && options.contains(SharedOptions.SET)) {
      FleetOptions fleet = FleetOptions.from(flags);
      Path config = flags.get(SharedOptions.CONFIG);
      if (config != null && !config.isAbsolute()) {
        fleet = new FleetOptions(ROOT.resolve(config), flags.get(SharedOptions.CHIPS), flags.get(SharedOptions.INTERVAL),
            null, flags.get(SharedOptions.SET));
      }
      fleet.load();
    }
  }

  /** The ./fleetpulse lines of fenced code blocks, without "./fleetpulse", comments and redirections. */
  static List<String> documentedCommands() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> walk = Files.walk(ROOT)) {
      walk.filter(p -> p.toString().endsWith(".md") && !p.toString().contains("target")
          && !p.toString().contains("node_modules") && !p.equals(ROOT.resolve("README.md"))).forEach(pages::add);
    }
    List<String> commands = new ArrayList<>();
    for (Path page : pages) {
      boolean inBlock = false;
      for (String line : Files.readAllLines(page)) {
        if (line.strip().startsWith("```")) {
          inBlock = !inBlock;
          continue;
        }
        String l = line.strip();
        if (inBlock && l.startsWith("./fleetpulse ")) commands.add(l.substring("./fleetpulse ".length()));
      }
    }
    return commands;
  }

  /** Shell words: quotes group, a # starts a comment, a redirection ends the command. */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) quote = 0; else w.append(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) out.add(w.toString());
        w.setLength(0);
        inWord = false;
      } else if ((c == '#' || c == '>' || c == '|') && !inWord) {
        break;
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) out.add(w.toString());
    return out;
  }
}

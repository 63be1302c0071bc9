package io.fleetpulse.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing cites a file the repository does not hold: every relative Markdown link, and every {@code docs/*.md} a
 * source comment or doc names, exists. (The design once lived in a brief outside the repository; twelve comments
 * cited it.)
 */
class CitedFilesExistTest {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
  static final Pattern DOC = Pattern.compile("\\b((?:[a-z-]+/)*docs/[A-Za-z0-9_-]+\\.md)\\b");

  static List<Path> files(String... suffixes) throws IOException {
    try (Stream<Path> walk = Files.walk(ROOT)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/node_modules/")
              && !p.toString().contains("/.git/"))
          .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s))).toList();
    }
  }

  @Test
  void everyRelativeLinkInTheDocsResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path md : files(".md")) {
      Matcher m = LINK.matcher(Files.readString(md));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) continue; // http:, https:, mailto:
        if (!Files.exists(md.getParent().resolve(target))) broken.add(ROOT.relativize(md) + " -> " + target);
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void noFileKeepsAMergeConflictMarker() throws IOException {
    List<String> marked = new ArrayList<>();
    for (Path f : files(".java", ".md", ".yaml", ".yml", ".xml", ".sql", ".properties", ".json", ".js", ".html")) {
      if (Files.readAllLines(f).stream().anyMatch(l -> l.startsWith("<<<<<<< ") || l.startsWith(">>>>>>> "))) {
        marked.add(ROOT.relativize(f).toString());
      }
    }
    assertThat(marked).isEmpty();
  }

  @Test
  void everyDocThatCodeOrDocsNameExists() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path f : files(".java", ".md", ".yaml", ".yml", ".xml", ".sql", ".ipynb", ".js", ".html")) {
      Matcher m = DOC.matcher(Files.readString(f));
      while (m.find()) {
        String cited = m.group(1);
        String fromRoot = cited.substring(cited.indexOf("docs/"));
        if (!Files.exists(ROOT.resolve(cited)) && !Files.exists(ROOT.resolve(fromRoot))) {
          missing.add(ROOT.relativize(f) + " cites " + cited);
        }
      }
    }
    assertThat(missing).isEmpty();
    assertThat(Files.readString(ROOT.resolve("docs/design.md"))).contains("## 3");
  }
}

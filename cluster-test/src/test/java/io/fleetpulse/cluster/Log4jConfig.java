package io.fleetpulse.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A Log4j 2 properties file for a child JVM: everything to stdout, which the test sends to the process's log. */
final class Log4jConfig {

  private Log4jConfig() {}

  static Path write(Path file, String rootLevel, Map<String, String> loggers) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("rootLogger.level = ").append(rootLevel).append('\n');
    sb.append("rootLogger.appenderRef.out.ref = out\n");
    sb.append("appender.out.type = Console\n");
    sb.append("appender.out.name = out\n");
    sb.append("appender.out.layout.type = PatternLayout\n");
    sb.append("appender.out.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n\n");
    int i = 0;
    for (var e : loggers.entrySet()) {
      sb.append("logger.l").append(i).append(".name = ").append(e.getKey()).append('\n');
      sb.append("logger.l").append(i).append(".level = ").append(e.getValue()).append('\n');
      i++;
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    return file;
  }
}

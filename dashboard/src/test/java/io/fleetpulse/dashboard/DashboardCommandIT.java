package io.fleetpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.fleetpulse.kafka.EmbeddedKafkaBroker;
import io.fleetpulse.cli.CliErrors;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code fleetpulse dashboard} against a real broker: it serves, prints its URL and stops cleanly. */
@Timeout(120)
class DashboardCommandIT {

  @Test
  void servesUntilStoppedAndPrintsItsUrl() throws Exception {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().build().start()) {
      CommandLine cl = CliErrors.install(DashboardCommand.commandLine());
      DashboardCommand command = cl.getCommand();
      UrlWatcher err = new UrlWatcher();
      cl.setErr(new PrintWriter(err, true));
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
          () -> cl.execute("--bootstrap-servers", kafka.bootstrapServers(), "--dashboard-port", "0"));

      URI url = err.url.get(60, TimeUnit.SECONDS);
      assertThat(url.getHost()).isEqualTo("127.0.0.1");
      HttpResponse<String> page = HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("FleetPulse live");

      command.stopRequested.countDown();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(err.text()).contains("Ctrl-C stops", "dashboard: stopped");
    }
  }

  /** The command's stderr, completing {@link #url} when the "serving URL" line is written. */
  static final class UrlWatcher extends Writer {
    private static final Pattern SERVING = Pattern.compile("serving (http://\\S+/)");
    private final StringBuffer text = new StringBuffer();
    final CompletableFuture<URI> url = new CompletableFuture<>();

    @Override
    public void write(char[] buf, int off, int len) {
      text.append(buf, off, len);
      Matcher m = SERVING.matcher(text);
      if (m.find()) url.complete(URI.create(m.group(1)));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String text() {
      return text.toString();
    }
  }
}

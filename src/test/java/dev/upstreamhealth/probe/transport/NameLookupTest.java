package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.runtime.FailedLookupCaching;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prober's own name lookups, through the JDK's resolver made a hosts file: only a resolver's
 * answer that the name does not exist is Unreachable; a resolver that fails or does not answer,
 * and the backlog behind it, is no evidence. The file is the JVM's only resolver
 * ({@code -Djdk.net.hosts.file}, which the pom's execution of this class sets at JVM start), so no
 * lookup leaves the machine; without it these tests do not run, since the system's resolver would
 * ask DNS servers.
 */
class NameLookupTest {
  private static final String HOSTS_FILE = System.getProperty("jdk.net.hosts.file");
  private static final String HOST = "shop.example.com";

  private static Path hosts;
  private static NettyProber prober;

  @BeforeAll
  static void startProber() throws IOException {
    assumeTrue(HOSTS_FILE != null, "needs -Djdk.net.hosts.file, as the pom's name-lookups execution sets it");
    FailedLookupCaching.applyBeforeFirstUse(); // as Main does
    hosts = Path.of(HOSTS_FILE);
    writeHosts();
    prober = NettyProbers.anyAddress();
  }

  @AfterAll
  static void stopProber() {
    if (prober != null) {
      prober.close();
    }
  }

  @Test
  void aNameTheResolverKnowsIsProbedAtItsAddress() {
    try (LoopbackServer server = LoopbackServer.http("127.0.0.31", 0, Behaviour.status(200))) {
      ProbeResult result = probe(target("lb.known.test", server.port(), Duration.ofSeconds(5)));

      assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(result.trace().remoteAddress()).isEqualTo("127.0.0.31:" + server.port());
    }
  }

  /**
   * An AWS load balancer's name in three zones, or an origin name with several A records: the CDN
   * goes on to the next address when one refuses the connection, and so does the probe.
   */
  @Test
  void aNameWithSeveralAddressesIsServedWhileOneOfThemTakesTheConnection() throws IOException {
    try (LoopbackServer server = LoopbackServer.http("127.0.0.34", 0, Behaviour.status(200))) {
      writeHosts("127.0.0.32 lb.zones.test", "127.0.0.33 lb.zones.test", "127.0.0.34 lb.zones.test");

      ProbeResult result = probe(target("lb.zones.test", server.port(), Duration.ofSeconds(5)));

      assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(result.statusCode()).isEqualTo(200);
      assertThat(result.trace().remoteAddress()).isEqualTo("127.0.0.34:" + server.port());
    } finally {
      rewriteHosts();
    }
  }

  @Test
  void aNameWhoseEveryAddressRefusesIsRefusedAndEachAddressIsNamed() throws IOException {
    try (LoopbackServer server = LoopbackServer.http("127.0.0.35", 0, Behaviour.status(200))) {
      int nothingListens = server.port(); // the port is taken on .35 only
      writeHosts("127.0.0.36 lb.all-down.test", "127.0.0.37 lb.all-down.test");

      ProbeResult result = probe(target("lb.all-down.test", nothingListens, Duration.ofSeconds(5)));

      assertThat(result.outcome()).isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
      assertThat(result.detail()).isEqualTo("connection refused by lb.all-down.test:" + nothingListens
          + "; no address of lb.all-down.test took the connection (127.0.0.36 ConnectionRefused, 127.0.0.37 ConnectionRefused)");
    } finally {
      rewriteHosts();
    }
  }

  /** A single address says no more than it did: the detail is the connection's own. */
  @Test
  void aNameWithOneAddressThatRefusesReadsAsBefore() throws IOException {
    try (LoopbackServer server = LoopbackServer.http("127.0.0.38", 0, Behaviour.status(200))) {
      writeHosts("127.0.0.39 lb.one-down.test");

      ProbeResult result = probe(target("lb.one-down.test", server.port(), Duration.ofSeconds(5)));

      assertThat(result.outcome()).isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
      assertThat(result.detail()).isEqualTo("connection refused by lb.one-down.test:" + server.port());
    } finally {
      rewriteHosts();
    }
  }

  @Test
  void aNameTheResolverSaysDoesNotExistIsUnreachable() {
    ProbeResult result = probe(target("lb.unknown.test", 80, Duration.ofSeconds(5)));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.UNREACHABLE);
    assertThat(result.detail()).isEqualTo("name lb.unknown.test does not resolve");
  }

  /** The JVM's cache of failed lookups would answer the second with the bare name: no evidence. */
  @Test
  void aNameTheResolverSaysDoesNotExistIsUnreachableAtEveryProbe() {
    ProbeResult first = probe(target("lb.deleted.test", 80, Duration.ofSeconds(5)));
    ProbeResult second = probe(target("lb.deleted.test", 80, Duration.ofSeconds(5)));

    assertThat(List.of(first, second)).extracting(ProbeResult::outcome)
        .containsExactly(ProbeOutcome.UNREACHABLE, ProbeOutcome.UNREACHABLE);
  }

  @Test
  void aResolverThatFailsIsNoEvidence() throws IOException {
    Files.delete(hosts);
    try {
      ProbeResult result = probe(target("lb.resolver-broken.test", 80, Duration.ofSeconds(5)));

      assertThat(result.outcome()).isEqualTo(ProbeOutcome.NAME_LOOKUP_FAILED);
      assertThat(result.detail()).startsWith("looking up lb.resolver-broken.test failed: ").contains("not found");
    } finally {
      writeHosts();
    }
  }

  /**
   * The hosts file made a FIFO with no writer: opening it waits, as a lookup waits on a resolver
   * that does not answer. The four lookup threads wait, 1024 lookups queue behind them, and the
   * probes beyond are turned away at once.
   */
  @Test
  void aResolverThatDoesNotAnswerIsNoEvidenceNorIsTheBacklogBehindIt() throws Exception {
    Files.delete(hosts);
    try {
      assumeTrue(new ProcessBuilder("mkfifo", hosts.toString()).start().waitFor() == 0, "needs mkfifo");
      List<CompletableFuture<ProbeResult>> probes = IntStream.range(0, 4 + 1024 + 2)
          .mapToObj(i -> prober.probe(target("lb.resolver-silent.test", 80, Duration.ofMillis(300))))
          .toList();
      List<ProbeResult> results = probes.stream().map(NameLookupTest::result).toList();

      assertThat(results).extracting(ProbeResult::outcome).containsOnly(ProbeOutcome.NAME_LOOKUP_FAILED);
      assertThat(results).extracting(ProbeResult::detail)
          .contains("looking up lb.resolver-silent.test failed: no answer within 300ms")
          .contains("looking up lb.resolver-silent.test failed: 1024 name lookups waiting already");
    } finally {
      releaseWaitingLookups();
      writeHosts();
      awaitNoLookupBacklog();
    }
  }

  /**
   * The lookups queued behind the silent resolver end at once once it answers, but on the
   * lookup threads' time: the tests after this one must not meet that backlog.
   */
  private static void awaitNoLookupBacklog() {
    await().atMost(Duration.ofSeconds(30)).until(() ->
        probe(target("lb.after-the-backlog.test", 80, Duration.ofSeconds(5))).outcome() == ProbeOutcome.UNREACHABLE);
  }

  /**
   * A reader and a writer at once: opening the FIFO so never waits, and lets the lookups waiting
   * to open it go on; they read to its end once this closes, and later ones find no FIFO.
   */
  private static void releaseWaitingLookups() throws IOException {
    try (RandomAccessFile both = new RandomAccessFile(hosts.toFile(), "rw")) {
      Files.delete(hosts);
    }
  }

  private static void writeHosts(String... moreLines) throws IOException {
    StringBuilder lines = new StringBuilder("127.0.0.31 lb.known.test\n");
    for (String line : moreLines) {
      lines.append(line).append('\n');
    }
    Files.writeString(hosts, lines);
  }

  private static void rewriteHosts() {
    try {
      writeHosts();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProbeTarget target(String name, int port, Duration timeout) {
    return new ProbeTarget(ProbeLayer.ORIGIN, name, port, Scheme.HTTP, HOST, "/", timeout, "");
  }

  private static ProbeResult probe(ProbeTarget target) {
    return result(prober.probe(target));
  }

  private static ProbeResult result(CompletableFuture<ProbeResult> probe) {
    try {
      return probe.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the probe future must complete normally", e);
    }
  }
}

package dev.upstreamhealth.demo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * {@code demo [--once] [--kubeconfig FILE]}: the real operator on an embedded API server with
 * sample Sites in the situations users meet; live, it plays a timeline that breaks and fixes
 * them until Ctrl-C; with --once it checks that every Site settles as it should and exits.
 */
public final class DemoCommand {
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration BEFORE_FIRST_STEP = Duration.ofSeconds(8);
  private static final Duration BETWEEN_STEPS = Duration.ofSeconds(7);

  /** The mock API server logs every request through java.util.logging; held so the level sticks. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private DemoCommand() {}

  /** Returns the process exit code. */
  public static int run(List<String> args) {
    boolean once = false;
    Path kubeconfig = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--once")) {
        once = true;
      } else if (a.equals("--kubeconfig") && i + 1 < args.size()) {
        kubeconfig = Path.of(args.get(++i));
      } else if (a.startsWith("--kubeconfig=")) {
        kubeconfig = Path.of(a.substring("--kubeconfig=".length()));
      } else {
        throw new IllegalArgumentException("demo: unknown argument " + a + " (demo [--once] [--kubeconfig FILE])");
      }
    }
    // The table and the Events tell the story; the operator's INFO lines would scroll it away.
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    // v1alpha1 is what the demo installs; being told so on every start helps nobody.
    ((Logger) LoggerFactory.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")).setLevel(Level.ERROR);
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    return once ? runOnce(System.out) : runLive(System.out, kubeconfig);
  }

  /** Waits until every Site settles (or {@link #SETTLE_TIMEOUT}), prints them, 0 when all are right. */
  static int runOnce(PrintStream out) {
    long started = System.nanoTime();
    try (RunningDemo demo = RunningDemo.start()) {
      out.println("upstream-health-operator demo --once: " + demo.scenarios().size()
          + " Sites on an embedded API server at " + demo.apiUrl());
      List<String> unsettled = awaitSettled(demo, SETTLE_TIMEOUT);
      out.printf("%s after %.1f s%n%n", unsettled.isEmpty() ? "settled" : "gave up", (System.nanoTime() - started) / 1e9);
      out.print(StatusTable.render(demo.sites(), Terminal.width()));
      out.println();
      out.println("Events:");
      demo.siteEvents().forEach(e -> out.println("  " + EventLines.line(e)));
      out.println();
      if (unsettled.isEmpty()) {
        out.println("OK: every Site shows the fault and reason it should.");
        return 0;
      }
      out.println("FAILED:");
      unsettled.forEach(w -> out.println("  " + w));
      return 1;
    }
  }

  static List<String> awaitSettled(RunningDemo demo, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> unsettled = demo.unsettled();
    while (!unsettled.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      unsettled = demo.unsettled();
    }
    return unsettled;
  }

  /** Runs until Ctrl-C (SIGINT) or SIGTERM; the shutdown hook stops everything it started. */
  private static int runLive(PrintStream out, Path kubeconfigFile) {
    boolean interactive = Terminal.isInteractive();
    out.println("starting the embedded API server, the operator and " + "the sample Sites ...");
    RunningDemo demo = RunningDemo.start();
    Path kubeconfig = demo.writeKubeconfig(kubeconfigFile);
    String banner = banner(demo, kubeconfig);
    LiveView view = new LiveView(demo.client(), out, interactive, banner);
    Thread timeline = new Thread(() -> {
      if (demo.timeline().play(BEFORE_FIRST_STEP, Timeline.Pause.of(BETWEEN_STEPS), view::tell)) {
        view.tell("timeline done; the operator keeps watching. Try kubectl now; Ctrl-C to stop.");
      }
    }, "demo-timeline");
    timeline.setDaemon(true);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      timeline.interrupt();
      view.close();
      demo.close();
      if (kubeconfigFile == null) {
        DemoKubeconfig.delete(kubeconfig);
      }
      out.println("\ndemo stopped: operator, stand-in servers and API server closed.");
      out.flush();
      stopped.countDown();
    }, "demo-shutdown"));
    view.start();
    timeline.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static String banner(RunningDemo demo, Path kubeconfig) {
    List<String> lines = new ArrayList<>();
    lines.add("upstream-health-operator demo: the real operator on an embedded API server at " + demo.apiUrl());
    lines.add("kubectl:  export KUBECONFIG=" + kubeconfig.toAbsolutePath());
    lines.add("          kubectl get sites -A    kubectl describe site -n demo-crashloop api    kubectl get events -A");
    lines.add("Ctrl-C stops it.");
    return String.join("\n", lines) + "\n";
  }
}

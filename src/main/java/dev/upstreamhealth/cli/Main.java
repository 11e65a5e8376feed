package dev.upstreamhealth.cli;

import dev.upstreamhealth.demo.DemoCommand;
import dev.upstreamhealth.generate.GenerateCommand;
import dev.upstreamhealth.reconciler.OperatorDecoding;
import dev.upstreamhealth.runtime.CommonPoolSizing;
import dev.upstreamhealth.runtime.FailedLookupCaching;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar upstream-health-operator.jar [operator|demo|generate|reasons] [flags]}. */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    CommonPoolSizing.applyBeforeFirstUse();
    FailedLookupCaching.applyBeforeFirstUse();
    List<String> rest = new ArrayList<>(List.of(args));
    String command = rest.isEmpty() || rest.get(0).startsWith("-") ? "operator" : rest.remove(0);
    if (command.equals("generate")) {
      System.exit(GenerateCommand.run(rest, System.out, System.err));
    }
    if (rest.contains("--help") || rest.contains("-h") || command.equals("help")) {
      System.out.print(OperatorOptions.USAGE);
      return;
    }
    try {
      switch (command) {
        case "operator" -> runOperator(OperatorOptions.parse(rest));
        case "demo" -> System.exit(DemoCommand.run(rest));
        case "reasons" -> System.out.print(ReasonsCommand.catalogue());
        default -> throw new IllegalArgumentException("unknown command " + command);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(OperatorOptions.USAGE);
      System.exit(2);
    }
  }

  /** Runs until SIGTERM or SIGINT, then stops probes, finishes in-flight work and exits 0. */
  private static void runOperator(OperatorOptions options) {
    KubernetesClient client = OperatorDecoding.apply(new KubernetesClientBuilder()).build();
    log.info("connecting to {}", client.getMasterUrl());
    UpstreamHealthOperator operator;
    try {
      operator = UpstreamHealthOperator.start(client, options);
    } catch (RuntimeException e) {
      log.error("could not start: {} (is the CRD from crds/ installed, and may this account list Sites?)",
          rootMessage(e));
      client.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping");
      operator.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    log.info("operator running; metrics on port {}", operator.metricsPort());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}

package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the machine's CPU went over a window: the operator's is measured by its caller; this adds
 * the bench's own process (its API server, the loopback targets, the driver) and the machine's
 * busy and idle time from /proc/stat. The operator shares the two cores with the bench, where in a
 * cluster the API server and the pods run elsewhere: a start-up figure reads right only beside
 * what the bench took from it.
 */
record MachineCpu(double benchSeconds, double busySeconds, double idleSeconds) {
  static MachineCpu now() {
    double[] machine = machine();
    return new MachineCpu(ProcessCpu.seconds(ProcessHandle.current().pid()), machine[0], machine[1]);
  }

  /** From this reading until now. */
  Share since() {
    MachineCpu later = now();
    return new Share(later.benchSeconds - benchSeconds, later.busySeconds - busySeconds,
        later.idleSeconds - idleSeconds);
  }

  record Share(double benchSeconds, double busySeconds, double idleSeconds) {
    String described(double operatorSeconds) {
      return String.format("the bench's own process (API server, loopback targets) %.1f CPU s, the machine busy %.1f"
              + " and idle %.1f CPU s (the operator %.0f %% of the busy time)", benchSeconds, busySeconds, idleSeconds,
          100 * operatorSeconds / busySeconds);
    }
  }

  /** Busy (user, nice, system, irq, softirq, steal) and idle (idle, iowait) seconds of every CPU. */
  private static double[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
          + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      double ticks = ProcessCpu.TICKS_PER_SECOND;
      return new double[] {busy / ticks, idle / ticks};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN, Double.NaN};
    }
  }
}

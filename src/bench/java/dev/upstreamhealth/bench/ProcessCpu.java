package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whole-process CPU (user + system) from /proc/PID/stat: counted the same way for every process. */
final class ProcessCpu {
  private static final long TICKS_PER_SECOND = ticksPerSecond();

  private ProcessCpu() {
  }

  /** CPU seconds the process has used so far, or NaN once it is gone. */
  static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The machine's load averages, as uptime shows them. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static long ticksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      return Long.parseLong(new String(p.getInputStream().readAllBytes()).strip());
    } catch (IOException | NumberFormatException e) {
      return 100;
    }
  }
}

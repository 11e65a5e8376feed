package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whole-process CPU (user + system) from /proc/PID/stat: counted the same way for every process. */
final class ProcessCpu {
  /** Clock ticks per second (USER_HZ), the unit of /proc/PID/stat and /proc/stat alike. */
  static final long TICKS_PER_SECOND = readTicksPerSecond();

  private ProcessCpu() {
  }

  /** CPU seconds the process has used so far, or NaN once it is gone. */
  static double seconds(long pid) {
    try {
      return secondsOf(Files.readString(Path.of("/proc/" + pid + "/stat")));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** User + system seconds from a /proc stat line, of a process or of one of its threads. */
  static double secondsOf(String stat) {
    // Fields after the command name, which is in parentheses and may contain spaces.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
  }

  /** The command (a thread's name, its first 15 characters) from a /proc stat line. */
  static String nameOf(String stat) {
    return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
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

  private static long readTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      return Long.parseLong(new String(p.getInputStream().readAllBytes()).strip());
    } catch (IOException | NumberFormatException e) {
      return 100;
    }
  }
}

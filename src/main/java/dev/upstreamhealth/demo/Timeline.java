package dev.upstreamhealth.demo;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Changes to the demo's world, in order, each with the status it should lead to. */
public final class Timeline {
  /** {@code says} what happens to {@code scenario}'s Site; afterwards it should show {@code then}. */
  public record Step(String says, Scenario scenario, Expectation then, Runnable action) {}

  private final List<Step> steps;

  Timeline(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public List<Step> steps() {
    return steps;
  }

  /**
   * Plays the steps at a pace people can follow, telling each one; returns early, false, when
   * interrupted (Ctrl-C).
   */
  public boolean play(Duration beforeFirst, Duration between, Consumer<String> tell) {
    try {
      Thread.sleep(beforeFirst.toMillis());
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        tell.accept("step " + (i + 1) + "/" + steps.size() + ": " + step.says() + " (expect " + step.then() + ")");
        step.action().run();
        Thread.sleep(between.toMillis());
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

package dev.upstreamhealth.demo;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** Changes to the demo's world, in order, each with the status it should lead to. */
public final class Timeline {
  /** {@code says} what happens to {@code scenario}'s Site; afterwards it should show {@code then}. */
  public record Step(String says, Scenario scenario, Expectation then, Runnable action) {}

  /** What happens after a step before the next one: the live demo gives people time to watch. */
  @FunctionalInterface
  public interface Pause {
    void after(Step step) throws InterruptedException;

    static Pause of(Duration duration) {
      return step -> Thread.sleep(duration.toMillis());
    }
  }

  private final List<Step> steps;

  Timeline(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * Plays the steps, telling each one, with {@code pause} after each; returns early, false, when
   * interrupted (Ctrl-C).
   */
  public boolean play(Duration beforeFirst, Pause pause, Consumer<String> tell) {
    try {
      Thread.sleep(beforeFirst.toMillis());
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        tell.accept("step " + (i + 1) + "/" + steps.size() + ": " + step.says() + " (expect " + step.then() + ")");
        step.action().run();
        pause.after(step);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

package dev.upstreamhealth.reconciler;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.EventHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** JOSDK's event handler as a busy operator holds it: counts the events, the first one waits until the gate opens. */
final class HeldEventHandler implements EventHandler {
  final CountDownLatch gate = new CountDownLatch(1);
  final CountDownLatch entered = new CountDownLatch(1);
  final AtomicInteger events = new AtomicInteger();

  @Override
  public void handleEvent(Event event) {
    entered.countDown();
    try {
      gate.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    events.incrementAndGet();
  }
}

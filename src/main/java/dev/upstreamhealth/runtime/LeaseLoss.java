package dev.upstreamhealth.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a leading replica does when it stops leading. Losing the Lease while it runs (its renewal
 * failed past the deadline, or another replica holds it now) ends the process, as JOSDK would,
 * so that the pod restarts and stands again with fresh caches. Stopping on purpose is no loss:
 * the elector is cancelled from the shutdown hook, and JOSDK's own exit would then run inside
 * that hook, where {@code System.exit} blocks for ever: the pod would hang until killed, and the
 * Lease would not be handed back.
 */
final class LeaseLoss {
  private static final Logger log = LoggerFactory.getLogger(LeaseLoss.class);

  private final boolean exitOnLoss;
  private final Runnable exit;
  private final AtomicBoolean stopping = new AtomicBoolean();

  /** @param exit what ends the process; run on a thread of its own, never the elector's */
  LeaseLoss(boolean exitOnLoss, Runnable exit) {
    this.exitOnLoss = exitOnLoss;
    this.exit = exit;
  }

  /** The operator is stopping: leading ends on purpose from now on. */
  void stopping() {
    stopping.set(true);
  }

  void stoppedLeading() {
    if (stopping.get()) {
      log.info("stopped leading: stopping");
      return;
    }
    if (!exitOnLoss) {
      log.warn("lost the Lease: this replica no longer probes or writes status");
      return;
    }
    log.error("lost the Lease: exiting, so that a fresh process stands for it again");
    Thread exiting = new Thread(exit, "exit-on-lease-loss");
    exiting.start();
  }
}

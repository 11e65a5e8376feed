package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.probe.NameLookups;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS answers for the names Sites are configured with, looked up on a thread of its own and kept
 * for a while: the reconcile thread reads what is known and never waits on DNS. A name is looked
 * up when a Site first asks and again each TTL; when the answer changes, the Sites that asked are
 * reconciled, as for a probe's conclusion.
 */
final class NameResolutions extends SimpleInboundEventSource<Site> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NameResolutions.class);

  /**
   * Looks a name up: an empty list when the name does not resolve; an exception when the lookup
   * itself failed (a resolver timing out or failing), which is no answer about the name.
   */
  interface Resolver {
    List<String> addressesOf(String name);

    Resolver SYSTEM = name -> {
      try {
        List<String> out = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(name)) {
          String text = a.getHostAddress();
          out.add(text.contains("%") ? text.substring(0, text.indexOf('%')) : text);
        }
        return out;
      } catch (UnknownHostException e) {
        if (NameLookups.saysNoSuchName(e)) {
          return List.of();
        }
        throw new UncheckedIOException(e);
      }
    };
  }

  private record Answer(List<String> addresses, Instant at) {}

  private final Resolver resolver;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, Set<ResourceID>> askers = new ConcurrentHashMap<>();
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /** Names whose last lookup failed: told once, not at every retry. */
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService lookups = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "name-resolutions");
    t.setDaemon(true);
    return t;
  });

  NameResolutions(Resolver resolver, Clock clock, Duration ttl) {
    super("NameResolutions");
    this.resolver = resolver;
    this.clock = clock;
    this.ttl = ttl;
    lookups.scheduleWithFixedDelay(this::refreshExpired, ttl.toMillis(), ttl.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * What the names resolved to so far, for the Site that needs them: names not looked up yet are
   * absent, and are looked up now, off this thread.
   */
  Map<String, List<String>> known(ResourceID site, Collection<String> names) {
    askers.values().forEach(ids -> ids.remove(site));
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String name : names) {
      askers.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(site);
      Answer answer = answers.get(name);
      if (answer == null) {
        lookUp(name);
      } else {
        out.put(name, answer.addresses());
      }
    }
    askers.values().removeIf(Set::isEmpty);
    return out;
  }

  void forget(ResourceID site) {
    askers.values().forEach(ids -> ids.remove(site));
    askers.values().removeIf(Set::isEmpty);
  }

  private void refreshExpired() {
    Instant now = clock.instant();
    answers.keySet().removeIf(name -> !askers.containsKey(name));
    failing.removeIf(name -> !askers.containsKey(name));
    // A name whose lookups have only failed has no answer to expire: it is asked again each round.
    failing.stream().filter(name -> !answers.containsKey(name)).forEach(this::lookUp);
    answers.forEach((name, answer) -> {
      if (!now.isBefore(answer.at().plus(ttl))) {
        lookUp(name);
      }
    });
  }

  private void lookUp(String name) {
    if (!inFlight.add(name)) {
      return;
    }
    try {
      lookups.execute(() -> {
        try {
          List<String> addresses = List.copyOf(resolver.addressesOf(name));
          if (failing.remove(name)) {
            log.info("looking up {} works again", name);
          }
          Answer before = answers.put(name, new Answer(addresses, clock.instant()));
          if (before == null || !before.addresses().equals(addresses)) {
            log.debug("{} resolves to {}", name, addresses);
            askers.getOrDefault(name, Set.of()).forEach(this::propagateEvent);
          }
        } catch (RuntimeException e) {
          // No answer: what was known of the name stands, and one never known stays pending.
          if (failing.add(name)) {
            log.warn("looking up {} failed: {} (retried; said again once it resolves)", name, e.getMessage());
          } else {
            log.debug("looking up {} failed again: {}", name, e.getMessage());
          }
        } finally {
          inFlight.remove(name);
        }
      });
    } catch (RejectedExecutionException e) {
      inFlight.remove(name); // closing
    }
  }

  @Override
  public void close() {
    lookups.shutdownNow();
  }

  @Override
  public void stop() {
    close();
    super.stop();
  }
}

package dev.upstreamhealth.metrics;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one Site's series show, as one small immutable value: {@link SiteSeriesCollector} turns it
 * into samples at scrape time. It is the only per-Site state of the Site series, so keep it small.
 *
 * @param fault the {@code fault} label at 1, one of {@link SiteMetrics#FAULTS}; null before the first verdict
 * @param trueConditions condition type to reason, for the conditions that are True
 * @param reason {@code status.reason}; null for none
 * @param certificateNotAfter Unix seconds, or {@link #NO_CERTIFICATE}: a primitive, not an Optional, to keep the bytes down
 * @param certificateWarningDays the Site's {@code probe.certificateWarningDays}, shown with the certificate
 * @param evaluationFailures reconciles that failed with an error; 0 shows no series
 * @param faultOnsets the times the shown fault went from None to one visitors get (the 503 of
 *     declared maintenance or of a rollout aside): a Site failing and recovering again and again, each time for less than
 *     any fault alert's 'for', pages on their count
 * @param maintenanceDeclared the Site's {@code spec.maintenance.active}: a MaintenanceMode its app
 *     shows on its own (a 503 with Retry-After) is told from the one the Site declares by it
 */
record SiteSeries(String fault, Map<String, String> trueConditions, String reason, long certificateNotAfter,
    int certificateWarningDays, long evaluationFailures, long faultOnsets, boolean maintenanceDeclared) {
  /** No {@link Instant} reaches it: {@link Instant#MIN} is about -3.2e16 seconds. */
  static final long NO_CERTIFICATE = Long.MIN_VALUE;
  static final SiteSeries NONE = new SiteSeries(null, Map.of(), null, NO_CERTIFICATE, 0, 0, 0, false);
  private static final String NO_FAULT = Fault.NONE.code();
  private static final String SERVICE_UNAVAILABLE = Fault.SERVICE_UNAVAILABLE.code();
  private static final String SERVICE_UNAVAILABLE_TYPE = ConditionType.SERVICE_UNAVAILABLE.typeName();
  private static final Set<String> EXPECTED_503 = Set.of(Reason.MAINTENANCE_MODE.reasonName(),
      Reason.ROLLOUT_IN_PROGRESS.reasonName());
  private static final Set<String> VISITOR_FAULTS = Set.of(Fault.ORIGIN_DOWN.code(),
      Fault.BAD_GATEWAY.code(), Fault.SERVICE_UNAVAILABLE.code(), Fault.OTHER.code());

  /**
   * The label values the operator writes, by value: a status read back from the API server
   * brings its own copy of each string, and one kept copy per Site would add up.
   */
  private static final Map<String, String> KNOWN_VALUES = knownValues();

  SiteSeries withVerdict(String shownFault, Map<String, String> conditions) {
    String newFault = known(shownFault);
    Map<String, String> newConditions = conditions.equals(trueConditions) ? trueConditions : knownCopy(conditions);
    if (newFault.equals(fault) && newConditions == trueConditions) {
      return this;
    }
    return new SiteSeries(newFault, newConditions, reason, certificateNotAfter, certificateWarningDays,
        evaluationFailures, onset(newFault, newConditions) ? faultOnsets + 1 : faultOnsets, maintenanceDeclared);
  }

  /**
   * From None to a fault visitors get. Not from no verdict (a restart's first one), nor to Unknown
   * (waiting, a failed reconcile), nor to the 503 of a maintenance the Site declares or of a
   * rollout (a Recreate deploy's seconds without pods: deploys are no intermittent fault).
   */
  private boolean onset(String newFault, Map<String, String> newConditions) {
    return NO_FAULT.equals(fault) && VISITOR_FAULTS.contains(newFault)
        && !(SERVICE_UNAVAILABLE.equals(newFault) && EXPECTED_503.contains(newConditions.get(SERVICE_UNAVAILABLE_TYPE)));
  }

  SiteSeries withReason(String newReason) {
    if (newReason == null ? reason == null : newReason.equals(reason)) {
      return this;
    }
    return new SiteSeries(fault, trueConditions, newReason == null ? null : known(newReason), certificateNotAfter,
        certificateWarningDays, evaluationFailures, faultOnsets, maintenanceDeclared);
  }

  SiteSeries withCertificateExpiry(Optional<Instant> notAfter, int warningDays) {
    long seconds = notAfter.map(Instant::getEpochSecond).orElse(NO_CERTIFICATE);
    int days = notAfter.isPresent() ? warningDays : 0;
    return seconds == certificateNotAfter && days == certificateWarningDays ? this
        : new SiteSeries(fault, trueConditions, reason, seconds, days, evaluationFailures, faultOnsets,
            maintenanceDeclared);
  }

  SiteSeries withMaintenanceDeclared(boolean declared) {
    return declared == maintenanceDeclared ? this : new SiteSeries(fault, trueConditions, reason, certificateNotAfter,
        certificateWarningDays, evaluationFailures, faultOnsets, declared);
  }

  SiteSeries withOneMoreEvaluationFailure() {
    return new SiteSeries(fault, trueConditions, reason, certificateNotAfter, certificateWarningDays,
        evaluationFailures + 1, faultOnsets, maintenanceDeclared);
  }

  boolean hasCertificate() {
    return certificateNotAfter != NO_CERTIFICATE;
  }

  /** Nothing to show: the Site needs no entry. */
  boolean isEmpty() {
    return equals(NONE);
  }

  private static Map<String, String> knownCopy(Map<String, String> conditions) {
    if (conditions.isEmpty()) {
      return Map.of();
    }
    if (conditions.size() == 1) {
      var only = conditions.entrySet().iterator().next();
      return Map.of(known(only.getKey()), known(only.getValue()));
    }
    Map<String, String> copy = new HashMap<>();
    conditions.forEach((type, why) -> copy.put(known(type), known(why)));
    return Map.copyOf(copy);
  }

  private static String known(String value) {
    return KNOWN_VALUES.getOrDefault(value, value);
  }

  private static Map<String, String> knownValues() {
    Map<String, String> values = new HashMap<>();
    Stream.of(Fault.values()).map(Fault::code).forEach(v -> values.put(v, v));
    Stream.of(ConditionType.values()).map(ConditionType::typeName).forEach(v -> values.put(v, v));
    Stream.of(Reason.values()).map(Reason::reasonName).forEach(v -> values.put(v, v));
    Stream.of(Reason.HEALTHY, Reason.NO_FAULT).forEach(v -> values.put(v, v));
    return Map.copyOf(values);
  }
}

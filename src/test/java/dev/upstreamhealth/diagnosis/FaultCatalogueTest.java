package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.QUOTA_MESSAGE;
import static dev.upstreamhealth.diagnosis.SiteWorld.gatewayProbe;
import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.httpRetryAfter;
import static dev.upstreamhealth.diagnosis.SiteWorld.ok;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.originTarget;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.policy;
import static dev.upstreamhealth.diagnosis.SiteWorld.redirectLoop;
import static dev.upstreamhealth.diagnosis.SiteWorld.unconfirmed;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeOutcome;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One broken thing at a time, one row per way the catalogue can be reached: the fault a visitor
 * gets, the reason, which condition says so, what Ready says, and a message that names the
 * objects and numbers behind it.
 */
class FaultCatalogueTest {
  static final String CDN = "173.245.48.0/20";

  /**
   * @param reason the reason that decides the row's condition
   * @param fault status.fault, as written
   * @param ready Ready's status
   * @param mentions what the message must name
   */
  record Row(String behaviour, UnaryOperator<SiteWorld> world, Reason reason, String fault,
      ConditionStatus ready, List<String> mentions) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Row row(String behaviour, UnaryOperator<SiteWorld> world, Reason reason, String fault,
      ConditionStatus ready, String... mentions) {
    return new Row(behaviour, world, reason, fault, ready, List.of(mentions));
  }

  static final ConditionStatus FALSE = ConditionStatus.FALSE;
  static final ConditionStatus TRUE = ConditionStatus.TRUE;
  static final ConditionStatus UNKNOWN = ConditionStatus.UNKNOWN;

  static Stream<Row> catalogue() {
    return Stream.of(
        // ---- 521: OriginDown
        row("ingressWithoutLoadBalancerAddressIsOriginDown",
            w -> w.noLoadBalancerAddress().probes(), Reason.NO_ORIGIN_ADDRESS, "521", FALSE,
            "Ingress web/shop", "no load-balancer address", "spec.origin.address is empty"),
        row("cdnConfiguredWithAnotherAddressIsOriginDown",
            w -> w.originAddress("203.0.113.7"), Reason.ORIGIN_ADDRESS_MISMATCH, "521", FALSE,
            "203.0.113.7", "127.0.0.10", "Ingress web/shop"),
        row("cdnConfiguredWithANameOfAnotherAddressIsOriginDown",
            w -> w.originAddress("Origin.Shop.Example.").resolves("origin.shop.example", "203.0.113.7"),
            Reason.ORIGIN_ADDRESS_MISMATCH, "521", FALSE,
            "Origin.Shop.Example. (which resolves to 203.0.113.7)", "127.0.0.10", "Ingress web/shop"),
        row("gatewayWithoutReadyEndpointsIsOriginDown",
            w -> w.withGateway().gatewayEndpointsNotReady(), Reason.GATEWAY_DOWN, "521", FALSE,
            "0/1 endpoints", "ingress-nginx/ingress-nginx-controller"),
        row("missingGatewayServiceIsOriginDown",
            w -> w.withGateway().gatewayServiceMissing(), Reason.GATEWAY_DOWN, "521", FALSE,
            "ingress-nginx/ingress-nginx-controller", "does not exist"),
        row("originAndGatewayBothRefusingIsGatewayDown",
            w -> w.withGateway().probes(origin(outcome(ProbeOutcome.CONNECTION_REFUSED)),
                gatewayProbe(outcome(ProbeOutcome.CONNECTION_REFUSED))),
            Reason.GATEWAY_DOWN, "521", FALSE,
            "http://127.0.0.10:80/", "ingress-nginx/ingress-nginx-controller", "http://10.96.0.20:80/", "refuse"),
        // Policies that admit nothing from inside the cluster drop the probe too: shown once it confirms so.
        row("denyAllPolicyOnGatewayPodsBlocksTheCdn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("deny-all",
                "{\"spec\":{\"podSelector\":{},\"policyTypes\":[\"Ingress\"]}}"))
                .probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT))),
            Reason.CDN_BLOCKED_BY_NETWORK_POLICY, "521", FALSE,
            "ingress-nginx/deny-all", CDN, "port http", "the origin probe's connection is dropped too"),
        row("policyAdmittingAnotherRangeBlocksTheCdn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("office-only",
                "{\"spec\":{\"podSelector\":{\"matchLabels\":{\"app.kubernetes.io/name\":\"ingress-nginx\"}},"
                    + "\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"10.0.0.0/8\"}}]}]}}")),
            Reason.CDN_BLOCKED_BY_NETWORK_POLICY, "521", FALSE,
            "ingress-nginx/office-only", CDN),
        row("policyCarvingTheCdnRangeOutBlocksTheCdn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("all-but-cdn",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":"
                    + "{\"cidr\":\"0.0.0.0/0\",\"except\":[\"173.245.0.0/16\"]}}]}]}}")),
            Reason.CDN_BLOCKED_BY_NETWORK_POLICY, "521", FALSE,
            "ingress-nginx/all-but-cdn", CDN),
        row("policyAdmittingTheCdnOnAnotherPortBlocksTheCdn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("https-only",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"173.245.48.0/20\"}}],"
                    + "\"ports\":[{\"protocol\":\"TCP\",\"port\":443}]}]}}"))
                .probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT))),
            Reason.CDN_BLOCKED_BY_NETWORK_POLICY, "521", FALSE,
            "ingress-nginx/https-only", CDN, "port http"),
        row("policyAdmittingTheCdnOnAnotherNamedPortBlocksTheCdn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("https-by-name",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"173.245.48.0/20\"}}],"
                    + "\"ports\":[{\"protocol\":\"TCP\",\"port\":\"https\"}]}]}}"))
                .probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT))),
            Reason.CDN_BLOCKED_BY_NETWORK_POLICY, "521", FALSE,
            "ingress-nginx/https-by-name", CDN, "port http"),
        row("policyNamingAPortTheNumericGatewayTargetIsNotBlocksTheCdn",
            w -> w.withGateway().with(x -> gatewayTargetPort(x, 80)).cdnBehind(List.of(CDN), policy("https-by-name",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"173.245.48.0/20\"}}],"
                    + "\"ports\":[{\"port\":\"https\"}]}]}}"))
                .probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT))),
            Reason.CDN_BLOCKED_BY_NETWORK_POLICY, "521", FALSE,
            "ingress-nginx/https-by-name", CDN, "port 80"),
        row("originRefusingConnectionsIsOriginDown",
            w -> w.probes(origin(outcome(ProbeOutcome.CONNECTION_REFUSED))),
            Reason.CONNECTION_REFUSED, "521", FALSE,
            "http://127.0.0.10:80/", "Host shop.example.com", "refused the TCP connection"),
        row("originRefusingWhileGatewayAnswersIsConnectionRefused",
            w -> w.withGateway().probes(origin(outcome(ProbeOutcome.CONNECTION_REFUSED)), gatewayProbe(ok(200))),
            Reason.CONNECTION_REFUSED, "521", FALSE,
            "http://127.0.0.10:80/", "refused"),
        row("originNotConnectingInTimeIsOriginDown",
            w -> w.probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT))),
            Reason.CONNECTION_TIMED_OUT, "521", FALSE,
            "http://127.0.0.10:80/", "5s", "no TCP connection"),
        row("originWithoutRouteIsOriginDown",
            w -> w.probes(origin(outcome(ProbeOutcome.UNREACHABLE, "no route to host"))),
            Reason.ORIGIN_UNREACHABLE, "521", FALSE,
            "http://127.0.0.10:80/", "no route to host"),
        row("originFailingTlsIsOriginDown",
            w -> w.probes(origin(outcome(ProbeOutcome.TLS_FAILED, "certificate not valid for shop.example.com"))),
            Reason.TLS_HANDSHAKE_FAILED, "521", FALSE,
            "http://127.0.0.10:80/", "certificate not valid for shop.example.com"),
        row("originCertificateExpiredIsOriginCertificateInvalid",
            w -> w.probes(origin(outcome(ProbeOutcome.CERTIFICATE_INVALID,
                "certificate expired on 2024-12-20T00:00:00Z (CN=shop.example.com)"))),
            Reason.ORIGIN_CERTIFICATE_INVALID, "521", FALSE,
            "http://127.0.0.10:80/", "certificate expired on 2024-12-20", "verifyOriginCertificate", "526"),
        row("originCertificateForAnotherNameIsOriginCertificateInvalid",
            w -> w.probes(origin(outcome(ProbeOutcome.CERTIFICATE_INVALID,
                "certificate names [other.example.net], not host shop.example.com"))),
            Reason.ORIGIN_CERTIFICATE_INVALID, "521", FALSE,
            "names [other.example.net], not host shop.example.com"),

        // ---- 502: BadGateway
        row("missingBackendServiceIsBadGateway",
            SiteWorld::backendServiceMissing, Reason.BACKEND_SERVICE_MISSING, "502", FALSE,
            "Service web/shop-web", "Ingress web/shop", "does not exist"),
        row("ingressPortNotOnServiceIsBadGateway",
            w -> w.ingressBackendPort(8081), Reason.SERVICE_PORT_MISMATCH, "502", FALSE,
            "port 8081", "Service web/shop-web", "http/80"),
        row("ingressBackendPortNameNotOnServiceIsBadGateway",
            w -> w.with(x -> ingressBackendPortName(x, "https")), Reason.SERVICE_PORT_MISMATCH, "502", FALSE,
            "port https", "Service web/shop-web", "http/80"),
        row("ingressBackendPortByNameWithANamedTargetPortNoPodDeclaresIsBadGateway",
            w -> w.with(x -> ingressBackendPortName(x, "http")).serviceTargetPort(new IntOrString("web")),
            Reason.SERVICE_PORT_MISMATCH, "502", FALSE,
            "Service web/shop-web", "targetPort \"web\"", "2 pods"),
        row("numericTargetPortNoPodDeclaresIsBadGateway",
            w -> w.serviceTargetPort(new IntOrString(9090)).probes(origin(SiteWorld.gatewaysOwn(502))),
            Reason.SERVICE_PORT_MISMATCH,
            "502", FALSE,
            "Service web/shop-web", "targetPort 9090", "8080"),
        row("namedTargetPortNoPodDeclaresIsBadGateway",
            w -> w.serviceTargetPort(new IntOrString("web")), Reason.SERVICE_PORT_MISMATCH, "502", FALSE,
            "Service web/shop-web", "\"web\"", "2 pods"),
        row("crashLoopingUpstreamIsBadGateway",
            w -> w.podsCrashLooping("OOMKilled", 137), Reason.UPSTREAM_CRASH_LOOPING, "502", FALSE,
            "2/2 pods of Service web/shop-web", "CrashLoopBackOff", "container app: OOMKilled"),
        row("nativeSidecarCrashLoopingIsBadGateway",
            SiteWorld::sidecarCrashLooping, Reason.UPSTREAM_CRASH_LOOPING, "502", FALSE,
            "2/2 pods of Service web/shop-web", "CrashLoopBackOff", "container auth-proxy: Error (exit code 1)"),
        row("imagePullBackOffIsImagePullFailed",
            SiteWorld::imagePullBackOff, Reason.IMAGE_PULL_FAILED, "502", FALSE,
            "0/2 endpoints of Service web/shop-web ready", "2/2 pods (Deployment web/shop-web) cannot pull image",
            "image \"registry.example.com/shop:1.5\"",
            "container app: ImagePullBackOff: Back-off pulling image \"registry.example.com/shop:1.5\"",
            "Ingress web/shop (path /)"),
        row("errImagePullIsImagePullFailed",
            SiteWorld::errImagePull, Reason.IMAGE_PULL_FAILED, "502", FALSE,
            "image \"registry.example.com/shop:1.5\"", "ErrImagePull", "registry.example.com/shop:1.5: not found"),
        row("invalidImageNameIsImagePullFailed",
            SiteWorld::invalidImageName, Reason.IMAGE_PULL_FAILED, "502", FALSE,
            "image \"registry.example.com/Shop:1.5\"", "InvalidImageName", "must be lowercase"),
        row("missingSecretKeyIsContainerConfigError",
            SiteWorld::createContainerConfigError, Reason.CONTAINER_CONFIG_ERROR, "502", FALSE,
            "0/2 endpoints of Service web/shop-web ready", "2/2 pods", "cannot create their containers",
            "CreateContainerConfigError", "couldn't find key DATABASE_PASSWORD in Secret web/shop-db"),
        row("containerRuntimeRefusingIsContainerConfigError",
            SiteWorld::createContainerError, Reason.CONTAINER_CONFIG_ERROR, "502", FALSE,
            "CreateContainerError", "permission denied"),
        row("upstreamsRefusingConnectionsAreNotListening",
            w -> w.probes(origin(http(502)), upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
                upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))),
            Reason.UPSTREAM_NOT_LISTENING, "502", FALSE,
            "2/2 probed endpoints of Service web/shop-web", "10.0.0.11:8080", "ConnectionRefused"),
        row("upstreamsAcceptingButNotAnsweringTimeOut",
            w -> w.probes(unconfirmed(originTarget(), http(504)),
                upstream("10.0.0.11", outcome(ProbeOutcome.RESPONSE_TIMEOUT)),
                upstream("10.0.0.12", outcome(ProbeOutcome.RESPONSE_TIMEOUT))),
            Reason.UPSTREAM_TIMEOUT, "502", FALSE,
            "2/2 probed endpoints of Service web/shop-web", "no response in time", "ResponseTimeout"),
        row("originAnswering504IsUpstreamTimeout",
            w -> w.probes(origin(http(504))), Reason.UPSTREAM_TIMEOUT, "502", FALSE,
            "http://127.0.0.10:80/", "HTTP 504"),
        row("originAnsweringGarbageIsMalformedResponse",
            w -> w.probes(origin(outcome(ProbeOutcome.MALFORMED_RESPONSE, "status line \"SSH-2.0-OpenSSH_9.6\""))),
            Reason.MALFORMED_RESPONSE, "502", FALSE,
            "http://127.0.0.10:80/", "SSH-2.0-OpenSSH_9.6"),
        row("originClosingWithoutAnswerIsMalformedResponse",
            w -> w.probes(origin(outcome(ProbeOutcome.CONNECTION_CLOSED))),
            Reason.MALFORMED_RESPONSE, "502", FALSE,
            "http://127.0.0.10:80/", "closed the connection", "an empty reply: the CDN answers 520", "sent no PROXY protocol header", "spec.origin.proxyProtocol"),
        row("originAnswering502WithoutKnownCauseIsGatewayReturned502",
            w -> w.probes(origin(http(502))), Reason.GATEWAY_RETURNED_502, "502", FALSE,
            "http://127.0.0.10:80/", "HTTP 502"),

        // ---- 503: ServiceUnavailable
        row("declaredMaintenanceIsServiceUnavailable",
            w -> w.maintenance("back at 14:00 UTC").probes(origin(http(503))),
            Reason.MAINTENANCE_MODE, "503", FALSE,
            "spec.maintenance", "back at 14:00 UTC"),
        row("originAnswering503WithRetryAfterIsMaintenance",
            w -> w.probes(origin(httpRetryAfter(503))), Reason.MAINTENANCE_MODE, "503", FALSE,
            "http://127.0.0.10:80/", "HTTP 503 with Retry-After"),
        row("deploymentScaledToZeroIsServiceUnavailable",
            SiteWorld::scaledToZero, Reason.SCALED_TO_ZERO, "503", FALSE,
            "0/0 endpoints of Service web/shop-web", "Deployment web/shop-web", "replicas: 0"),
        row("scaleToZeroWhileJvmPodsExit143IsScaledToZero",
            w -> w.scaledToZeroWhilePodsTerminate(143), Reason.SCALED_TO_ZERO, "503", FALSE,
            "0/0 endpoints of Service web/shop-web", "Deployment web/shop-web has replicas: 0"),
        row("scaleToZeroWhilePodsAreKilledAfterGraceIsScaledToZero",
            w -> w.scaledToZeroWhilePodsTerminate(137), Reason.SCALED_TO_ZERO, "503", FALSE,
            "Deployment web/shop-web has replicas: 0"),
        row("statefulSetScaledToZeroIsScaledToZero",
            w -> w.ownedByStatefulSet(0, 0, "shop-web-5d8f", "shop-web-5d8f").with(x -> { x.pods.clear(); return x; })
                .endpointsReady(),
            Reason.SCALED_TO_ZERO, "503", FALSE, "StatefulSet web/shop-web has replicas: 0"),
        row("daemonSetOnNoNodeIsScaledToZero",
            w -> w.ownedByDaemonSet(0, 0).with(x -> { x.pods.clear(); return x; }).endpointsReady(),
            Reason.SCALED_TO_ZERO, "503", FALSE, "DaemonSet web/shop-web has desiredNumberScheduled: 0"),
        row("recreateRolloutWhileOldPodsExitIsRolloutInProgress",
            w -> w.recreateRolloutWhilePodsTerminate(143), Reason.ROLLOUT_IN_PROGRESS, "503", FALSE,
            "0/0 endpoints of Service web/shop-web", "Deployment web/shop-web rollout in progress: 0/2 replicas updated"),
        row("statefulSetBetweenRevisionsWithoutReadyEndpointsIsRolloutInProgress",
            w -> w.ownedByStatefulSet(2, 2, "shop-web-5d8f", "shop-web-6c9a").readinessFailing(),
            Reason.ROLLOUT_IN_PROGRESS, "503", FALSE,
            "StatefulSet web/shop-web rollout in progress", "updateRevision shop-web-6c9a", "currentRevision shop-web-5d8f"),
        row("daemonSetNotYetUpdatedWithoutReadyEndpointsIsRolloutInProgress",
            w -> w.ownedByDaemonSet(3, 1).readinessFailing(),
            Reason.ROLLOUT_IN_PROGRESS, "503", FALSE, "DaemonSet web/shop-web rollout in progress: 1/3 scheduled pods updated"),
        row("unobservedGenerationWithoutReadyEndpointsIsRolloutInProgress",
            w -> w.readinessFailing().deploymentIs(SiteWorld.deployment(2, 5, 4, 2, "NewReplicaSetAvailable")),
            Reason.ROLLOUT_IN_PROGRESS, "503", FALSE,
            "0/2 endpoints of Service web/shop-web", "Deployment web/shop-web", "generation 5", "observedGeneration 4"),
        row("replicasNotYetUpdatedWithoutReadyEndpointsIsRolloutInProgress",
            w -> w.readinessFailing().deploymentIs(SiteWorld.deployment(2, 5, 5, 1, "NewReplicaSetAvailable")),
            Reason.ROLLOUT_IN_PROGRESS, "503", FALSE,
            "0/2 endpoints of Service web/shop-web", "Deployment web/shop-web", "1/2 replicas updated"),
        row("progressingConditionNotDoneWithoutReadyEndpointsIsRolloutInProgress",
            w -> w.readinessFailing().deploymentIs(SiteWorld.deployment(2, 5, 5, 2, "ReplicaSetUpdated")),
            Reason.ROLLOUT_IN_PROGRESS, "503", FALSE,
            "0/2 endpoints of Service web/shop-web", "Deployment web/shop-web", "Progressing is ReplicaSetUpdated"),
        row("unschedulablePodsAreServiceUnavailable",
            SiteWorld::podsUnschedulable, Reason.PODS_UNSCHEDULABLE, "503", FALSE,
            "Service web/shop-web", "2 pods are Pending as Unschedulable", "3 Insufficient memory"),
        row("quotaStoppingPodCreationIsServiceUnavailable",
            SiteWorld::quotaExceeded, Reason.QUOTA_EXCEEDED, "503", FALSE,
            "0/0 endpoints of Service web/shop-web", "ReplicaSet web/shop-web-7d9f", QUOTA_MESSAGE),
        row("quotaWarningEventAboutTheStatefulSetIsQuotaExceeded",
            SiteWorld::statefulSetBlockedByQuota, Reason.QUOTA_EXCEEDED, "503", FALSE,
            "0/0 endpoints of Service web/shop-web", "StatefulSet web/shop-web cannot create pods",
            "create Pod shop-web-0 in StatefulSet shop-web failed error", "exceeded quota: compute"),
        row("quotaWarningEventAboutTheReplicaSetIsQuotaExceeded",
            w -> w.with(x -> {
              x.pods.clear();
              x.replicaSets.replaceAll(rs -> new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder(rs)
                  .editStatus().withReplicas(0).withReadyReplicas(0).endStatus().build());
              x.events.add(SiteWorld.failedCreate("ReplicaSet", SiteWorld.REPLICA_SET, "Error creating: " + QUOTA_MESSAGE));
              return x;
            }).endpointsReady(),
            Reason.QUOTA_EXCEEDED, "503", FALSE, "ReplicaSet web/shop-web-7d9f cannot create pods", "Error creating: ",
            "exceeded quota: compute"),
        row("selectorMatchingNoPodIsNoReadyEndpoints",
            w -> w.with(x -> { x.pods.clear(); return x; }).endpointsReady(),
            Reason.NO_READY_ENDPOINTS, "503", FALSE,
            "0/0 endpoints of Service web/shop-web", "the Service's selector {app=shop-web} matches no pod"),
        row("podsFailingReadinessAreNoReadyEndpoints",
            SiteWorld::readinessFailing, Reason.NO_READY_ENDPOINTS, "503", FALSE,
            "0/2 endpoints of Service web/shop-web", "2 pods running"),
        row("originAnswering429IsRateLimited",
            w -> w.probes(origin(http(429))), Reason.RATE_LIMITED, "503", FALSE,
            "http://127.0.0.10:80/", "HTTP 429"),
        row("originAnswering503WithoutRetryAfterIsOverloaded",
            w -> w.probes(origin(http(503))), Reason.OVERLOADED, "503", FALSE,
            "http://127.0.0.10:80/", "HTTP 503"),

        // ---- Other and Unknown: Ready alone
        row("originRedirectingOutsideANarrowedExpectedStatusIsUnexpectedStatus",
            w -> w.with(x -> { x.spec.getProbe().setExpectedStatus("200"); return x; }).originProbed(http(301)),
            Reason.UNEXPECTED_STATUS, "Other", FALSE,
            "http://127.0.0.10:80/", "HTTP 301", "expectedStatus"),
        row("originRedirectingItsHttpAddressToItselfOverHttpsIsUnexpectedStatus",
            w -> w.fetchedOverHttp().probes(origin(redirectLoop(308, "https://shop.example.com/"))),
            Reason.UNEXPECTED_STATUS, "Other",
            FALSE, "http://127.0.0.10:80/", "answers 308 to https://shop.example.com/", "ERR_TOO_MANY_REDIRECTS",
            "spec.origin.scheme https", "nginx.ingress.kubernetes.io/ssl-redirect"),
        row("missingIngressIsOther",
            w -> w.noIngress().probes(), Reason.INGRESS_NOT_FOUND, "Other", FALSE,
            "Ingress web/shop", "does not exist"),
        row("ingressNotRoutingHostIsOther",
            w -> w.ingressRoutesOnly("other.example.com"), Reason.HOST_NOT_ROUTED, "Other", FALSE,
            "Ingress web/shop", "shop.example.com"),
        row("originAnsweringOutsideExpectedStatusIsOther",
            w -> w.probes(origin(http(500))), Reason.UNEXPECTED_STATUS, "Other", FALSE,
            "http://127.0.0.10:80/", "HTTP 500", "expectedStatus"),
        row("unparseableExpectedStatusIsInvalidSpec",
            w -> w.with(x -> { x.spec.getProbe().setExpectedStatus("200-abc"); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "probe.expectedStatus", "200-abc"),
        row("malformedCdnRangeIsInvalidSpec",
            w -> w.with(x -> { x.spec.getCdn().setSourceRanges(List.of("173.245.48.0/33")); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.cdn.sourceRanges", "173.245.48.0/33"),
        row("timeoutNotBelowIntervalIsInvalidSpec",
            w -> w.with(x -> { x.spec.getProbe().setTimeoutSeconds(30); x.spec.getProbe().setIntervalSeconds(30); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.probe.timeoutSeconds (30)", "intervalSeconds (30)"),
        row("missingIngressNameIsInvalidSpec",
            w -> w.with(x -> { x.spec.getOrigin().setIngressName(null); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.origin.ingressName"),
        row("probePathWithASpaceIsInvalidSpec",
            w -> w.with(x -> { x.spec.getProbe().setPath("/health check"); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.probe.path", "\"/health check\"", "a space", "%20"),
        row("probePathWithAControlCharacterIsInvalidSpec",
            w -> w.with(x -> { x.spec.getProbe().setPath("/healthz\r\nX-Injected: 1"); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.probe.path", "\\u000d", "control character U+000D"),
        row("hostThatIsNoDnsNameIsInvalidSpec",
            w -> w.with(x -> { x.spec.setHost("Shop_Example.com"); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.host", "\"Shop_Example.com\"", "DNS name"),
        row("bothIngressAndRouteIsInvalidSpec",
            w -> w.with(x -> { x.spec.getOrigin().setHttpRouteName("shop"); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.origin.ingressName \"shop\"", "spec.origin.httpRouteName \"shop\"", "both set"),
        row("timeoutAboveTheDefaultIntervalIsInvalidSpec",
            w -> w.with(x -> { x.spec.getProbe().setTimeoutSeconds(45); x.spec.getProbe().setIntervalSeconds(null); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.probe.timeoutSeconds (45)", "intervalSeconds (30)"),
        row("originAddressThatIsNoAddressIsInvalidSpec",
            w -> w.with(x -> { x.spec.getOrigin().setAddress("http://203.0.113.7/"); return x; }),
            Reason.INVALID_SPEC, "Unknown", FALSE,
            "spec.origin.address", "\"http://203.0.113.7/\"", "not an IP address or a DNS name"),
        row("cachesNotSyncedGiveNoVerdict",
            w -> w.backendServiceMissing().noLoadBalancerAddress().cachesNotSynced("Service", "Pod"),
            Reason.CACHES_NOT_SYNCED, "Unknown", UNKNOWN,
            "caches not synced yet: Pod, Service", "no verdict"),
        row("noConclusiveOriginProbeYetIsAwaitingFirstProbe",
            w -> w.probes(unconfirmed(originTarget(), outcome(ProbeOutcome.CONNECTION_REFUSED))),
            Reason.AWAITING_FIRST_PROBE, "Unknown", UNKNOWN,
            "http://127.0.0.10:80", "failureThreshold 3", "successThreshold 1"),
        row("noOriginProbeAtAllIsAwaitingFirstProbe",
            w -> w.probes(), Reason.AWAITING_FIRST_PROBE, "Unknown", UNKNOWN,
            "http://127.0.0.10:80"),

        // ---- the same catalogue for an HTTPRoute origin (Envoy Gateway's statuses)
        row("gatewayNotProgrammedIsOriginDown",
            w -> w.viaHttpRoute().route.gatewayNotProgrammed("AddressNotAssigned", "No addresses have been assigned to the Gateway"),
            Reason.NO_ORIGIN_ADDRESS, "521", FALSE,
            "Gateway gateways/eg", "not Programmed", "AddressNotAssigned", "No addresses have been assigned",
            "spec.origin.address is empty"),
        row("gatewayWithoutAddressesIsOriginDown",
            w -> w.viaHttpRoute().route.gatewayWithoutAddresses(), Reason.NO_ORIGIN_ADDRESS, "521", FALSE,
            "Gateway gateways/eg", "no status.addresses"),
        row("cdnConfiguredWithAnotherAddressThanTheGatewaysIsOriginDown",
            w -> w.viaHttpRoute().originAddress("203.0.113.7"), Reason.ORIGIN_ADDRESS_MISMATCH, "521", FALSE,
            "203.0.113.7", "Gateway gateways/eg", "127.0.0.10"),
        row("gatewayNotProgrammedForWantOfReplicasIsGatewayDown",
            w -> w.viaHttpRoute().route.gatewayNotProgrammed("NoResources", "Deployment replicas unavailable")
                .route.dataPlaneNotReady(),
            Reason.GATEWAY_DOWN, "521", FALSE,
            "0/1 endpoints", "envoy-gateway-system/envoy-gateways-eg-5c8d1f2a", "Gateway gateways/eg",
            "not Programmed", "NoResources", "Deployment replicas unavailable"),
        row("gatewayDataPlaneWithoutReadyEndpointsIsGatewayDown",
            w -> w.viaHttpRoute().route.dataPlaneNotReady(), Reason.GATEWAY_DOWN, "521", FALSE,
            "0/1 endpoints", "envoy-gateway-system/envoy-gateways-eg-5c8d1f2a"),
        row("routeBackendServiceMissingIsBadGateway",
            w -> w.viaHttpRoute().backendServiceMissing().probes(origin(http(500))),
            Reason.BACKEND_SERVICE_MISSING, "502", FALSE,
            "HTTPRoute web/shop", "Service web/shop-web", "does not exist", "answers HTTP 500",
            "Gateway API implementations"),
        row("routeReportingBackendNotFoundIsBadGateway",
            w -> w.viaHttpRoute().route.resolvedRefs("BackendNotFound", "Failed to process route rule 0 backendRef 0: service web/shop-web not found."),
            Reason.BACKEND_SERVICE_MISSING, "502", FALSE,
            "Gateway gateways/eg", "HTTPRoute web/shop", "BackendNotFound", "service web/shop-web not found"),
        row("routeBackendPortNotOnServiceIsBadGateway",
            w -> w.viaHttpRoute().route.backendPort(8081).probes(origin(http(500))), Reason.SERVICE_PORT_MISMATCH, "502", FALSE,
            "HTTPRoute web/shop", "port 8081", "Service web/shop-web", "http/80", "500"),
        row("routeReportingPortNotFoundIsBadGateway",
            w -> w.viaHttpRoute().route.resolvedRefs("PortNotFound", "TCP Port 8081 not found on service web/shop-web"),
            Reason.SERVICE_PORT_MISMATCH, "502", FALSE,
            "PortNotFound", "TCP Port 8081 not found"),
        row("crossNamespaceBackendWithoutReferenceGrantIsBackendNotPermitted",
            w -> w.viaHttpRoute().route.backendIn("shared"), Reason.BACKEND_NOT_PERMITTED, "502", FALSE,
            "HTTPRoute web/shop", "Service shared/shop-web", "no ReferenceGrant in shared", "HTTPRoutes of web"),
        row("routeReportingRefNotPermittedIsBackendNotPermitted",
            w -> w.viaHttpRoute().route.resolvedRefs("RefNotPermitted", "Backend ref to Service shared/db not permitted by any ReferenceGrant."),
            Reason.BACKEND_NOT_PERMITTED, "502", FALSE,
            "RefNotPermitted", "not permitted by any ReferenceGrant"),
        row("crashLoopingUpstreamBehindRouteIsBadGateway",
            w -> w.viaHttpRoute().podsCrashLooping("Error", 1), Reason.UPSTREAM_CRASH_LOOPING, "502", FALSE,
            "2/2 pods of Service web/shop-web", "CrashLoopBackOff"),
        row("upstreamScaledToZeroBehindRouteIsServiceUnavailable",
            w -> w.viaHttpRoute().scaledToZero(), Reason.SCALED_TO_ZERO, "503", FALSE,
            "Deployment web/shop-web", "replicas: 0"),
        row("missingRouteIsOther",
            w -> w.viaHttpRoute().route.missing().probes(), Reason.ROUTE_NOT_FOUND, "Other", FALSE,
            "HTTPRoute web/shop", "spec.origin.httpRouteName", "does not exist"),
        row("routeHostnamesNotCoveringHostIsHostNotRouted",
            w -> w.viaHttpRoute().route.hostnames("*.shop.example.com", "www.example.com"),
            Reason.HOST_NOT_ROUTED, "Other", FALSE,
            "HTTPRoute web/shop", "*.shop.example.com", "none of which covers shop.example.com"),
        row("routeNotAcceptedByItsGatewayIsHostNotRouted",
            w -> w.viaHttpRoute().route.notAccepted("NotAllowedByListeners", "No listeners included by this parent ref allowed this attachment."),
            Reason.HOST_NOT_ROUTED, "Other", FALSE,
            "Gateway gateways/eg", "has not accepted HTTPRoute web/shop", "NotAllowedByListeners",
            "No listeners included by this parent ref allowed this attachment.", RouteWorld.CONTROLLER),
        row("gatewayClassNotAcceptedIsHostNotRouted",
            w -> w.viaHttpRoute().route.classNotAccepted("InvalidParameters", "Invalid GatewayClass: parametersRef not found"),
            Reason.HOST_NOT_ROUTED, "Other", FALSE,
            "GatewayClass \"eg\"", "not Accepted", "InvalidParameters", "parametersRef not found"),
        row("missingParentGatewayIsHostNotRouted",
            w -> w.viaHttpRoute().route.gatewayMissing(), Reason.HOST_NOT_ROUTED, "Other", FALSE,
            "parent Gateway gateways/eg", "does not exist"),
        row("noListenerCoveringHostIsHostNotRouted",
            w -> w.viaHttpRoute().route.hostnames().route.listener("http", "HTTP", 80, "*.internal.example.org"),
            Reason.HOST_NOT_ROUTED, "Other", FALSE,
            "no HTTP or HTTPS listener of Gateway gateways/eg", "shop.example.com"),
        row("clusterWithoutGatewayApiIsGatewayApiNotInstalled",
            w -> w.viaHttpRoute().route.notInstalled(), Reason.GATEWAY_API_NOT_INSTALLED, "Unknown", UNKNOWN,
            "HTTPRoute web/shop", "does not serve the Gateway API", "httproutes.gateway.networking.k8s.io v1"),
        row("gatewayApiCachesStartingIsCachesNotSynced",
            w -> w.viaHttpRoute().route.cachesStarting(), Reason.CACHES_NOT_SYNCED, "Unknown", UNKNOWN,
            "Gateway API caches"),

        // ---- Degraded: no visitor-facing fault
        row("someEndpointsNotReadyIsDegraded",
            w -> w.endpointsReady(true, false), Reason.PARTIAL_UPSTREAM_FAILURE, "None", TRUE,
            "1/2 endpoints of Service web/shop-web ready"),
        row("podStartingForLongerThanTwoMinutesIsDegraded",
            w -> w.podStarting(java.time.Duration.ofSeconds(121)), Reason.PARTIAL_UPSTREAM_FAILURE, "None", TRUE,
            "2/3 endpoints of Service web/shop-web ready", "pod shop-web-7d9f-c3 (Deployment web/shop-web) not ready"),
        row("someEndpointsFailingTheirProbeIsDegraded",
            w -> w.addProbes(upstream("10.0.0.11", ok(200)), upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))),
            Reason.PARTIAL_UPSTREAM_FAILURE, "None", TRUE,
            "1/2 probed endpoints of Service web/shop-web", "10.0.0.12:8080 ConnectionRefused"),
        row("originCertificateExpiringWithinTheWarningIsDegraded",
            w -> w.probes(SiteWorld.originWithCertificate(java.time.Instant.parse("2025-01-06T12:00:00Z"))),
            Reason.CERTIFICATE_EXPIRING, "None", TRUE,
            "expires on 2025-01-06", "5 days left", "probe.certificateWarningDays 14", "CN=shop.example.com"),
        row("upstreamLatencyAboveHalfTheReadTimeoutIsDegraded",
            w -> w.ingressAnnotation("nginx.ingress.kubernetes.io/proxy-read-timeout", "4")
                .upstreamLatencies(java.time.Duration.ofMillis(2500), java.time.Duration.ofMillis(2600)),
            Reason.TIMEOUT_BUDGET_TIGHT, "None", TRUE,
            "2.6 s", "p90 of the last 2 upstream probes", "read timeout of 4 s",
            "nginx.ingress.kubernetes.io/proxy-read-timeout on Ingress web/shop"),
        row("gatewayWaitingLongerThanTheCdnIsDegraded",
            w -> w.ingressAnnotation("nginx.ingress.kubernetes.io/proxy-read-timeout", "120"),
            Reason.TIMEOUT_BUDGET_TIGHT, "None", TRUE,
            "120 s", "100 s (spec.cdn.readTimeoutSeconds)", "524"));
  }

  @Test
  void aCertificateOutsideTheWarningOrWithTheWarningOffOrUnverifiedIsNoDegraded() {
    java.time.Instant in30Days = java.time.Instant.parse("2025-01-31T00:00:00Z");
    java.time.Instant in5Days = java.time.Instant.parse("2025-01-06T12:00:00Z");
    assertThat(SiteWorld.healthy().probes(SiteWorld.originWithCertificate(in30Days)).diagnose()
        .condition(ConditionType.DEGRADED).isTrue()).isFalse();
    SiteWorld off = SiteWorld.healthy().probes(SiteWorld.originWithCertificate(in5Days));
    off.spec.getProbe().setCertificateWarningDays(0);
    assertThat(off.diagnose().condition(ConditionType.DEGRADED).isTrue()).as("0 turns the warning off").isFalse();
    SiteWorld full = SiteWorld.healthy().probes(SiteWorld.originWithCertificate(in5Days));
    full.spec.getCdn().setVerifyOriginCertificate(false);
    assertThat(full.diagnose().condition(ConditionType.DEGRADED).isTrue())
        .as("the CDN does not check the certificate: no 526 to come").isFalse();
  }

  /**
   * A gateway that expects a PROXY header closes a https probe without one during the handshake:
   * the 525 says the header may be why, as the plain-http close does; a handshake the server
   * refused with an alert says nothing of it.
   */
  @Test
  void aHandshakeClosedWithoutAnAlertNamesTheProxyHeaderTheProbeDidNotSend() {
    Verdict closed = SiteWorld.healthy().probes(origin(outcome(ProbeOutcome.TLS_FAILED,
        "handshake failed: connection closed during the TLS handshake"))).diagnose();
    Verdict refused = SiteWorld.healthy().probes(origin(outcome(ProbeOutcome.TLS_FAILED,
        "handshake failed: handshake_failure"))).diagnose();

    ConditionVerdict closedDown = closed.condition(ConditionType.ORIGIN_DOWN);
    assertThat(closedDown.reason()).isEqualTo(Reason.TLS_HANDSHAKE_FAILED.reasonName());
    assertThat(closedDown.message()).contains("the CDN answers 525", "the probe sent no PROXY protocol header",
        "spec.origin.proxyProtocol");
    assertThat(refused.condition(ConditionType.ORIGIN_DOWN).message()).contains("the CDN answers 525")
        .doesNotContain("PROXY");
  }

  @Test
  void upstreamLatencyWithinHalfTheDefaultReadTimeoutIsNoDegraded() {
    Verdict v = SiteWorld.healthy().upstreamLatencies(java.time.Duration.ofSeconds(20), java.time.Duration.ofSeconds(29))
        .diagnose();
    assertThat(v.condition(ConditionType.DEGRADED).isTrue()).as("29 s is under half of ingress-nginx's 60 s").isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void eachFaultIsReportedWithItsConditionAndMessage(Row row) {
    Verdict v = row.world().apply(SiteWorld.healthy()).diagnose();
    Reason reason = row.reason();
    String name = reason.reasonName();

    assertThat(v.fault().code()).as("status.fault").isEqualTo(row.fault());
    assertThat(v.conditions()).as("always all five conditions").containsOnlyKeys(ConditionType.values());

    ConditionVerdict ready = v.condition(ConditionType.READY);
    assertThat(ready.status()).as("Ready status").isEqualTo(row.ready());

    if (reason.condition() == ConditionType.DEGRADED) {
      assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
      assertThat(ready.reason()).isEqualTo(Reason.HEALTHY);
      assertDecides(v.condition(ConditionType.DEGRADED), name, row.mentions());
    } else {
      assertThat(v.reason()).as("status.reason").isEqualTo(name);
      assertThat(ready.reason()).as("Ready reason").isEqualTo(name);
      assertThat(v.message()).as("status.message").contains(row.mentions()).isEqualTo(ready.message());
      if (reason.condition().isFaultCondition()) {
        assertDecides(v.condition(reason.condition()), name, row.mentions());
      }
    }

    // Only the row's own condition is True; undetermined verdicts cannot evaluate the others.
    boolean undetermined = Set.of(Reason.INVALID_SPEC, Reason.INGRESS_NOT_FOUND, Reason.HOST_NOT_ROUTED,
        Reason.CACHES_NOT_SYNCED, Reason.ROUTE_NOT_FOUND, Reason.GATEWAY_API_NOT_INSTALLED,
        Reason.AWAITING_FIRST_PROBE).contains(reason);
    for (ConditionType type : ConditionType.values()) {
      if (!type.isFaultCondition() || type == reason.condition()) {
        continue;
      }
      ConditionVerdict c = v.condition(type);
      if (undetermined) {
        assertThat(c.status()).as(type + " status").isEqualTo(ConditionStatus.UNKNOWN);
        assertThat(c.reason()).as(type + " reason").isEqualTo(name);
      } else {
        assertThat(c.status()).as(type + " status").isEqualTo(ConditionStatus.FALSE);
        assertThat(c.reason()).as(type + " reason").isEqualTo(Reason.NO_FAULT);
      }
    }
  }

  private static void assertDecides(ConditionVerdict c, String reason, List<String> mentions) {
    assertThat(c.status()).as(c.type() + " status").isEqualTo(ConditionStatus.TRUE);
    assertThat(c.reason()).as(c.type() + " reason").isEqualTo(reason);
    assertThat(c.message()).as(c.type() + " message").contains(mentions);
  }

  /**
   * Reasons no snapshot can produce, each with tests of its own: EvaluationFailed is what a
   * reconcile that threw becomes (status.EvaluationFailedStatusTest, it.EvaluationFailedIT).
   */
  private static final Set<Reason> DECIDED_AROUND_THE_DIAGNOSIS = EnumSet.of(Reason.EVALUATION_FAILED);

  @Test
  void everyReasonOfTheCatalogueHasARow() {
    Set<Reason> covered = catalogue().map(Row::reason).collect(Collectors.toCollection(() -> EnumSet.noneOf(Reason.class)));
    covered.addAll(DECIDED_AROUND_THE_DIAGNOSIS);
    assertThat(covered).containsExactlyInAnyOrderElementsOf(Arrays.asList(Reason.values()));
  }

  static Stream<Row> admitted() {
    return Stream.of(
        row("policyAdmittingTheCdnRangeLetsItIn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("cdn",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"173.245.0.0/16\"}}]}]}}")),
            null, "None", TRUE),
        row("policyAdmittingOneOfSeveralCdnRangesLetsItIn",
            w -> w.withGateway().cdnBehind(List.of("103.21.244.0/22", CDN), policy("cdn",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"173.245.48.0/20\"}}]}]}}")),
            null, "None", TRUE),
        row("policyAdmittingTheCdnOnTheNamedGatewayPortLetsItIn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("cdn-http",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"0.0.0.0/0\"}}],"
                    + "\"ports\":[{\"port\":80}]}]}}")),
            null, "None", TRUE),
        row("policyAdmittingEverythingLetsItIn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("allow-all",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{}]}}")),
            null, "None", TRUE),
        row("denyAllPolicySelectingOtherPodsDoesNotBlock",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("deny-db",
                "{\"spec\":{\"podSelector\":{\"matchLabels\":{\"app\":\"postgres\"}},\"policyTypes\":[\"Ingress\"]}}")),
            null, "None", TRUE),
        row("egressOnlyPolicyDoesNotBlock",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("egress",
                "{\"spec\":{\"podSelector\":{},\"policyTypes\":[\"Egress\"]}}")),
            null, "None", TRUE));
  }

  /** The Ingress's backend port by name instead of number. */
  static SiteWorld ingressBackendPortName(SiteWorld w, String name) {
    var port = w.ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getPort();
    port.setNumber(null);
    port.setName(name);
    return w;
  }

  /** The gateway Service's port 80 sends to a numeric targetPort instead of the pods' port "http". */
  static SiteWorld gatewayTargetPort(SiteWorld w, int target) {
    w.gateway.service().getSpec().getPorts().get(0).setTargetPort(new IntOrString(target));
    return w;
  }

  /**
   * Worlds that serve as configured: ports named where the catalogue rows above break them (by
   * name on both sides, or a policy's port name that is the numeric target's container port), and
   * an answer that spec.probe.expectedStatus lists.
   */
  static Stream<Row> servedAsConfigured() {
    return Stream.of(
        row("ingressBackendPortByNameOfAServicePortServes",
            w -> w.with(x -> ingressBackendPortName(x, "http")), null, "None", TRUE),
        row("policyAdmittingTheCdnOnTheGatewaysNamedTargetPortLetsItIn",
            w -> w.withGateway().cdnBehind(List.of(CDN), policy("http-by-name",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"173.245.48.0/20\"}}],"
                    + "\"ports\":[{\"port\":\"http\"}]}]}}")),
            null, "None", TRUE),
        row("policyNamingTheContainerPortOfANumericGatewayTargetLetsItIn",
            w -> w.withGateway().with(x -> gatewayTargetPort(x, 80)).cdnBehind(List.of(CDN), policy("http-by-name",
                "{\"spec\":{\"podSelector\":{},\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"173.245.48.0/20\"}}],"
                    + "\"ports\":[{\"port\":\"http\"}]}]}}")),
            null, "None", TRUE),
        row("expectedStatusListingA404MakesItHealthy",
            w -> w.with(x -> { x.spec.getProbe().setExpectedStatus("200-399,404"); return x; }).originProbed(http(404)),
            null, "None", TRUE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("servedAsConfigured")
  void namedPortsThatMatchAndExpectedAnswersAreNoFault(Row row) {
    Verdict v = row.world().apply(SiteWorld.healthy()).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    for (ConditionType type : ConditionType.values()) {
      if (type.isFaultCondition()) {
        assertThat(v.condition(type).reason()).as(type.typeName()).isEqualTo(Reason.NO_FAULT);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("admitted")
  void networkPoliciesThatLetTheCdnInAreNoFault(Row row) {
    Verdict v = row.world().apply(SiteWorld.healthy()).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.ORIGIN_DOWN).status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(v.condition(ConditionType.ORIGIN_DOWN).reason()).isEqualTo(Reason.NO_FAULT);
    assertThat(v.condition(ConditionType.READY).reason()).isEqualTo(Reason.HEALTHY);
  }
}

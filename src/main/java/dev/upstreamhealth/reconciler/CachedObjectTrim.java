package dev.upstreamhealth.reconciler;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.HashMap;
import java.util.Map;

/**
 * Drops, in place, the parts of a cluster object that no diagnosis reads, before it enters an
 * informer cache: at 30,000 pods the managed fields, kubectl's last-applied copy and the pod
 * spec are most of the heap. What stays is what {@code diagnosis/} and the mappers read: labels,
 * owner references, container names, images and ports (native sidecars' too), pod status,
 * workload template labels, and a FailedCreate Event's object, reason, type and message.
 */
final class CachedObjectTrim {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private CachedObjectTrim() {
  }

  static <R extends HasMetadata> R trim(R object) {
    trimMetadata(object.getMetadata());
    if (object instanceof Pod pod) {
      trimPod(pod);
    } else if (object instanceof Deployment d && d.getSpec() != null) {
      trimTemplate(d.getSpec().getTemplate());
    } else if (object instanceof ReplicaSet rs && rs.getSpec() != null) {
      trimTemplate(rs.getSpec().getTemplate());
    } else if (object instanceof StatefulSet ss && ss.getSpec() != null) {
      trimTemplate(ss.getSpec().getTemplate());
      ss.getSpec().setVolumeClaimTemplates(null);
    } else if (object instanceof DaemonSet ds && ds.getSpec() != null) {
      trimTemplate(ds.getSpec().getTemplate());
    } else if (object instanceof Event event) {
      event.setRelated(null);
      event.setSeries(null);
      event.setSource(null);
      event.setReportingInstance(null);
    } else if (object instanceof CustomResourceDefinition crd && crd.getSpec() != null) {
      trimCrd(crd);
    }
    return object;
  }

  private static void trimMetadata(ObjectMeta meta) {
    if (meta == null) {
      return;
    }
    meta.setManagedFields(null);
    Map<String, String> annotations = meta.getAnnotations();
    if (annotations != null) {
      annotations.remove(LAST_APPLIED);
    }
  }

  private static void trimPod(Pod pod) {
    // Nothing reads a pod's annotations; they are often large (checksums, sidecar config). Emptied,
    // not nulled: JOSDK's event handling reads annotations and drops an event it cannot read.
    pod.getMetadata().setAnnotations(new HashMap<>());
    PodSpec spec = pod.getSpec();
    if (spec != null) {
      PodSpec kept = new PodSpec();
      kept.setContainers(spec.getContainers() == null ? null : spec.getContainers().stream()
          .map(CachedObjectTrim::nameImageAndPorts).toList());
      // Init containers stay by name and image (an Init:ImagePullBackOff names it); native sidecars
      // (restartPolicy Always) serve ports, so theirs stay too.
      kept.setInitContainers(spec.getInitContainers() == null ? null : spec.getInitContainers().stream()
          .map(CachedObjectTrim::nameImageAndPorts).toList());
      pod.setSpec(kept);
    }
    PodStatus status = pod.getStatus();
    if (status != null) {
      status.setHostIPs(null);
      status.setPodIPs(null);
      status.setQosClass(null);
      status.setEphemeralContainerStatuses(null);
      // Init containers stay: one crash-looping there is an UpstreamCrashLooping too.
      if (status.getInitContainerStatuses() != null) {
        status.getInitContainerStatuses().forEach(CachedObjectTrim::trimContainerStatus);
      }
      if (status.getContainerStatuses() != null) {
        status.getContainerStatuses().forEach(CachedObjectTrim::trimContainerStatus);
      }
    }
  }

  private static Container nameImageAndPorts(Container c) {
    Container kept = new Container();
    kept.setName(c.getName());
    kept.setImage(c.getImage());
    kept.setPorts(c.getPorts());
    kept.setRestartPolicy(c.getRestartPolicy());
    return kept;
  }

  private static void trimContainerStatus(ContainerStatus cs) {
    cs.setImage(null);
    cs.setImageID(null);
    cs.setContainerID(null);
    cs.setAllocatedResources(null);
    cs.setAllocatedResourcesStatus(null);
    cs.setResources(null);
    cs.setVolumeMounts(null);
    cs.setUser(null);
  }

  /** Only which versions a CRD serves is read (is the Gateway API installed?); schemas are most of it. */
  private static void trimCrd(CustomResourceDefinition crd) {
    crd.getMetadata().setAnnotations(new HashMap<>());
    crd.setStatus(null);
    crd.getSpec().setConversion(null);
    if (crd.getSpec().getVersions() != null) {
      crd.getSpec().getVersions().forEach(v -> {
        v.setSchema(null);
        v.setAdditionalPrinterColumns(null);
        v.setSelectableFields(null);
      });
    }
  }

  /** Workloads are matched by their template's labels only; the pod spec in it is never read. */
  private static void trimTemplate(PodTemplateSpec template) {
    if (template == null) {
      return;
    }
    if (template.getMetadata() != null) {
      template.getMetadata().setAnnotations(new HashMap<>());
      template.getMetadata().setManagedFields(null);
    }
    template.setSpec(null);
  }
}

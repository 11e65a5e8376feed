package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How many informers a kind gets, and where its objects are read, by the namespaces watched. */
class IndexedInformerTest {
  private static final String BY_APP = "by-app";
  private static final Map<String, Function<Pod, List<String>>> INDEXERS =
      Map.of(BY_APP, pod -> List.of(pod.getMetadata().getLabels().get("app")));

  /** One informer as the factory was asked for it. */
  private record Made(String name, String namespace, TrimmedItemStore<Pod> store) {}

  private final List<Made> made = new ArrayList<>();

  private IndexedInformer<Pod> watching(Set<String> namespaces) {
    return new IndexedInformer<>("Pod", namespaces, INDEXERS, (name, namespace, store) -> {
      made.add(new Made(name, namespace, store));
      return null; // no API server here: only the stores are read
    });
  }

  private static Pod pod(String namespace, String name) {
    return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name)
        .withLabels(Map.of("app", "shop")).endMetadata().build();
  }

  @Test
  void allNamespacesOrOneAreOneInformerOnTheControllersNamespaces() {
    watching(Set.of(Constants.WATCH_ALL_NAMESPACES));
    watching(Set.of("shop"));

    assertThat(made).extracting(Made::name, Made::namespace)
        .containsExactly(tuple("Pod", null), tuple("Pod", null));
  }

  /**
   * Each named namespace has an informer and a store of its own: a relist, which drops from its
   * store whatever it did not list, can only ever drop its own namespace's objects.
   */
  @Test
  void severalNamedNamespacesAreAnInformerAndAStoreEachAndAreReadAsOne() {
    IndexedInformer<Pod> pods = watching(Set.of("shop", "ingress-nginx"));

    assertThat(made).extracting(Made::name).containsExactly("Pod@ingress-nginx", "Pod@shop");
    assertThat(made).extracting(Made::namespace).containsExactly("ingress-nginx", "shop");
    TrimmedItemStore<Pod> gatewayStore = made.get(0).store();
    TrimmedItemStore<Pod> shopStore = made.get(1).store();
    assertThat(gatewayStore).isNotSameAs(shopStore);

    Pod gateway = pod("ingress-nginx", "controller-1");
    Pod shop = pod("shop", "web-1");
    gatewayStore.put(gatewayStore.getKey(gateway), gateway);
    shopStore.put(shopStore.getKey(shop), shop);

    assertThat(pods.get(new ResourceID("web-1", "shop"))).containsSame(shop);
    assertThat(pods.get(new ResourceID("web-1", "ingress-nginx"))).isEmpty();
    assertThat(pods.get(new ResourceID("web-1", "elsewhere"))).isEmpty();
    assertThat(pods.byIndex(BY_APP, "shop")).containsExactlyInAnyOrder(gateway, shop);
    assertThat(shopStore.keySet()).containsExactly("shop/web-1");
  }
}

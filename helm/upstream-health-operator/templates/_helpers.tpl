{{- define "uho.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "uho.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- /*
The fullname with a suffix ("-metrics"), the fullname cut short so that the whole stays a valid
name of at most 63 characters (list: the context, the suffix).
*/}}
{{- define "uho.suffixedName" -}}
{{- $suffix := index . 1 }}
{{- printf "%s%s" (include "uho.fullname" (index . 0) | trunc (int (sub 63 (len $suffix))) | trimSuffix "-") $suffix }}
{{- end }}

{{- define "uho.selectorLabels" -}}
app.kubernetes.io/name: {{ include "uho.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "uho.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "uho.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "uho.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "uho.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* 2 with leader election, 1 without, unless set; more than 1 without leader election is refused. */}}
{{- define "uho.replicas" -}}
{{- if kindIs "invalid" .Values.replicas }}
{{- ternary 2 1 .Values.leaderElection.enabled }}
{{- else if and (not .Values.leaderElection.enabled) (gt (int .Values.replicas) 1) }}
{{- fail "replicas > 1 needs leaderElection.enabled: two operators would both probe and write status" }}
{{- else }}
{{- .Values.replicas }}
{{- end }}
{{- end }}

{{/* The namespaced read rules the operator needs wherever it watches: a Role or the ClusterRole. */}}
{{/*
Exactly what the operator's requests need (RbacCoverageIT checks both ways): informers list and
watch, status is patched, Events are created. Nothing is read by name, so no get.
*/}}
{{- define "uho.watchRules" -}}
- apiGroups: ["upstreamhealth.dev"]
  resources: ["sites"]
  verbs: ["list", "watch"]
- apiGroups: ["upstreamhealth.dev"]
  resources: ["sites/status"]
  verbs: ["update"]
- apiGroups: [""]
  resources: ["services", "pods"]
  verbs: ["list", "watch"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["list", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses", "networkpolicies"]
  verbs: ["list", "watch"]
- apiGroups: ["apps"]
  resources: ["deployments", "replicasets", "statefulsets", "daemonsets"]
  verbs: ["list", "watch"]
# Events: create for the Sites' own; list and watch for the controller-manager's FailedCreate
# Warnings (a quota that stops a workload from creating pods), filtered by field server-side.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "list", "watch"]
{{- end }}

{{/* IngressClass is cluster-scoped: no Role can grant it. */}}
{{- define "uho.ingressClassRule" -}}
- apiGroups: ["networking.k8s.io"]
  resources: ["ingressclasses"]
  verbs: ["list", "watch"]
{{- end }}

{{- /*
ingress-nginx's controller ConfigMaps (ingressNginx.configMaps), by name and no other: each is
watched by a field selector on its name, which resourceNames allows for list and watch. Granted
cluster-wide by name rather than by a Role in each namespace, so that a cluster without one of
those namespaces installs all the same.
*/}}
{{- define "uho.ingressNginxConfigRule" -}}
{{- $names := list }}
{{- range .Values.ingressNginx.configMaps }}
{{- $names = append $names (index (splitn "/" 2 .) "_1") }}
{{- end }}
{{- with $names }}
- apiGroups: [""]
  resources: ["configmaps"]
  resourceNames: {{ . | uniq | toJson }}
  verbs: ["list", "watch"]
{{- end }}
{{- end }}

{{/*
Where the probe CA bundle comes from: "secret", "configMap", "pem" or empty. More than one is refused.
*/}}
{{- define "uho.probeCaSource" -}}
{{- $b := .Values.probe.caBundle -}}
{{- $set := 0 -}}
{{- if $b.pem }}{{ $set = add1 $set }}{{ end -}}
{{- if $b.configMapName }}{{ $set = add1 $set }}{{ end -}}
{{- if $b.secretName }}{{ $set = add1 $set }}{{ end -}}
{{- if gt $set 1 }}{{ fail "probe.caBundle: set only one of pem, configMapName and secretName" }}{{ end -}}
{{- if $b.secretName }}secret{{ else if $b.configMapName }}configMap{{ else if $b.pem }}pem{{ end -}}
{{- end }}

{{/*
The Gateway API is read cluster-wide, in both modes: a route's Gateway, its GatewayClass, the
ListenerSet it attaches to and the ReferenceGrants of its backends usually live in other
namespaces than the route. Its CRDs are watched so that a Gateway API installed (or upgraded to
serve ListenerSets) while the operator runs is picked up: these five by name and no other CRD
(each is watched by a field selector on its name, which resourceNames allows for list and watch).
*/}}
{{- define "uho.gatewayApiRules" -}}
- apiGroups: ["gateway.networking.k8s.io"]
  resources: ["gatewayclasses", "gateways", "httproutes", "referencegrants", "listenersets"]
  verbs: ["list", "watch"]
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  resourceNames:
    - gatewayclasses.gateway.networking.k8s.io
    - gateways.gateway.networking.k8s.io
    - httproutes.gateway.networking.k8s.io
    - referencegrants.gateway.networking.k8s.io
    - listenersets.gateway.networking.k8s.io
  verbs: ["list", "watch"]
{{- end }}

{{- /*
Prometheus template text, put at the start of an annotation, that sets $reason to the reason
label of what the given query selects (dict: "query" with one %s for the alert's own Site's
matchers, "match" and "args" as uho.siteQuery takes them), or to "" while it selects nothing. Read at each evaluation, so the alert's labels need not carry the reason.
*/}}
{{- define "uho.alertReason" -}}
{{- printf "{{ $reason := \"\" }}%s{{ $reason = . | first | label \"reason\" }}{{ end }}" (include "uho.siteQuery" (merge (dict "query" (printf "max by (reason) (%s)" .query)) .)) -}}
{{- end }}

{{- /*
The labels that tell one Site (or release, or target) from another in a rule's "by" and "on":
the list's first element, then the chart's clusterLabels (list: "namespace, site", labels).
*/}}
{{- define "uho.ruleLabels" -}}
{{- join ", " (concat (list (index . 0)) (index . 1)) -}}
{{- end }}

{{- /* The matchers of an annotation's query: the first element's, then one %q per cluster label. */}}
{{- define "uho.queryMatch" -}}
{{- index . 0 }}{{ range (index . 1) }}, {{ . }}=%q{{ end -}}
{{- end }}

{{- /* The alert's labels that fill uho.queryMatch's matchers, in its order. */}}
{{- define "uho.queryArgs" -}}
{{- index . 0 }}{{ range (index . 1) }} $labels.{{ . }}{{ end -}}
{{- end }}

{{- /*
Prometheus template text that opens a "with" on a query of the alert's own Site (dict: "query"
with one %s for the Site's matchers, "match" and "args" from uho.queryMatch and uho.queryArgs);
the caller closes it with end.
*/}}
{{- define "uho.siteQuery" -}}
{{- printf "{{ with printf \x60%s\x60 %s | query }}" (printf .query .match) .args -}}
{{- end }}

{{- /*
What keeps a firing Site alert firing while visitors still get no page of another kind (dict:
"alert" its name, "faults" the other faults as a regex, "alerts" their alerts' names as a regex,
"failed" the EvaluationFailed selector, "window" its keepFiringFor, empty when it has none,
"site" the labels that tell Sites apart, "siteQuery" for uho.nowAnswers): an outage whose fault turns
from 502 to 503 is one outage. Without it the 502's page resolved before the 503's 'for' had
passed: a RESOLVED message in the middle of the outage. Held until the other kind's own alert
fires (then this one resolves after its keepFiringFor), until the Site serves again or is in
declared maintenance. A Site whose reconciles fail (EvaluationFailed) keeps a firing alert too: no
verdict is no recovery. Only a firing alert is held: a pending one is no page yet, and holding it
would let a minute of 502 before a rollout's 503 page before the 503's own 'for'. And not once the
Site has served since (fault None within the keepFiringFor the alert still fires for, and two
minutes more; each side compared on its own, as "or" keeps only the left of two samples of one
series): ALERTS shows an alert in its keepFiringFor as firing, and a new fault then is news of its
own, to page after its own 'for'. Without keepFiringFor an alert resolves at its first evaluation
without its fault, and nothing after holds it.
*/}}
{{- define "uho.heldThroughAnotherFault" -}}
or
(
  max by ({{ .site }}) (ALERTS{alertname="{{ .alert }}", alertstate="firing"}) == 1
    and on ({{ .site }})
  (
    max by ({{ .site }}) (upstreamhealth_site_fault{fault=~"{{ .faults }}"}) == 1
      unless on ({{ .site }})
    {{ include "uho.declaredMaintenance" . }}
      or
    {{ .failed }}
  )
    unless on ({{ .site }})
  max by ({{ .site }}) (ALERTS{alertname=~"{{ .alerts }}", alertstate="firing"}) == 1
  {{- with .window }}
    unless on ({{ $.site }})
  max by ({{ $.site }}) (
    max_over_time(upstreamhealth_site_fault{fault="None"}[{{ . }}]) == 1
      or
    max_over_time(upstreamhealth_site_fault{fault="None"}[{{ . }}] offset 2m) == 1
  )
  {{- end }}
)
{{- end }}

{{- /*
A Site whose fault is the 503 of declared maintenance: no page. Maintenance declared while
another fault stands (the Site's MaintenanceMode condition with a 521 or 502) does not hide that.
*/}}
{{- define "uho.declaredMaintenance" -}}
(
      max by ({{ .site }}) (upstreamhealth_site_condition{type="ServiceUnavailable", reason="MaintenanceMode"}) == 1
        and on ({{ .site }})
      max by ({{ .site }}) (upstreamhealth_site_fault{fault="503"}) == 1
    )
{{- end }}

{{- /*
Prometheus template text for a Site alert's description: what visitors get now, while the alert
is held through another kind of fault (see uho.heldThroughAnotherFault: "faults" the other faults, "siteQuery").
*/}}
{{- define "uho.nowAnswers" -}}
{{- printf "%s Visitors now get {{ . | first | label \"fault\" }} instead: this alert holds until the alert of that fault fires.{{ end }}" (include "uho.siteQuery" (merge (dict "query" (printf "max by (fault) (upstreamhealth_site_fault{%%s, fault=~\"%s\"}) == 1" .faults)) .siteQuery)) -}}
{{- end }}

{{- /* keep_firing_for of an alert, when its values give one (Prometheus 2.42 and later). */}}
{{- define "uho.keepFiringFor" -}}
{{- with .keepFiringFor }}
          keep_firing_for: {{ . }}
{{- end }}
{{- end }}

{{- /*
The Lease the replicas share: the one named, else (with a siteSelector or watchNamespaces, one
shard of several releases, which may share a namespace) the release's own, so that shards do not
take turns on one Lease and leave all but one standing by, else upstream-health-operator.
*/}}
{{- define "uho.leaseName" -}}
{{- if .Values.leaderElection.leaseName }}{{ .Values.leaderElection.leaseName }}
{{- else if or .Values.siteSelector .Values.watchNamespaces }}{{ include "uho.fullname" . }}
{{- else }}upstream-health-operator{{ end }}
{{- end }}

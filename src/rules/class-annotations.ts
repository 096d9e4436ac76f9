// Class and endpoint rules: objects no controller picks up, and Services Kong cannot send traffic to.
import { DEFAULT_CLASS_ANNOTATION, INGRESS_CLASS_ANNOTATION } from '../model/annotations.ts';
import { annotation, asArray, isRecord, keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { classAnnotation, isDefaultIngressClass, isGlobalPlugin } from '../model/views.ts';
import { olderFirst, type StateView } from '../state/view.ts';
import type { Rule } from './rule.ts';
import { isServiceUpstream } from '../translate/upstream-targets.ts';
import { name, plainList } from './text.ts';

const NET = 'networking.k8s.io';

// ---- example manifests

const ingressClassYaml = (className: string, isDefault: boolean) => `---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: ${className}${isDefault ? ', annotations: {ingressclass.kubernetes.io/is-default-class: "true"}' : ''}}
spec: {controller: ${className === 'kong' ? 'ingress-controllers.konghq.com/kong' : `example.com/${className}`}}
`;

const consumerYaml = (annotated: boolean) => `---
apiVersion: configuration.konghq.com/v1
kind: KongConsumer
metadata: {name: bob, namespace: default${annotated ? ', annotations: {kubernetes.io/ingress.class: kong}' : ''}}
username: bob
`;

const endpointsYaml = (ready: boolean) => `---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default}
spec: {selector: {app: echo}, ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  ingressClassName: kong
  rules: [{host: app.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 80}}}}]}}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: echo-x7k2p, namespace: default, labels: {kubernetes.io/service-name: echo}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.0.0.7], conditions: {ready: ${ready}}}]
`;

// ---- duplicate-default-ingress-class

export const duplicateDefaultIngressClass: Rule = {
  id: 'duplicate-default-ingress-class',
  severity: 'deny',
  summary: 'A second IngressClass is marked as the cluster default.',
  explanation:
    'Kubernetes gives an Ingress without spec.ingressClassName the default IngressClass when it is created. With more than one class annotated ' +
    'ingressclass.kubernetes.io/is-default-class: "true", the API server refuses to create such Ingresses at all. ' +
    'The finding is on the newer class and names the older one.',
  examples: {
    bad: ingressClassYaml('kong', true) + ingressClassYaml('nginx', true),
    good: ingressClassYaml('kong', true) + ingressClassYaml('nginx', false),
  },
  kinds: ['IngressClass'],
  check({ view }, subject) {
    if (!isDefaultIngressClass(subject)) return [];
    const order = olderFirst(view, keyOf);
    const older = view.lookup('defaultIngressClass', '*').filter((c) => keyOf(c) !== keyOf(subject) && order(c, subject) < 0).sort(order);
    if (!older.length) return [];
    const names = older.map((c) => name(c));
    return [
      {
        field: `metadata.annotations["${DEFAULT_CLASS_ANNOTATION}"]`,
        related: older.map(refOf),
        message:
          `${name(subject)} is marked as the default IngressClass, but ${plainList(names)} already ${older.length === 1 ? 'is' : 'are'}. ` +
          `With more than one default the API server rejects every new Ingress that sets no spec.ingressClassName.`,
        fix: `remove the ${DEFAULT_CLASS_ANNOTATION} annotation from ${subject.metadata.name}, or remove it from ${plainList(older.map((c) => c.metadata.name))} first if ${subject.metadata.name} should become the default.`,
      },
    ];
  },
};

// ---- missing-class-annotation

function ignoredConsequence(subject: K8sObject): string {
  if (subject.kind === 'KongConsumer') return 'the consumer and its credentials are not in Kong, so requests presenting them are rejected';
  if (subject.kind === 'KongConsumerGroup') return 'the group is not in Kong, so its plugins do not apply to its members';
  if (subject.kind === 'TCPIngress' || subject.kind === 'UDPIngress') return 'Kong gets none of its routes, so no connection on its ports reaches the backend';
  if (isGlobalPlugin(subject)) return 'this global plugin runs nowhere';
  return 'the routes, services and consumers that name it run without the plugin';
}

export const missingClassAnnotation: Rule = {
  id: 'missing-class-annotation',
  severity: 'warn',
  summary: 'A KongConsumer, KongConsumerGroup, KongClusterPlugin, TCPIngress or UDPIngress has no kubernetes.io/ingress.class while KIC\'s IngressClass is not the default.',
  explanation:
    'KIC only reads these kinds when their kubernetes.io/ingress.class annotation names its class, or when the annotation is absent and its ' +
    'IngressClass is the cluster default. Otherwise the object is ignored without an event. KongPlugin needs no class and is never flagged. ' +
    'Nothing is reported while KIC\'s IngressClass is not in the state at all (whether it is the default is then unknown).',
  examples: {
    bad: ingressClassYaml('kong', false) + consumerYaml(false),
    good: ingressClassYaml('kong', false) + consumerYaml(true),
  },
  // KIC filters all of them with MatchesIngressClass (internal/controllers/utils/utils.go).
  kinds: ['KongConsumer', 'KongConsumerGroup', 'KongClusterPlugin', 'TCPIngress', 'UDPIngress'],
  check({ tr, view }, subject) {
    if (classAnnotation(subject) !== undefined) return [];
    const ours = tr.config.ingressClass;
    if (!view.get(refKey({ group: NET, kind: 'IngressClass', name: ours })) || tr.ourClassIsDefault()) return [];
    const empty = annotation(subject, INGRESS_CLASS_ANNOTATION) !== undefined;
    return [
      {
        field: `metadata.annotations["${INGRESS_CLASS_ANNOTATION}"]`,
        related: [{ group: NET, kind: 'IngressClass', name: ours }],
        message:
          `${name(subject)} has ${empty ? 'an empty' : 'no'} ${INGRESS_CLASS_ANNOTATION} annotation and IngressClass ${ours} is not the cluster default, ` +
          `so KIC ignores it: ${ignoredConsequence(subject)}.`,
        fix: `add the annotation ${INGRESS_CLASS_ANNOTATION}: "${ours}".`,
      },
    ];
  },
};

// ---- no-ready-endpoints

/**
 * KIC's getEndpoints: an endpoint counts unless it is explicitly not ready (an unset ready is ready). A terminating
 * endpoint that is still ready is kept, as during a rollout; drain support, which would keep not-ready terminating
 * ones, is off by default.
 */
function hasReadyEndpoint(slice: K8sObject): boolean {
  return asArray(slice.endpoints).some((e) => {
    if (!isRecord(e)) return false;
    const conditions = isRecord(e.conditions) ? e.conditions : {};
    return conditions.ready !== false && asArray(e.addresses).length > 0;
  });
}

function anyEndpointSlice(view: StateView): boolean {
  for (const _ of view.list('EndpointSlice')) return true;
  return false;
}

export const noReadyEndpoints: Rule = {
  id: 'no-ready-endpoints',
  severity: 'warn',
  summary: 'A Service behind a managed route has no ready endpoints.',
  explanation:
    'KIC builds the Kong upstream\'s targets from the Service\'s EndpointSlices, skipping endpoints that are not ready (a terminating endpoint that is still ready keeps its target), and only logs ' +
    'when none is left: Kong then answers 503 "failure to get a peer from the ring-balancer". Usual causes: a selector that matches no pods, a wrong ' +
    'port, pods failing their readiness probe. A Service without any EndpointSlice is only reported when the state has EndpointSlices for other ' +
    'Services (manifest checks without EndpointSlices stay quiet). ExternalName Services have no endpoints and are skipped.',
  examples: {
    bad: ingressClassYaml('kong', true) + endpointsYaml(false),
    good: ingressClassYaml('kong', true) + endpointsYaml(true),
  },
  kinds: ['Service'],
  check({ tr, view }, subject) {
    const spec = isRecord(subject.spec) ? subject.spec : {};
    if (spec.type === 'ExternalName') return [];
    const ns = subject.metadata.namespace ?? '';
    const slices = view.lookup('endpointSlices', `${ns}/${subject.metadata.name}`);
    // Its own EndpointSlices first: whether a Service is managed means translating the routes it backs. Without
    // any, only a managed Service probes whether the state holds EndpointSlices at all (manifests often do not).
    if (slices.length ? slices.some(hasReadyEndpoint) || !tr.isManaged(subject) : !tr.isManaged(subject) || !anyEndpointSlice(view)) return [];
    const kongServices = tr.kongServicesBackedBy(subject);
    const routes = new Map<string, ObjectRef>();
    for (const s of kongServices) for (const src of s.sources) if (src.kind !== 'Service') routes.set(refKey(src), src);
    const shown = [...routes.values()].slice(0, 3).map((r) => name(r));
    const more = routes.size > shown.length ? ` and ${routes.size - shown.length} more` : '';
    const what = slices.length
      ? `none of its EndpointSlices (${plainList(slices.map((s) => s.metadata.name).sort().slice(0, 3))}${slices.length > 3 ? ', ...' : ''}) has a ready endpoint`
      : 'it has no EndpointSlices';
    // getEndpoints: only ingress.kubernetes.io/service-upstream (or the IngressClassParameters) makes the Service's DNS name the target.
    const serviceUpstream = isServiceUpstream(tr, subject);
    const consequence = serviceUpstream
      ? 'Kong sends its requests to the Service\'s cluster IP, where no pod answers, so they fail (502).'
      : `Kong's upstream ${plainList(kongServices.map((s) => s.host).slice(0, 2))} has no targets and answers 503 "failure to get a peer from the ring-balancer".`;
    return [
      {
        related: [...routes.values()],
        message: `${name(subject)} backs ${shown.length ? plainList(shown) : 'a managed route'}${more}, but ${what}. ${consequence}`,
        fix: slices.length
          ? `make the Service's selector match running pods that pass their readiness probe (kubectl get endpointslices -n ${ns} -l kubernetes.io/service-name=${subject.metadata.name}).`
          : `give the Service a selector that matches running pods (a Service without a selector needs EndpointSlices of its own).`,
      },
    ];
  },
};

export const CLASS_RULES: readonly Rule[] = [duplicateDefaultIngressClass, missingClassAnnotation, noReadyEndpoints];

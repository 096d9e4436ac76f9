// Objects KIC reads for what they change in the Kong configuration besides routes: a Service's upstream settings
// (KongUpstreamPolicy, and the deprecated KongIngress) and vaults. KIC applies them in kongstate.FillUpstreamOverrides
// and FillVaults; every failure there is a translation failure: an event, and the setting silently not applied.
import { keyOf, refKey, refOf, type ObjectRef } from '../model/object.ts';
import { kongIngressName, kongIngressSections, upstreamPolicyAlgorithm, upstreamPolicyName, vaultPrefix } from '../model/views.ts';
import { olderFirst } from '../state/view.ts';
import type { Draft, Rule } from './rule.ts';
import { name, plainList } from './text.ts';
import { ingress, KONG_BASE, pathRule } from './example-base.ts';

const KONG = 'configuration.konghq.com';
/** The first Kong release with the sticky-sessions algorithm (KIC's versions.KongStickySessionsCutoff). */
const STICKY_SESSIONS_SINCE = '3.11';

/** The base with Service echo annotated, plus an Ingress that makes KIC translate it. */
const annotatedEcho = (annotations: string) =>
  KONG_BASE.replace('metadata: {name: echo, namespace: default}', `metadata: {name: echo, namespace: default, annotations: {${annotations}}}`) +
  ingress('web', pathRule('/', 'echo', 1027, 'app.example.com'));

const policy = (name: string, spec: string) => `---
apiVersion: configuration.konghq.com/v1beta1
kind: KongUpstreamPolicy
metadata: {name: ${name}, namespace: default}
spec: ${spec}
`;

function ref(kind: string, namespace: string, name: string): ObjectRef {
  return { group: KONG, kind, namespace, name };
}

export const missingUpstreamPolicy: Rule = {
  id: 'missing-upstream-policy',
  severity: 'warn',
  dangling: true,
  summary: 'A Service names a KongUpstreamPolicy (konghq.com/upstream-policy) or a KongIngress (konghq.com/override) that does not exist.',
  explanation:
    'KIC looks the policy up in the Service\'s namespace when it builds the Kong upstream (kongstate.FillUpstreamOverrides). When it is missing, ' +
    'KIC records a translation failure ("failed fetching KongUpstreamPolicy", or "failed to get KongIngress") and the upstream keeps Kong\'s ' +
    'defaults: round-robin, no health checks, no hashing. A warning by default because the policy may be created by the same apply.',
  examples: {
    bad: annotatedEcho('konghq.com/upstream-policy: sticky'),
    good: annotatedEcho('konghq.com/upstream-policy: sticky') + policy('sticky', '{algorithm: consistent-hashing, hashOn: {header: x-user}}'),
  },
  kinds: ['Service'],
  check({ tr, view }, subject) {
    const ns = subject.metadata.namespace ?? '';
    const wanted = [
      { ref: ref('KongUpstreamPolicy', ns, upstreamPolicyName(subject) ?? ''), annotation: 'konghq.com/upstream-policy', failure: 'failed fetching KongUpstreamPolicy' },
      { ref: ref('KongIngress', ns, kongIngressName(subject) ?? ''), annotation: 'konghq.com/override', failure: 'failed to get KongIngress' },
    ];
    const missing = wanted.filter((w) => w.ref.name !== '' && !view.get(refKey(w.ref)));
    // Annotations first: whether a Service is managed means translating the routes it backs.
    if (!missing.length || !tr.isManaged(subject)) return [];
    return missing.map((w) => ({
      field: `metadata.annotations["${w.annotation}"]`,
      discriminator: w.annotation,
      related: [w.ref],
      message:
        `${name(subject)} names ${name(w.ref)} (${w.annotation}), which does not exist. KIC records a translation failure ("${w.failure}") ` +
        `and its Kong upstream keeps Kong's defaults: round-robin load balancing, no health checks, no hashing.`,
      fix: `create ${name(w.ref)} in namespace ${ns}, or correct ${w.annotation}.`,
    }));
  },
};

export const upstreamPolicyUnsupported: Rule = {
  id: 'upstream-policy-unsupported',
  severity: 'deny',
  summary: `A Service's KongUpstreamPolicy uses the sticky-sessions algorithm, which Kong OSS ${'3.9'} does not have (Kong ${STICKY_SESSIONS_SINCE} or later).`,
  explanation:
    `KIC refuses a KongUpstreamPolicy with algorithm sticky-sessions when Kong is older than ${STICKY_SESSIONS_SINCE} (kongstate.FillUpstreamOverrides): it records a ` +
    'translation failure on the Services and applies none of the policy to their upstream, so health checks, hashing and slots are silently lost too. ' +
    'Kong OSS ends at 3.9, so this is judged with kongEdition: oss only; an Enterprise release may be new enough.',
  examples: {
    bad: annotatedEcho('konghq.com/upstream-policy: sticky') + policy('sticky', '{algorithm: sticky-sessions, hashOn: {input: none}, stickySessions: {cookie: session-id}}'),
    good: annotatedEcho('konghq.com/upstream-policy: sticky') + policy('sticky', '{algorithm: consistent-hashing, hashOn: {cookie: session-id, cookiePath: /}}'),
  },
  kinds: ['Service'],
  check({ tr, view }, subject) {
    if (tr.config.kongEdition === 'enterprise') return [];
    const policyName = upstreamPolicyName(subject);
    const found = policyName ? view.get(refKey(ref('KongUpstreamPolicy', subject.metadata.namespace ?? '', policyName))) : undefined;
    if (!found || upstreamPolicyAlgorithm(found) !== 'sticky-sessions' || !tr.isManaged(subject)) return [];
    return [
      {
        field: 'metadata.annotations["konghq.com/upstream-policy"]',
        related: [refOf(found)],
        message:
          `${name(subject)} uses ${name(found)}, whose algorithm sticky-sessions needs Kong ${STICKY_SESSIONS_SINCE} or later. With Kong OSS 3.9 KIC records a ` +
          `translation failure ("sticky sessions algorithm specified in KongUpstreamPolicy '${found.metadata.name}' is not supported with Kong Gateway versions < ${STICKY_SESSIONS_SINCE}.0") ` +
          `and applies none of the policy: the upstream keeps round-robin, without the policy's health checks or hashing.`,
        fix: `use algorithm consistent-hashing with hashOn.cookie for cookie-based affinity on Kong 3.9, or run Kong ${STICKY_SESSIONS_SINCE} or later (kongEdition: enterprise).`,
      },
    ];
  },
};

export const kongIngressIgnored: Rule = {
  id: 'kongingress-ignored',
  severity: 'warn',
  summary: 'A KongIngress sets proxy or route settings, which KIC 3.x ignores; or a Service\'s KongIngress would apply only to Gateway API routes, where KIC skips it.',
  explanation:
    'KongIngress is deprecated. KIC 3.x reads only its upstream section, through a Service\'s konghq.com/override annotation, and only for Kong services ' +
    'built from Ingresses (kongstate/upstream.go skips upstreams of Gateway API routes); its webhook warns about proxy and route, and current CRDs ' +
    'refuse them. Use Service annotations (konghq.com/path, konghq.com/protocol, timeouts, retries) for proxy settings, route annotations for route ' +
    'settings, and a KongUpstreamPolicy (konghq.com/upstream-policy) for the upstream.',
  examples: {
    bad: `${KONG_BASE}---
apiVersion: configuration.konghq.com/v1
kind: KongIngress
metadata: {name: timeouts, namespace: default}
proxy: {read_timeout: 120000}
`,
    good: `${KONG_BASE}---
apiVersion: configuration.konghq.com/v1
kind: KongIngress
metadata: {name: timeouts, namespace: default}
upstream: {slots: 100}
`,
  },
  kinds: ['KongIngress', 'Service'],
  check({ tr, view }, subject): Draft[] {
    if (subject.kind === 'KongIngress') {
      const ignored = kongIngressSections(subject).filter((s) => s !== 'upstream');
      if (!ignored.length) return [];
      return [
        {
          field: ignored[0],
          related: [],
          message:
            `${name(subject)} sets ${plainList(ignored)}: KIC 3.x ignores a KongIngress's ${ignored.length > 1 ? 'proxy and route sections' : `${ignored[0]} section`} ` +
            `(only upstream is read), so none of ${ignored.length > 1 ? 'these settings' : 'its settings'} reach Kong.`,
          fix: ignored.includes('proxy')
            ? 'move the proxy settings to annotations of the Service (konghq.com/path, konghq.com/protocol, konghq.com/read-timeout, ...), and any route settings to the Ingress or HTTPRoute annotations.'
            : 'move the route settings to annotations of the Ingress or HTTPRoute (konghq.com/strip-path, konghq.com/methods, ...).',
        },
      ];
    }
    const kongIngress = kongIngressName(subject);
    if (!kongIngress || !tr.isManaged(subject)) return [];
    const services = tr.kongServicesBackedBy(subject);
    const fromGatewayApi = (s: { sources: ObjectRef[] }) => s.sources.some((r) => r.group === 'gateway.networking.k8s.io');
    if (!services.length || !services.every(fromGatewayApi)) return [];
    const target = ref('KongIngress', subject.metadata.namespace ?? '', kongIngress);
    if (!view.get(refKey(target))) return []; // missing-upstream-policy's finding
    return [
      {
        field: 'metadata.annotations["konghq.com/override"]',
        related: [target],
        message:
          `${name(subject)} names ${name(target)} (konghq.com/override), but it only backs Gateway API routes, whose upstreams KIC never overrides with a KongIngress: its upstream settings do not apply.`,
        fix: `put the upstream settings in a KongUpstreamPolicy and name it with konghq.com/upstream-policy.`,
      },
    ];
  },
};

export const duplicateVaultPrefix: Rule = {
  id: 'duplicate-vault-prefix',
  severity: 'deny',
  summary: 'Two KongVaults of the class share spec.prefix.',
  explanation:
    'Kong references vaults by prefix ({vault://prefix/...}), so KIC keeps one KongVault per prefix: its own webhook refuses the second ' +
    '("spec.prefix is duplicate with existing KongVault"), and its translator keeps the oldest and records a translation failure on the others ' +
    '(kongstate.FillVaults), so references meant for the newer one read the older vault.',
  examples: {
    bad: `${KONG_BASE}---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongVault
metadata: {name: env-a, creationTimestamp: "2026-01-01T00:00:00Z", annotations: {kubernetes.io/ingress.class: kong}}
spec: {backend: env, prefix: env}
---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongVault
metadata: {name: env-b, creationTimestamp: "2026-01-02T00:00:00Z", annotations: {kubernetes.io/ingress.class: kong}}
spec: {backend: env, prefix: env}
`,
    good: `${KONG_BASE}---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongVault
metadata: {name: env-a, annotations: {kubernetes.io/ingress.class: kong}}
spec: {backend: env, prefix: env}
---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongVault
metadata: {name: env-b, annotations: {kubernetes.io/ingress.class: kong}}
spec: {backend: env, prefix: env-b}
`,
  },
  kinds: ['KongVault'],
  check({ tr, view }, subject) {
    const prefix = vaultPrefix(subject);
    if (!prefix || !tr.isManaged(subject)) return [];
    const holder = view.lookup('vaultPrefix', prefix).filter((v) => tr.isManaged(v)).sort(olderFirst(view, keyOf))[0];
    if (!holder || keyOf(holder) === keyOf(subject)) return [];
    return [
      {
        field: 'spec.prefix',
        related: [refOf(holder)],
        message:
          `${name(subject)} has spec.prefix "${prefix}", like ${name(holder)}. KIC's own webhook refuses it (spec.prefix "${prefix}" is duplicate with existing KongVault "${holder.metadata.name}"), ` +
          `and its translator keeps only the older ${name(holder)}: {vault://${prefix}/...} references read that one.`,
        fix: `give ${subject.metadata.name} its own spec.prefix.`,
      },
    ];
  },
};

export const UPSTREAM_AND_VAULT_RULES: readonly Rule[] = [missingUpstreamPolicy, upstreamPolicyUnsupported, kongIngressIgnored, duplicateVaultPrefix];

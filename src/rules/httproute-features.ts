// HTTPRoute features KIC does not implement, mirroring its webhook's validateHTTPRouteFeatures and
// validateHTTPRouteTimeoutBackendRequest (research/kic.md 1.3). Without KIC's webhook, the translator drops
// or misapplies them at stage 2, long after kubectl said "configured".
import { asArray, asString, isRecord, type K8sObject } from '../model/object.ts';
import type { TranslateConfig } from '../translate/config.ts';
import type { Translator } from '../translate/translator.ts';
// The filter types KIC translates (#7582: anything else, e.g. CORS or RequestMirror, is refused): the translator's list.
import { SUPPORTED_FILTERS } from '../translate/httproute-filters.ts';
import type { Draft, Rule } from './rule.ts';
import { closest, name, plainList } from './text.ts';

/** What becomes of such a route (research/kic.md section 3: webhook yes, translator partly). */
const REFUSED = "KIC's own webhook refuses it; without that webhook, KIC drops the route or silently ignores the feature.";

const GATEWAY_PREAMBLE = `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: kong
spec:
  controllerName: konghq.com/kic-gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: kong
  namespace: default
spec:
  gatewayClassName: kong
  listeners:
  - name: http
    protocol: HTTP
    port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: echo
  namespace: default
spec:
  selector:
    app: echo
  ports:
  - name: http
    port: 80
---
`;

function routeExample(rules: string): string {
  return `${GATEWAY_PREAMBLE}apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: api
  namespace: default
spec:
  parentRefs:
  - name: kong
  hostnames:
  - api.example.com
  rules:
${rules}`;
}

const records = (value: unknown): [Record<string, unknown>, number][] =>
  asArray(value).flatMap((v, i): [Record<string, unknown>, number][] => (isRecord(v) ? [[v, i]] : []));

/** Whether Kong runs the expressions router (kongRouterFlavor; Kong's default is traditional_compatible). */
function expressionsRouter(config: TranslateConfig): boolean {
  return config.kongRouterFlavor === 'expressions';
}

/** What KIC does with the rule's Kong service when a filter fails its translation (translate/kic-drops.ts), if it does. */
function droppedBy(tr: Translator, route: K8sObject, rule: number): string | undefined {
  const prefix = `spec.rules[${rule}]`;
  const dropped = tr.droppedServices(route).filter((d) => d.why === 'filter' && d.routes.some((r) => r.field.startsWith(prefix)));
  if (!dropped.length) return undefined;
  return (
    "KIC's own webhook refuses it; without that webhook, " +
    dropped.map((d) => `KIC drops the Kong service ${d.service} and with it the route${d.routes.length === 1 ? '' : 's'} ${plainList(d.routes.map((r) => r.name))}`).join('; ') +
    ': Kong answers their requests 404 unless another route matches them.'
  );
}

export const unsupportedHTTPRouteFeature: Rule = {
  id: 'unsupported-httproute-feature',
  severity: 'deny',
  summary: 'An HTTPRoute uses a filter, backend kind, match or timeout layout KIC does not support.',
  explanation:
    'KIC translates only the RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, URLRewrite and ExtensionRef filters, no filters ' +
    'on individual backendRefs, and only core Service backends. It needs one timeouts.backendRequest for the whole route (rules after the first ' +
    'one that sets it must repeat it, as text: "10s" and "10000ms" differ), and query parameter matches need Kong\'s expressions router. ' +
    'KIC\'s own webhook refuses these; without it the translator drops or misapplies them. A later rule with timeouts but no backendRequest ' +
    'even crashes KIC\'s webhook check.',
  kinds: ['HTTPRoute'],
  examples: {
    bad: routeExample(`  - matches:
    - path:
        type: PathPrefix
        value: /
    filters:
    - type: RequestMirror
      requestMirror:
        backendRef:
          name: echo-shadow
          port: 80
    backendRefs:
    - name: echo
      port: 80
`),
    good: routeExample(`  - matches:
    - path:
        type: PathPrefix
        value: /
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        add:
        - name: x-env
          value: prod
    backendRefs:
    - name: echo
      port: 80
`),
  },
  check(ctx, subject) {
    if (!ctx.tr.isManaged(subject)) return [];
    const spec = isRecord(subject.spec) ? subject.spec : {};
    const drafts: Draft[] = [];
    const add = (field: string, message: string, fix: string) => drafts.push({ field, discriminator: field, related: [], message: `${name(subject)} ${message}`, fix });
    const rules = records(spec.rules);

    for (const [rule, r] of rules) {
      const at = `spec.rules[${r}]`;
      for (const [filter, f] of records(rule.filters)) {
        const type = asString(filter.type);
        if (type === undefined || SUPPORTED_FILTERS.includes(type)) continue;
        const guess = closest(type, SUPPORTED_FILTERS);
        add(
          `${at}.filters[${f}]`,
          `uses the filter type "${type}" at ${at}.filters[${f}], which KIC does not support${guess ? ` (did you mean "${guess}"?)` : ''}. ` +
            `${droppedBy(ctx.tr, subject, r) ?? REFUSED}`,
          type === 'CORS' ? 'remove the filter and attach a KongPlugin of type cors with konghq.com/plugins.' : `remove the filter; use one of ${SUPPORTED_FILTERS.join(', ')} or a KongPlugin through an ExtensionRef filter.`,
        );
      }
      for (const [backend, b] of records(rule.backendRefs)) {
        const field = `${at}.backendRefs[${b}]`;
        if (asArray(backend.filters).length) {
          add(`${field}.filters`, `sets filters on ${field}, and KIC supports no per-backend filters. ${REFUSED}`, 'move the filters to the rule, or split the rule per backend.');
        }
        const group = asString(backend.group);
        const kind = asString(backend.kind);
        if ((group !== undefined && group !== '' && group !== 'core') || (kind !== undefined && kind !== 'Service')) {
          add(
            field,
            `points ${field} at ${kind ?? 'Service'}${group ? ` (group ${group})` : ''} "${asString(backend.name) ?? ''}", and KIC only routes to core Services. ${REFUSED}`,
            'point the backendRef at a Service (group "", kind Service).',
          );
        }
      }
      if (!expressionsRouter(ctx.tr.config)) {
        for (const [match, m] of records(rule.matches)) {
          if (!asArray(match.queryParams).length) continue;
          add(
            `${at}.matches[${m}].queryParams`,
            `matches on query parameters at ${at}.matches[${m}], which KIC supports only with Kong's expressions router. ${REFUSED}`,
            'remove the queryParams match, or run Kong with router_flavor "expressions".',
          );
        }
      }
    }

    // validateHTTPRouteTimeoutBackendRequest, rule by rule in KIC's order.
    let first: { value: string; rule: number } | undefined;
    for (const [rule, r] of rules) {
      const timeouts = isRecord(rule.timeouts) ? rule.timeouts : undefined;
      const backendRequest = timeouts ? asString(timeouts.backendRequest) : undefined;
      const at = `spec.rules[${r}]`;
      if (!first) {
        if (backendRequest !== undefined) first = { value: backendRequest, rule: r };
        continue;
      }
      const since = `spec.rules[${first.rule}].timeouts.backendRequest is "${first.value}"`;
      if (!timeouts) {
        add(`${at}.timeouts`, `sets no timeouts at ${at}, but ${since}. KIC needs one backend timeout for the whole route and refuses it.`, `set ${at}.timeouts.backendRequest to "${first.value}", or remove the timeout from every rule.`);
      } else if (backendRequest === undefined) {
        add(
          `${at}.timeouts`,
          `sets timeouts without backendRequest at ${at}, but ${since}. KIC's webhook check crashes on this layout, and the route does not get a consistent backend timeout.`,
          `set ${at}.timeouts.backendRequest to "${first.value}".`,
        );
      } else if (backendRequest !== first.value) {
        add(
          `${at}.timeouts.backendRequest`,
          `sets ${at}.timeouts.backendRequest to "${backendRequest}", but ${since}. KIC needs one backend timeout for the whole route (compared as written) and refuses it.`,
          `use "${first.value}" in every rule, written the same way.`,
        );
      }
    }
    return drafts;
  },
};

export const HTTPROUTE_FEATURE_RULES: Rule[] = [unsupportedHTTPRouteFeature];

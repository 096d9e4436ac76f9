// `translate --output deck`: the declarative configuration (format 3.0) KIC 3.5 sends to Kong, built from the
// entities translateAll computes. KIC's deckgen.ToDeckContent decides the shape: routes nested in their service,
// KongPlugin instances top-level with a reference to their scope (kongstate buildPlugins), generated filter plugins
// nested in their route, credentials nested in their consumer. Names, tags (util.GenerateTagsForObject) and IDs
// (kongstate FillIDs -> go-kong ids.go) follow KIC so a user can diff this against /debug/config/successful.
// Anything that comes from a Secret is the one REDACTED marker: never a value, never its length.
import { asArray, asString, isRecord, refKey, type K8sObject, type ObjectRef } from '../model/object.ts';
import { and, or, render, sniMatcher } from './atc.ts';
import { compareCertificateOrder } from '../model/secret.ts';
import { uuidV5 } from '../router/route-id.ts';
import { compact, descending, kicTags, NS, REDACTED, secretFieldNames, type Entity } from './deck-common.ts';
import { deckPlugin, extensionRefInstances, fillPlugin, pluginString } from './deck-plugins.ts';
import { kicFindPort, upstreamTargets } from './upstream-targets.ts';
import type { KongConfig, KongRoute } from './kong.ts';
import type { Translator } from './translator.ts';
import { customEntityCollections } from './custom-entities.ts';
import { withFacadeAnnotations } from './service-facades.ts';
import { withBackendTLSPolicies } from './backend-tls.ts';
import { rewritePlugin } from './ingress-rewrite.ts';

export { kicTags, REDACTED } from './deck-common.ts';
export { pluginConfig } from './deck-plugins.ts';

/** generateKongServiceTags' placeholder for a Kong service none of whose Kubernetes Services exists. */
const UNKNOWN_SERVICE_TAGS = ['k8s-name:UNKNOWN', 'k8s-namespace:UNKNOWN', 'k8s-kind:Service', 'k8s-uid:00000000-0000-0000-0000-000000000000', 'k8s-group:core', 'k8s-version:v1'];

const SERVICE_DEFAULTS = { connect_timeout: 60000, read_timeout: 60000, write_timeout: 60000, retries: 5 };

function intAnnotation(anns: Record<string, string>, key: string): number | undefined {
  const v = anns[`konghq.com/${key}`];
  // strconv.Atoi: an optional sign and digits only; anything else leaves the default.
  return v !== undefined && /^[+-]?\d+$/.test(v) ? Number(v) : undefined;
}

/** kongstate/service.go overrideByAnnotation, applied per backing Service in namespace/name order. */
function overrideService(service: Entity, anns: Record<string, string>): void {
  const protocol = anns['konghq.com/protocol'];
  if (protocol && ['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls', 'udp', 'ws', 'wss', 'tls_passthrough'].includes(protocol)) service.protocol = protocol;
  const path = anns['konghq.com/path'];
  if (path && path.startsWith('/')) service.path = path;
  for (const [key, field] of [
    ['connect-timeout', 'connect_timeout'],
    ['write-timeout', 'write_timeout'],
    ['read-timeout', 'read_timeout'],
    ['retries', 'retries'],
  ] as const) {
    const v = intAnnotation(anns, key);
    if (v !== undefined) service[field] = v;
  }
  const verify = anns['konghq.com/tls-verify'];
  // ExtractTLSVerify: strconv.ParseBool.
  if (verify !== undefined && /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(verify)) service.tls_verify = /^(1|t|T|TRUE|true|True)$/.test(verify);
  const depth = intAnnotation(anns, 'tls-verify-depth');
  if (depth !== undefined) service.tls_verify_depth = depth;
}

const L4_KINDS = ['TCPIngress', 'UDPIngress', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

/**
 * translate_utils.go applyExpressionToIngressRules with l4route_atc.go ApplyExpressionToL4KongRoute: with the
 * expressions router an L4 route's SNIs and destination ports become its expression, with priority 1.
 */
function l4Expression(route: KongRoute): string {
  return render(and(sniMatcher(route.snis ?? []), or(...(route.destinations ?? []).map((port) => `net.dst.port == ${port}`))));
}

/** Kong route fields as go-kong names them, from the translator's route, with deckgen's fillRoute defaults. */
function deckRoute(route: KongRoute, source: K8sObject | undefined, expressions: boolean, plugins: Entity[]): Entity {
  if (expressions && source && L4_KINDS.includes(source.kind)) route = { ...route, expression: l4Expression(route), priority: 1, snis: undefined, destinations: undefined };
  return compact({
    destinations: route.destinations?.map((port) => ({ port })),
    expression: route.expression,
    headers: route.headers,
    hosts: route.hosts,
    https_redirect_status_code: route.https_redirect_status_code ?? 426,
    id: route.id,
    methods: route.methods,
    name: route.name,
    path_handling: route.path_handling ?? (expressions ? undefined : 'v0'),
    paths: route.paths,
    plugins: plugins.sort(descending((p) => String(p.name))),
    preserve_host: route.preserve_host,
    priority: route.priority,
    protocols: route.protocols,
    regex_priority: route.regex_priority,
    request_buffering: route.request_buffering,
    response_buffering: route.response_buffering,
    snis: route.snis,
    strip_path: route.strip_path,
    tags: kicTags(source, namedRuleTags(route, source)),
  });
}

/** A Gateway API rule's `name`; '' when it has none. */
function ruleName(rule: unknown): string {
  return isRecord(rule) && typeof rule.name === 'string' ? rule.name : '';
}

/**
 * util.AdditionalTagsK8sNamedRouteRule: an HTTPRoute's route carries the rule name of each match it merges
 * (route.namedRules), a GRPCRoute's routes every named rule of the GRPCRoute (grpcroute.go generateTagsForGRPCRoute),
 * a TCPRoute's, TLSRoute's or UDPRoute's route its own rule's name (translate_routes_helpers.go). Blank names are skipped.
 */
function namedRuleTags(route: KongRoute, source: K8sObject | undefined): string[] {
  if (!source) return [];
  const rules = asArray((source.spec as Entity | undefined)?.rules);
  const index = /^spec\.rules\[(\d+)\]/.exec(route.field)?.[1];
  const names =
    source.kind === 'HTTPRoute' ? (route.namedRules ?? [])
    : source.kind === 'GRPCRoute' ? rules.map((r) => ruleName(r).trim())
    : ['TCPRoute', 'TLSRoute', 'UDPRoute'].includes(source.kind) && index !== undefined ? [ruleName(rules[Number(index)])]
    : [];
  return names.filter((n) => n.trim() !== '').map((n) => `k8s-named-route-rule:${n}`);
}

/** translateHashOn: the hash input KIC reads from a KongUpstreamHash (input, else the kind of the field set). */
function hashOnKind(h: Entity | undefined): string | undefined {
  if (!h) return undefined;
  if (typeof h.input === 'string') return h.input;
  for (const [field, kind] of [['header', 'header'], ['cookie', 'cookie'], ['queryArg', 'query_arg'], ['uriCapture', 'uri_capture']] as const) if (h[field] !== undefined) return kind;
  return undefined;
}

/** Copy the named fields of a record, renamed; absent or non-record input gives undefined (KIC's nil). */
function pick(v: unknown, fields: Record<string, string>, nested: Record<string, (v: unknown) => unknown> = {}): Entity | undefined {
  if (!isRecord(v)) return undefined;
  const out: Entity = {};
  for (const [from, to] of Object.entries(fields)) if (v[from] !== undefined) out[to] = v[from];
  for (const [from, f] of Object.entries(nested)) {
    const value = f(v[from]);
    if (value !== undefined) out[from] = value;
  }
  return out;
}

const healthy = (v: unknown) => pick(v, { httpStatuses: 'http_statuses', interval: 'interval', successes: 'successes' });
const unhealthy = (v: unknown) =>
  pick(v, { httpFailures: 'http_failures', httpStatuses: 'http_statuses', tcpFailures: 'tcp_failures', timeouts: 'timeouts', interval: 'interval' });

/** kongupstreampolicy.go translateHealthchecks: the CRD's camelCase fields under go-kong's names. */
function healthchecks(v: unknown): Entity | undefined {
  return pick(
    v,
    { threshold: 'threshold' },
    {
      active: (a) =>
        pick(
          a,
          { concurrency: 'concurrency', httpPath: 'http_path', httpsSni: 'https_sni', httpsVerifyCertificate: 'https_verify_certificate', type: 'type', timeout: 'timeout', headers: 'headers' },
          { healthy, unhealthy },
        ),
      passive: (p) => pick(p, { type: 'type' }, { healthy, unhealthy }),
    },
  );
}

/** The upstream fields upstream.go overrideByKongIngress copies from a KongIngress's `upstream` (go-kong's names). */
const KONG_INGRESS_UPSTREAM = [
  'host_header', 'algorithm', 'slots', 'healthchecks', 'hash_on', 'hash_fallback', 'hash_on_header', 'hash_fallback_header',
  'hash_on_cookie', 'hash_on_cookie_path', 'hash_on_query_arg', 'hash_fallback_query_arg', 'hash_on_uri_capture', 'hash_fallback_uri_capture',
];

/**
 * kongstate.go FillUpstreamOverrides with util.go getKongIngressForServices: the KongIngress the first backing Service
 * names in konghq.com/override (deprecated in KIC 3.x; only its `upstream` section is read), for upstreams that do not
 * come from Gateway API routes. None when that KongIngress does not exist (KIC reports a failure).
 */
function kongIngressUpstream(tr: Translator, services: K8sObject[]): Entity {
  const svc = services.find((o) => o.metadata.annotations?.['konghq.com/override']);
  if (!svc) return {};
  const ki = tr.view.get(refKey({ group: 'configuration.konghq.com', kind: 'KongIngress', namespace: svc.metadata.namespace ?? '', name: svc.metadata.annotations!['konghq.com/override']! }));
  const upstream = ki && isRecord(ki.upstream) ? ki.upstream : {};
  return Object.fromEntries(KONG_INGRESS_UPSTREAM.filter((f) => upstream[f] !== undefined && upstream[f] !== null).map((f) => [f, upstream[f]]));
}

/**
 * kongstate.go FillUpstreamOverrides + kongupstreampolicy.go TranslateKongUpstreamPolicy: the KongUpstreamPolicy all the
 * upstream's Services name (konghq.com/upstream-policy). None when the
 * Services disagree (KIC reports a failure) or the policy asks for sticky-sessions, which Kong before 3.11 lacks.
 */
function upstreamPolicy(tr: Translator, services: K8sObject[]): Entity {
  const names = new Set(services.map((s) => s.metadata.annotations?.['konghq.com/upstream-policy']));
  const name = [...names][0];
  if (names.size !== 1 || name === undefined) return {};
  const policy = tr.view.get(refKey({ group: 'configuration.konghq.com', kind: 'KongUpstreamPolicy', namespace: services[0]!.metadata.namespace ?? '', name }));
  const spec = policy && isRecord(policy.spec) ? policy.spec : undefined;
  if (!spec || spec.algorithm === 'sticky-sessions') return {};
  const on = isRecord(spec.hashOn) ? spec.hashOn : undefined;
  const fallback = isRecord(spec.hashOnFallback) ? spec.hashOnFallback : undefined;
  return {
    algorithm: asString(spec.algorithm),
    slots: typeof spec.slots === 'number' ? spec.slots : undefined,
    healthchecks: healthchecks(spec.healthchecks),
    hash_on: hashOnKind(on),
    hash_on_header: asString(on?.header),
    hash_on_uri_capture: asString(on?.uriCapture),
    hash_on_cookie: asString(on?.cookie) ?? asString(fallback?.cookie),
    hash_on_cookie_path: asString(on?.cookiePath) ?? asString(fallback?.cookiePath),
    hash_on_query_arg: asString(on?.queryArg),
    hash_fallback: hashOnKind(fallback),
    hash_fallback_header: asString(fallback?.header),
    hash_fallback_uri_capture: asString(fallback?.uriCapture),
    hash_fallback_query_arg: asString(fallback?.queryArg),
  };
}

/**
 * Per credential type (kongstate/credentials.go New*): the deck file's collection, the fields go-kong decodes from the
 * Secret (mapstructure by json tag: other keys are dropped), and the one without which KIC drops the credential.
 */
const CREDENTIALS: Record<string, { collection: string; fields: string[]; required: string[] }> = {
  'key-auth': { collection: 'keyauth_credentials', fields: ['key', 'ttl'], required: ['key'] },
  'basic-auth': { collection: 'basicauth_credentials', fields: ['password', 'username'], required: ['username'] },
  'hmac-auth': { collection: 'hmacauth_credentials', fields: ['secret', 'username'], required: ['username'] },
  jwt: { collection: 'jwt_secrets', fields: ['algorithm', 'key', 'rsa_public_key', 'secret'], required: ['key'] },
  acl: { collection: 'acls', fields: ['group'], required: ['group'] },
  oauth2: { collection: 'oauth2_credentials', fields: ['client_id', 'client_secret', 'client_type', 'hash_secret', 'name', 'redirect_uris'], required: ['client_id', 'name'] },
  'mtls-auth': { collection: 'mtls_auth_credentials', fields: ['subject_name'], required: ['subject_name'] },
};

function jwtAlgorithm(secret: K8sObject | undefined): string | undefined {
  const fields = secret && isRecord(secret.facts) && isRecord(secret.facts.fields) ? secret.facts.fields : {};
  const algorithm = fields.algorithm;
  return isRecord(algorithm) && typeof algorithm.clear === 'string' ? algorithm.clear : undefined;
}

/** One credential entity: every value from the Secret is REDACTED but a jwt's algorithm (KIC's HS256 when unset). */
function deckCredential(type: string, secret: K8sObject | undefined): { collection: string; entity: Entity } | undefined {
  const spec = CREDENTIALS[type];
  if (!spec) return undefined;
  const present = secretFieldNames(secret);
  if (!spec.required.every((f) => present.includes(f))) return undefined;
  const entity: Entity = {};
  for (const field of spec.fields) if (present.includes(field)) entity[field] = REDACTED;
  // NewJWTAuth: an absent or empty algorithm is HS256; the algorithm is kept in clear (model/secret.ts), not a secret.
  if (type === 'jwt') entity.algorithm = jwtAlgorithm(secret) || 'HS256';
  entity.tags = kicTags(secret);
  return { collection: spec.collection, entity };
}

/**
 * kongstate.go FillVaults: one vault per prefix from the managed KongVaults (the older one, then the smaller name,
 * wins a shared prefix: compareKongVault), ID from the prefix (go-kong Vault.FillID); deckgen sorts by prefix, descending.
 */
function vaults(tr: Translator): Entity[] {
  const byPrefix = new Map<string, K8sObject>();
  for (const v of tr.view.list('KongVault')) {
    const prefix = isRecord(v.spec) ? asString(v.spec.prefix) : undefined;
    if (!prefix || !tr.isManaged(v)) continue;
    const held = byPrefix.get(prefix);
    const older = (a: K8sObject, b: K8sObject) => {
      const [ta, tb] = [a.metadata.creationTimestamp ?? '', b.metadata.creationTimestamp ?? ''];
      return ta !== tb ? ta < tb : a.metadata.name < b.metadata.name;
    };
    if (!held || older(v, held)) byPrefix.set(prefix, v);
  }
  return [...byPrefix.entries()]
    .map(([prefix, v]) => {
      const spec = v.spec as Entity;
      const description = asString(spec.description);
      return compact({
        config: isRecord(spec.config) ? spec.config : undefined,
        description: description || undefined,
        id: uuidV5(NS.vaults, prefix),
        name: asString(spec.backend),
        prefix,
        tags: kicTags(v),
      });
    })
    .sort(descending((v) => String(v.prefix)));
}

/** getCertFromSecret: a Secret whose tls.crt and tls.key are not a matching key pair (tls.X509KeyPair) gives no certificate. */
function keyPair(secret: K8sObject | undefined): boolean {
  const cert = secret && isRecord(secret.facts) && isRecord(secret.facts.certificate) ? secret.facts.certificate : undefined;
  return cert?.parsed === true && cert.keyMatches === true;
}

/** isNonTLSProtocol: the protocols a client certificate cannot be used with. */
const NON_TLS = ['http', 'grpc', 'tcp', 'tls_passthrough', 'udp', 'ws'];

/**
 * ingressrules.go handleServiceClientCertificates: a Service's konghq.com/client-cert names a Secret of its namespace
 * whose certificate Kong presents to the upstream; its own konghq.com/protocol (http when unset) must be a TLS one.
 * The last backing Service that sets one wins; the Secret also becomes a certificate (without SNIs).
 */
function clientCertificate(tr: Translator, services: K8sObject[]): ObjectRef | undefined {
  let found: ObjectRef | undefined;
  for (const svc of services) {
    const name = svc.metadata.annotations?.['konghq.com/client-cert'];
    const protocol = svc.metadata.annotations?.['konghq.com/protocol'] || 'http';
    if (!name || NON_TLS.includes(protocol)) continue;
    const ref: ObjectRef = { group: '', kind: 'Secret', namespace: svc.metadata.namespace ?? '', name };
    if (tr.view.get(refKey(ref))) found = ref;
  }
  return found;
}

const GATEWAY_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

/** Go's time.ParseDuration in milliseconds (Duration.Milliseconds truncates); undefined when Go would fail. */
export function goDurationMs(text: string): number | undefined {
  if (text === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    total += Number(m[1]) * units[m[2]!]!;
    at = re.lastIndex;
  }
  return body === '' || at !== body.length ? undefined : sign * Math.trunc(total);
}

/**
 * httproute.go applyTimeoutToServiceFromHTTPRouteRule, for each rule of the service in turn: a rule's
 * timeouts.backendRequest sets the connect, read and write timeouts, unless it is the 60 s default.
 */
function applyRuleTimeouts(service: Entity, source: K8sObject | undefined, routes: KongRoute[]): void {
  if (source?.kind !== 'HTTPRoute') return;
  const rules = asArray((source.spec as Entity | undefined)?.rules);
  const indexes = [...new Set(routes.map((r) => Number(/^spec\.rules\[(\d+)\]/.exec(r.field)?.[1] ?? NaN)).filter((i) => !Number.isNaN(i)))].sort((a, b) => a - b);
  for (const i of indexes) {
    const timeouts = isRecord(rules[i]) ? (rules[i] as Entity).timeouts : undefined;
    if (!isRecord(timeouts)) continue;
    const ms = typeof timeouts.backendRequest === 'string' ? goDurationMs(timeouts.backendRequest) : 60000;
    if (ms === undefined || ms === 60000) continue;
    service.connect_timeout = service.read_timeout = service.write_timeout = ms;
  }
}

/**
 * The plugin KIC nests in the service of a Gateway API rule that has backendRefs but none KIC keeps
 * (backendRefsToKongStateBackends skips Services that do not exist or are not granted): Kong would answer 503, the
 * Gateway API wants 500 (httproute.go for HTTPRoute; translate_utils.go for the others, http and grpc services only).
 */
function backendlessPlugins(source: K8sObject | undefined, routes: KongRoute[], protocol: string): Entity[] {
  if (!source || !GATEWAY_KINDS.includes(source.kind)) return [];
  if (source.kind !== 'HTTPRoute' && !protocol.includes('http') && !protocol.includes('grpc')) return [];
  const rules = asArray((source.spec as Entity | undefined)?.rules);
  const referencing = routes.some((r) => {
    const rule = /^spec\.rules\[(\d+)\]/.exec(r.field)?.[1];
    return rule !== undefined && isRecord(rules[Number(rule)]) && asArray((rules[Number(rule)] as Entity).backendRefs).length > 0;
  });
  return referencing ? [{ config: { message: 'no existing backendRef provided', status_code: 500 }, name: 'request-termination' }] : [];
}

/**
 * translate_certs.go mergeCerts: one certificate per cert and key pair (compared by the keyed digests of the Secrets'
 * tls.crt and tls.key), with the ID (Secret UID) of the oldest Secret holding it (then the smaller UID) and the tags
 * of the first; an SNI goes to the first certificate that asks for it, and each certificate's SNIs are sorted.
 * deckgen then sorts them by PEM text, descending (model/secret.ts compareCertificateOrder), then here by Secret.
 */
function mergeCerts(inputs: { ref: ObjectRef; secret: K8sObject; snis: string[] }[]): { certificates: Entity[]; mergedId: Map<string, string> } {
  const digestOf = (secret: K8sObject, field: string) => {
    const fields = isRecord(secret.facts) && isRecord(secret.facts.fields) ? secret.facts.fields : {};
    const f = fields[field];
    return isRecord(f) ? String(f.digest) : '';
  };
  interface Merged { key: string; secret: K8sObject; id?: string; created: string; tags: string[]; snis: string[]; ids: string[] }
  const byIdentifier = new Map<string, Merged>();
  const sniSeen = new Set<string>();
  for (const c of inputs) {
    const identifier = `${digestOf(c.secret, 'tls.crt')}|${digestOf(c.secret, 'tls.key')}`;
    const id = c.secret.metadata.uid;
    const created = c.secret.metadata.creationTimestamp ?? '';
    let current = byIdentifier.get(identifier);
    if (!current) {
      current = { key: refKey(c.ref), secret: c.secret, id, created, tags: kicTags(c.secret), snis: [], ids: [] };
      byIdentifier.set(identifier, current);
    } else if (created < current.created || (created === current.created && (current.id === undefined || (id !== undefined && current.id > id)))) {
      current.id = id;
      current.created = created;
    }
    if (id) current.ids.push(id);
    for (const sni of c.snis) {
      if (sniSeen.has(sni)) continue;
      sniSeen.add(sni);
      current.snis.push(sni);
    }
  }
  const mergedId = new Map<string, string>();
  for (const m of byIdentifier.values()) for (const id of m.ids) if (m.id) mergedId.set(id, m.id);
  const certificates = [...byIdentifier.values()]
    .sort((a, b) => compareCertificateOrder(a.secret, b.secret) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((m) =>
      compact({
        cert: REDACTED,
        // The certificate's ID is a Secret's UID (translator getCerts); without a UID there is none to give.
        id: m.id,
        key: REDACTED,
        snis: [...m.snis].sort().map((name) => compact({ certificate: m.id ? { id: m.id } : undefined, name })),
        tags: m.tags,
      }),
    );
  return { certificates, mergedId };
}

/**
 * sendconfig UpdateStrategyInMemory: after deckgen, each custom entity type becomes a top-level collection of the
 * DB-less configuration, replacing one KIC built under that name.
 */
function withCustomEntities(tr: Translator, content: Entity): Entity {
  const ids = { service: (name: string) => uuidV5(NS.services, name), consumer: (username: string) => uuidV5(NS.consumers, username) };
  return { ...content, ...customEntityCollections(tr, ids) };
}

export interface DeckOptions {
  /**
   * Whether to add what KIC builds from every object of a kind, whatever the configuration given (vaults, custom
   * entities, the stub upstream of an empty file): true for a whole file; false when a rule validates the entities of
   * one object, so that it reads no whole kind.
   */
  clusterWide?: boolean;
  /** Builds only the upstreams (and their targets) whose KIC tags pass: a rule judging one object's entities skips the rest. */
  upstreamsTagged?: (tags: string[]) => boolean;
}

/** The deck file of a configuration translateAll built (the services and plugins KIC drops are already left out: kic-drops.ts). */
export function toDeck(tr: Translator, config: KongConfig, options: DeckOptions = {}): Entity {
  const clusterWide = options.clusterWide ?? true;
  const expressions = tr.config.kongRouterFlavor === 'expressions';
  const get = (ref: ObjectRef | undefined) => (ref ? tr.view.get(refKey(ref)) : undefined);
  const routeSource = (r: KongRoute) => get(r.sources[0]);

  const filterPlugins = new Map<string, Entity[]>();
  for (const p of config.filterPlugins) {
    // Generated plugins carry the route's source tags (httproute.go: kongPlugins[i].Tags = tags) and no ID (FillIDs skips nested plugins).
    const list = filterPlugins.get(p.route) ?? [];
    list.push(fillPlugin(tr, { config: p.config, name: p.name, tags: kicTags(get(p.sources[0])) }));
    filterPlugins.set(p.route, list);
  }
  for (const r of config.routes) {
    // MaybeRewriteURI's request-transformer: no tags, no ID.
    const source = routeSource(r);
    const rewrite = source?.kind === 'Ingress' ? rewritePlugin(tr.config, source, r) : undefined;
    if (rewrite) filterPlugins.set(r.name, [...(filterPlugins.get(r.name) ?? []), fillPlugin(tr, rewrite)]);
  }

  const services: Entity[] = [];
  const upstreams: Entity[] = [];
  const clientCerts: ObjectRef[] = [];
  for (const s of config.services) {
    const k8s = s.backends.map((b) => get(b.service)).filter((o): o is K8sObject => o !== undefined);
    const unique = withBackendTLSPolicies(tr, withFacadeAnnotations(tr, s, [...new Map(k8s.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o])).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o)));
    // generateKongServiceTags: one backing Service tags it; several: the parent route object does.
    const tags = unique.length === 1 ? kicTags(s.facade ? get(s.facade) : unique[0]) : unique.length > 1 ? kicTags(get(s.sources[0])) : UNKNOWN_SERVICE_TAGS;
    // getUpstreams sets the port of each backend's Service port in turn, so the last one found wins; until then
    // Ingress and TCPIngress services carry 80 (DefaultHTTPPort), UDPIngress ones the rule's port, Gateway API ones none.
    const kind = s.sources[0]?.kind;
    const initialPort = kind === 'Ingress' || kind === 'TCPIngress' ? 80 : kind === 'UDPIngress' && typeof s.backends[0]?.port === 'number' ? s.backends[0].port : undefined;
    const port = s.backends.map((b) => { const svc = get(b.service); return svc ? kicFindPort(svc, b.port)?.port : undefined; }).findLast((p) => p !== undefined) ?? initialPort;
    const routes = config.routes.filter((r) => r.service === s.name);
    // Only subtranslator/ingress.go gives a service `path: /`: not the defaultBackend's, nor any Gateway API or L4 one.
    const ingressRule = routes.some((r) => r.sources[0]?.kind === 'Ingress' && r.field !== 'spec.defaultBackend');
    // translate_kong_l4.go builds UDPIngress services without timeouts or retries (Kong fills its own defaults).
    const service: Entity = { ...(kind === 'UDPIngress' ? {} : SERVICE_DEFAULTS), host: s.host, id: uuidV5(NS.services, s.name), name: s.name, path: ingressRule ? '/' : undefined, port, protocol: s.protocol ?? 'http' };
    applyRuleTimeouts(service, get(s.sources[0]), routes);
    for (const o of unique) overrideService(service, o.metadata.annotations ?? {});
    const clientCert = clientCertificate(tr, unique);
    const clientCertSecret = clientCert ? get(clientCert) : undefined;
    if (clientCert && keyPair(clientCertSecret)) {
      clientCerts.push(clientCert);
      if (clientCertSecret?.metadata.uid) service.client_certificate = { id: clientCertSecret.metadata.uid };
    }
    // service.override(): gRPC services carry no path.
    if (service.protocol === 'grpc' || service.protocol === 'grpcs') delete service.path;
    const deckRoutes = routes.flatMap((r) => {
      const own = filterPlugins.get(r.name) ?? [];
      // KongRoute.redirectCopies: the kth copy carries the filter plugins k times.
      const copies = [...(r.redirectCopies ?? []), r];
      return copies.map((c, k) => deckRoute({ ...r, paths: c.paths, methods: c.methods }, routeSource(r), expressions, Array.from({ length: k + 1 }, () => own).flat()));
    });
    const plugins = unique.length ? [] : backendlessPlugins(get(s.sources[0]), routes, String(service.protocol)).map((p) => fillPlugin(tr, p));
    services.push(compact({ ...service, plugins, routes: deckRoutes.sort(descending((r) => String(r.name))), tags }));

    if (options.upstreamsTagged && !options.upstreamsTagged(tags)) continue;
    const fromKongIngress = GATEWAY_KINDS.includes(kind ?? '') ? {} : kongIngressUpstream(tr, unique);
    const hostHeader = unique.map((o) => o.metadata.annotations?.['konghq.com/host-header']).filter(Boolean).at(-1) ?? fromKongIngress.host_header;
    // deckgen fillUpstream: round-robin unless the policy set an algorithm.
    const policy = compact(upstreamPolicy(tr, unique));
    upstreams.push(compact({ ...fromKongIngress, host_header: hostHeader, name: s.host, tags, targets: upstreamTargets(tr, s), ...policy, algorithm: policy.algorithm ?? fromKongIngress.algorithm ?? 'round-robin' }));
  }

  const plugins = [...config.plugins, ...extensionRefInstances(tr, config)].map((p) => deckPlugin(tr, p)).filter((p): p is Entity => p !== undefined).sort(descending(pluginString));

  const consumers: Entity[] = [];
  const groupsOf = new Map<Entity, string[]>();
  for (const c of config.consumers) {
    const obj = get(c.sources[0]);
    const own = c.sources[0] ? refKey(c.sources[0]) : '';
    const consumer: Entity = { custom_id: c.custom_id, id: c.username ? uuidV5(NS.consumers, c.username) : undefined, tags: kicTags(obj), username: c.username };
    for (const cred of config.credentials.filter((x) => x.sources[0] !== undefined && refKey(x.sources[0]) === own)) {
      const built = deckCredential(cred.type, get(cred.secret));
      if (built) consumer[built.collection] = [...((consumer[built.collection] as Entity[] | undefined) ?? []), built.entity];
    }
    const entity = compact(consumer);
    // DB-less has no consumers[].groups: sendconfig convertConsumerGroups turns them into consumer_group_consumers.
    groupsOf.set(entity, c.groups);
    consumers.push(entity);
  }
  // fConsumerByUsernameAndCustomID: ascending by username (absent first), then custom_id.
  const cmp = (a: unknown, b: unknown) => (a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : String(a) < String(b) ? -1 : 1);
  consumers.sort((a, b) => cmp(a.username, b.username) || cmp(a.custom_id, b.custom_id));
  // Consumer.FriendlyName(): the username, else the ID (which a custom_id-only consumer lacks: FillID needs a username).
  const memberships = consumers.flatMap((c) => (groupsOf.get(c) ?? []).map((group) => ({ consumer: String(c.username ?? c.id ?? ''), consumer_group: group })));

  const consumerGroups = config.consumerGroups
    .map((g) => compact({ id: uuidV5(NS.consumergroups, g.name), name: g.name, tags: kicTags(get(g.sources[0])) }))
    .sort(descending((g) => String(g.name)));

  const certInputs = [...config.certificates, ...[...new Map(clientCerts.map((r) => [refKey(r), r])).values()].filter((ref) => !config.certificates.some((c) => refKey(c.secret) === refKey(ref))).map((secret) => ({ secret, snis: [] }))]
    .map((c) => ({ ref: c.secret, secret: get(c.secret), snis: c.snis }))
    .filter((c): c is { ref: ObjectRef; secret: K8sObject; snis: string[] } => c.secret !== undefined && keyPair(c.secret))
    // KIC takes them in Go map order (getCerts ranges over a map): Secret namespace/name order here.
    .sort((a, b) => (refKey(a.ref) < refKey(b.ref) ? -1 : refKey(a.ref) > refKey(b.ref) ? 1 : 0));
  const { certificates, mergedId } = mergeCerts(certInputs);
  for (const svc of services) {
    const cc = svc.client_certificate as { id: string } | undefined;
    if (cc && mergedId.has(cc.id)) svc.client_certificate = { id: mergedId.get(cc.id) };
  }

  const content = compact({
    certificates,
    consumer_group_consumers: memberships,
    consumer_groups: consumerGroups,
    consumers,
    plugins,
    services: services.sort(descending((s) => String(s.name))),
    upstreams: upstreams.sort(descending((u) => String(u.name))),
    vaults: clusterWide ? vaults(tr) : undefined,
    _format_version: '3.0',
  });
  // deckgen AppendStubEntityWhenConfigEmpty (set for DB-less only: kong_client.go config.InMemory): an empty configuration gets a stub upstream named
  // "kong", because Kong's /status/ready stays 503 after an empty one.
  const withStub = !clusterWide || Object.keys(content).length > 1 || tr.config.kongDatabase !== 'off' ? content : { ...content, upstreams: [{ name: 'kong' }] };
  return clusterWide ? withCustomEntities(tr, withStub) : withStub;
}


// Kong's own validation of the core entities KIC builds (services, routes, upstreams, targets, SNIs, consumers, vaults),
// from Kong 3.9.3's generated schemas (src/kong/entities.ts), on the entities as `translate --output deck` shows
// them. Each subject is judged on the entities KIC tags with it (util.GenerateTagsForObject: the tags KIC maps
// Kong's errors back through), so an error lands on the object KIC's fallback would exclude. Errors another rule
// already reports in its own terms are left to it (coveredElsewhere): never two findings for one problem.
import { asArray, asString, isRecord, keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { consumerView, upstreamPolicyName } from '../model/views.ts';
import { validateKongEntity } from '../kong/entities.ts';
import { KONG_SOURCE } from '../kong/plugins.ts';
import { kicTags, toDeck, type DeckOptions } from '../translate/deck.ts';
import { certificatesOf } from '../translate/kong-config.ts';
import type { KongConfig, KongRoute, KongService } from '../translate/kong.ts';
import { ROUTE_KINDS, type Translator } from '../translate/translator.ts';
import { KONG_BASE, ingress, pathRule } from './example-base.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { name } from './text.ts';
import { hostProblem } from './ingress-paths.ts';

type Entity = Record<string, unknown>;
const KONG = `Kong ${KONG_SOURCE.tag}`;

/** One Kong entity as KIC would send it, its collection, and the Kong route it is when it is one. */
export interface Built {
  type: 'services' | 'routes' | 'upstreams' | 'targets' | 'consumers' | 'vaults' | 'snis';
  entity: Entity;
  /** For messages: the entity's name (a target has its address). */
  label: string;
  route?: KongRoute;
  /** A Kong service a managed Ingress uses (service-protocol-rejected judges its tcp or tls protocol). */
  viaIngress?: boolean;
}

/** Kong's errors on one entity, less those another rule reports. */
interface Judged extends Built {
  errors: [string, string][];
}

const empty = (): KongConfig => ({ services: [], routes: [], upstreams: [], plugins: [], filterPlugins: [], extensionRefPlugins: [], consumers: [], consumerGroups: [], credentials: [], certificates: [] });

/** Whether KIC's tags on an entity name this object (KIC maps Kong's entity errors back by them). */
function taggedWith(entity: Entity, subject: K8sObject): boolean {
  return tagsName(asArray(entity.tags), subject);
}

function tagsName(tags: unknown[], subject: K8sObject): boolean {
  const ns = subject.metadata.namespace;
  return tags.includes(`k8s-kind:${subject.kind}`) && tags.includes(`k8s-name:${subject.metadata.name}`) && (!ns || tags.includes(`k8s-namespace:${ns}`));
}

/** Without the collections a declarative file nests in an entity (Kong's flatten moves them out before validating). */
function own(entity: Entity, nested: readonly string[]): Entity {
  const out: Entity = {};
  for (const k of Object.keys(entity)) if (!nested.includes(k)) out[k] = entity[k];
  return out;
}

const CREDENTIAL_COLLECTIONS = ['keyauth_credentials', 'basicauth_credentials', 'hmacauth_credentials', 'jwt_secrets', 'acls', 'oauth2_credentials', 'mtls_auth_credentials'];

/**
 * The entities of a deck file as Kong validates them, nested collections moved out: services and their routes
 * (each route with its KongRoute from `routes`, by name), upstreams and their targets, consumers, vaults, and
 * certificates' SNIs. Certificates themselves and credentials are left out: their values are not kept (README).
 */
export function deckEntities(deck: Entity, routes: readonly KongRoute[] = []): Built[] {
  const out: Built[] = [];
  for (const s of asArray(deck.services).filter(isRecord)) {
    out.push({ type: 'services', entity: own(s, ['routes', 'plugins']), label: String(s.name) });
    for (const r of asArray(s.routes).filter(isRecord)) {
      const route = routes.find((x) => x.name === r.name);
      out.push({ type: 'routes', entity: { ...own(r, ['plugins']), service: { id: s.id } }, label: String(r.name), ...(route ? { route } : {}) });
    }
  }
  for (const u of asArray(deck.upstreams).filter(isRecord)) {
    out.push({ type: 'upstreams', entity: own(u, ['targets']), label: String(u.name) });
    // A target belongs to its upstream: KIC tags only the upstream, and so does this.
    for (const t of asArray(u.targets).filter(isRecord)) {
      out.push({ type: 'targets', entity: { ...t, upstream: { id: '00000000-0000-4000-8000-000000000005' }, tags: u.tags }, label: `${String(t.target)} of upstream ${String(u.name)}` });
    }
  }
  for (const c of asArray(deck.consumers).filter(isRecord)) out.push({ type: 'consumers', entity: own(c, CREDENTIAL_COLLECTIONS), label: String(c.username ?? c.custom_id) });
  for (const v of asArray(deck.vaults).filter(isRecord)) out.push({ type: 'vaults', entity: v, label: String(v.prefix) });
  // A certificate's SNIs (its cert and key stay in the Secret); KIC tags the certificate with the Secret, not the SNIs.
  for (const c of asArray(deck.certificates).filter(isRecord)) {
    for (const sni of asArray(c.snis).filter(isRecord)) out.push({ type: 'snis', entity: { certificate: { id: '00000000-0000-4000-8000-000000000007' }, ...sni }, label: String(sni.name) });
  }
  return out;
}

/**
 * One object's entities as toDeck builds them, without what it adds from whole kinds (a review must not read a whole
 * kind), nor the upstreams and targets not tagged with it (`check` judges only those).
 */
const oneObject = (subject: K8sObject): DeckOptions => ({ clusterWide: false, upstreamsTagged: (tags) => tagsName(tags, subject) });

/** A KongVault as KIC's FillVaults makes it (which KongVault keeps a shared prefix is duplicate-vault-prefix's). */
function vaultEntities(subject: K8sObject): Built[] {
  const spec = isRecord(subject.spec) ? subject.spec : {};
  const prefix = asString(spec.prefix);
  if (!prefix) return [];
  const description = asString(spec.description);
  const entity: Entity = { name: asString(spec.backend), prefix, tags: kicTags(subject) };
  if (isRecord(spec.config)) entity.config = spec.config;
  if (description) entity.description = description;
  return [{ type: 'vaults', entity, label: prefix }];
}

/**
 * The entities KIC builds for a route-like object: its routes, its services when no single Service tags them, and
 * the SNIs of its own spec.tls (Ingress, TCPIngress).
 */
function routeObjectEntities(tr: Translator, subject: K8sObject): Built[] {
  const routes = tr.routesOf(subject);
  const certificates = certificatesOf(tr, { list: (kind: string) => (kind === subject.kind ? [subject] : []) });
  return deckEntities(toDeck(tr, { ...empty(), services: tr.servicesOf(subject), routes, certificates }, oneObject(subject)), routes);
}

/**
 * The Kong services and upstreams a Service backs, from every managed object that uses them. Without konghq.com/
 * annotations (protocol, path, timeouts, TLS, tags, upstream policy, ...) they hold only what KIC derives from names
 * and addresses Kubernetes has validated, and KIC's own choices: nothing a user could have written wrong.
 */
function serviceEntities(tr: Translator, view: RuleContext['view'], subject: K8sObject): Built[] {
  if (!Object.keys(subject.metadata.annotations ?? {}).some((k) => k.startsWith('konghq.com/'))) return [];
  const key = keyOf(subject);
  const services = new Map<string, KongService>();
  // One route per Kong service is enough to build it: an Ingress rule's, which gives the service KIC's path "/", if any.
  const deciding = new Map<string, KongRoute>();
  for (const user of view.lookup('dependants', key)) {
    if (!(ROUTE_KINDS as readonly string[]).includes(user.kind) || !tr.isManaged(user)) continue;
    const backed = tr.servicesOf(user).filter((s) => s.backends.some((b) => refKey(b.service) === key));
    for (const s of backed) if (!services.has(s.name)) services.set(s.name, s);
    for (const r of tr.routesOf(user)) {
      if (!backed.some((s) => s.name === r.service)) continue;
      const givesPath = r.sources[0]?.kind === 'Ingress' && r.field !== 'spec.defaultBackend';
      if (!deciding.has(r.service) || givesPath) deciding.set(r.service, r);
    }
  }
  if (!services.size) return [];
  const built = deckEntities(toDeck(tr, { ...empty(), services: [...services.values()], routes: [...deciding.values()] }, oneObject(subject)));
  const viaIngress = new Set([...deciding.values()].filter((r) => r.sources[0]?.kind === 'Ingress').map((r) => r.service));
  return built.map((b) => (b.type === 'services' && viaIngress.has(b.label) ? { ...b, viaIngress: true } : b));
}

function consumerEntities(tr: Translator, subject: K8sObject): Built[] {
  const v = consumerView(subject);
  // KIC drops a consumer without username and custom_id itself (a translation failure, kongstate.go): Kong never sees it.
  if (!v.username && !v.customId) return [];
  return deckEntities(toDeck(tr, { ...empty(), consumers: [{ ...(v.username ? { username: v.username } : {}), ...(v.customId ? { custom_id: v.customId } : {}), groups: [], sources: [refOf(subject)] }] }, oneObject(subject)));
}

const PROTOCOL_MISMATCH = "failed conditional validation given value of field 'protocol'";

/**
 * Kong errors another rule reports in its own terms (the rule named), by entity type, field and message. An entity
 * whose remaining errors are only the generic conditional line Kong adds beside them is not reported either.
 */
function coveredElsewhere(b: Built, field: string, message: string, source: K8sObject | undefined): boolean {
  if (b.type === 'services') {
    // service-protocol-rejected: tcp or tls behind an Ingress keeps a path.
    if (field === 'path' && message === 'value must be null' && b.viaIngress && (b.entity.protocol === 'tcp' || b.entity.protocol === 'tls')) return true;
    // invalid-kong-annotation: konghq.com/protocol values KIC passes and Kong refuses; path with "//"; retries and timeouts out of 0..max.
    if (field === 'protocol' || (field === 'path' && message === 'must not have empty segments') || field === 'retries') return true;
    if (/_timeout$/.test(field) && b.entity[field] !== 0) return true;
  }
  if (b.type === 'routes') {
    // invalid-ingress-path / invalid-httproute-path (and the Gateway API CRDs): relative, "//", bad percent-encoding,
    // dot segments and regexes; only a non-normalized plain path without dot segments is left here.
    if (/^paths\.\d+$/.test(field)) {
      const path = asArray(b.entity.paths)[Number(field.split('.')[1]) - 1];
      return !message.startsWith('non-normalized path') || (typeof path === 'string' && /(^|\/)\.\.?(\/|$)/.test(path));
    }
    // invalid-kong-annotation: protocols KIC passes and Kong refuses, path_handling, header names and Host.
    if ((field === 'protocols' && message.startsWith('unknown type')) || /^protocols\.\d+$/.test(field) || field === 'path_handling') return true;
    if (field === 'headers' && source?.kind === 'Ingress') return true;
  }
  // invalid-ingress-path: a spec.tls host Kubernetes refuses (an IP address passes Kubernetes and is Kong's to refuse).
  if (b.type === 'snis' && source?.kind === 'Ingress' && hostProblem(String(b.entity.name), 'tls')) return true;
  return false;
}

function judge(tr: Translator, b: Built, source: K8sObject | undefined): Judged {
  // Kong Enterprise knows ws and wss (routes, services): OSS's schemas cannot judge those entities.
  const protocols = [b.entity.protocol, ...asArray(b.entity.protocols)];
  if (tr.config.kongEdition === 'enterprise' && protocols.some((p) => p === 'ws' || p === 'wss')) return { ...b, errors: [] };
  const verdict = validateKongEntity(b.type, b.entity, tr.config.kongRouterFlavor);
  const errors: [string, string][] = [];
  for (const [field, messages] of Object.entries(verdict.errors)) for (const m of messages) if (!coveredElsewhere(b, field, m, source)) errors.push([field, m]);
  // Kong's "failed conditional validation" line stands beside a field error: alone it is what another rule reports.
  if (errors.every(([field, m]) => field === '@entity' && m === PROTOCOL_MISMATCH)) return { ...b, errors: [] };
  return { ...b, errors };
}

const ANNOTATED: Record<string, Record<string, string>> = {
  services: {
    tls_verify: 'tls-verify', tls_verify_depth: 'tls-verify-depth', path: 'path', connect_timeout: 'connect-timeout', read_timeout: 'read-timeout', write_timeout: 'write-timeout',
    client_certificate: 'client-cert', protocol: 'protocol', tags: 'tags',
  },
  routes: { protocols: 'protocols', snis: 'snis', hosts: 'host-aliases', headers: 'headers', methods: 'methods', tags: 'tags' },
  upstreams: { host_header: 'host-header', tags: 'tags' },
  consumers: { tags: 'tags' },
};

/** The subject's field an error comes from: the annotation KIC reads it from, or the route's own field. */
function sourceField(j: Judged, subject: K8sObject): string | undefined {
  const field = j.errors.map(([f]) => f.split('.')[0]!).find((f) => f !== '@entity');
  if (j.route && (field === 'paths' || field === undefined)) return j.route.field;
  const key = field ? ANNOTATED[j.type]?.[field] : undefined;
  if (key && subject.metadata.annotations?.[`konghq.com/${key}`] !== undefined) return `metadata.annotations["konghq.com/${key}"]`;
  if (j.type === 'vaults' && field) return field === 'name' ? 'spec.backend' : `spec.${field}`;
  if (j.type === 'snis') return 'spec.tls';
  return j.route?.field;
}

/** KongUpstreamPolicy fields by the Kong upstream field KIC sets from them (kongupstreampolicy.go). */
const POLICY_FIELDS: Record<string, string> = {
  hash_on_cookie_path: 'hashOn.cookiePath (or hashOnFallback.cookiePath)', hash_on_cookie: 'hashOn.cookie', hash_on_header: 'hashOn.header',
  hash_on_query_arg: 'hashOn.queryArg', hash_on_uri_capture: 'hashOn.uriCapture', hash_fallback_header: 'hashOnFallback.header',
  hash_fallback_query_arg: 'hashOnFallback.queryArg', hash_fallback_uri_capture: 'hashOnFallback.uriCapture', slots: 'slots', algorithm: 'algorithm', healthchecks: 'healthchecks',
};

/** What to do, for the errors users meet (research §5); otherwise Kong's message says what to change. */
function fixFor(j: Judged): string {
  const fields = new Set(j.errors.map(([f]) => f.split('.')[0]!));
  const has = (f: string) => fields.has(f);
  if (j.type === 'services' && (has('tls_verify') || has('tls_verify_depth') || has('client_certificate') || has('ca_certificates'))) {
    return `Kong verifies upstream certificates only for protocols https and tls: remove konghq.com/tls-verify and konghq.com/tls-verify-depth, or set konghq.com/protocol to https (or tls).`;
  }
  if (j.type === 'routes' && has('paths')) {
    const normalized = j.errors.map(([, m]) => /consider use '(.*)' instead/.exec(m)?.[1]).find(Boolean);
    return `write the path in the form Kong compares paths in${normalized ? `, "${normalized}"` : ''}: percent-encoding upper-case, and unreserved characters (letters, digits, "-", ".", "_", "~") not encoded.`;
  }
  if (j.type === 'routes' && has('protocols')) return 'list protocols of one family only in konghq.com/protocols: http and https, tcp and tls (or udp), tls_passthrough, or grpc and grpcs.';
  if (j.type === 'routes' && has('snis')) return 'remove konghq.com/snis, or add https (grpcs, tls) to konghq.com/protocols: Kong matches SNIs only on TLS protocols.';
  if (has('tags')) return 'correct konghq.com/tags: Kong takes tags of printable characters without "," and "/".';
  if (j.type === 'services' && [...fields].some((f) => f.endsWith('_timeout'))) return 'set the konghq.com timeout annotations to at least 1 millisecond.';
  const kongField = [...fields].find((f) => POLICY_FIELDS[f]);
  if ((j.type === 'upstreams' || j.type === 'targets') && kongField) {
    return `correct the KongUpstreamPolicy its Services name in konghq.com/upstream-policy: Kong's ${kongField} is its spec.${POLICY_FIELDS[kongField]}.`;
  }
  if (j.type === 'snis') return 'list host names in spec.tls hosts: Kong takes an SNI without a port, not an IP address, with at most one "*" at either end.';
  if (j.type === 'vaults') return 'correct the KongVault: prefix lower-case letters, digits and "-" (not a vault name), backend a vault Kong has (Kong OSS: env).';
  return `correct what KIC builds this ${j.type.slice(0, -1)} from, as Kong's message says.`;
}

function draft(j: Judged, subject: K8sObject): Draft {
  const errors = j.errors.map(([f, m]) => (f === '@entity' ? `"${m}"` : `${f}: "${m}"`)).join('; ');
  const policy = j.type === 'upstreams' || j.type === 'targets' ? upstreamPolicyName(subject) : undefined;
  const related: ObjectRef[] = policy ? [{ group: 'configuration.konghq.com', kind: 'KongUpstreamPolicy', namespace: subject.metadata.namespace ?? '', name: policy }] : [];
  const field = policy && j.type === 'upstreams' && j.errors.some(([f]) => POLICY_FIELDS[f.split('.')[0]!]) ? 'metadata.annotations["konghq.com/upstream-policy"]' : sourceField(j, subject);
  const message =
    `KIC builds Kong ${j.type.slice(0, -1)} "${j.label}" from ${name(subject)}, and ${KONG} rejects it (${errors}), so it rejects the whole configuration.`;
  return { ...(field ? { field } : {}), discriminator: `${j.type}|${j.label}`, related, message, fix: fixFor(j) };
}

const tlsVerifyService = `apiVersion: v1
kind: Service
metadata: {name: echo, namespace: default, annotations: {konghq.com/tls-verify: "true"PROTOCOL}}
spec: {ports: [{name: http, port: 1027}]}
`;

export const kongEntityInvalid: Rule = {
  id: 'kong-entity-invalid',
  severity: 'deny',
  kongRejects: true,
  summary: `A Kong service, route, upstream, target, SNI, consumer or vault KIC builds fails ${KONG}'s own validation (its schemas, its messages).`,
  explanation:
    `KIC sends Kong the entities it builds (translate --output deck shows them), and ${KONG} validates each with its schemas ` +
    '(kong/db/schema/entities, generated into ingress-guard from Kong\'s source). One invalid entity makes Kong refuse the whole ' +
    'configuration. Those KIC users meet: konghq.com/tls-verify or tls-verify-depth on a Service whose protocol is not https or tls ' +
    '("tls_verify: value must be null"); a plain path that is not in Kong\'s normalized form ("/a%2fb", "/%7Euser": "non-normalized path, ' +
    'consider use ... instead"); konghq.com/protocols mixing families ("http,tcp"); konghq.com/snis on a route without https, grpcs or tls; ' +
    'tags from konghq.com/tags with "," or "/"; a timeout annotation of 0; a KongUpstreamPolicy hashOn.cookiePath without a leading "/" ' +
    '(as in KIC\'s own upstream-policy examples); an IP address in a TCPIngress\'s spec.tls hosts; a ' +
    'KongVault whose backend Kong OSS does not have. The error is shown with Kong\'s field path and words, and reported on the object KIC ' +
    'tags the entity with (KIC\'s fallback excludes it). Errors other rules report (tcp or tls Service behind an Ingress, invalid Ingress ' +
    'paths and regexes, refused annotation values, credential Secrets) are left to them. Certificates and credentials come from Secrets, ' +
    'whose values ingress-guard never keeps: their content is not checked here.',
  examples: {
    bad: KONG_BASE.replace(/apiVersion: v1\nkind: Service[\s\S]*$/, tlsVerifyService.replace('PROTOCOL', '')) + ingress('web', pathRule('/', 'echo', 1027, 'app.example.com')),
    good: KONG_BASE.replace(/apiVersion: v1\nkind: Service[\s\S]*$/, tlsVerifyService.replace('PROTOCOL', ', konghq.com/protocol: https')) + ingress('web', pathRule('/', 'echo', 1027, 'app.example.com')),
  },
  kinds: [...ROUTE_KINDS, 'Service', 'KongConsumer', 'KongVault'],
  check(ctx, subject) {
    const { tr } = ctx;
    if (subject.kind !== 'Service' && !tr.isManaged(subject)) return [];
    let built: Built[];
    if (subject.kind === 'Service') built = serviceEntities(tr, ctx.view, subject);
    else if (subject.kind === 'KongConsumer') built = consumerEntities(tr, subject);
    // Kong Enterprise has vault backends (aws, gcp, hcv, azure, ...) OSS's schema does not know.
    else if (subject.kind === 'KongVault') built = tr.config.kongEdition === 'enterprise' ? [] : vaultEntities(subject);
    else built = routeObjectEntities(tr, subject);
    return built
      // SNIs carry no tags; only a route-like subject's own spec.tls builds any (routeObjectEntities).
      .filter((b) => b.type === 'snis' || taggedWith(b.entity, subject))
      .map((b) => judge(tr, b, subject))
      .filter((j) => j.errors.length > 0)
      .map((j) => draft(j, subject));
  },
};

export const KONG_ENTITY_RULES: readonly Rule[] = [kongEntityInvalid];


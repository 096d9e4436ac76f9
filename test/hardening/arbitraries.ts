// fast-check arbitraries for hostile input: real AdmissionReviews and objects, mutated. A mutation list is
// plain data (which node, what to do), so fast-check shrinks a failure to the few mutations that matter.
// Values that cannot go through JSON.stringify (nesting deeper than its recursion allows, duplicate keys)
// are placeholders in the tree and are spliced into the text afterwards.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { KINDS } from '../../src/model/kinds.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { REVIEWS } from '../helpers.ts';

/** How many runs a property makes: small in `npm test`, large with INGRESS_GUARD_PROPERTY_RUNS. */
export function runs(defaultRuns: number): number {
  const n = Number(process.env.INGRESS_GUARD_PROPERTY_RUNS);
  return Number.isInteger(n) && n > 0 ? n : defaultRuns;
}

export interface Captured {
  file: string;
  text: string;
  json: any;
}

export const CAPTURED: Captured[] = readdirSync(REVIEWS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const text = readFileSync(join(REVIEWS, file), 'utf8');
    return { file, text, json: JSON.parse(text) };
  });

// ---- hostile scalar values ----

/** Strings that have broken parsers and lookups elsewhere: prototype keys, separators, controls, unicode. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  ':',
  ',',
  '/',
  '..',
  '*',
  '~',
  '%',
  '\u0000',
  '\n',
  '\ud800',
  '\udfff',
  '😀',
  'é',
  'İ',
  'ß',
  '\u202e',
  '\ufeff',
  'key-auth',
  'basic-auth',
  'hmac-auth',
  'jwt',
  'oauth2',
  'acl',
  'kubernetes.io/tls',
  'kong',
  'default',
  'NaN',
  '-1',
  '1e309',
  'true',
  'null',
  '{}',
  '[]',
];

export const stringArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.domain(),
  fc.webPath(),
);

export const scalarArb: fc.Arbitrary<unknown> = fc.oneof(
  stringArb,
  fc.integer(),
  fc.constantFrom(0, -1, 1, 65535, 65536, 2 ** 31, 2 ** 53 + 1, -0, 1e308, 1.5),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

export const jsonArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: scalarArb },
  { weight: 1, arbitrary: fc.constantFrom({}, [], [null], { '': '' }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(stringArb, scalarArb, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.array(scalarArb, { maxLength: 4 }) },
);

// ---- placeholders spliced into the JSON text ----

let placeholderSeq = 0;
const splices = new Map<string, () => string>();

/** A value that serialises as `text` (computed lazily, after JSON.stringify). */
function spliced(text: () => string): string {
  const token = `\u0001splice-${++placeholderSeq}\u0001`;
  splices.set(token, text);
  return token;
}

/** Serialises a tree that may hold placeholders. */
export function serialise(tree: unknown): string {
  let text = JSON.stringify(tree) ?? 'null';
  if (!text.includes('\\u0001splice-')) return text;
  // Strings hold the token as `"\u0001splice-N\u0001"`; keys as the same inside the key quotes.
  text = text.replace(/"\\u0001splice-(\d+)\\u0001"/g, (_m, n: string) => {
    const token = `\u0001splice-${n}\u0001`;
    const make = splices.get(token);
    return make ? make() : 'null';
  });
  return text;
}

/** `depth` levels of arrays or objects around a leaf, built without recursion. */
export function deepText(depth: number, shape: 'array' | 'object' | 'mixed', leaf = '1'): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    const asArray = shape === 'array' || (shape === 'mixed' && i % 2 === 0);
    open.push(asArray ? '[' : '{"a":');
    close.push(asArray ? ']' : '}');
  }
  return open.join('') + leaf + close.reverse().join('');
}

// ---- mutations ----

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'set'; at: number; value: unknown }
  | { op: 'huge'; at: number; size: number; char: string }
  | { op: 'deep'; at: number; depth: number; shape: 'array' | 'object' | 'mixed' }
  | { op: 'duplicateKey'; at: number; value: unknown; first: boolean }
  | { op: 'addKey'; at: number; key: string; value: unknown };

export interface MutationLimits {
  maxHuge: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: MutationLimits = { maxHuge: 1_000_000, maxDepth: 5_000 };

export function mutationArb(limits: MutationLimits = DEFAULT_LIMITS): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), at, value: jsonArb }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('huge' as const),
        at,
        size: fc.oneof(fc.integer({ min: 1_000, max: Math.min(70_000, limits.maxHuge) }), fc.integer({ min: 1_000, max: limits.maxHuge })),
        char: fc.constantFrom('a', 'é', '😀', ',', ':', '/', ' ', '\\', '"'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('deep' as const),
        at,
        depth: fc.oneof(fc.integer({ min: 10, max: Math.min(200, limits.maxDepth) }), fc.integer({ min: Math.min(1_000, limits.maxDepth), max: limits.maxDepth })),
        shape: fc.constantFrom('array' as const, 'object' as const, 'mixed' as const),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicateKey' as const), at, value: jsonArb, first: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('addKey' as const), at, key: stringArb, value: jsonArb }) },
  );
}

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every slot of the tree (iteratively), parents before children. */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      node.forEach((v, i) => {
        out.push({ parent: node, key: i });
        stack.push(v);
      });
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        out.push({ parent: node as Record<string, unknown>, key: k });
        stack.push(v);
      }
    }
  }
  return out;
}

function objectsIn(root: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (root && typeof root === 'object' && !Array.isArray(root)) out.push(root as Record<string, unknown>);
  for (const s of slots(root)) {
    const v = Array.isArray(s.parent) ? s.parent[s.key as number] : s.parent[s.key as string];
    if (v && typeof v === 'object' && !Array.isArray(v)) out.push(v as Record<string, unknown>);
  }
  return out;
}

function setSlot(s: Slot, value: unknown): void {
  if (Array.isArray(s.parent)) s.parent[s.key as number] = value;
  else s.parent[s.key as string] = value;
}

/** Applies mutations to a deep copy of `tree`; each picks its node by index modulo the current node count. */
export function mutate(tree: unknown, mutations: Mutation[]): unknown {
  const root = structuredClone(tree);
  for (const m of mutations) {
    if (m.op === 'duplicateKey' || m.op === 'addKey') {
      const objects = objectsIn(root);
      if (!objects.length) continue;
      const target = objects[m.at % objects.length]!;
      if (m.op === 'addKey') {
        target[m.key] = structuredClone(m.value);
        continue;
      }
      const keys = Object.keys(target);
      if (!keys.length) continue;
      const key = keys[m.at % keys.length]!;
      const dupValue = serialise(m.value);
      // The duplicate is a second occurrence of `key` in the text, before or after the original.
      const token = spliced(() => JSON.stringify(key));
      const entries = Object.entries(target);
      for (const k of Object.keys(target)) delete target[k];
      if (m.first) target[token] = JSON.parse(dupValue);
      for (const [k, v] of entries) target[k] = v;
      if (!m.first) target[token] = JSON.parse(dupValue);
      continue;
    }
    const all = slots(root);
    if (!all.length) continue;
    const s = all[m.at % all.length]!;
    if (m.op === 'delete') {
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
      else delete s.parent[s.key as string];
    } else if (m.op === 'set') setSlot(s, structuredClone(m.value));
    else if (m.op === 'huge') setSlot(s, m.char.repeat(Math.ceil(m.size / Buffer.byteLength(m.char))));
    else if (m.op === 'deep') {
      const { depth, shape } = m;
      setSlot(s, spliced(() => deepText(depth, shape)));
    }
  }
  return root;
}

/** The JSON text of a mutated tree: placeholders, in value or in key position, become their real text. */
export function text(tree: unknown): string {
  return serialise(tree);
}

// ---- AdmissionReviews ----

/** A request uid that a test can find again (the response must echo it). */
export const uidArb = fc.oneof(fc.uuid(), stringArb.filter((s) => s !== ''));

const resourceArb = fc.oneof(
  fc.constantFrom(...KINDS).map((k) => ({ group: k.group, version: k.versions[0]!, resource: k.resource, kind: k.kind })),
  fc.record({ group: stringArb, version: stringArb, resource: stringArb, kind: stringArb }),
  fc.constantFrom(
    { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' },
    { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap' },
    { group: '', version: 'v1', resource: 'pods', kind: 'Pod' },
  ),
);

/** A captured review, re-aimed at a random resource, then mutated. Returns the text to POST. */
export function mutatedReviewArb(limits: MutationLimits = DEFAULT_LIMITS): fc.Arbitrary<{ file: string; mutations: Mutation[]; retarget?: unknown; text: string }> {
  return fc
    .record({
      base: fc.constantFrom(...CAPTURED),
      retarget: fc.option(resourceArb, { freq: 4 }),
      uid: fc.option(uidArb, { freq: 2 }),
      mutations: fc.array(mutationArb(limits), { minLength: 1, maxLength: 6 }),
      aimAtObject: fc.boolean(),
    })
    .map(({ base, retarget, uid, mutations, aimAtObject }) => {
      const review = structuredClone(base.json);
      if (uid !== null) review.request.uid = uid;
      if (retarget) {
        const r = retarget as { group: string; version: string; resource: string; kind: string };
        review.request.resource = { group: r.group, version: r.version, resource: r.resource };
        review.request.kind = { group: r.group, version: r.version, kind: r.kind };
        for (const o of [review.request.object, review.request.oldObject]) {
          if (o) {
            o.kind = r.kind;
            o.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
          }
        }
      }
      // Half the time the mutations land inside the objects, where the engine reads.
      let tree: unknown;
      if (aimAtObject && (review.request.object || review.request.oldObject)) {
        const which = review.request.object ? 'object' : 'oldObject';
        review.request[which] = mutate(review.request[which], mutations);
        tree = review;
      } else tree = mutate(review, mutations);
      return { file: base.file, mutations, ...(retarget ? { retarget } : {}), text: text(tree) };
    });
}

/** Bodies that are not AdmissionReviews at all, or barely. */
export const randomBodyArb: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.record({ apiVersion: fc.oneof(fc.constant('admission.k8s.io/v1'), stringArb), kind: fc.oneof(fc.constant('AdmissionReview'), stringArb), request: jsonArb }).map((v) => JSON.stringify(v)),
  fc
    .record({
      uid: fc.oneof(uidArb, jsonArb),
      operation: fc.oneof(fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'CONNECT'), stringArb, jsonArb),
      resource: fc.oneof(resourceArb, jsonArb),
      subResource: fc.option(stringArb),
      object: fc.oneof(jsonArb, fc.record({ apiVersion: stringArb, kind: stringArb, metadata: fc.record({ name: stringArb, namespace: jsonArb }) })),
      oldObject: jsonArb,
    })
    .map((request) => JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request })),
  // Truncated real bodies.
  fc.tuple(fc.constantFrom(...CAPTURED), fc.nat()).map(([c, n]) => c.text.slice(0, n % c.text.length)),
);

// ---- objects for the engine ----

/** Objects of every kind in KINDS: the captured ones plus templates for kinds no capture has. */
export const TEMPLATES: K8sObject[] = (() => {
  const out: K8sObject[] = [];
  for (const c of CAPTURED) for (const o of [c.json.request.object, c.json.request.oldObject]) if (o) out.push(o);
  out.push(
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'echo-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'echo' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
    { apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'allow', namespace: 'default' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'other' }], to: [{ group: '', kind: 'Service' }] } },
    { apiVersion: 'configuration.konghq.com/v1', kind: 'KongClusterPlugin', metadata: { name: 'global-cors', labels: { global: 'true' }, annotations: { 'kubernetes.io/ingress.class': 'kong' } }, plugin: 'cors', config: { origins: ['*'] } },
    { apiVersion: 'configuration.konghq.com/v1beta1', kind: 'KongConsumerGroup', metadata: { name: 'gold', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'kong', 'konghq.com/plugins': 'rate-limit-base' } } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls', namespace: 'default' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'bm90IGEgY2VydA==', 'tls.key': '' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'grpc', namespace: 'default', annotations: { 'konghq.com/plugins': 'rate-limit-base' } }, spec: { parentRefs: [{ name: 'kong' }], hostnames: ['grpc.example.com'], rules: [{ matches: [{ method: { service: 'echo.Echo', method: 'Ping' }, headers: [{ name: 'x', value: 'y' }] }], backendRefs: [{ name: 'echo', port: 80 }] }] } },
    ...(['TCPRoute', 'TLSRoute', 'UDPRoute'] as const).map((kind) => ({ apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind, metadata: { name: kind.toLowerCase(), namespace: 'default' }, spec: { parentRefs: [{ name: 'kong', sectionName: 'l4' }], hostnames: ['l4.example.com'], rules: [{ backendRefs: [{ name: 'echo', port: 80 }] }] } })),
    ...(['TCPIngress', 'UDPIngress'] as const).map((kind) => ({ apiVersion: 'configuration.konghq.com/v1beta1', kind, metadata: { name: kind.toLowerCase(), namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'kong', 'konghq.com/plugins': 'rate-limit-base' } }, spec: { tls: [{ hosts: ['db.example.com'], secretName: 'tls' }], rules: [{ host: 'db.example.com', port: 9000, backend: { serviceName: 'echo', servicePort: 80 } }] } })),
    { apiVersion: 'configuration.konghq.com/v1', kind: 'KongIngress', metadata: { name: 'echo', namespace: 'default' }, upstream: { slots: 100 }, proxy: { read_timeout: 1000 } },
    { apiVersion: 'configuration.konghq.com/v1beta1', kind: 'KongUpstreamPolicy', metadata: { name: 'echo', namespace: 'default' }, spec: { algorithm: 'sticky-sessions', hashOn: { input: 'none' }, stickySessions: { cookie: 'sid' } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'internal-ca', namespace: 'default', labels: { 'konghq.com/ca-cert': 'true' } }, data: { id: 'not-a-uuid', cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' } },
    { apiVersion: 'configuration.konghq.com/v1alpha1', kind: 'KongVault', metadata: { name: 'env', annotations: { 'kubernetes.io/ingress.class': 'kong' } }, spec: { backend: 'env', prefix: 'env', config: { prefix: 'SECRET_' } } },
    { apiVersion: 'configuration.konghq.com/v1alpha1', kind: 'IngressClassParameters', metadata: { name: 'kong', namespace: 'default' }, spec: { enableLegacyRegexDetection: true, serviceUpstream: true } },
    { apiVersion: 'configuration.konghq.com/v1alpha1', kind: 'KongCustomEntity', metadata: { name: 'gold', namespace: 'default' }, spec: { controllerName: 'kong', type: 'acls', parentRef: { group: 'configuration.konghq.com', kind: 'KongPlugin', name: 'rate-limit-base' }, fields: { group: 'gold' } } },
    { apiVersion: 'incubator.ingress-controller.konghq.com/v1alpha1', kind: 'KongServiceFacade', metadata: { name: 'echo-public', namespace: 'default', annotations: { 'kubernetes.io/ingress.class': 'kong', 'konghq.com/plugins': 'rate-limit-base' } }, spec: { backendRef: { name: 'echo', port: 80 } } },
    { apiVersion: 'gateway.networking.k8s.io/v1alpha3', kind: 'BackendTLSPolicy', metadata: { name: 'echo-tls', namespace: 'default' }, spec: { targetRefs: [{ group: '', kind: 'Service', name: 'echo' }], validation: { hostname: 'echo.internal', caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'internal-ca' }] }, options: { 'tls-verify-depth': '2' } } },
  );
  return out;
})();

/**
 * A mutated object that still has what every entry point checks before the engine sees it (apiVersion,
 * kind and metadata.name strings, metadata a mapping): everything else is arbitrary.
 */
export function mutatedObjectArb(limits: MutationLimits = { maxHuge: 100_000, maxDepth: 2_000 }): fc.Arbitrary<K8sObject> {
  return fc
    .record({ base: fc.constantFrom(...TEMPLATES), mutations: fc.array(mutationArb(limits), { minLength: 1, maxLength: 8 }), name: fc.option(stringArb, { freq: 3 }) })
    .map(({ base, mutations, name }) => {
      // Through the text, so placeholders (deep nesting, duplicate keys) become real values.
      const obj = JSON.parse(text(mutate(base, mutations))) as Record<string, any>;
      return repairShape(obj, base, name);
    });
}

const asText = (v: unknown): string => (typeof v === 'object' ? (JSON.stringify(v) ?? '') : String(v));

export function repairShape(obj: Record<string, any>, base: K8sObject, name: string | null): K8sObject {
  const fixed = obj && typeof obj === 'object' && !Array.isArray(obj) ? obj : {};
  if (typeof fixed.apiVersion !== 'string') fixed.apiVersion = base.apiVersion;
  if (typeof fixed.kind !== 'string') fixed.kind = base.kind;
  if (!fixed.metadata || typeof fixed.metadata !== 'object' || Array.isArray(fixed.metadata)) fixed.metadata = { ...base.metadata };
  if (name !== null) fixed.metadata.name = name;
  if (typeof fixed.metadata.name !== 'string' || fixed.metadata.name === '') fixed.metadata.name = base.metadata.name;
  // What the API server guarantees (and the edges check, see metadataProblem): metadata's own fields are typed.
  const m = fixed.metadata;
  for (const f of ['namespace', 'uid', 'resourceVersion', 'creationTimestamp']) if (m[f] !== undefined && m[f] !== null && typeof m[f] !== 'string') m[f] = asText(m[f]).slice(0, 100);
  if (m.generation !== undefined && m.generation !== null && typeof m.generation !== 'number') delete m.generation;
  for (const f of ['labels', 'annotations']) {
    if (m[f] === undefined || m[f] === null) continue;
    if (!m[f] || typeof m[f] !== 'object' || Array.isArray(m[f])) m[f] = {};
    for (const [k, v] of Object.entries(m[f])) if (typeof v !== 'string') m[f][k] = asText(v);
  }
  return fixed as K8sObject;
}

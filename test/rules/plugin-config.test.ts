// Plugin configuration and credential Secret rules, through the real engine (judge over a Translator).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCluster, workloads } from '../../bench/generate.ts';
import { everything, judge } from '../../src/engine/judge.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { CREDENTIAL_RULES } from '../../src/rules/credentials.ts';
import { KONG_BUNDLED_PLUGINS, PLUGIN_CONFIG_RULES, SCHEMA_PLUGINS } from '../../src/rules/plugin-config.ts';
import type { Finding, Rule } from '../../src/rules/rule.ts';
import { parseManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { INPUTS, SEED_002_SETUP, SEEDS, objectsFrom, yamlObjects } from '../helpers.ts';

const ALL_RULES: readonly Rule[] = [...PLUGIN_CONFIG_RULES, ...CREDENTIAL_RULES];

function run(objects: K8sObject[], rules: readonly Rule[] = ALL_RULES, policy: Policy = DEFAULT_POLICY): Finding[] {
  const store = new Store(objects);
  return judge(new Translator(store, DEFAULT_TRANSLATE_CONFIG), policy, everything([...store.all()].map(keyOf)), { rules });
}

function plugin(type: string, config?: unknown, extra: Record<string, unknown> = {}): K8sObject {
  const obj: K8sObject = { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name: `p-${type}`, namespace: 'default' }, plugin: type, ...extra };
  if (config !== undefined) obj.config = config;
  return obj;
}

function clusterPlugin(type: string, config?: unknown, extra: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'configuration.konghq.com/v1',
    kind: 'KongClusterPlugin',
    metadata: { name: `cp-${type}`, annotations: { 'kubernetes.io/ingress.class': 'kong' } },
    plugin: type,
    ...(config !== undefined ? { config } : {}),
    ...extra,
  };
}

function credential(type: string, stringData: Record<string, string>, opts: { legacy?: boolean } = {}): K8sObject {
  const obj: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cred', namespace: 'default' }, type: 'Opaque', stringData: { ...stringData } };
  if (opts.legacy) (obj.stringData as Record<string, string>).kongCredType = type;
  else obj.metadata.labels = { 'konghq.com/credential': type };
  return obj;
}

const of = (findings: Finding[], rule: string): Finding[] => findings.filter((f) => f.rule === rule);

// ---------------------------------------------------------------- plugin-config-invalid: denied configs

interface Invalid {
  plugin: string;
  config: Record<string, unknown>;
  /** The field of one finding (`config.limit_by`). */
  field: string;
  /** Words its message must contain. */
  mentions?: string[];
}

const INVALID: Invalid[] = [
  // rate-limiting
  { plugin: 'rate-limiting', config: { policy: 'local' }, field: 'config', mentions: ['at least one limit'] },
  { plugin: 'rate-limiting', config: { minutes: 100 }, field: 'config.minutes', mentions: ['did you mean "minute"', 'unknown field'] },
  { plugin: 'rate-limiting', config: { minute: 10, limit_by: 'user' }, field: 'config.limit_by', mentions: ['"consumer"', '"header"', '"path"', 'not "user"'] },
  { plugin: 'rate-limiting', config: { minute: 0 }, field: 'config.minute', mentions: ['greater than 0'] },
  { plugin: 'rate-limiting', config: { minute: '100' }, field: 'config.minute', mentions: ['must be a number, not a string'] },
  { plugin: 'rate-limiting', config: { second: 10, minute: 5 }, field: 'config.minute', mentions: ['lower than config.second'] },
  { plugin: 'rate-limiting', config: { minute: 5, limit_by: 'header' }, field: 'config.header_name', mentions: ['required when config.limit_by is "header"'] },
  { plugin: 'rate-limiting', config: { minute: 5, limit_by: 'path' }, field: 'config.path', mentions: ['required when config.limit_by is "path"'] },
  { plugin: 'rate-limiting', config: { minute: 5, policy: 'redis' }, field: 'config.redis.host', mentions: ['policy is "redis"'] },
  { plugin: 'rate-limiting', config: { minute: 5, policy: 'local', sync_rate: 10 }, field: 'config.sync_rate', mentions: ['redis'] },
  { plugin: 'rate-limiting', config: { minute: 5, error_code: 0 }, field: 'config.error_code', mentions: ['greater than 0'] },
  // response-ratelimiting
  { plugin: 'response-ratelimiting', config: {}, field: 'config.limits', mentions: ['required'] },
  { plugin: 'response-ratelimiting', config: { limits: { video: { minute: 10, second: 20 } } }, field: 'config.limits.video.minute', mentions: ['lower'] },
  { plugin: 'response-ratelimiting', config: { limits: { video: {} } }, field: 'config.limits.video', mentions: ['at least one'] },
  // key-auth
  { plugin: 'key-auth', config: { key_name: ['apikey'] }, field: 'config.key_name', mentions: ['did you mean "key_names"'] },
  { plugin: 'key-auth', config: { key_names: [] }, field: 'config.key_names', mentions: ['at least 1 entry'] },
  { plugin: 'key-auth', config: { hide_credentials: 'yes' }, field: 'config.hide_credentials', mentions: ['boolean'] },
  // basic-auth
  { plugin: 'basic-auth', config: { hide_credential: true }, field: 'config.hide_credential', mentions: ['did you mean "hide_credentials"'] },
  // hmac-auth
  { plugin: 'hmac-auth', config: { algorithms: ['hmac-md5'] }, field: 'config.algorithms[0]', mentions: ['"hmac-sha256"'] },
  // jwt
  { plugin: 'jwt', config: { claims_to_verify: ['iat'] }, field: 'config.claims_to_verify[0]', mentions: ['"exp" and "nbf"'] },
  { plugin: 'jwt', config: { maximum_expiration: 3600, claims_to_verify: ['nbf'] }, field: 'config.claims_to_verify', mentions: ['"exp"'] },
  { plugin: 'jwt', config: { maximum_expiration: 99999999, claims_to_verify: ['exp'] }, field: 'config.maximum_expiration', mentions: ['at most 31536000'] },
  // acl
  { plugin: 'acl', config: { allow: ['a'], deny: ['b'] }, field: 'config', mentions: ['exactly one of config.allow and config.deny'] },
  { plugin: 'acl', config: { whitelist: ['a'] }, field: 'config.whitelist', mentions: ['unknown field'] },
  // cors
  { plugin: 'cors', config: { methods: ['GET', 'FETCH'] }, field: 'config.methods[1]', mentions: ['"OPTIONS"'] },
  { plugin: 'cors', config: { origin: ['*'] }, field: 'config.origin', mentions: ['did you mean "origins"'] },
  // request-termination
  { plugin: 'request-termination', config: { status_code: 700 }, field: 'config.status_code', mentions: ['at most 599'] },
  { plugin: 'request-termination', config: { message: 'bye', body: '{}' }, field: 'config.message', mentions: ['cannot be used together'] },
  { plugin: 'request-termination', config: { content_type: 'application/json' }, field: 'config.body', mentions: ['requires config.body'] },
  { plugin: 'request-termination', config: { echo: true, body: 'x' }, field: 'config.echo', mentions: ['echo'] },
  // correlation-id
  { plugin: 'correlation-id', config: { generator: 'uuid4' }, field: 'config.generator', mentions: ['"uuid#counter"', '"tracker"'] },
  // ip-restriction
  { plugin: 'ip-restriction', config: {}, field: 'config', mentions: ['at least one of config.allow, config.deny'] },
  { plugin: 'ip-restriction', config: { allow: ['10.0.0.0/33'] }, field: 'config.allow[0]', mentions: ['IP address or CIDR'] },
  { plugin: 'ip-restriction', config: { deny: ['not-an-ip'] }, field: 'config.deny[0]', mentions: ['IP address'] },
  // proxy-cache
  { plugin: 'proxy-cache', config: { cache_ttl: 300 }, field: 'config.strategy', mentions: ['required'] },
  { plugin: 'proxy-cache', config: { strategy: 'redis' }, field: 'config.strategy', mentions: ['"memory"'] },
  { plugin: 'proxy-cache', config: { strategy: 'memory', response_code: [99] }, field: 'config.response_code[0]', mentions: ['at least 100'] },
  { plugin: 'proxy-cache', config: { strategy: 'memory', request_method: ['DELETE'] }, field: 'config.request_method[0]', mentions: ['"GET"'] },
  // request-transformer
  { plugin: 'request-transformer', config: { add: { header: ['x:1'] } }, field: 'config.add.header', mentions: ['did you mean "headers"'] },
  { plugin: 'request-transformer', config: { add: { headers: ['x-team'] } }, field: 'config.add.headers[0]', mentions: ['name:value'] },
  // response-transformer
  { plugin: 'response-transformer', config: { add: { json_types: ['object'] } }, field: 'config.add.json_types[0]', mentions: ['"boolean"'] },
  { plugin: 'response-transformer', config: { delete: { headers: ['server'] } }, field: 'config.delete', mentions: ['unknown field'] },
  // prometheus
  { plugin: 'prometheus', config: { per_consumer: 'true' }, field: 'config.per_consumer', mentions: ['boolean'] },
  { plugin: 'prometheus', config: { latency_metric: true }, field: 'config.latency_metric', mentions: ['did you mean "latency_metrics"'] },
  // file-log
  { plugin: 'file-log', config: {}, field: 'config.path', mentions: ['required'] },
  { plugin: 'file-log', config: { path: '/tmp/*.log' }, field: 'config.path', mentions: ['file name'] },
  // http-log
  { plugin: 'http-log', config: {}, field: 'config.http_endpoint', mentions: ['required'] },
  { plugin: 'http-log', config: { http_endpoint: 'http://log:8080', method: 'GET' }, field: 'config.method', mentions: ['"POST"'] },
  { plugin: 'http-log', config: { http_endpoint: 'http://log:8080', headers: { Host: 'x' } }, field: 'config.headers.Host', mentions: ['not allowed'] },
  { plugin: 'http-log', config: { http_endpoint: 'http://u:p@log:8080', headers: { Authorization: 'x' } }, field: 'config.headers.Authorization', mentions: ['user info'] },
  // tcp-log, udp-log
  { plugin: 'tcp-log', config: { host: 'logs' }, field: 'config.port', mentions: ['required'] },
  { plugin: 'tcp-log', config: { host: 'logs', port: 70000 }, field: 'config.port', mentions: ['at most 65535'] },
  { plugin: 'udp-log', config: { port: 514 }, field: 'config.host', mentions: ['required'] },
  // oauth2
  { plugin: 'oauth2', config: {}, field: 'config', mentions: ['at least one grant'] },
  { plugin: 'oauth2', config: { enable_client_credentials: true, mandatory_scope: true }, field: 'config.scopes', mentions: ['mandatory_scope'] },
  { plugin: 'oauth2', config: { enable_client_credentials: true, pkce: 'always' }, field: 'config.pkce', mentions: ['"lax"'] },
  // bot-detection
  { plugin: 'bot-detection', config: { blacklist: ['curl'] }, field: 'config.blacklist', mentions: ['unknown field'] },
  // request-size-limiting
  { plugin: 'request-size-limiting', config: { size_unit: 'gigabytes' }, field: 'config.size_unit', mentions: ['"megabytes"'] },
  { plugin: 'request-size-limiting', config: { allowed_payload_size: 1.5 }, field: 'config.allowed_payload_size', mentions: ['integer'] },
  // session
  { plugin: 'session', config: { cookie_same_site: 'strict' }, field: 'config.cookie_same_site', mentions: ['"Strict"'] },
  { plugin: 'session', config: { storage: 'redis' }, field: 'config.storage', mentions: ['"cookie"'] },
];

test('every plugin with a schema has at least one denied case here', () => {
  const covered = new Set(INVALID.map((c) => c.plugin));
  assert.deepEqual(SCHEMA_PLUGINS.filter((p) => !covered.has(p)), []);
  for (const p of ['rate-limiting', 'key-auth', 'basic-auth', 'hmac-auth', 'jwt', 'acl', 'cors', 'request-termination', 'correlation-id', 'ip-restriction', 'proxy-cache', 'request-transformer', 'response-transformer', 'prometheus', 'file-log', 'http-log', 'tcp-log', 'udp-log', 'oauth2', 'bot-detection', 'request-size-limiting', 'response-ratelimiting', 'session']) {
    assert.ok(SCHEMA_PLUGINS.includes(p), `no schema for ${p}`);
  }
});

for (const c of INVALID) {
  test(`plugin-config-invalid denies ${c.plugin} ${JSON.stringify(c.config)} at ${c.field}`, () => {
    for (const obj of [plugin(c.plugin, c.config), clusterPlugin(c.plugin, c.config)]) {
      const found = of(run([obj]), 'plugin-config-invalid');
      const hit = found.find((f) => f.field === c.field);
      assert.ok(hit, `${obj.kind}: no finding at ${c.field}; got ${found.map((f) => `${f.field}: ${f.message}`).join(' | ') || 'nothing'}`);
      assert.equal(hit.severity, 'deny');
      assert.ok(hit.message.includes(`${c.field}`) || c.field === 'config', `message names the path: ${hit.message}`);
      assert.ok(hit.message.includes(`plugin "${c.plugin}"`), hit.message);
      for (const m of c.mentions ?? []) assert.ok(hit.message.includes(m), `"${m}" missing from: ${hit.message}`);
      // Never ajv's own text.
      assert.doesNotMatch(hit.message, /must match|must NOT|must have required property|must pass|instancePath|#\//);
    }
  });
}

// ---------------------------------------------------------------- plugin-config-invalid: allowed configs

const VALID: [string, Record<string, unknown> | undefined][] = [
  ['rate-limiting', { second: 5, hour: 10000, policy: 'local' }],
  ['rate-limiting', { minute: 5, limit_by: 'header', header_name: 'x-tenant' }],
  ['rate-limiting', { minute: 5, policy: 'redis', redis: { host: 'redis', port: 6379, timeout: 2000 }, sync_rate: 0.5 }],
  ['rate-limiting', { minute: 5, policy: 'redis', redis_host: 'redis' }],
  ['rate-limiting', { minute: 5, hour: null, policy: 'local' }],
  ['response-ratelimiting', { limits: { video: { minute: 10, hour: 100 } } }],
  ['key-auth', undefined],
  ['key-auth', { key_names: ['apikey', 'x-api-key'], key_in_body: true, realm: 'api', identity_realms: [{ scope: 'cp' }] }],
  ['basic-auth', { hide_credentials: true, brute_force_protection: { strategy: 'off' } }],
  ['hmac-auth', { algorithms: ['hmac-sha256'], clock_skew: 300, enforce_headers: ['date'] }],
  ['jwt', { claims_to_verify: ['exp'], maximum_expiration: 3600, key_claim_name: 'iss' }],
  ['acl', { allow: ['admins'], hide_groups_header: true }],
  ['acl', { deny: ['blocked'] }],
  ['cors', { origins: ['https://example.com', '*'], methods: ['GET', 'POST'], max_age: 3600, credentials: true }],
  ['request-termination', { status_code: 403, message: 'Forbidden' }],
  ['request-termination', { status_code: 200, content_type: 'application/json', body: '{}' }],
  ['correlation-id', { header_name: 'Kong-Request-ID', generator: 'tracker', echo_downstream: true }],
  ['ip-restriction', { allow: ['10.0.0.0/8', '192.168.1.1', '2001:db8::/32'], status: 403 }],
  ['proxy-cache', { strategy: 'memory', response_code: [200, 301], request_method: ['GET', 'HEAD'], cache_ttl: 60, memory: { dictionary_name: 'kong_db_cache' } }],
  ['request-transformer', { remove: { headers: ['x-secret'] }, rename: { headers: ['a:b'] }, replace: { uri: '/v2' }, append: { querystring: ['q:1'] } }],
  ['response-transformer', { add: { json: ['a:1'], json_types: ['number'] } }],
  ['prometheus', { per_consumer: true, latency_metrics: true, bandwidth_metrics: true, upstream_health_metrics: true }],
  ['file-log', { path: '/dev/stdout', reopen: true }],
  ['http-log', { http_endpoint: 'https://logs.example.com/ingest', method: 'PUT', headers: { 'X-Token': 't' }, queue: { max_batch_size: 10 } }],
  ['tcp-log', { host: 'logs', port: 5140, tls: true }],
  ['udp-log', { host: 'logs', port: 514 }],
  ['oauth2', { enable_client_credentials: true, scopes: ['read'], mandatory_scope: true, pkce: 'strict' }],
  ['bot-detection', { deny: ['curl'] }],
  ['request-size-limiting', { allowed_payload_size: 8, size_unit: 'kilobytes', require_content_length: false }],
  ['session', { storage: 'kong', cookie_same_site: 'Lax', logout_methods: ['POST'], cookie_lifetime: 3600, hash_subject: true }],
  // Not schema-checked: custom or Enterprise plugins.
  ['openid-connect', { issuer: 'https://idp.example.com', anything: 1 }],
];

for (const [type, config] of VALID) {
  test(`plugin-config-invalid allows ${type} ${JSON.stringify(config)}`, () => {
    const found = run([plugin(type, config), clusterPlugin(type, config)]);
    assert.deepEqual(found.map((f) => `${f.rule} ${f.field}: ${f.message}`), []);
  });
}

test('the plugins of seed 002 (the guide and the fixtures) are allowed', async () => {
  const seed = readFileSync(join(SEEDS, '002_bbf6f9800ad453cc.txt'), 'utf8');
  // The guide's kubectl apply blocks: echo '<yaml>' | kubectl apply -f -
  const blocks = [...seed.matchAll(/echo '([\s\S]*?)' \| kubectl apply -f -/g)].map((m) => m[1]!);
  const fromGuide = blocks.flatMap((b) => parseManifests(b, 'seed').objects.map((o) => o.object)).filter((o) => o.kind === 'KongPlugin' || o.kind === 'Secret');
  assert.ok(fromGuide.filter((o) => o.kind === 'KongPlugin').length >= 3, 'the guide\'s KongPlugins were found');
  const setup = await objectsFrom(...SEED_002_SETUP, join(INPUTS, 'b3-kongplugins.yaml'), 'd2-secret-bob-key-auth-new.yaml', 'g1-secret-alice-key-auth-kongconsumer-alice.yaml');
  for (const objects of [fromGuide, setup]) {
    assert.deepEqual(run(objects).map((f) => `${f.rule}: ${f.message}`), []);
  }
});

test('the benchmark cluster (ROUTE_PLUGINS, GLOBAL_PLUGINS, bot-detection, key-auth Secrets) and its new plugin are allowed', () => {
  const cluster = generateCluster(400);
  const kinds = new Set(cluster.objects.filter((o) => o.kind === 'KongPlugin' || o.kind === 'KongClusterPlugin').map((o) => o.plugin));
  for (const t of ['rate-limiting', 'cors', 'request-transformer', 'key-auth', 'response-transformer', 'prometheus', 'correlation-id', 'request-size-limiting', 'bot-detection']) {
    assert.ok(kinds.has(t), `the cluster has a ${t} plugin`);
  }
  const created = workloads(cluster)
    .filter((w) => w.expect === 'allowed')
    .map((w) => w.review.request.object as K8sObject | null | undefined)
    .filter((o): o is K8sObject => o !== null && o !== undefined && (o.kind === 'KongPlugin' || o.kind === 'Secret'));
  assert.deepEqual(run([...cluster.objects, ...created]).map((f) => `${f.rule} ${f.object.name}: ${f.message}`), []);
});

// ---------------------------------------------------------------- configFrom, protocols, ordering

test('config together with configFrom is denied; configFrom alone is not schema-checked', () => {
  const secret: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rl', namespace: 'default' }, stringData: { config: '{}' } };
  const configFrom = { secretKeyRef: { name: 'rl', key: 'config' } };
  const both = of(run([plugin('rate-limiting', { minute: 5 }, { configFrom }), secret]), 'plugin-config-invalid');
  assert.deepEqual(both.map((f) => f.field), ['configFrom']);
  assert.match(both[0]!.message, /both config and configFrom/);
  assert.deepEqual(run([plugin('rate-limiting', undefined, { configFrom }), secret]), []);
  const patched = of(run([plugin('rate-limiting', undefined, { configFrom, configPatches: [{ path: '/minute', valueFrom: { secretKeyRef: { name: 'rl', key: 'config' } } }] }), secret]), 'plugin-config-invalid');
  assert.deepEqual(patched.map((f) => f.field), ['configPatches']);
  // configPatches may supply required fields: the partial config is not schema-checked.
  assert.deepEqual(run([plugin('rate-limiting', { policy: 'local' }, { configPatches: [{ path: '/minute', valueFrom: { secretKeyRef: { name: 'rl', key: 'config' } } }] }), secret]), []);
});

test('plugin-config-secret-missing warns on a missing Secret or key, as a dangling reference', () => {
  const configFrom = { secretKeyRef: { name: 'rl', key: 'config' } };
  const missing = of(run([plugin('rate-limiting', undefined, { configFrom })]), 'plugin-config-secret-missing');
  assert.equal(missing.length, 1);
  assert.equal(missing[0]!.severity, 'warn');
  assert.equal(missing[0]!.field, 'configFrom.secretKeyRef');
  assert.match(missing[0]!.message, /Secret default\/rl, which does not exist/);
  assert.deepEqual(missing[0]!.related, [{ group: '', kind: 'Secret', namespace: 'default', name: 'rl' }]);
  const wrongKey: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rl', namespace: 'default' }, stringData: { conf: 'super-secret-value-1234' } };
  const noKey = of(run([plugin('rate-limiting', undefined, { configFrom }), wrongKey]), 'plugin-config-secret-missing');
  assert.equal(noKey.length, 1);
  assert.equal(noKey[0]!.field, 'configFrom.secretKeyRef.key');
  assert.match(noKey[0]!.message, /no such key/);
  assert.doesNotMatch(noKey[0]!.message + noKey[0]!.fix, /super-secret-value-1234/);
  // KongClusterPlugin: the namespaced reference.
  const cluster = clusterPlugin('rate-limiting', undefined, { configFrom: { secretKeyRef: { name: 'rl', namespace: 'kong', key: 'config' } } });
  assert.equal(of(run([cluster]), 'plugin-config-secret-missing').length, 1);
  const there: K8sObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'rl', namespace: 'kong' }, stringData: { config: '{}' } };
  assert.deepEqual(run([cluster, there]), []);
  // strict turns it into a denial.
  const store = new Store([plugin('rate-limiting', undefined, { configFrom })]);
  const strict = judge(new Translator(store, DEFAULT_TRANSLATE_CONFIG), { ...DEFAULT_POLICY, strict: true }, everything([...store.all()].map(keyOf)), { rules: ALL_RULES });
  assert.equal(strict[0]!.severity, 'deny');
});

test('protocols outside Kong\'s list are denied, with a suggestion', () => {
  const bad = of(run([plugin('key-auth', undefined, { protocols: ['https', 'htps'] })]), 'plugin-config-invalid');
  assert.deepEqual(bad.map((f) => f.field), ['protocols[1]']);
  assert.match(bad[0]!.message, /"htps" \(did you mean "https"\?\)/);
  assert.deepEqual(run([plugin('key-auth', undefined, { protocols: ['http', 'https', 'grpc', 'grpcs', 'ws', 'wss'] })]), []);
  assert.deepEqual(run([plugin('ip-restriction', { allow: ['10.0.0.0/8'] }, { protocols: ['tcp', 'tls', 'udp', 'tls_passthrough'] })]), []);
});

test('ordering must be before/after the access phase', () => {
  const phase = of(run([plugin('key-auth', undefined, { ordering: { before: { rewrite: ['rate-limiting'] } } })]), 'plugin-config-invalid');
  assert.deepEqual(phase.map((f) => f.field), ['ordering.before.rewrite']);
  assert.match(phase[0]!.message, /only the "access" phase/);
  const when = of(run([plugin('key-auth', undefined, { ordering: { during: { access: ['acl'] } } })]), 'plugin-config-invalid');
  assert.deepEqual(when.map((f) => f.field), ['ordering.during']);
  const list = of(run([plugin('key-auth', undefined, { ordering: { after: { access: 'acl' } } })]), 'plugin-config-invalid');
  assert.deepEqual(list.map((f) => f.field), ['ordering.after.access']);
  assert.deepEqual(run([plugin('rate-limiting', { minute: 5 }, { ordering: { before: { access: ['key-auth'] }, after: { access: ['correlation-id'] } } })]), []);
});

test('a KongClusterPlugin of another ingress class is not judged', () => {
  const other = clusterPlugin('rate-limiting', { minutes: 5 });
  other.metadata.annotations = { 'kubernetes.io/ingress.class': 'nginx' };
  other.plugin = 'rate-limitng';
  assert.deepEqual(run([other]), []);
});

// ---------------------------------------------------------------- unknown-plugin

test('unknown-plugin denies a typo with a suggestion and the customPlugins fix', () => {
  const found = of(run([plugin('rate-limitting', { minute: 5 })]), 'unknown-plugin');
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'deny');
  assert.equal(found[0]!.field, 'plugin');
  assert.match(found[0]!.message, /"rate-limitting" \(did you mean "rate-limiting"\?\)/);
  assert.match(found[0]!.fix, /set plugin to "rate-limiting"/);
  assert.match(found[0]!.fix, /customPlugins/);
  const none = of(run([plugin('my-company-auth')]), 'unknown-plugin');
  assert.equal(none.length, 1);
  assert.doesNotMatch(none[0]!.message, /did you mean/);
});

test('unknown-plugin allows custom plugins declared in the configuration (through the rule context), and suggests them', () => {
  const policy: Policy = { ...DEFAULT_POLICY, customPlugins: ['my-company-auth'] };
  assert.deepEqual(run([plugin('my-company-auth', { anything: true })], PLUGIN_CONFIG_RULES, policy), []);
  const typo = of(run([plugin('my-company-uath')], PLUGIN_CONFIG_RULES, policy), 'unknown-plugin');
  assert.match(typo[0]!.message, /did you mean "my-company-auth"/);
});

test('unknown-plugin knows every bundled plugin and the usual Enterprise ones', () => {
  const names = [...KONG_BUNDLED_PLUGINS, 'openid-connect', 'rate-limiting-advanced', 'request-validator', 'canary', 'mtls-auth', 'key-auth-enc', 'opa', 'oauth2-introspection', 'jwt-signer', 'proxy-cache-advanced', 'response-transformer-advanced'];
  const objects = names.map((n) => ({ ...plugin(n), metadata: { name: `p-${n}`, namespace: 'default' } }));
  assert.deepEqual(of(run(objects), 'unknown-plugin'), []);
});

// ---------------------------------------------------------------- credential-invalid

interface CredCase {
  name: string;
  secret: K8sObject;
  field?: string;
  mentions?: string[];
}

const CRED_DENIED: CredCase[] = [
  { name: 'unknown type with a suggestion', secret: credential('keyauth', { key: 'k' }), field: 'metadata.labels["konghq.com/credential"]', mentions: ['did you mean "key-auth"'] },
  { name: 'unknown legacy kongCredType', secret: credential('basicauth', { username: 'u', password: 'p' }, { legacy: true }), field: 'data.kongCredType', mentions: ['"basic-auth"'] },
  { name: 'key-auth without key', secret: credential('key-auth', { apikey: 'k' }), field: 'data.key', mentions: ['without field key'] },
  { name: 'key-auth with an empty key', secret: credential('key-auth', { key: '' }), field: 'data.key', mentions: ['missing or empty'] },
  { name: 'basic-auth without password', secret: credential('basic-auth', { username: 'bob' }), field: 'data.password' },
  { name: 'hmac-auth without username and secret', secret: credential('hmac-auth', {}), field: 'data.username', mentions: ['username and secret'] },
  { name: 'oauth2 without redirect_uris', secret: credential('oauth2', { name: 'app', client_id: 'id', client_secret: 's' }), field: 'data.redirect_uris' },
  { name: 'acl without group', secret: credential('acl', {}), field: 'data.group' },
  { name: 'mtls-auth without subject_name', secret: credential('mtls-auth', {}), field: 'data.subject_name' },
  { name: 'jwt without algorithm', secret: credential('jwt', { key: 'iss', secret: 's' }), field: 'data.algorithm' },
  { name: 'jwt RS256 without rsa_public_key', secret: credential('jwt', { key: 'iss', algorithm: 'RS256' }), field: 'data.rsa_public_key', mentions: ['a public key'] },
  { name: 'jwt HS256 without secret', secret: credential('jwt', { key: 'iss', algorithm: 'HS256', rsa_public_key: 'x' }), field: 'data.secret', mentions: ['a shared secret'] },
  { name: 'jwt with an unknown algorithm', secret: credential('jwt', { key: 'iss', algorithm: 'RS257', rsa_public_key: 'x' }), field: 'data.algorithm', mentions: ['"RS257"', '"ES256"', '"EdDSA"'] },
];

for (const c of CRED_DENIED) {
  test(`credential-invalid denies ${c.name}`, () => {
    const found = of(run([c.secret]), 'credential-invalid');
    const hit = found.find((f) => f.field === c.field);
    assert.ok(hit, `no finding at ${c.field}; got ${found.map((f) => `${f.field}: ${f.message}`).join(' | ') || 'nothing'}`);
    assert.equal(hit.severity, 'deny');
    for (const m of c.mentions ?? []) assert.ok(hit.message.includes(m), `"${m}" missing from: ${hit.message}`);
  });
}

const CRED_ALLOWED: CredCase[] = [
  { name: 'key-auth', secret: credential('key-auth', { key: 'k' }) },
  { name: 'legacy kongCredType key-auth', secret: credential('key-auth', { key: 'k' }, { legacy: true }) },
  { name: 'basic-auth', secret: credential('basic-auth', { username: 'u', password: 'p' }) },
  { name: 'hmac-auth', secret: credential('hmac-auth', { username: 'u', secret: 's' }) },
  { name: 'jwt HS256 with secret', secret: credential('jwt', { key: 'iss', algorithm: 'HS256', secret: 's' }) },
  { name: 'jwt ES256 with public key', secret: credential('jwt', { key: 'iss', algorithm: 'ES256', rsa_public_key: '-----BEGIN PUBLIC KEY-----' }) },
  { name: 'jwt EdDSA with public key', secret: credential('jwt', { key: 'iss', algorithm: 'EdDSA', rsa_public_key: 'k' }) },
  { name: 'oauth2', secret: credential('oauth2', { name: 'app', client_id: 'id', client_secret: 's', redirect_uris: 'https://app/cb' }) },
  { name: 'acl', secret: credential('acl', { group: 'admins' }) },
  { name: 'mtls-auth', secret: credential('mtls-auth', { subject_name: 'CN=bob' }) },
  { name: 'konnect (accepted, ignored)', secret: credential('konnect', {}) },
  { name: 'a Secret that is no credential', secret: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, stringData: { key: '' } } },
];

for (const c of CRED_ALLOWED) {
  test(`credential-invalid allows ${c.name}`, () => {
    assert.deepEqual(run([c.secret]).map((f) => f.message), []);
  });
}

test('no message ever contains a credential value', () => {
  const VALUE = 'Zq9-SECRET-VALUE-do-not-echo-7781';
  const secrets = [
    credential('key-auth', { apikey: VALUE }),
    credential('keyauth', { key: VALUE }),
    credential('jwt', { key: VALUE, algorithm: 'RS256', secret: VALUE }),
    credential('jwt', { key: VALUE, algorithm: 'XX999', rsa_public_key: VALUE }),
    credential('basic-auth', { username: VALUE, password: '' }),
    credential('oauth2', { name: VALUE, client_id: VALUE }),
  ].map((s, i) => ({ ...s, metadata: { ...s.metadata, name: `cred-${i}` } }));
  const found = run(secrets);
  assert.ok(found.length >= secrets.length, 'every Secret has a finding');
  for (const f of found) assert.ok(!JSON.stringify(f).includes(VALUE), `value leaked: ${f.message}`);
  // The same through the base64 `data` form.
  const b64 = { ...credential('key-auth', {}), data: { apikey: Buffer.from(VALUE).toString('base64') } };
  for (const f of run([b64])) assert.ok(!JSON.stringify(f).includes(VALUE) && !JSON.stringify(f).includes(Buffer.from(VALUE).toString('base64')));
});

// ---------------------------------------------------------------- examples

for (const rule of ALL_RULES) {
  test(`${rule.id}: the bad example yields the rule, the good one nothing`, () => {
    assert.ok(rule.examples, `${rule.id} has examples`);
    const bad = run(yamlObjects(rule.examples.bad));
    assert.ok(bad.some((f) => f.rule === rule.id), `bad example: ${bad.map((f) => f.rule).join(', ') || 'no findings'}`);
    assert.deepEqual(run(yamlObjects(rule.examples.good)).map((f) => `${f.rule}: ${f.message}`), []);
  });
}

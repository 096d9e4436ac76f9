// Plugin configuration rules, through the real engine (judge over a Translator). Credentials: credentials.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCluster, workloads } from '../../bench/generate.ts';
import { everything, judge } from '../../src/engine/judge.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { KONG_BUNDLED_PLUGINS, PLUGIN_CONFIG_RULES, SCHEMA_PLUGINS } from '../../src/rules/plugin-config.ts';
import type { Finding, Rule } from '../../src/rules/rule.ts';
import { parseManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG, type TranslateConfig } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { INPUTS, SEED_002_SETUP, SEEDS, objectsFrom, yamlObjects } from '../helpers.ts';

const ALL_RULES: readonly Rule[] = PLUGIN_CONFIG_RULES;

function run(objects: K8sObject[], rules: readonly Rule[] = ALL_RULES, kong: Partial<TranslateConfig> = {}, policy: Policy = DEFAULT_POLICY): Finding[] {
  const store = new Store(objects);
  return judge(new Translator(store, { ...DEFAULT_TRANSLATE_CONFIG, ...kong }), policy, everything([...store.all()].map(keyOf)), { rules });
}
const ENTERPRISE: Partial<TranslateConfig> = { kongEdition: 'enterprise' };

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
  { plugin: 'rate-limiting', config: { policy: 'local' }, field: 'config', mentions: ['at least one of config.second, config.minute'] },
  // DB-less Kong (kongDatabase: off, the default) has no cluster policy
  { plugin: 'rate-limiting', config: { minute: 5, policy: 'cluster' }, field: 'config.policy', mentions: ['"local" and "redis"', 'not "cluster"', 'expected one of: local, redis'] },
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
  // KIC's own example of a configuration Kong rejects (ingress-broken-plugin-fallback.yaml)
  { plugin: 'key-auth', config: { keys: ['my-key'] }, field: 'config.keys', mentions: ['unknown field', 'Kong 3.9.3 says: "config.keys: unknown field"'] },
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
  { plugin: 'file-log', config: { path: '/tmp/*.log' }, field: 'config.path', mentions: ['not a valid filename'] },
  // http-log
  { plugin: 'http-log', config: {}, field: 'config.http_endpoint', mentions: ['required'] },
  { plugin: 'http-log', config: { http_endpoint: 'http://log:8080', method: 'GET' }, field: 'config.method', mentions: ['"POST"'] },
  { plugin: 'http-log', config: { http_endpoint: 'http://log:8080', headers: { Host: 'x' } }, field: 'config.headers', mentions: ["cannot contain 'Host' header"] },
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
  // research §1.8: an empty list counts as unset, so allow: [] leaves neither
  { plugin: 'ip-restriction', config: { allow: [] }, field: 'config', mentions: ['an empty list counts as unset'] },
  // cors origins must compile as regexes (PCRE in Kong)
  { plugin: 'cors', config: { origins: ['https://(foo'] }, field: 'config.origins[0]', mentions: ['is not a valid regex'] },
  // ... with PCRE2's syntax, not JavaScript's: escapes PCRE2 refuses though JavaScript takes them
  { plugin: 'cors', config: { origins: ['https://example\\.com', 'https://\\japp\\.example\\.com'] }, field: 'config.origins[1]', mentions: ["'https://\\japp\\.example\\.com' is not a valid regex"] },
  { plugin: 'cors', config: { origins: ['https://\\u0061pp\\.example\\.com'] }, field: 'config.origins[0]', mentions: ['is not a valid regex'] },
  { plugin: 'cors', config: { origins: ['https://[\\w-.]+\\.example\\.com'] }, field: 'config.origins[0]', mentions: ['is not a valid regex'] },
  { plugin: 'bot-detection', config: { deny: ['curl\\i'] }, field: 'config.deny[0]', mentions: ['not a valid regex'] },
  // bundled plugins beyond the 23 the hand-written schemas covered
  { plugin: 'aws-lambda', config: { aws_region: 'us-east-1', function_name: 'f', aws_key: 'AKIA' }, field: 'config', mentions: ['config.aws_key and config.aws_secret go together'] },
  { plugin: 'opentelemetry', config: {}, field: 'config', mentions: ['config.traces_endpoint, config.logs_endpoint'] },
  { plugin: 'acme', config: { account_email: 'ops@example.com', tos_accepted: true, storage: 'kong' }, field: 'config.storage', mentions: ["can't be used with dbless mode"] },
  // kong/plugins/acme/schema.lua validate_namespace
  {
    plugin: 'acme',
    config: { account_email: 'ops@example.com', tos_accepted: true, storage: 'redis', storage_config: { redis: { host: 'redis', extra_options: { namespace: 'kong_acme:cert_key:a' } } } },
    field: 'config.storage_config.redis.extra_options.namespace',
    mentions: ["namespace can't be prefixed with reserved word: kong_acme:cert_key:"],
  },
  // kong/llm/schemas/init.lua: no statistics for anthropic completions
  {
    plugin: 'ai-proxy',
    config: { route_type: 'llm/v1/completions', auth: { header_name: 'x-api-key', header_value: 'k' }, logging: { log_statistics: true }, model: { provider: 'anthropic', name: 'claude-2.1', options: { anthropic_version: '2023-06-01' } } },
    field: 'config.logging.log_statistics',
    mentions: ['anthropic does not support statistics when route_type is llm/v1/completions'],
  },
  { plugin: 'datadog', config: { metrics: [{ name: 'request_count', stat_type: 'counter' }] }, field: 'config.metrics[0].sample_rate', mentions: ['required when config.metrics[0].stat_type is "counter"'] },
  // session
  { plugin: 'session', config: { cookie_same_site: 'strict' }, field: 'config.cookie_same_site', mentions: ['"Strict"'] },
  { plugin: 'session', config: { storage: 'redis' }, field: 'config.storage', mentions: ['"cookie"'] },
];

test('every bundled plugin is schema-checked, and the 23 of the old hand-written schemas have a denied case here', () => {
  assert.deepEqual(SCHEMA_PLUGINS, KONG_BUNDLED_PLUGINS);
  assert.equal(SCHEMA_PLUGINS.length, 45);
  const covered = new Set(INVALID.map((c) => c.plugin));
  for (const p of ['rate-limiting', 'key-auth', 'basic-auth', 'hmac-auth', 'jwt', 'acl', 'cors', 'request-termination', 'correlation-id', 'ip-restriction', 'proxy-cache', 'request-transformer', 'response-transformer', 'prometheus', 'file-log', 'http-log', 'tcp-log', 'udp-log', 'oauth2', 'bot-detection', 'request-size-limiting', 'response-ratelimiting', 'session']) {
    assert.ok(covered.has(p), `no denied case for ${p}`);
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
  ['key-auth', { key_names: ['apikey', 'x-api-key'], key_in_body: true, realm: 'api' }],
  // research §1.8: Kong accepts these (the hand-written schemas denied them)
  ['key-auth', { key_names: [] }],
  ['jwt', { maximum_expiration: 3600 }],
  ['acl', { allow: [], deny: ['blocked'] }],
  ['cors', { origins: {} }],
  ['basic-auth', { hide_credentials: true }],
  ['hmac-auth', { algorithms: ['hmac-sha256'], clock_skew: 300, enforce_headers: ['date'] }],
  ['jwt', { claims_to_verify: ['exp'], maximum_expiration: 3600, key_claim_name: 'iss' }],
  ['acl', { allow: ['admins'], hide_groups_header: true }],
  ['acl', { deny: ['blocked'] }],
  ['cors', { origins: ['https://example.com', '*'], methods: ['GET', 'POST'], max_age: 3600, credentials: true }],
  // PCRE2 syntax JavaScript's RegExp refuses: inline flags, possessive quantifiers, atomic groups, \Q..\E, POSIX classes
  ['cors', { origins: ['(?i)https://app\\.example\\.com', 'https://[a-z]++\\.example\\.com', 'https://(?>a|b)\\.example\\.com', 'https://\\Qexample.com\\E', 'https://[[:alnum:]]+\\.example\\.com'] }],
  ['bot-detection', { allow: ['(?i)my-monitor', '\\bcurl\\b'] }],
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
  ['session', { storage: 'kong', cookie_same_site: 'Lax', logout_methods: ['POST'], cookie_lifetime: 3600 }],
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

test('protocols outside what the plugin allows are denied, with a suggestion', () => {
  const bad = of(run([plugin('key-auth', undefined, { protocols: ['https', 'htps'] })]), 'plugin-config-invalid');
  assert.deepEqual(bad.map((f) => f.field), ['protocols[1]']);
  assert.match(bad[0]!.message, /"htps" \(did you mean "https"\?\)/);
  assert.match(bad[0]!.message, /Kong 3\.9\.3 says: "protocols\.2: expected one of: grpc, grpcs, http, https"/);
  // key-auth is an HTTP plugin: stream protocols are refused too.
  assert.deepEqual(of(run([plugin('key-auth', undefined, { protocols: ['tcp'] })]), 'plugin-config-invalid').map((f) => f.field), ['protocols[0]']);
  assert.deepEqual(run([plugin('key-auth', undefined, { protocols: ['http', 'https', 'grpc', 'grpcs'] })]), []);
  assert.deepEqual(run([plugin('ip-restriction', { allow: ['10.0.0.0/8'] }, { protocols: ['tcp', 'tls', 'udp', 'tls_passthrough'] })]), []);
});

test('ws and wss are Kong Enterprise protocols: denied on OSS (research §1.8), allowed with kongEdition: enterprise', () => {
  const ws = plugin('key-auth', undefined, { protocols: ['http', 'https', 'ws', 'wss'] });
  const oss = of(run([ws]), 'plugin-config-invalid');
  assert.deepEqual(oss.map((f) => f.field), ['protocols[2]', 'protocols[3]']);
  assert.match(oss[0]!.message, /ws and wss are Kong Enterprise protocols/);
  assert.deepEqual(run([ws], ALL_RULES, ENTERPRISE), []);
  // A custom or Enterprise plugin has no schema here: only Kong's list of protocols applies.
  const custom = of(run([plugin('openid-connect', undefined, { protocols: ['wss'] })]), 'plugin-config-invalid');
  assert.match(custom[0]!.message, /only Kong Enterprise knows/);
});

test('ordering is a Kong Enterprise field: denied on OSS; on Enterprise it must be before/after the access phase', () => {
  const oss = of(run([plugin('rate-limiting', { minute: 5 }, { ordering: { before: { access: ['key-auth'] } } })]), 'plugin-config-invalid');
  assert.deepEqual(oss.map((f) => f.field), ['ordering']);
  assert.match(oss[0]!.message, /Kong Enterprise feature/);
  assert.match(oss[0]!.fix, /kongEdition: enterprise/);
  const ee = (extra: Record<string, unknown>): string[] => of(run([plugin('key-auth', undefined, extra)], ALL_RULES, ENTERPRISE), 'plugin-config-invalid').map((f) => f.field!);
  assert.deepEqual(ee({ ordering: { before: { rewrite: ['rate-limiting'] } } }), ['ordering.before.rewrite']);
  assert.match(of(run([plugin('key-auth', undefined, { ordering: { before: { rewrite: ['x'] } } })], ALL_RULES, ENTERPRISE), 'plugin-config-invalid')[0]!.message, /only the "access" phase/);
  assert.deepEqual(ee({ ordering: { during: { access: ['acl'] } } }), ['ordering.during']);
  assert.deepEqual(ee({ ordering: { after: { access: 'acl' } } }), ['ordering.after.access']);
  assert.deepEqual(run([plugin('rate-limiting', { minute: 5 }, { ordering: { before: { access: ['key-auth'] }, after: { access: ['correlation-id'] } } })], ALL_RULES, ENTERPRISE), []);
});

test('kongDatabase: postgres accepts what only DB-less Kong refuses (rate-limiting policy cluster)', () => {
  const cluster = plugin('rate-limiting', { minute: 5, policy: 'cluster' });
  assert.equal(of(run([cluster]), 'plugin-config-invalid').length, 1);
  assert.deepEqual(run([cluster], ALL_RULES, { kongDatabase: 'postgres' }), []);
});

test('on Enterprise, of a bundled plugin\'s unknown fields only near-misses are denied (Enterprise adds fields)', () => {
  const eeField = plugin('acl', { allow: ['a'], include_consumer_groups: true });
  assert.equal(of(run([eeField]), 'plugin-config-invalid').length, 1);
  assert.deepEqual(run([eeField], ALL_RULES, ENTERPRISE), []);
  const typo = of(run([plugin('rate-limiting', { minutes: 5, minute: 5 })], ALL_RULES, ENTERPRISE), 'plugin-config-invalid');
  assert.deepEqual(typo.map((f) => f.field), ['config.minutes']);
});

test('on Enterprise, the fields and values Enterprise 3.9 adds to bundled plugins are known (src/kong/generated/enterprise-fields.ts)', () => {
  const eeOnly = [
    plugin('rate-limiting', { minute: 5, limit_by: 'consumer-group' }),
    plugin('oauth2', { enable_client_credentials: true, persistent_refresh_token: true }),
    plugin('pre-function', { access: ['kong.log.info(1)'], ws_close: ['kong.log.info(2)'] }),
    plugin('statsd', { metrics: [{ name: 'cache_datastore_hits_total', stat_type: 'counter', sample_rate: 1 }] }),
    plugin('ai-proxy', { route_type: 'llm/v1/chat', auth: { azure_use_managed_identity: true }, model: { provider: 'azure', name: 'gpt-4o', options: { azure_instance: 'i', azure_deployment_id: 'd' } } }),
  ];
  for (const p of eeOnly) {
    assert.ok(of(run([p]), 'plugin-config-invalid').length > 0, `${p.plugin as string}: OSS refuses it`);
    assert.deepEqual(of(run([p], ALL_RULES, ENTERPRISE), 'plugin-config-invalid'), [], `${p.plugin as string}: Enterprise accepts it`);
  }
  // What neither edition has stays an error: a value outside both enumerations, and the DB-less refusal of policy cluster.
  const notEe = of(run([plugin('rate-limiting', { minute: 5, limit_by: 'consumer-groups', policy: 'cluster' })], ALL_RULES, ENTERPRISE), 'plugin-config-invalid');
  assert.deepEqual(notEe.map((f) => f.field).sort(), ['config.limit_by', 'config.policy']);
});

test('each message carries a fix for its Kong error, with a suggestion where one fits', () => {
  const fixOf = (type: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}): string[] => of(run([plugin(type, config, extra)]), 'plugin-config-invalid').map((f) => f.fix ?? '');
  assert.deepEqual(fixOf('key-auth', { key_names: ['api key'] }), ['use only letters, digits, "-" and "_" in the header name at config.key_names[0] (for example "api-key").']);
  assert.match(fixOf('rate-limiting', { minute: 5, limit_by: 'path', path: 'api//v1' })[0]!, /start config.path with "\/" \("\/api\/\/v1"\)/);
  assert.deepEqual(fixOf('request-transformer', { add: { body: ['token'] } }), ['write config.add.body[0] as "token:<value>".']);
  assert.deepEqual(fixOf('rate-limiting', { minute: 5, sync_rate: 1 }), ['remove config.sync_rate (or set it to -1), or set config.policy to "redis".']);
  assert.match(fixOf('acme', { account_email: 'ops@example.com', tos_accepted: true, storage: 'redis', storage_config: { redis: { host: 'redis', extra_options: { namespace: 'kong_acme:renew_last_run' } } } })[0]!, /does not start with "kong_acme:renew_last_run"/);
  assert.match(fixOf('ai-proxy', { route_type: 'llm/v1/completions', auth: { header_name: 'x-api-key', header_value: 'k' }, logging: { log_statistics: true }, model: { provider: 'anthropic', name: 'c', options: { anthropic_version: 'v' } } })[0]!, /set config.logging.log_statistics to false/);
  // An Enterprise field on Kong OSS: named as such, not guessed as a typo of an OSS field.
  const ee = of(run([plugin('oauth2', { enable_client_credentials: true, persistent_refresh_token: true })]), 'plugin-config-invalid');
  assert.match(ee[0]!.message, /config.persistent_refresh_token is a Kong Gateway Enterprise field of the "oauth2" plugin/);
  assert.match(ee[0]!.fix!, /set kongEdition: enterprise/);
});

test('messages never echo a value Kong marks as a secret (referenceable or encrypted fields)', () => {
  const SECRET = 'Zq9-redis-password-7781';
  const found = run([plugin('rate-limiting', { minute: 5, policy: 'redis', redis_password: SECRET, redis: { host: 'r', password: 'other-secret-value' } })]);
  assert.ok(found.length > 0);
  for (const f of found) assert.ok(!JSON.stringify(f).includes(SECRET) && !JSON.stringify(f).includes('other-secret-value'), f.message);
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
  assert.deepEqual(run([plugin('my-company-auth', { anything: true })], PLUGIN_CONFIG_RULES, {}, policy), []);
  const typo = of(run([plugin('my-company-uath')], PLUGIN_CONFIG_RULES, {}, policy), 'unknown-plugin');
  assert.match(typo[0]!.message, /did you mean "my-company-auth"/);
});

const EE_NAMES = ['openid-connect', 'application-registration', 'statsd-advanced', 'rate-limiting-advanced', 'request-transformer-advanced', 'datakit', 'ai-mcp-proxy', 'ace', 'request-validator', 'canary', 'mtls-auth', 'key-auth-enc', 'opa', 'oauth2-introspection', 'jwt-signer', 'proxy-cache-advanced', 'response-transformer-advanced'];

test('unknown-plugin knows every bundled plugin; Enterprise plugins only with kongEdition: enterprise (their config unchecked)', () => {
  const objects = [...KONG_BUNDLED_PLUGINS, ...EE_NAMES].map((n) => ({ ...plugin(n), metadata: { name: `p-${n}`, namespace: 'default' } }));
  assert.deepEqual(run(objects, ALL_RULES, ENTERPRISE).filter((f) => f.rule === 'unknown-plugin'), []);
  const oss = of(run(objects), 'unknown-plugin');
  assert.deepEqual(oss.map((f) => f.object.name).sort(), EE_NAMES.map((n) => `p-${n}`).sort());
  for (const f of oss) {
    assert.match(f.message, /that Kong OSS does not have/);
    assert.match(f.message, /plugin '[a-z0-9-]+' not enabled/);
    assert.doesNotMatch(f.message, /did you mean/);
  }
  // On Enterprise an Enterprise plugin's config is not checked.
  assert.deepEqual(run([plugin('openid-connect', { issuer: 'https://idp.example.com', anything: 1 })], ALL_RULES, ENTERPRISE), []);
});

test('unknown-plugin never suggests acl for ace, a real (Konnect) plugin', () => {
  const ace = of(run([plugin('ace')]), 'unknown-plugin');
  assert.equal(ace.length, 1);
  assert.doesNotMatch(ace[0]!.message, /acl/);
  // A typo of an Enterprise plugin is still suggested.
  assert.match(of(run([plugin('rate-limiting-advnced')], ALL_RULES, ENTERPRISE), 'unknown-plugin')[0]!.message, /did you mean "rate-limiting-advanced"/);
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

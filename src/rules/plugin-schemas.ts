// JSON schemas for the `config` of Kong's bundled plugins, after Kong's `kong/plugins/<name>/schema.lua`
// (research/kic.md section 5). Plain objects, compiled once by plugin-config.ts.
//
// A false denial costs more than a miss, so:
// * `strict` plugins (additionalProperties: false) are the ones whose whole field list is small and stable
//   across Kong 3.x, OSS and Enterprise. The others list their known fields but accept unknown ones, except a
//   near-miss of a known field (`key_name` for `key_names`), which is almost certainly a typo Kong rejects.
// * Composite constraints (anyOf, oneOf, not, if/then) carry the sentence users read in `description` and the
//   field it is about in `x-field`; plugin-config.ts never shows ajv's own text.
// * What JSON schema cannot say well (limit order, IP syntax, URL user info) lives in `checks`.
import { isIP } from 'node:net';

export type JsonSchema = Record<string, unknown>;

export interface Problem {
  /** Path below `config`, e.g. `redis.host`; empty for the config itself. */
  path: string;
  message: string;
  /** What to do, lower-case, ending with a full stop. */
  fix?: string;
}

export interface PluginSchema {
  schema: JsonSchema;
  /** Unknown fields are denied (Kong: "unknown field"); otherwise only near-misses of known fields are. */
  strict: boolean;
  /** Cross-field rules JSON schema cannot express readably. */
  checks?: (config: Record<string, unknown>) => Problem[];
}

const str: JsonSchema = { type: 'string' };
const bool: JsonSchema = { type: 'boolean' };
const num: JsonSchema = { type: 'number' };
const int: JsonSchema = { type: 'integer' };
const strArr: JsonSchema = { type: 'array', items: str };
const port: JsonSchema = { type: 'integer', minimum: 0, maximum: 65535 };
const positive: JsonSchema = { type: 'number', exclusiveMinimum: 0 };
const enumOf = (...values: string[]): JsonSchema => ({ type: 'string', enum: values });
const setOf = (...values: string[]): JsonSchema => ({ type: 'array', items: enumOf(...values) });

function record(properties: Record<string, JsonSchema>, extra: JsonSchema = {}, closed = false): JsonSchema {
  return { type: 'object', properties, ...(closed ? { additionalProperties: false } : {}), ...extra };
}

/** `field` is required when `when` equals `value`. */
function requiredWhen(when: string, value: string, field: string): JsonSchema {
  return {
    description: `config.${field} is required when config.${when} is "${value}"`,
    'x-field': field,
    'x-fix': `set config.${field}, or change config.${when}.`,
    if: { properties: { [when]: { const: value } }, required: [when] },
    then: { required: [field] },
  };
}

function atLeastOne(fields: readonly string[], what = `at least one of ${fields.map((f) => `config.${f}`).join(', ')} must be set`, fix = `set ${fields.map((f) => `config.${f}`).join(' or ')}.`): JsonSchema {
  return { description: what, 'x-field': '', 'x-fix': fix, anyOf: fields.map((f) => ({ required: [f] })) };
}

function notTogether(a: string, others: readonly string[], why: string, fix: string): JsonSchema {
  return { description: why, 'x-field': a, 'x-fix': fix, not: { required: [a], anyOf: others.map((o) => ({ required: [o] })) } };
}

const PERIODS = ['second', 'minute', 'hour', 'day', 'month', 'year'] as const;

/** Kong's validate_periods_order: a longer period may not have a lower limit than a shorter one. */
function periodOrder(limits: Record<string, unknown>, prefix = ''): Problem[] {
  const problems: Problem[] = [];
  for (let i = 0; i < PERIODS.length; i++) {
    const lower = limits[PERIODS[i]!];
    if (typeof lower !== 'number') continue;
    for (let j = i + 1; j < PERIODS.length; j++) {
      const upper = limits[PERIODS[j]!];
      if (typeof upper === 'number' && upper < lower) {
        problems.push({
          fix: `raise the limit per ${PERIODS[j]} to at least ${lower}, or lower the one per ${PERIODS[i]}.`,
          path: `${prefix}${PERIODS[j]}`,
          message: `config.${prefix}${PERIODS[j]} (${upper}) is lower than config.${prefix}${PERIODS[i]} (${lower}): a longer period may not have a lower limit`,
        });
      }
    }
  }
  return problems;
}

// The Redis record shared by the rate-limiting plugins (kong.tools.redis.schema); Enterprise adds cluster and
// sentinel fields, so it stays open.
const redis = record({
  host: str, port, timeout: int, connect_timeout: int, send_timeout: int, read_timeout: int, username: str, password: str,
  database: int, ssl: bool, ssl_verify: bool, server_name: str, keepalive_pool_size: int, keepalive_backlog: int,
});

const redisShorthands: Record<string, JsonSchema> = {
  redis_host: str, redis_port: port, redis_password: str, redis_username: str, redis_ssl: bool, redis_ssl_verify: bool,
  redis_server_name: str, redis_timeout: num, redis_database: int,
};

const redisHostWhenRedis: JsonSchema = {
  description: 'config.redis.host is required when config.policy is "redis"',
  'x-field': 'redis.host',
  'x-fix': 'set config.redis.host, or use config.policy "local".',
  if: { properties: { policy: { const: 'redis' } }, required: ['policy'] },
  then: { anyOf: [{ required: ['redis_host'] }, { required: ['redis'], properties: { redis: { type: 'object', required: ['host'] } } }] },
};

const isRecordValue = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function ipEntries(config: Record<string, unknown>, field: string): Problem[] {
  const entries = config[field];
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry, i): Problem[] => {
    if (typeof entry !== 'string') return [];
    const [addr, bits, ...rest] = entry.split('/');
    const family = isIP(addr ?? '');
    const max = family === 4 ? 32 : 128;
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
    return family && okBits && rest.length === 0
      ? []
      : [{ path: `${field}[${i}]`, message: `config.${field}[${i}] is not an IP address or CIDR range`, fix: `write config.${field}[${i}] as an address (10.0.0.1) or a CIDR range (10.0.0.0/8).` }];
  });
}

const HTTP_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'];
const colonEntries: JsonSchema = { type: 'array', items: { type: 'string', pattern: '^[^:]+:', description: 'an entry "name:value"' } };
const logProtocols = { custom_fields_by_lua: { type: 'object' } };

export const PLUGIN_SCHEMAS: Record<string, PluginSchema> = {
  'rate-limiting': {
    strict: true,
    schema: record(
      {
        ...Object.fromEntries(PERIODS.map((p) => [p, positive])),
        limit_by: enumOf('consumer', 'credential', 'ip', 'service', 'header', 'path'),
        header_name: str,
        path: str,
        // DB-less Kong (KIC's default) also refuses "cluster"; with a database it is fine, so it is allowed here.
        policy: enumOf('local', 'cluster', 'redis'),
        fault_tolerant: bool,
        redis,
        hide_client_headers: bool,
        error_code: positive,
        error_message: str,
        sync_rate: num,
        ...redisShorthands,
      },
      {
        allOf: [
          atLeastOne(PERIODS, 'at least one limit must be set: config.second, minute, hour, day, month or year', 'set a limit, e.g. config.minute.'),
          requiredWhen('limit_by', 'header', 'header_name'),
          requiredWhen('limit_by', 'path', 'path'),
          redisHostWhenRedis,
        ],
      },
      true,
    ),
    checks(config) {
      const problems = periodOrder(config);
      const rate = config.sync_rate;
      if (typeof rate === 'number' && rate !== -1) {
        if (config.policy !== 'redis') problems.push({ path: 'sync_rate', message: 'config.sync_rate can only be used with config.policy "redis" (otherwise it must be -1)', fix: 'remove config.sync_rate, or use config.policy "redis".' });
        else if (rate < 0.02) problems.push({ path: 'sync_rate', message: 'config.sync_rate must be at least 0.02, or -1 for synchronous counters', fix: 'set config.sync_rate to -1 or to at least 0.02.' });
      }
      return problems;
    },
  },

  'response-ratelimiting': {
    strict: true,
    schema: record(
      {
        header_name: str,
        limit_by: enumOf('consumer', 'credential', 'ip'),
        policy: enumOf('local', 'cluster', 'redis'),
        fault_tolerant: bool,
        redis,
        ...redisShorthands,
        block_on_first_violation: bool,
        hide_client_headers: bool,
        limits: {
          type: 'object',
          minProperties: 1,
          additionalProperties: record(
            Object.fromEntries(PERIODS.map((p) => [p, positive])),
            { allOf: [atLeastOne(PERIODS, 'each entry of config.limits needs at least one of second, minute, hour, day, month or year', 'give the entry a limit, e.g. minute.')] },
            true,
          ),
        },
      },
      { required: ['limits'], allOf: [redisHostWhenRedis] },
      true,
    ),
    checks(config) {
      if (!isRecordValue(config.limits)) return [];
      return Object.entries(config.limits).flatMap(([name, limits]) => (isRecordValue(limits) ? periodOrder(limits, `limits.${name}.`) : []));
    },
  },

  'key-auth': {
    strict: false,
    schema: record({
      key_names: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
      hide_credentials: bool,
      anonymous: str,
      key_in_header: bool,
      key_in_query: bool,
      key_in_body: bool,
      run_on_preflight: bool,
      realm: str,
    }),
  },

  'basic-auth': {
    strict: false,
    schema: record({ anonymous: str, hide_credentials: bool, realm: str }),
  },

  'hmac-auth': {
    strict: false,
    schema: record({
      hide_credentials: bool,
      clock_skew: positive,
      anonymous: str,
      validate_request_body: bool,
      enforce_headers: strArr,
      algorithms: setOf('hmac-sha1', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512'),
      realm: str,
    }),
  },

  jwt: {
    strict: true,
    schema: record(
      {
        uri_param_names: strArr,
        cookie_names: strArr,
        header_names: strArr,
        key_claim_name: str,
        secret_is_base64: bool,
        claims_to_verify: setOf('exp', 'nbf'),
        anonymous: str,
        run_on_preflight: bool,
        maximum_expiration: { type: 'number', minimum: 0, maximum: 31536000 },
        realm: str,
      },
      {
        allOf: [
          {
            description: 'config.maximum_expiration needs "exp" in config.claims_to_verify',
            'x-field': 'claims_to_verify',
            'x-fix': 'add "exp" to config.claims_to_verify, or set config.maximum_expiration to 0.',
            if: { properties: { maximum_expiration: { type: 'number', exclusiveMinimum: 0 } }, required: ['maximum_expiration'] },
            then: { required: ['claims_to_verify'], properties: { claims_to_verify: { type: 'array', contains: { const: 'exp' } } } },
          },
        ],
      },
      true,
    ),
  },

  acl: {
    strict: true,
    schema: record(
      { allow: strArr, deny: strArr, hide_groups_header: bool, always_use_authenticated_groups: bool, include_consumer_groups: bool },
      { allOf: [{ description: 'exactly one of config.allow and config.deny must be set', 'x-field': '', 'x-fix': 'set either config.allow or config.deny, not both.', oneOf: [{ required: ['allow'] }, { required: ['deny'] }] }] },
      true,
    ),
  },

  cors: {
    strict: true,
    schema: record(
      {
        origins: strArr,
        headers: strArr,
        exposed_headers: strArr,
        methods: setOf(...HTTP_METHODS),
        max_age: num,
        credentials: bool,
        private_network: bool,
        preflight_continue: bool,
        allow_origin_absent: bool,
      },
      {},
      true,
    ),
  },

  'request-termination': {
    strict: true,
    schema: record(
      {
        status_code: { type: 'integer', minimum: 100, maximum: 599 },
        message: str,
        content_type: str,
        body: str,
        echo: bool,
        trigger: str,
      },
      {
        allOf: [
          notTogether('message', ['content_type', 'body'], 'config.message cannot be used together with config.content_type or config.body', 'use config.message alone, or config.body with config.content_type.'),
          { description: 'config.content_type requires config.body', 'x-field': 'body', 'x-fix': 'add config.body, or remove config.content_type.', if: { required: ['content_type'] }, then: { required: ['body'] } },
          {
            description: 'config.echo cannot be used together with config.content_type or config.body',
            'x-field': 'echo',
            'x-fix': 'remove config.echo, or remove config.content_type and config.body.',
            not: { required: ['echo'], properties: { echo: { const: true } }, anyOf: [{ required: ['content_type'] }, { required: ['body'] }] },
          },
        ],
      },
      true,
    ),
  },

  'correlation-id': {
    strict: true,
    schema: record({ header_name: str, generator: enumOf('uuid', 'uuid#counter', 'tracker'), echo_downstream: bool }, {}, true),
  },

  'ip-restriction': {
    strict: true,
    schema: record(
      { allow: strArr, deny: strArr, status: num, message: str },
      { allOf: [atLeastOne(['allow', 'deny'])] },
      true,
    ),
    checks: (config) => [...ipEntries(config, 'allow'), ...ipEntries(config, 'deny')],
  },

  'proxy-cache': {
    strict: false,
    schema: record(
      {
        response_code: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 100, maximum: 900 } },
        request_method: setOf('HEAD', 'GET', 'POST', 'PATCH', 'PUT'),
        content_type: strArr,
        cache_ttl: positive,
        strategy: enumOf('memory'),
        cache_control: bool,
        ignore_uri_case: bool,
        storage_ttl: int,
        memory: record({ dictionary_name: str }),
        vary_query_params: strArr,
        vary_headers: strArr,
        response_headers: record({ age: bool, 'X-Cache-Status': bool, 'X-Cache-Key': bool }),
      },
      { required: ['strategy'] },
    ),
  },

  'request-transformer': {
    strict: true,
    schema: record(
      {
        http_method: { type: 'string', pattern: '^[A-Z]+$', description: 'an upper-case HTTP method' },
        remove: record({ body: strArr, headers: strArr, querystring: strArr }, {}, true),
        rename: record({ body: colonEntries, headers: colonEntries, querystring: colonEntries }, {}, true),
        replace: record({ body: colonEntries, headers: colonEntries, querystring: colonEntries, uri: str }, {}, true),
        add: record({ body: colonEntries, headers: colonEntries, querystring: colonEntries }, {}, true),
        append: record({ body: colonEntries, headers: colonEntries, querystring: colonEntries }, {}, true),
      },
      {},
      true,
    ),
  },

  'response-transformer': {
    strict: true,
    schema: record(
      {
        remove: record({ json: strArr, headers: strArr }),
        rename: record({ json: colonEntries, headers: colonEntries }),
        replace: record({ json: colonEntries, headers: colonEntries, json_types: setOf('boolean', 'number', 'string') }),
        add: record({ json: colonEntries, headers: colonEntries, json_types: setOf('boolean', 'number', 'string') }),
        append: record({ json: colonEntries, headers: colonEntries, json_types: setOf('boolean', 'number', 'string') }),
      },
      {},
      true,
    ),
  },

  prometheus: {
    strict: false,
    schema: record({
      per_consumer: bool,
      status_code_metrics: bool,
      latency_metrics: bool,
      bandwidth_metrics: bool,
      upstream_health_metrics: bool,
      ai_metrics: bool,
      wasm_metrics: bool,
    }),
  },

  'file-log': {
    strict: true,
    schema: record(
      {
        path: { type: 'string', pattern: '^[^*&%\\\\`]+$', description: 'a file name without *, &, %, \\ or `' },
        reopen: bool,
        ...logProtocols,
      },
      { required: ['path'] },
      true,
    ),
  },

  'http-log': {
    strict: false,
    schema: record(
      {
        http_endpoint: { type: 'string', pattern: '^https?://', description: 'an http:// or https:// URL' },
        method: enumOf('POST', 'PUT', 'PATCH'),
        content_type: enumOf('application/json', 'application/json; charset=utf-8'),
        timeout: num,
        keepalive: num,
        retry_count: int,
        queue_size: int,
        flush_timeout: num,
        headers: { type: 'object', additionalProperties: str },
        queue: { type: 'object' },
        ...logProtocols,
      },
      { required: ['http_endpoint'] },
    ),
    checks(config) {
      const problems: Problem[] = [];
      const headers = isRecordValue(config.headers) ? Object.keys(config.headers) : [];
      for (const h of headers) {
        if (/^(host|content-length|content-type)$/i.test(h)) {
          problems.push({ path: `headers.${h}`, message: `config.headers.${h} is not allowed: Kong sets ${h} itself`, fix: `remove ${h} from config.headers.` });
        }
      }
      const endpoint = typeof config.http_endpoint === 'string' ? config.http_endpoint : '';
      if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(endpoint) && headers.some((h) => h.toLowerCase() === 'authorization')) {
        problems.push({ path: 'headers.Authorization', message: 'config.headers.Authorization cannot be set when config.http_endpoint carries user info', fix: 'remove the user info from config.http_endpoint, or the Authorization header.' });
      }
      return problems;
    },
  },

  'tcp-log': {
    strict: true,
    schema: record(
      { host: { type: 'string', minLength: 1 }, port, timeout: num, keepalive: num, tls: bool, tls_sni: str, ...logProtocols },
      { required: ['host', 'port'] },
      true,
    ),
  },

  'udp-log': {
    strict: true,
    schema: record({ host: { type: 'string', minLength: 1 }, port, timeout: num, ...logProtocols }, { required: ['host', 'port'] }, true),
  },

  oauth2: {
    strict: false,
    schema: record(
      {
        scopes: strArr,
        mandatory_scope: bool,
        provision_key: str,
        token_expiration: num,
        enable_authorization_code: bool,
        enable_implicit_grant: bool,
        enable_client_credentials: bool,
        enable_password_grant: bool,
        hide_credentials: bool,
        accept_http_if_already_terminated: bool,
        anonymous: str,
        global_credentials: bool,
        auth_header_name: str,
        refresh_token_ttl: { type: 'number', minimum: 0, maximum: 100000000 },
        reuse_refresh_token: bool,
        persistent_refresh_token: bool,
        pkce: enumOf('none', 'lax', 'strict'),
        realm: str,
      },
      {
        allOf: [
          {
            description:
              'at least one grant must be enabled: config.enable_authorization_code, enable_implicit_grant, enable_client_credentials or enable_password_grant',
            'x-field': '',
            'x-fix': 'set one of the config.enable_* grants to true.',
            anyOf: ['enable_authorization_code', 'enable_implicit_grant', 'enable_client_credentials', 'enable_password_grant'].map((g) => ({
              required: [g],
              properties: { [g]: { const: true } },
            })),
          },
          {
            description: 'config.mandatory_scope needs at least one entry in config.scopes',
            'x-field': 'scopes',
            'x-fix': 'list the scopes in config.scopes, or set config.mandatory_scope to false.',
            if: { properties: { mandatory_scope: { const: true } }, required: ['mandatory_scope'] },
            then: { required: ['scopes'], properties: { scopes: { type: 'array', minItems: 1 } } },
          },
        ],
      },
    ),
  },

  'bot-detection': {
    strict: true,
    schema: record({ allow: strArr, deny: strArr }, {}, true),
  },

  'request-size-limiting': {
    strict: true,
    schema: record(
      { allowed_payload_size: int, size_unit: enumOf('megabytes', 'kilobytes', 'bytes'), require_content_length: bool },
      {},
      true,
    ),
  },

  session: {
    strict: false,
    schema: record({
      secret: str,
      storage: enumOf('cookie', 'kong'),
      audience: str,
      idling_timeout: num,
      rolling_timeout: num,
      absolute_timeout: num,
      stale_ttl: num,
      cookie_name: str,
      cookie_path: str,
      cookie_domain: str,
      cookie_same_site: enumOf('Strict', 'Lax', 'None', 'Default'),
      cookie_http_only: bool,
      cookie_secure: bool,
      remember: bool,
      remember_cookie_name: str,
      remember_rolling_timeout: num,
      remember_absolute_timeout: num,
      response_headers: setOf('id', 'audience', 'subject', 'timeout', 'idling-timeout', 'rolling-timeout', 'absolute-timeout'),
      request_headers: setOf('id', 'audience', 'subject', 'timeout', 'idling-timeout', 'rolling-timeout', 'absolute-timeout'),
      read_body_for_logout: bool,
      logout_methods: setOf('GET', 'POST', 'DELETE'),
      logout_query_arg: str,
      logout_post_arg: str,
      // Deprecated shorthands Kong 3.x still accepts.
      cookie_lifetime: num,
      cookie_idletime: num,
      cookie_renew: num,
      cookie_discard: num,
      cookie_samesite: str,
      cookie_httponly: bool,
      cookie_persistent: bool,
    }),
  },
};

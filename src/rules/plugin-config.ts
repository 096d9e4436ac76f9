// Plugin configuration rules: a KongPlugin's or KongClusterPlugin's own fields, judged alone (Kong's stage 3
// schema errors, KIC's stage 2 configFrom errors), plus the plugin name against what Kong ships.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { asArray, isRecord, refKey, type K8sObject } from '../model/object.ts';
import { isRedacted } from '../model/secret.ts';
import { pluginSecretRefs, pluginType } from '../model/views.ts';
import { PLUGIN_SCHEMAS, type JsonSchema, type Problem } from './plugin-schemas.ts';
import type { Draft, Rule } from './rule.ts';
import { plural, withArticle } from '../model/english.ts';
import { closest, didYouMean, name, quoteList } from './text.ts';

const PLUGIN_KINDS = ['KongPlugin', 'KongClusterPlugin'] as const;

/** Plugins bundled with Kong Gateway OSS 3.x (kong/constants.lua BUNDLED_PLUGINS). */
export const KONG_BUNDLED_PLUGINS: readonly string[] = [
  'acl', 'acme', 'ai-prompt-decorator', 'ai-prompt-guard', 'ai-prompt-template', 'ai-proxy', 'ai-request-transformer',
  'ai-response-transformer', 'aws-lambda', 'azure-functions', 'basic-auth', 'bot-detection', 'correlation-id', 'cors',
  'datadog', 'file-log', 'grpc-gateway', 'grpc-web', 'hmac-auth', 'http-log', 'ip-restriction', 'jwt', 'key-auth',
  'ldap-auth', 'loggly', 'oauth2', 'opentelemetry', 'post-function', 'pre-function', 'prometheus', 'proxy-cache',
  'rate-limiting', 'redirect', 'request-size-limiting', 'request-termination', 'request-transformer',
  'response-ratelimiting', 'response-transformer', 'session', 'standard-webhooks', 'statsd', 'syslog', 'tcp-log',
  'udp-log', 'zipkin',
];

/** Plugins Kong Gateway Enterprise (and Konnect) add; listed so that Enterprise users are never denied. */
export const KONG_ENTERPRISE_PLUGINS: readonly string[] = [
  'ai-aws-guardrails', 'ai-azure-content-safety', 'ai-prompt-compressor', 'ai-proxy-advanced', 'ai-rag-injector',
  'ai-rate-limiting-advanced', 'ai-request-transformer', 'ai-sanitizer', 'ai-semantic-cache', 'ai-semantic-prompt-guard',
  'app-dynamics', 'application-registration', 'canary', 'confluent', 'confluent-consume', 'degraphql', 'exit-transformer',
  'forward-proxy', 'graphql-proxy-cache-advanced', 'graphql-rate-limiting-advanced', 'header-cert-auth', 'injection-protection',
  'jq', 'json-threat-protection', 'jwe-decrypt', 'jwt-signer', 'kafka-consume', 'kafka-log', 'kafka-upstream', 'key-auth-enc',
  'konnect-application-auth', 'ldap-auth-advanced', 'mocking', 'mtls-auth', 'oas-validation', 'oauth2-introspection', 'opa',
  'openid-connect', 'proxy-cache-advanced', 'rate-limiting-advanced', 'redirect', 'request-callout', 'request-validator',
  'response-transformer-advanced', 'route-by-header', 'route-transformer-advanced', 'saml', 'service-protection',
  'solace-consume', 'solace-log', 'solace-upstream', 'statsd-advanced', 'tls-handshake-modifier', 'tls-metadata-headers',
  'upstream-oauth', 'upstream-timeout', 'vault-auth', 'websocket-size-limit', 'websocket-validator', 'xml-threat-protection',
];

/** Kong's protocols typedef: every value a plugin's `protocols` may hold. */
export const KONG_PROTOCOLS: readonly string[] = ['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls', 'udp', 'ws', 'wss', 'tls_passthrough'];

// ---------------------------------------------------------------- schema validation

const ajv = new Ajv({ allErrors: true, verbose: true });
ajv.addKeyword({ keyword: 'x-field', schemaType: 'string' });
ajv.addKeyword({ keyword: 'x-fix', schemaType: 'string' });

const VALIDATORS = new Map<string, { validate: ValidateFunction; strict: boolean; known: string[]; checks?: (c: Record<string, unknown>) => Problem[] }>(
  Object.entries(PLUGIN_SCHEMAS).map(([type, s]) => [
    type,
    { validate: ajv.compile(s.schema), strict: s.strict, known: Object.keys((s.schema.properties as JsonSchema | undefined) ?? {}), ...(s.checks ? { checks: s.checks } : {}) },
  ]),
);

/** The plugin types this module has a schema for. */
export const SCHEMA_PLUGINS: readonly string[] = [...VALIDATORS.keys()];

/** Kong treats a null field as unset, and so does KIC's JSON: drop them before validating. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

/** `/limits/video/minute` -> `limits.video.minute`; `/origins/0` -> `origins[0]`. */
function pathOf(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `["${seg}"]`;
  }
  return out;
}

const join = (path: string, child: string): string => (path && child ? `${path}.${child}` : path || child);
const field = (path: string): string => (path ? (path.startsWith('[') ? `config${path}` : `config.${path}`) : 'config');

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return withArticle(typeof value);
}

const ARTICLE: Record<string, string> = {
  string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean (true or false)', array: 'a list', object: 'an object',
};

/** Values are shown only where they are short enumeration mistakes; anything else may be a secret. */
function shown(value: unknown): string {
  return typeof value === 'string' && value.length <= 40 && !/\s{2,}/.test(value) ? `, not "${value}"` : '';
}

interface Found extends Problem {
  fix?: string;
}

function fromAjv(type: string, errors: readonly ErrorObject[]): Found[] {
  // Composite constraints speak for the errors below them.
  const composite = errors.filter((e) => ['anyOf', 'oneOf', 'not', 'if'].includes(e.keyword) && typeof e.parentSchema?.description === 'string');
  const covered = composite.map((e) => e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/') + 1));
  const typed = errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath);
  const found: Found[] = [];
  for (const e of errors) {
    const isComposite = composite.includes(e);
    if (!isComposite && covered.some((c) => e.schemaPath.startsWith(c))) continue;
    if (e.keyword !== 'type' && typed.some((t) => e.instancePath === t || e.instancePath.startsWith(`${t}/`))) continue;
    if (e.keyword === 'then' || e.keyword === 'else') continue;
    const path = pathOf(e.instancePath);
    const p = e.params as Record<string, unknown>;
    const schema = (e.parentSchema ?? {}) as JsonSchema;
    switch (e.keyword) {
      case 'anyOf':
      case 'oneOf':
      case 'not':
      case 'if': {
        if (!isComposite) {
          found.push({ path, message: `${field(path)} does not satisfy the "${type}" plugin's constraints` });
          break;
        }
        const at = typeof schema['x-field'] === 'string' ? join(path, schema['x-field'] as string) : path;
        const prefix = path && !String(schema.description).startsWith('config.') ? `${field(path)}: ` : '';
        found.push({ path: at, message: `${prefix}${String(schema.description)}`, ...(typeof schema['x-fix'] === 'string' ? { fix: schema['x-fix'] } : {}) });
        break;
      }
      case 'required': {
        const missing = join(path, String(p.missingProperty));
        found.push({ path: missing, message: `${field(missing)} is required`, fix: `set ${field(missing)}.` });
        break;
      }
      case 'additionalProperties': {
        const extra = join(path, String(p.additionalProperty));
        const fields = Object.keys((schema.properties as JsonSchema | undefined) ?? {});
        const guess = closest(String(p.additionalProperty), fields);
        found.push({
          path: extra,
          message: `${field(extra)} is an unknown field of the "${type}" plugin${guess ? ` (did you mean "${guess}"?)` : ''}`,
          fix: guess
            ? `rename ${field(extra)} to ${field(join(path, guess))}.`
            : `remove ${field(extra)}${fields.length <= 12 ? ` (the fields here are ${quoteList(fields)})` : ''}.`,
        });
        break;
      }
      case 'enum': {
        const allowed = (p.allowedValues as unknown[]).map(String);
        found.push({ path, message: `${field(path)} must be one of ${quoteList(allowed)}${shown(e.data)}`, fix: `set ${field(path)} to one of ${quoteList(allowed)}.` });
        break;
      }
      case 'const':
        found.push({ path, message: `${field(path)} must be ${JSON.stringify(p.allowedValue)}` });
        break;
      case 'type':
        found.push({ path, message: `${field(path)} must be ${ARTICLE[String(p.type)] ?? String(p.type)}, not ${typeName(e.data)}`, fix: `make ${field(path)} ${ARTICLE[String(p.type)] ?? String(p.type)}.` });
        break;
      case 'minimum':
        found.push({ path, message: `${field(path)} must be at least ${String(p.limit)}` });
        break;
      case 'maximum':
        found.push({ path, message: `${field(path)} must be at most ${String(p.limit)}` });
        break;
      case 'exclusiveMinimum':
        found.push({ path, message: `${field(path)} must be greater than ${String(p.limit)}` });
        break;
      case 'exclusiveMaximum':
        found.push({ path, message: `${field(path)} must be less than ${String(p.limit)}` });
        break;
      case 'minItems':
      case 'minProperties':
        found.push({ path, message: `${field(path)} needs at least ${plural(Number(p.limit), 'entry', 'entries')}` });
        break;
      case 'minLength':
        found.push({ path, message: Number(p.limit) === 1 ? `${field(path)} must not be empty` : `${field(path)} needs at least ${plural(Number(p.limit), 'character', 'characters')}` });
        break;
      case 'pattern':
        found.push({ path, message: `${field(path)} must be ${typeof schema.description === 'string' ? schema.description : 'in the format Kong expects'}` });
        break;
      default:
        found.push({ path, message: `${field(path)} is not valid for the "${type}" plugin` });
    }
  }
  return found;
}

/** Problems with a bundled plugin's `config`, or none for plugins without a schema here. */
export function configProblems(type: string, rawConfig: unknown): Found[] {
  const v = VALIDATORS.get(type);
  if (!v) return [];
  if (rawConfig !== undefined && rawConfig !== null && !isRecord(rawConfig)) {
    return [{ path: '', message: `config must be an object, not ${typeName(rawConfig)}` }];
  }
  const config = withoutNulls(rawConfig ?? {}) as Record<string, unknown>;
  const found = v.validate(config) ? [] : fromAjv(type, v.validate.errors ?? []);
  // A lenient schema accepts unknown top-level fields, except near-misses of known ones (typos Kong rejects).
  if (!v.strict) {
    for (const key of Object.keys(config)) {
      if (v.known.includes(key)) continue;
      const guess = closest(key, v.known);
      if (guess) {
        found.push({
          path: key,
          message: `${field(key)} is an unknown field of the "${type}" plugin (did you mean "${guess}"?)`,
          fix: `rename ${field(key)} to ${field(guess)}.`,
        });
      }
    }
  }
  // Custom checks read values ajv has vouched for only loosely; they ignore what has the wrong type.
  if (v.checks) found.push(...v.checks(config));
  const seen = new Set<string>();
  return found.filter((f) => (seen.has(f.message) ? false : (seen.add(f.message), true)));
}

function managed(ctx: { tr: { isManaged(o: K8sObject): boolean } }, subject: K8sObject): boolean {
  return ctx.tr.isManaged(subject);
}

const hasConfig = (obj: K8sObject): boolean => obj.config !== undefined && obj.config !== null;
const hasPatches = (obj: K8sObject): boolean => asArray(obj.configPatches).length > 0;

function protocolProblems(subject: K8sObject): Draft[] {
  if (subject.protocols === undefined || subject.protocols === null) return [];
  if (!Array.isArray(subject.protocols)) {
    return [{ field: 'protocols', discriminator: 'protocols', related: [], message: `${name(subject)}: protocols must be a list of protocols. Kong rejects the plugin.`, fix: `set protocols to a list of ${quoteList(KONG_PROTOCOLS)}.` }];
  }
  return subject.protocols.flatMap((p, i): Draft[] => {
    if (typeof p === 'string' && KONG_PROTOCOLS.includes(p)) return [];
    const value = typeof p === 'string' ? `"${p}"` : typeName(p);
    return [
      {
        field: `protocols[${i}]`,
        discriminator: `protocols[${i}]`,
        related: [],
        message: `${name(subject)} lists protocol ${value}${typeof p === 'string' ? didYouMean(p, KONG_PROTOCOLS) : ''}, which Kong does not know. Kong rejects the plugin.`,
        fix: `use only ${quoteList(KONG_PROTOCOLS)} in protocols.`,
      },
    ];
  });
}

function orderingProblems(subject: K8sObject): Draft[] {
  const ordering = subject.ordering;
  if (ordering === undefined || ordering === null) return [];
  const problems: { field: string; message: string }[] = [];
  if (!isRecord(ordering)) problems.push({ field: 'ordering', message: 'ordering must be an object with "before" and/or "after"' });
  else {
    for (const [when, phases] of Object.entries(ordering)) {
      if (when !== 'before' && when !== 'after') {
        problems.push({ field: `ordering.${when}`, message: `ordering.${when} is not valid: ordering takes "before" and "after"` });
        continue;
      }
      if (!isRecord(phases)) {
        problems.push({ field: `ordering.${when}`, message: `ordering.${when} must be an object keyed by phase ("access")` });
        continue;
      }
      for (const [phase, plugins] of Object.entries(phases)) {
        if (phase !== 'access') {
          problems.push({ field: `ordering.${when}.${phase}`, message: `ordering.${when}.${phase} names phase "${phase}"; Kong's dynamic ordering supports only the "access" phase` });
        } else if (!Array.isArray(plugins) || plugins.some((x) => typeof x !== 'string')) {
          problems.push({ field: `ordering.${when}.access`, message: `ordering.${when}.access must be a list of plugin names` });
        }
      }
    }
  }
  return problems.map((p) => ({
    field: p.field,
    discriminator: p.field,
    related: [],
    message: `${name(subject)}: ${p.message}. Kong rejects the plugin.`,
    fix: `write ordering as {before: {access: [plugin names]}} and/or {after: {access: [plugin names]}}.`,
  }));
}

export const pluginConfigInvalid: Rule = {
  id: 'plugin-config-invalid',
  kongRejects: true,
  severity: 'deny',
  summary: "A KongPlugin's or KongClusterPlugin's config, protocols or ordering violates Kong's schema for the plugin.",
  explanation:
    "Kong validates every plugin's config against the plugin's schema when KIC pushes the configuration: unknown fields, wrong types, values outside an enumeration or range, " +
    'and cross-field rules (rate-limiting needs at least one limit, acl takes exactly one of allow and deny, request-termination\'s message excludes body, ...). ' +
    "One invalid plugin makes Kong reject the whole push; with FallbackConfiguration KIC then excludes the plugin and every route, service and consumer that uses it. " +
    `The rule checks the bundled plugins ${quoteList(SCHEMA_PLUGINS)}; others are not schema-checked here. ` +
    'Where a schema may have grown fields in a newer or Enterprise Kong, only a near-miss of a known field is denied, never an unfamiliar one. ' +
    'It also denies `config` together with `configFrom` (or `configFrom` with `configPatches`), `protocols` outside Kong\'s list and an `ordering` other than before/after the access phase. ' +
    'A plugin configured from a Secret (`configFrom`) or patched from one (`configPatches`) is not schema-checked: its values are never read.',
  examples: {
    bad: `apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata:
  name: rate-limit
  namespace: default
plugin: rate-limiting
config:
  minutes: 100
  policy: local
`,
    good: `apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata:
  name: rate-limit
  namespace: default
plugin: rate-limiting
config:
  minute: 100
  policy: local
`,
  },
  kinds: PLUGIN_KINDS,
  check(ctx, subject) {
    if (!managed(ctx, subject)) return [];
    const type = pluginType(subject);
    const drafts: Draft[] = [];
    const fromSecret = isRecord(subject.configFrom);
    if (fromSecret && hasConfig(subject)) {
      drafts.push({
        field: 'configFrom',
        discriminator: 'config+configFrom',
        related: [],
        message: `${name(subject)} sets both config and configFrom: its configuration must come from one place, and KIC's CRD validation rejects the combination.`,
        fix: `remove config, or remove configFrom.`,
      });
    }
    if (fromSecret && hasPatches(subject)) {
      drafts.push({
        field: 'configPatches',
        discriminator: 'configFrom+configPatches',
        related: [],
        message: `${name(subject)} sets both configFrom and configPatches: patches apply to config only, and KIC's CRD validation rejects the combination.`,
        fix: `move the patched values into the configFrom Secret, or use config with configPatches.`,
      });
    }
    drafts.push(...protocolProblems(subject), ...orderingProblems(subject));
    if (type && !fromSecret && !hasPatches(subject)) {
      for (const p of configProblems(type, subject.config)) {
        drafts.push({
          field: field(p.path),
          discriminator: p.message,
          related: [],
          message: `${name(subject)} (plugin "${type}"): ${p.message}. Kong rejects the plugin's configuration (schema violation), and with it the whole configuration push.`,
          fix: p.fix ?? `correct ${field(p.path)} following the "${type}" plugin's configuration reference.`,
        });
      }
    }
    return drafts;
  },
};

const KNOWN_PLUGINS: readonly string[] = [...KONG_BUNDLED_PLUGINS, ...KONG_ENTERPRISE_PLUGINS];
const knownWith = new WeakMap<readonly string[], Set<string>>();

/** The plugins Kong runs: bundled, well-known Enterprise, and the operator's custom ones. */
function knownPlugins(customPlugins: readonly string[]): Set<string> {
  let known = knownWith.get(customPlugins);
  if (!known) knownWith.set(customPlugins, (known = new Set([...KNOWN_PLUGINS, ...customPlugins])));
  return known;
}

export const unknownPlugin: Rule = {
  id: 'unknown-plugin',
  kongRejects: true,
  severity: 'deny',
  summary: 'A KongPlugin or KongClusterPlugin names a plugin type that is neither bundled with Kong nor a declared custom plugin.',
  explanation:
    'Kong only runs plugins it has loaded (the bundled ones plus those listed in KONG_PLUGINS). A plugin of any other type makes Kong reject the configuration push ' +
    '("plugin \'x\' not enabled"), and KIC\'s fallback excludes the plugin and everything that uses it. Usually the name has a typo. ' +
    'Kong OSS 3.x and the well-known Enterprise plugins are known; list your own custom plugins under `customPlugins` in the ingress-guard configuration.',
  examples: {
    bad: `apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata:
  name: auth
  namespace: default
plugin: keyauth
`,
    good: `apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata:
  name: auth
  namespace: default
plugin: key-auth
`,
  },
  kinds: PLUGIN_KINDS,
  check(ctx, subject) {
    if (!managed(ctx, subject)) return [];
    const known = knownPlugins(ctx.settings.customPlugins);
    const type = pluginType(subject);
    if (type === undefined || known.has(type)) return [];
    const guess = closest(type, known);
    return [
      {
        field: 'plugin',
        related: [],
        message:
          `${name(subject)} uses plugin "${type}"${guess ? ` (did you mean "${guess}"?)` : ''}, which is not a plugin Kong ships nor a declared custom plugin. ` +
          `Kong rejects the configuration ("plugin '${type}' not enabled").`,
        fix: guess
          ? `set plugin to "${guess}"; or, if "${type}" is a custom plugin installed in Kong, add it to customPlugins in the ingress-guard configuration.`
          : `correct the plugin name; or, if "${type}" is a custom plugin installed in Kong, add it to customPlugins in the ingress-guard configuration.`,
      },
    ];
  },
};

/** A KongPlugin whose configuration comes from Secret default/rate-limit-config, key config. */
const CONFIG_FROM_EXAMPLE = `apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata:
  name: rate-limit
  namespace: default
plugin: rate-limiting
configFrom:
  secretKeyRef:
    name: rate-limit-config
    key: config
`;

export const pluginConfigSecretMissing: Rule = {
  id: 'plugin-config-secret-missing',
  severity: 'warn',
  dangling: true,
  summary: 'configFrom or configPatches names a Secret, or a key of a Secret, that does not exist.',
  explanation:
    'KIC reads a plugin\'s configuration (configFrom) or patches (configPatches) from a Secret in the plugin\'s namespace (KongClusterPlugins name the namespace). ' +
    'When the Secret or the key is missing, KIC records a translation failure and leaves the plugin out: every route, service or consumer using it runs without it. ' +
    'A warning by default, since `kubectl apply -f dir/` may create the Secret a moment later; `strict` turns it into a denial.',
  examples: {
    bad: CONFIG_FROM_EXAMPLE,
    good: `${CONFIG_FROM_EXAMPLE}---
apiVersion: v1
kind: Secret
metadata:
  name: rate-limit-config
  namespace: default
stringData:
  config: '{"minute": 100, "policy": "local"}'
`,
  },
  kinds: PLUGIN_KINDS,
  check(ctx, subject) {
    if (!managed(ctx, subject)) return [];
    return pluginSecretRefs(subject).flatMap((ref): Draft[] => {
      if (!ref.namespace) return [];
      const related = { group: '', kind: 'Secret', namespace: ref.namespace, name: ref.name };
      const secret = ctx.view.get(refKey(related));
      if (!secret) {
        return [
          {
            field: ref.field,
            discriminator: ref.field,
            related: [related],
            message:
              `${name(subject)} reads ${ref.field.startsWith('configFrom') ? 'its configuration' : 'a config patch'} from Secret ${ref.namespace}/${ref.name}, which does not exist. ` +
              `KIC reports a translation failure and leaves the plugin out, so what uses it runs without it.`,
            fix: `create the Secret, or correct ${ref.field}.name.`,
          },
        ];
      }
      if (ref.key === undefined || !isRedacted(secret) || ref.key in secret.facts.fields) return [];
      return [
        {
          field: `${ref.field}.key`,
          discriminator: ref.field,
          related: [related],
          message:
            `${name(subject)} reads key "${ref.key}" of Secret ${ref.namespace}/${ref.name}, which has no such key. ` +
            `KIC reports a translation failure and leaves the plugin out, so what uses it runs without it.`,
          fix: `add the key to the Secret, or correct ${ref.field}.key${Object.keys(secret.facts.fields).length ? ` (the Secret has ${quoteList(Object.keys(secret.facts.fields))})` : ''}.`,
        },
      ];
    });
  },
};

export const PLUGIN_CONFIG_RULES: readonly Rule[] = [pluginConfigInvalid, unknownPlugin, pluginConfigSecretMissing];

// Plugin configuration rules: a KongPlugin's or KongClusterPlugin's own fields, judged alone (Kong's stage 3
// schema errors, KIC's stage 2 configFrom errors), plus the plugin name against what Kong ships.
import { asArray, isRecord, refKey, setOwn, type K8sObject } from '../model/object.ts';
import { isRedacted } from '../model/secret.ts';
import { pluginSecretRefs, pluginType } from '../model/views.ts';
import { ENTERPRISE_PLUGINS } from '../kong/generated/enterprise-plugins.ts';
import { enterpriseAccepts } from '../kong/enterprise.ts';
import { BUNDLED_PLUGINS, KONG_PROTOCOLS as OSS_PROTOCOLS, KONG_SOURCE, pluginSchema, validatePlugin } from '../kong/plugins.ts';
import { describeKongErrors, valueAt } from './plugin-kong-errors.ts';
import type { Draft, Rule, RuleContext } from './rule.ts';
import { closest, didYouMean, IF_ENTERPRISE, name, quoteList } from './text.ts';

const PLUGIN_KINDS = ['KongPlugin', 'KongClusterPlugin'] as const;

/** Plugins bundled with Kong Gateway OSS (kong/constants.lua, from the generated schemas). */
export const KONG_BUNDLED_PLUGINS: readonly string[] = BUNDLED_PLUGINS;

/** Plugins Kong Inc. publishes beyond OSS (Enterprise, AI Gateway, Konnect), from Kong's documentation site. */
export const KONG_ENTERPRISE_PLUGINS: readonly string[] = ENTERPRISE_PLUGINS.map((p) => p.name);

/** Every protocol a plugin's `protocols` may hold: Kong OSS's, plus `ws` and `wss` on Enterprise. */
export const KONG_PROTOCOLS: readonly string[] = [...OSS_PROTOCOLS, 'ws', 'wss'];
const EE_PROTOCOLS = new Set(['ws', 'wss']);

/** The plugin types whose configuration is checked: every bundled one. */
export const SCHEMA_PLUGINS: readonly string[] = BUNDLED_PLUGINS;

const KONG = `Kong ${KONG_SOURCE.tag}`;

function kongSettings(ctx: RuleContext): { edition: 'oss' | 'enterprise'; database: 'off' | 'postgres' } {
  const c = ctx.tr.config as { kongEdition?: 'oss' | 'enterprise'; kongDatabase?: 'off' | 'postgres' };
  return { edition: c.kongEdition ?? 'oss', database: c.kongDatabase ?? 'off' };
}

function managed(ctx: { tr: { isManaged(o: K8sObject): boolean } }, subject: K8sObject): boolean {
  return ctx.tr.isManaged(subject);
}

const hasConfig = (obj: K8sObject): boolean => obj.config !== undefined && obj.config !== null;
const hasPatches = (obj: K8sObject): boolean => asArray(obj.configPatches).length > 0;

/** `protocols` of a plugin without a generated schema (Enterprise or custom): only Kong's list of protocols applies. */
function protocolProblems(subject: K8sObject, edition: 'oss' | 'enterprise'): Draft[] {
  const known = edition === 'enterprise' ? KONG_PROTOCOLS : OSS_PROTOCOLS;
  if (subject.protocols === undefined || subject.protocols === null) return [];
  if (!Array.isArray(subject.protocols)) {
    return [{ field: 'protocols', discriminator: 'protocols', related: [], message: `${name(subject)}: protocols must be a list of protocols. Kong rejects the plugin.`, fix: `set protocols to a list of ${quoteList(known)}.` }];
  }
  return subject.protocols.flatMap((p, i): Draft[] => {
    if (typeof p === 'string' && known.includes(p)) return [];
    const value = typeof p === 'string' ? `"${p}"` : `a ${p === null ? 'null' : typeof p}`;
    return [
      {
        field: `protocols[${i}]`,
        discriminator: `protocols[${i}]`,
        related: [],
        message: `${name(subject)} lists protocol ${value}${typeof p === 'string' ? didYouMean(p, known) : ''}, which ${edition === 'oss' && typeof p === 'string' && EE_PROTOCOLS.has(p) ? 'only Kong Enterprise knows' : 'Kong does not know'}. Kong rejects the plugin.`,
        fix: `use only ${quoteList(known)} in protocols.`,
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

/** What Kong's own validation says about a bundled plugin, as drafts. */
function kongProblems(
  subject: K8sObject,
  type: string,
  schema: NonNullable<ReturnType<typeof pluginSchema>>,
  edition: 'oss' | 'enterprise',
  database: 'off' | 'postgres',
  configElsewhere: boolean,
): Draft[] {
  const entity: Record<string, unknown> = {};
  if (subject.protocols !== undefined) entity.protocols = subject.protocols;
  // On Enterprise, ordering is judged by orderingProblems; Kong OSS has no such field.
  if (edition === 'oss' && subject.ordering !== undefined && subject.ordering !== null) entity.ordering = subject.ordering;
  if (!configElsewhere && subject.config !== undefined) entity.config = subject.config;
  const verdict = validatePlugin(type, entity, database);
  if (!verdict || verdict.valid) return [];
  let errors = Object.entries(verdict.errors);
  // A configuration from a Secret is not read: only what the KongPlugin itself holds is judged.
  if (configElsewhere) errors = errors.filter(([path]) => path === 'protocols' || path.startsWith('protocols.') || path === 'ordering');
  const drafts: Draft[] = [];
  const rest: Record<string, string[]> = {};
  for (const [path, messages] of errors) {
    if (path === 'ordering') {
      drafts.push({
        field: 'ordering',
        discriminator: 'ordering',
        related: [],
        message:
          `${name(subject)} (plugin "${type}") sets ordering: dynamic plugin ordering is a Kong Enterprise feature, and Kong OSS has no such field. ` +
          `Kong rejects the plugin's configuration, and with it the whole configuration push. Kong says: "ordering: unknown field".`,
        fix: `remove ordering; or, ${IF_ENTERPRISE}.`,
      });
      continue;
    }
    const kept = messages.filter((m) => {
      if (edition !== 'enterprise') return true;
      // Enterprise has ws/wss, and bundled plugins with more fields than OSS: deny only near-misses of known fields.
      if (path.startsWith('protocols.') && EE_PROTOCOLS.has(String((subject.protocols as unknown[] | undefined)?.[Number(path.split('.')[1]) - 1]))) return false;
      // Fields and values Enterprise adds to the plugin (its published schemas): known, not errors.
      if (enterpriseAccepts(type, path, m, valueAt(entity, path))) return false;
      return m !== 'unknown field' || describeKongErrors(type, schema, entity, { [path]: [m] })[0]!.message.includes('did you mean');
    });
    if (kept.length) setOwn(rest, path, kept);
  }
  for (const p of describeKongErrors(type, schema, entity, rest)) {
    const eeOnly = p.field.startsWith('protocols[') && /not "wss?"/.test(p.message) ? ' (ws and wss are Kong Enterprise protocols)' : '';
    drafts.push({
      field: p.field,
      discriminator: p.message,
      related: [],
      message:
        `${name(subject)} (plugin "${type}"): ${p.message}${eeOnly}. Kong rejects the plugin's configuration (schema violation), and with it the whole configuration push. ` +
        `${KONG} says: "${p.kong}".`,
      fix: p.fix,
    });
  }
  return drafts;
}

export const pluginConfigInvalid: Rule = {
  id: 'plugin-config-invalid',
  kongRejects: true,
  severity: 'deny',
  summary: "A KongPlugin's or KongClusterPlugin's config, protocols or ordering violates Kong's schema for the plugin.",
  explanation:
    `Kong validates every plugin when KIC pushes the configuration. ingress-guard runs Kong's own checks, generated from ${KONG}'s schemas ` +
    `(all ${BUNDLED_PLUGINS.length} bundled plugins; scripts/kong-schemas): unknown fields, wrong types, values outside an enumeration or range, Kong's patterns, ` +
    'and its cross-field rules (rate-limiting needs at least one limit, acl takes exactly one of allow and deny, an empty list counts as unset, ...), ' +
    'with defaults applied first, as Kong does. Messages quote what Kong would say. ' +
    "One invalid plugin makes Kong reject the whole push; with FallbackConfiguration KIC then excludes the plugin and every route, service and consumer that uses it. " +
    'Kong\'s answer depends on its setup: `kongDatabase: off` (DB-less, KIC\'s default) refuses rate-limiting\'s `policy: cluster`; `kongEdition: oss` (the default) refuses `ws`/`wss` protocols and `ordering` (Enterprise features). ' +
    'With `kongEdition: enterprise`, Enterprise plugins are not schema-checked; the fields and values Enterprise adds to bundled plugins (acl `include_consumer_groups`, rate-limiting `limit_by: consumer-group`, ... from its published 3.9 schemas) are accepted, ' +
    'and of other unknown fields only near-misses of known ones are denied. ' +
    'Lua code (pre-function, custom_fields_by_lua) and shared memory zones (proxy-cache, acme shm) are not checked. ' +
    'It also denies `config` together with `configFrom` (or `configFrom` with `configPatches`). ' +
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
    const { edition, database } = kongSettings(ctx);
    const schema = type ? pluginSchema(type, database) : undefined;
    if (!type || !schema) {
      // An Enterprise or custom plugin (unknown-plugin judges the name): its configuration is not checked here.
      drafts.push(...protocolProblems(subject, edition), ...(edition === 'enterprise' ? orderingProblems(subject) : []));
      return drafts;
    }
    if (edition === 'enterprise') drafts.push(...orderingProblems(subject));
    drafts.push(...kongProblems(subject, type, schema, edition, database, fromSecret || hasPatches(subject)));
    return drafts;
  },
};

const ENTERPRISE = new Map(ENTERPRISE_PLUGINS.map((p) => [p.name, p]));

/** Whether a plugin's first Kong version is past the last OSS release (worth saying: an Enterprise 3.9 lacks it too). */
function newerThanOss(version: string | null): boolean {
  return version !== null && version.localeCompare(KONG_SOURCE.tag, 'en', { numeric: true }) > 0 && !KONG_SOURCE.tag.startsWith(`${version}.`);
}

const knownWith = new WeakMap<readonly string[], { known: Set<string>; candidates: string[] }>();

/** The plugins this Kong runs (bundled and the operator's custom ones), and every name worth suggesting. */
function knownPlugins(customPlugins: readonly string[]): { known: Set<string>; candidates: string[] } {
  let entry = knownWith.get(customPlugins);
  if (!entry) {
    const known = new Set([...KONG_BUNDLED_PLUGINS, ...customPlugins]);
    knownWith.set(customPlugins, (entry = { known, candidates: [...known, ...KONG_ENTERPRISE_PLUGINS] }));
  }
  return entry;
}

export const unknownPlugin: Rule = {
  id: 'unknown-plugin',
  kongRejects: true,
  severity: 'deny',
  summary: 'A KongPlugin or KongClusterPlugin names a plugin type that the configured Kong does not have: not bundled, not Enterprise (with kongEdition: enterprise), not a declared custom plugin.',
  explanation:
    'Kong only runs plugins it has loaded (the bundled ones plus those listed in KONG_PLUGINS). A plugin of any other type makes Kong reject the configuration push ' +
    '("plugin \'x\' not enabled; add it to the \'plugins\' configuration property"), and KIC\'s fallback excludes the plugin and everything that uses it. Usually the name has a typo. ' +
    `Known: the ${KONG_BUNDLED_PLUGINS.length} plugins bundled with ${KONG} OSS, and, with \`kongEdition: enterprise\`, the ${KONG_ENTERPRISE_PLUGINS.length} plugins Kong Inc. ` +
    'publishes for Kong Gateway Enterprise, AI Gateway and Konnect (listed from Kong\'s documentation site; their configuration is not checked). ' +
    'On Kong OSS (the default) an Enterprise plugin is denied as not available. List your own custom plugins under `customPlugins` in the ingress-guard configuration.',
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
    const { known, candidates } = knownPlugins(ctx.settings.customPlugins);
    const type = pluginType(subject);
    if (type === undefined || known.has(type)) return [];
    const enterprise = ENTERPRISE.get(type);
    if (enterprise) {
      if (kongSettings(ctx).edition === 'enterprise') return [];
      const tier = enterprise.tier === 'ai_gateway_enterprise' ? 'a Kong AI Gateway (Enterprise) plugin' : enterprise.tier === 'enterprise' ? 'a Kong Gateway Enterprise plugin' : 'a Kong Konnect plugin';
      return [
        {
          field: 'plugin',
          related: [],
          message:
            `${name(subject)} uses plugin "${type}", ${tier}${newerThanOss(enterprise.minVersion) ? ` (Kong ${enterprise.minVersion} or later)` : ''} that Kong OSS does not have. ` +
            `Kong rejects the configuration ("plugin '${type}' not enabled; add it to the 'plugins' configuration property").`,
          fix: `run Kong Gateway Enterprise and set kongEdition: enterprise in the ingress-guard configuration; or use a bundled plugin instead.`,
        },
      ];
    }
    const guess = closest(type, candidates);
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

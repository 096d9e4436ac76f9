// KongCustomEntity rules: what KIC skips (a translation failure, nothing reaches Kong) and what Kong rejects.
import { customEntityView } from '../model/custom-entity.ts';
import { KIC_OWN_ENTITY_TYPES, KONG_OSS_ENTITY_TYPES, translateCustomEntity, type KongIds } from '../translate/custom-entities.ts';
import type { Translator } from '../translate/translator.ts';
import { consumer, KONG_BASE, kongPlugin } from './example-base.ts';
import type { Rule } from './rule.ts';
import { didYouMean, name } from './text.ts';

/** The rules judge which fields are set, never their IDs: any stable stand-in will do. */
const IDS: KongIds = { service: (n) => `service:${n}`, consumer: (u) => `consumer:${u}` };

const entity = (type: string, extra: string, fields = '{group: gold}') => `---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongCustomEntity
metadata: {name: gold-members, namespace: default}
spec:
  controllerName: kong
  type: ${type}
${extra}  fields: ${fields}
`;
const alice = consumer('alice', 'username: alice', 'konghq.com/plugins: limit');
const parentRef = (plugin: string) => `  parentRef: {group: configuration.konghq.com, kind: KongPlugin, name: ${plugin}}\n`;

/** What KIC builds itself, and what to use instead. */
const OWN_TYPE_FIX: Record<string, string> = {
  services: 'a Service behind an Ingress or a route',
  routes: 'an Ingress or an HTTPRoute',
  upstreams: 'a Service (and a KongUpstreamPolicy)',
  targets: 'a Service and its endpoints',
  consumers: 'a KongConsumer',
  consumer_groups: 'a KongConsumerGroup',
  plugins: 'a KongPlugin or KongClusterPlugin',
};

function translation(tr: Translator, subject: Parameters<typeof translateCustomEntity>[1]) {
  return tr.isManaged(subject) ? translateCustomEntity(tr, subject, IDS) : undefined;
}

export const invalidCustomEntity: Rule = {
  id: 'invalid-custom-entity',
  severity: 'deny',
  summary: "A KongCustomEntity KIC refuses: a type KIC builds itself (services, routes, plugins, ...), a type Kong OSS does not have, or fields that are not an object.",
  explanation:
    "KIC turns a KongCustomEntity of its class (spec.controllerName) into a Kong entity of spec.type. It refuses the types it builds from other " +
    'resources (services, routes, upstreams, targets, consumers, consumer_groups, plugins: customentity.go IsKnownEntityType), and reads every ' +
    "other type's schema from Kong: a type Kong does not have (judged for kongEdition: oss against Kong 3.9.3's entities, core and plugin ones) " +
    "makes its webhook refuse the object and its translator skip it. Either way nothing of the entity reaches Kong. With kongEdition: " +
    'enterprise the type is not judged (Enterprise entities such as degraphql_routes are not known here).',
  examples: {
    bad: KONG_BASE + entity('routes', ''),
    good: KONG_BASE + entity('acls', '', '{group: gold, consumer: {id: 8ba6a3f4-1d5b-4ad9-9d4c-9d2e7a1b0c11}}'),
  },
  kinds: ['KongCustomEntity'],
  check({ tr }, subject) {
    const t = translation(tr, subject);
    if (!t || !('skipped' in t)) return [];
    const s = t.skipped;
    switch (s.why) {
      case 'kic-own-type':
        return [
          {
            field: 'spec.type',
            related: [],
            message: `${name(subject)} has spec.type "${s.type}", an entity type KIC builds itself from other resources: KIC refuses it ("cannot use known entity type") and sends nothing of it to Kong.`,
            fix: `configure it through ${OWN_TYPE_FIX[s.type] ?? 'the resource KIC builds it from'}, or use the plugin entity type you meant.`,
          },
        ];
      case 'unknown-type':
        return [
          {
            field: 'spec.type',
            related: [],
            message:
              `${name(subject)} has spec.type "${s.type}", which is no entity type of Kong 3.9.3 OSS${didYouMean(s.type, [...KONG_OSS_ENTITY_TYPES].filter((t) => !KIC_OWN_ENTITY_TYPES.includes(t)))}. ` +
              'KIC cannot fetch its schema from Kong: its webhook refuses the object, its translator skips it, and nothing of it reaches Kong.',
            fix: 'correct spec.type; or, if Kong runs Kong Enterprise (whose plugins bring entities such as degraphql_routes), set kongEdition: enterprise in the ingress-guard configuration.',
          },
        ];
      case 'fields-not-object':
        return [
          {
            field: 'spec.fields',
            related: [],
            message: `${name(subject)} has a spec.fields that is not an object: KIC cannot read it as the entity's fields, refuses it and sends nothing of it to Kong.`,
            fix: 'write spec.fields as a mapping of the entity\'s fields.',
          },
        ];
      default:
        return [];
    }
  },
};

export const customEntityParentMissing: Rule = {
  id: 'custom-entity-parent-missing',
  severity: 'warn',
  dangling: true,
  summary: "A KongCustomEntity's spec.parentRef names a KongPlugin or KongClusterPlugin that does not exist, or one in another namespace without a ReferenceGrant: KIC skips the entity.",
  explanation:
    'spec.parentRef attaches a custom entity to the services, routes and consumers its plugin is attached to (KIC fills the entity\'s foreign ' +
    'fields with their IDs). KIC looks the plugin up first (customentity.go findCustomEntityRelatedPlugin): a plugin that does not exist, or a ' +
    'KongPlugin in another namespace without a ReferenceGrant there from KongCustomEntity, is a translation failure, and the entity is skipped. ' +
    'A warning: the plugin may be created by the same apply.',
  examples: {
    bad: KONG_BASE + alice + entity('acls', parentRef('limit')),
    good: KONG_BASE + alice + kongPlugin('limit', 'rate-limiting', 'config: {minute: 10, policy: local}') + entity('acls', parentRef('limit')),
  },
  kinds: ['KongCustomEntity'],
  check({ tr }, subject) {
    const t = translation(tr, subject);
    if (!t || !('skipped' in t)) return [];
    const s = t.skipped;
    if (s.why !== 'parent-missing' && s.why !== 'parent-not-granted') return [];
    const what =
      s.why === 'parent-missing'
        ? `names ${name(s.parent)}, which does not exist`
        : `names ${name(s.parent)} in another namespace, and no ReferenceGrant in ${s.parent.namespace} lets KongCustomEntities of ${subject.metadata.namespace} refer to KongPlugins there`;
    return [
      {
        field: 'spec.parentRef',
        related: [s.parent],
        message: `${name(subject)} spec.parentRef ${what}. KIC records a translation failure and skips the entity: nothing of it reaches Kong.`,
        fix: s.why === 'parent-missing' ? `create ${name(s.parent)} or correct spec.parentRef.` : `add a ReferenceGrant in ${s.parent.namespace} from configuration.konghq.com KongCustomEntity in ${subject.metadata.namespace} to configuration.konghq.com KongPlugin.`,
      },
    ];
  },
};

export const customEntityForeignMissing: Rule = {
  id: 'custom-entity-foreign-missing',
  severity: 'deny',
  kongRejects: true,
  summary: "A KongCustomEntity whose type requires a consumer (acls, key-auth and other credentials) that KIC cannot fill: its parentRef's plugin is attached to no consumer, and its fields give none. Kong rejects the configuration.",
  explanation:
    "KIC fills a custom entity's foreign fields (its schema's references to services, routes and consumers) from the entities the plugin in " +
    "spec.parentRef is attached to, one entity per combination (customentity.go findCustomEntityForeignFields). Without a parentRef, or with a " +
    "plugin no KongConsumer of the class references, the entity goes to Kong as written; for the Kong 3.9.3 types whose schema requires a consumer " +
    '(acls, basicauth_credentials, hmacauth_credentials, jwt_secrets, keyauth_credentials, oauth2_credentials) and whose fields carry none, ' +
    "Kong's schema refuses it and the whole configuration push fails.",
  examples: {
    bad: KONG_BASE + entity('acls', ''),
    good: KONG_BASE + alice + kongPlugin('limit', 'rate-limiting', 'config: {minute: 10, policy: local}') + entity('acls', parentRef('limit')),
  },
  kinds: ['KongCustomEntity'],
  check({ tr }, subject) {
    const t = translation(tr, subject);
    if (!t || 'skipped' in t || !t.unfilled.length) return [];
    const parent = customEntityView(subject).parent;
    const fields = t.unfilled.map((f) => `"${f.field}"`).join(', ');
    const why = parent
      ? `${name(parent)} (spec.parentRef) is attached to no ${t.unfilled.map((f) => f.reference.replace(/s$/, '')).join(' or ')} KIC translates`
      : 'it has no spec.parentRef';
    return [
      {
        field: 'spec.parentRef',
        related: parent ? [parent] : [],
        message:
          `${name(subject)} is an entity of type ${customEntityView(subject).type}, whose Kong schema requires ${fields}; KIC fills it only from what the parentRef's plugin ` +
          `is attached to, and ${why}, and spec.fields does not set it. Kong rejects the configuration containing the entity (a required field is missing).`,
        fix: `set spec.parentRef to a KongPlugin that the KongConsumers meant reference in konghq.com/plugins, or give ${fields} in spec.fields as {id: <the Kong consumer's ID>}.`,
      },
    ];
  },
};

export const CUSTOM_ENTITY_RULES: readonly Rule[] = [invalidCustomEntity, customEntityParentMissing, customEntityForeignMissing];

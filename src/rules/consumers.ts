// Consumer rules: identities and credentials Kong keeps unique, and the objects a consumer names.
import { keyOf, refKey, refOf, type K8sObject, type ObjectRef } from '../model/object.ts';
import { isRedacted } from '../model/secret.ts';
import { consumerView } from '../model/views.ts';
import type { IndexName } from '../state/indexes.ts';
import { INDEXES } from '../state/indexes.ts';
import { olderFirst, type StateView } from '../state/view.ts';
import type { Translator } from '../translate/translator.ts';
import type { Draft, Rule } from './rule.ts';
import { IF_ENTERPRISE, name } from './text.ts';
import { consumer, consumerGroup, keyAuthSecret, KONG_BASE } from './example-base.ts';

const KONG = 'configuration.konghq.com';

function secretRef(consumer: K8sObject, secret: string): ObjectRef {
  return { group: '', kind: 'Secret', namespace: consumer.metadata.namespace ?? '', name: secret };
}

/** Managed consumers, other than `subject`, that are older than it. The oldest keeps the identity. */
function olderManaged(tr: Translator, view: StateView, subject: K8sObject, others: K8sObject[]): K8sObject[] {
  const order = olderFirst(view, keyOf);
  return others.filter((o) => keyOf(o) !== keyOf(subject) && tr.isManaged(o) && order(o, subject) < 0).sort(order);
}

export const duplicateConsumerIdentity: Rule = {
  id: 'duplicate-consumer-identity',
  kongRejects: true,
  severity: 'deny',
  summary: 'Two KongConsumers share a username or a custom_id.',
  explanation:
    'Kong keeps consumer usernames and custom_ids unique across the whole gateway, whatever namespace the KongConsumers live in. ' +
    'A duplicate makes Kong reject the configuration; KIC\'s own webhook only checks usernames against a running Kong, on create.',
  examples: {
    bad: KONG_BASE + consumer('bob', 'username: bob') + consumer('bob-clone', 'username: bob'),
    good: KONG_BASE + consumer('bob', 'username: bob') + consumer('bob-clone', 'username: bob-clone'),
  },
  kinds: ['KongConsumer'],
  check({ tr, view }, subject) {
    if (!tr.isManaged(subject)) return [];
    const v = consumerView(subject);
    const fields: [string, string | undefined, IndexName][] = [
      ['username', v.username, 'consumerUsername'],
      ['custom_id', v.customId, 'consumerCustomId'],
    ];
    return fields.flatMap(([field, value, index]): Draft[] => {
      if (!value) return [];
      const holder = olderManaged(tr, view, subject, view.lookup(index, value))[0];
      if (!holder) return [];
      return [
        {
          field,
          discriminator: field,
          related: [refOf(holder)],
          message:
            `${name(subject)} sets ${field} "${value}", already used by ${name(holder)}. ` +
            `Kong keeps consumer ${field}s unique across all namespaces and rejects the configuration.`,
          fix: `choose another ${field}.`,
        },
      ];
    });
  },
};

/** The credential-index key of a consumer's credential Secret, if it has a unique field. */
function credentialKey(secret: K8sObject | undefined): string | undefined {
  return secret ? INDEXES.credential(secret)[0] : undefined;
}

export const duplicateCredential: Rule = {
  id: 'duplicate-credential',
  severity: 'deny',
  summary: 'Two consumers hold the same credential (key-auth key, basic-auth/hmac-auth username, jwt key, oauth2 client_id), or one consumer holds it twice.',
  explanation:
    'Kong keeps these credential fields unique. KIC detects the conflict at translation time and drops every conflicting consumer, so all of them stop authenticating; ' +
    'two credentials of one consumer with the same value conflict too. ' +
    'The message names the Secrets involved, never the credential value.',
  examples: {
    bad: KONG_BASE + keyAuthSecret('bob-key', 'same-key') + keyAuthSecret('alice-key', 'same-key') + consumer('bob', 'username: bob\ncredentials: [bob-key]') + consumer('alice', 'username: alice\ncredentials: [alice-key]'),
    good: KONG_BASE + keyAuthSecret('bob-key', 'bob-key-value') + keyAuthSecret('alice-key', 'alice-key-value') + consumer('bob', 'username: bob\ncredentials: [bob-key]') + consumer('alice', 'username: alice\ncredentials: [alice-key]'),
  },
  kinds: ['KongConsumer'],
  check({ tr, view }, subject) {
    if (!tr.isManaged(subject)) return [];
    const order = olderFirst(view, keyOf);
    return consumerView(subject).credentials.flatMap((secretName, i): Draft[] => {
      const secret = view.get(refKey(secretRef(subject, secretName)));
      const key = credentialKey(secret);
      // A Secret KIC does not take as a credential (no label, KIC 3.2+) conflicts with nothing.
      if (!secret || !key || !isRedacted(secret) || !tr.credentialType(secret)) return [];
      // Every (consumer, secret) pair holding the same credential, including other consumers of this very Secret.
      const holders: { consumer: K8sObject; secret: K8sObject }[] = [];
      for (const other of view.lookup('credential', key)) {
        if (!tr.credentialType(other)) continue;
        for (const c of view.lookup('dependants', keyOf(other))) {
          if (c.kind !== 'KongConsumer' || keyOf(c) === keyOf(subject) || !tr.isManaged(c)) continue;
          if (consumerView(c).credentials.includes(other.metadata.name) && c.metadata.namespace === other.metadata.namespace) holders.push({ consumer: c, secret: other });
        }
      }
      const type = tr.credentialType(secret)!;
      // The consumer's own earlier credential with the same unique value: KIC's conflict detector indexes every
      // credential of every consumer (kongstate/credentials_conflicts.go), so two in one consumer conflict too.
      const own = consumerView(subject).credentials.slice(0, i).find((n) => {
        const o = view.get(refKey(secretRef(subject, n)));
        return o !== undefined && credentialKey(o) === key && tr.credentialType(o) !== undefined;
      });
      if (own !== undefined) {
        return [
          {
            field: `credentials[${i}]`,
            discriminator: key.split(':')[0]! + ':' + secretName,
            related: own === secretName ? [] : [secretRef(subject, own)],
            message:
              `${name(subject)} ${own === secretName ? `lists ${name(secret)} twice` : `uses ${name(secret)} (credentials[${i}]), whose ${type} credential has the same unique value as its own ${own}`}. ` +
              `Kong keeps ${type} credentials unique; KIC drops the conflicting consumer, so it stops authenticating.`,
            fix: own === secretName ? `list ${secretName} once.` : `give ${name(secret)} its own value, or remove one of the two from credentials.`,
          },
        ];
      }
      const older = holders.filter((h) => order(h.consumer, subject) < 0).sort((a, b) => order(a.consumer, b.consumer));
      const holder = older[0];
      if (!holder) return [];
      const same = keyOf(holder.secret) === keyOf(secret);
      return [
        {
          field: `credentials[${i}]`,
          discriminator: key.split(':')[0]! + ':' + secretName,
          related: [refOf(holder.consumer), refOf(holder.secret)],
          message:
            `${name(subject)} uses ${name(secret)} (credentials[${i}]), whose ${type} credential ${same ? `is also listed by ${name(holder.consumer)}` : `has the same unique value as ${name(holder.secret)} of ${name(holder.consumer)}`}. ` +
            `Kong keeps ${type} credentials unique; KIC drops every conflicting consumer, so both stop authenticating.`,
          fix: `give ${name(secret)} its own value${same ? ', or remove it from one consumer' : ''}.`,
        },
      ];
    });
  },
};

export const missingCredentialSecret: Rule = {
  id: 'missing-credential-secret',
  severity: 'warn',
  dangling: true,
  summary: 'A KongConsumer lists a credential Secret that does not exist.',
  explanation:
    'KIC skips the credential and records a translation failure: the consumer cannot authenticate with it. ' +
    'A warning by default because Secret and consumer are often applied together (KIC #6480).',
  examples: {
    bad: KONG_BASE + consumer('bob', 'username: bob\ncredentials: [bob-key]'),
    good: KONG_BASE + keyAuthSecret('bob-key', 'bob-key-value') + consumer('bob', 'username: bob\ncredentials: [bob-key]'),
  },
  kinds: ['KongConsumer'],
  check({ tr, view, before }, subject) {
    if (!tr.isManaged(subject)) return [];
    return consumerView(subject).credentials.flatMap((secretName, i): Draft[] => {
      const ref = secretRef(subject, secretName);
      if (view.get(refKey(ref))) return [];
      const existed = before?.view.get(refKey(ref)) !== undefined;
      return [
        {
          field: `credentials[${i}]`,
          discriminator: secretName,
          related: [ref],
          message:
            `${name(subject)} lists credential Secret ${secretName} (credentials[${i}]), which does not exist${existed ? ' any more' : ''}. ` +
            `KIC skips the credential: requests presenting it are rejected (401).`,
          fix: `create the Secret or remove it from credentials.`,
        },
      ];
    });
  },
};

export const missingConsumerGroup: Rule = {
  id: 'missing-consumer-group',
  severity: 'warn',
  dangling: true,
  summary: 'A KongConsumer names a KongConsumerGroup that does not exist.',
  explanation: 'KIC resolves consumerGroups by name in the consumer\'s namespace and records a translation failure for a missing one; the consumer loses that group\'s plugins.',
  examples: {
    bad: KONG_BASE + consumer('bob', 'username: bob\nconsumerGroups: [gold]'),
    good: KONG_BASE + consumerGroup('gold') + consumer('bob', 'username: bob\nconsumerGroups: [gold]'),
  },
  kinds: ['KongConsumer'],
  check({ tr, view }, subject) {
    if (!tr.isManaged(subject)) return [];
    return consumerView(subject).consumerGroups.flatMap((group, i): Draft[] => {
      const ref = { group: KONG, kind: 'KongConsumerGroup', namespace: subject.metadata.namespace ?? '', name: group };
      if (view.get(refKey(ref))) return [];
      return [
        {
          field: `consumerGroups[${i}]`,
          discriminator: group,
          related: [ref],
          message:
            `${name(subject)} joins consumer group "${group}" (consumerGroups[${i}]), but ${name(ref)} does not exist. ` +
            `The consumer gets none of that group's plugins (rate limits, transformations).`,
          fix: `create the KongConsumerGroup or correct the name.`,
        },
      ];
    });
  },
};

export const consumerGroupNeedsEnterprise: Rule = {
  id: 'consumer-group-needs-enterprise',
  severity: 'deny',
  summary: 'A KongConsumerGroup while kongEdition is oss: Kong OSS has no consumer groups.',
  explanation:
    'Consumer groups are a Kong Gateway Enterprise feature: Kong OSS has no consumer_groups entity, and its plugins no consumer_group field. ' +
    'KIC\'s own webhook refuses a KongConsumerGroup when its Kong is not Enterprise ("consumer group support requires Kong Enterprise"), but its ' +
    'translator has no such check: it sends the group, its members and its plugins to Kong, and Kong OSS rejects the configuration ' +
    '("consumer_groups: unknown field"). With `kongEdition: enterprise` groups are allowed, and plugin-not-allowed-on-scope judges their plugins.',
  examples: {
    bad: KONG_BASE + consumerGroup('gold'),
    good: KONG_BASE + consumer('bob', 'username: bob'),
  },
  kinds: ['KongConsumerGroup'],
  check({ tr }, subject) {
    if (tr.config.kongEdition === 'enterprise' || !tr.isManaged(subject)) return [];
    return [
      {
        related: [],
        message:
          `${name(subject)} is a consumer group, and Kong OSS has none. KIC's own webhook refuses it ("consumer group support requires Kong Enterprise"); ` +
          `without that webhook KIC sends it to Kong with its members and plugins, and Kong rejects the configuration: "consumer_groups: unknown field".`,
        fix: `delete the KongConsumerGroup and put its plugins on the consumers, routes or services instead; or, ${IF_ENTERPRISE}.`,
      },
    ];
  },
};

export const CONSUMER_RULES: readonly Rule[] = [duplicateConsumerIdentity, duplicateCredential, missingCredentialSecret, missingConsumerGroup, consumerGroupNeedsEnterprise];

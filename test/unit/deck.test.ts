// Focused checks of translate --output deck pieces that the golden cases show only in passing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG } from '../../src/translate/config.ts';
import { goDurationMs, kicTags, pluginConfig, REDACTED, toDeck } from '../../src/translate/deck.ts';
import { translateAll } from '../../src/translate/kong-config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { redactSecret } from '../../src/model/secret.ts';
import type { K8sObject } from '../../src/model/object.ts';

const route: K8sObject = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'r', namespace: 'ns', annotations: { 'konghq.com/tags': 'k8s-name:r, team,team ,x' } },
};

test('GenerateTagsForObject: additional tags before the user tags; user tags deduplicated among themselves only', () => {
  assert.deepEqual(kicTags(route, ['k8s-named-route-rule:a']), [
    'k8s-name:r',
    'k8s-namespace:ns',
    'k8s-kind:HTTPRoute',
    'k8s-group:gateway.networking.k8s.io',
    'k8s-version:v1',
    'k8s-named-route-rule:a',
    'k8s-name:r',
    'team',
    'x',
  ]);
});

const secret = redactSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { conf: Buffer.from('{"minute":5}').toString('base64') } } as K8sObject);
const plugin = (extra: Record<string, unknown>): K8sObject => ({ apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name: 'p', namespace: 'ns' }, plugin: 'rate-limiting', ...extra });
const translator = new Translator(new Store([secret]), DEFAULT_TRANSLATE_CONFIG);
const ref = (key: string) => ({ secretKeyRef: { name: 's', key } });

test('configFrom: the whole config is the marker; a missing key, or config beside it, drops the plugin', () => {
  assert.equal(pluginConfig(translator, plugin({ configFrom: ref('conf') })), REDACTED);
  assert.equal(pluginConfig(translator, plugin({ configFrom: ref('other') })), undefined);
  assert.equal(pluginConfig(translator, plugin({ config: { minute: 1 }, configFrom: ref('conf') })), undefined);
});

test('configPatches: each value is the marker at its path, parents created; a missing Secret drops the plugin', () => {
  assert.deepEqual(pluginConfig(translator, plugin({ config: { minute: 1 }, configPatches: [{ path: '/redis/password', valueFrom: ref('conf') }] })), {
    minute: 1,
    redis: { password: REDACTED },
  });
  assert.deepEqual(pluginConfig(translator, plugin({ config: { l: ['a'] }, configPatches: [{ path: '/l/-', valueFrom: ref('conf') }] })), { l: ['a', REDACTED] });
  assert.equal(pluginConfig(translator, plugin({ configPatches: [{ path: '', valueFrom: ref('conf') }] })), REDACTED);
  assert.equal(pluginConfig(translator, plugin({ configPatches: [{ path: '/x', valueFrom: { secretKeyRef: { name: 'gone', key: 'conf' } } }] })), undefined);
});

test("Go's time.ParseDuration in milliseconds, as applyTimeoutToServiceFromHTTPRouteRule reads timeouts.backendRequest", () => {
  assert.equal(goDurationMs('2m30s'), 150000);
  assert.equal(goDurationMs('1h'), 3600000);
  assert.equal(goDurationMs('250ms'), 250);
  assert.equal(goDurationMs('0'), 0);
  assert.equal(goDurationMs('1.5s'), 1500);
  assert.equal(goDurationMs('10'), undefined);
  assert.equal(goDurationMs(''), undefined);
});

test('an empty configuration gets the stub upstream kong only for DB-less Kong (AppendStubEntityWhenConfigEmpty = InMemory)', () => {
  const empty = (kongDatabase: 'off' | 'postgres') => {
    const t = new Translator(new Store([]), { ...DEFAULT_TRANSLATE_CONFIG, kongDatabase });
    return toDeck(t, translateAll(t, new Store([])));
  };
  assert.deepEqual(empty('off'), { _format_version: '3.0', upstreams: [{ name: 'kong' }] });
  assert.deepEqual(empty('postgres'), { _format_version: '3.0' });
});

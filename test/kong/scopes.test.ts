// Where Kong allows a plugin: refusedScopes (src/kong/scopes.ts, read from the generated schemas) against Kong
// 3.9.3's own validator, which scoped every bundled plugin's minimal valid configuration to a consumer, a route,
// a service and a consumer group (test/fixtures/kong-oracle/scopes-dbless.json, scripts/kong-schemas/harness.lua).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BUNDLED_PLUGINS } from '../../src/kong/plugins.ts';
import { consumerGroupPlugins, refusedScopes } from '../../src/kong/scopes.ts';

interface Case {
  id: string;
  plugin: string;
  consumer?: boolean;
  route?: boolean;
  service?: boolean;
  consumer_group?: boolean;
  valid: boolean;
  errors: Record<string, string[]>;
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/kong-oracle/scopes-dbless.json', import.meta.url), 'utf8')) as { cases: Case[] };
const scopeOf = (c: Case): string => (['consumer', 'route', 'service', 'consumer_group'] as const).find((s) => c[s])!;

test('scopes: the oracle covers every bundled plugin on each scope', () => {
  assert.equal(fixture.cases.length, BUNDLED_PLUGINS.length * 4);
});

for (const c of fixture.cases) {
  const scope = scopeOf(c);
  test(`scopes: ${c.id} (Kong: ${c.valid ? 'accepted' : JSON.stringify(c.errors)})`, () => {
    if (scope === 'consumer_group') {
      // Kong OSS has no consumer groups at all: not a scope refusal but an unknown field.
      assert.deepEqual(c.errors, { consumer_group: ['unknown field'] });
      assert.ok(!refusedScopes(c.plugin, 'oss').some((r) => r.scope === 'consumer_group'));
      return;
    }
    const refused = refusedScopes(c.plugin, 'oss').some((r) => r.scope === scope && r.source === 'oss');
    assert.equal(refused, !c.valid, `refusedScopes says ${refused ? 'refused' : 'allowed'}`);
    if (!c.valid) assert.deepEqual(c.errors, { [scope]: ['value must be null'] });
  });
}

test('scopes: Enterprise consumer groups take the plugins its published schemas allow, OSS names included', () => {
  const allowed = consumerGroupPlugins();
  // research/kong-validation.md 2.2: of the OSS names, these may be scoped to a consumer group in Enterprise 3.9.
  for (const p of ['ai-prompt-decorator', 'ai-prompt-guard', 'ai-prompt-template', 'ai-proxy', 'ai-request-transformer', 'ai-response-transformer', 'ip-restriction', 'proxy-cache', 'rate-limiting', 'redirect', 'request-termination', 'request-transformer', 'response-transformer', 'standard-webhooks']) {
    assert.ok(allowed.includes(p), p);
    assert.ok(!refusedScopes(p, 'enterprise').some((r) => r.scope === 'consumer_group'), p);
  }
  for (const p of ['acl', 'key-auth', 'cors', 'prometheus', 'openid-connect']) {
    assert.deepEqual(refusedScopes(p, 'enterprise').filter((r) => r.scope === 'consumer_group'), [{ scope: 'consumer_group', source: 'enterprise' }], p);
  }
});

test('scopes: Enterprise plugins refused on consumers come from Enterprise data; custom plugins are refused nowhere', () => {
  assert.deepEqual(refusedScopes('openid-connect', 'oss'), [{ scope: 'consumer', source: 'enterprise' }]);
  assert.deepEqual(refusedScopes('rate-limiting-advanced', 'enterprise'), []);
  assert.deepEqual(refusedScopes('my-custom-plugin', 'enterprise'), []);
  assert.deepEqual(refusedScopes('toString', 'oss'), []);
});

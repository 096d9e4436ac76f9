// Kong's schema semantics in src/kong/validate.ts beyond the oracle fixtures: hostile keys and names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pluginSchema, validatePlugin } from '../../src/kong/plugins.ts';

test('a plugin named after an Object.prototype member is simply not bundled', () => {
  for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
    assert.equal(pluginSchema(name), undefined);
    assert.equal(validatePlugin(name, {}), undefined);
  }
});

test('config keys named after Object.prototype members are unknown fields, as in Kong', () => {
  const v = validatePlugin('cors', { config: JSON.parse('{"toString": 1, "__proto__": {"a": 1}, "constructor": 2}') });
  assert.deepEqual(Object.keys(v!.errors).sort(), ['config.__proto__', 'config.constructor', 'config.toString']);
  assert.deepEqual(v!.errors['config.__proto__'], ['unknown field']);
});

test('defaults are applied before entity checks: rate-limiting policy defaults to local, so sync_rate alone is refused', () => {
  assert.deepEqual(validatePlugin('rate-limiting', { config: { minute: 5, sync_rate: 1 } })!.errors, { config: ['sync_rate can only be used with the redis policy'] });
});

test('the database setting picks the schema Kong builds at start', () => {
  assert.equal(validatePlugin('rate-limiting', { config: { minute: 5, policy: 'cluster' } }, 'off')!.valid, false);
  assert.equal(validatePlugin('rate-limiting', { config: { minute: 5, policy: 'cluster' } }, 'postgres')!.valid, true);
});

test('the caller\'s object is never changed (defaults and shorthands go to a copy)', () => {
  const config = { minute: 5, policy: 'redis', redis_host: 'redis', limits: undefined, redis: { port: 6380 } };
  const before = JSON.stringify(config);
  validatePlugin('rate-limiting', { config });
  validatePlugin('response-ratelimiting', { config: { limits: { video: { minute: 1 } } } });
  assert.equal(JSON.stringify(config), before);
});

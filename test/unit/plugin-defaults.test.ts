// deckgen fillPlugin's defaults (go-kong fillConfigRecord, FillDefaults on, FillAuto off) on small schemas in the
// Admin API's shape, and on Kong 3.9.3's own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultProtocols, fillRecord, filledConfig } from '../../src/translate/plugin-defaults.ts';

const schema = {
  fields: [
    { mode: { type: 'string', default: 'fast', required: true } },
    { id: { type: 'string', auto: true } },
    { limit: { type: 'integer' } },
    { tags: { type: 'array', elements: { type: 'string' }, default: ['a'] } },
    { rules: { type: 'array', elements: { type: 'record', fields: [{ weight: { type: 'integer', default: 1 } }] }, default: [{ weight: 9 }] } },
    { backend: { type: 'record', required: true, fields: [{ host: { type: 'string' } }, { port: { type: 'integer', default: 6379 } }] } },
    { extra: { type: 'record', fields: [{ on: { type: 'boolean', default: false } }] } },
    { labels: { type: 'map', keys: { type: 'string' }, values: { type: 'string' } } },
  ],
  shorthand_fields: [{ backend_host: { type: 'string', deprecation: { replaced_with: [{ path: ['backend', 'host'] }] } } }],
};

test('absent fields take their default, else null; auto fields stay absent; an absent optional record is null', () => {
  assert.deepEqual(fillRecord(schema, {}), { mode: 'fast', limit: null, tags: ['a'], rules: [{ weight: 9 }], backend: { host: null, port: 6379 }, extra: null, labels: null });
});

test('set values stay, null and empty lists of scalars included; records and record elements are filled inside', () => {
  const out = fillRecord(schema, { mode: null, tags: [], rules: [{}, { weight: 3 }], extra: {}, labels: { k: 'v' } });
  assert.equal(out.mode, null);
  assert.deepEqual(out.tags, []);
  assert.deepEqual(out.rules, [{ weight: 1 }, { weight: 3 }]);
  assert.deepEqual(out.extra, { on: false });
  assert.deepEqual(out.labels, { k: 'v' });
});

test('an empty list of records is replaced by the default (go-kong falls through to it)', () => {
  assert.deepEqual(fillRecord(schema, { rules: [] }).rules, [{ weight: 9 }]);
});

test('a field a set shorthand writes to is not filled, the shorthand is kept', () => {
  const out = fillRecord(schema, { backend_host: 'redis' });
  assert.equal(out.backend_host, 'redis');
  assert.deepEqual(out.backend, { port: 6379 });
});

test('a record-level default wins over the field default', () => {
  const withDefault = { fields: [{ port: { type: 'integer', default: 1 } }], default: { port: 2 } };
  assert.deepEqual(fillRecord(withDefault, {}), { port: 2 });
});

test("Kong 3.9.3's schemas: rate-limiting's redis record and policy, protocols, plugins without a schema", () => {
  const rl = filledConfig('rate-limiting', { minute: 5, redis_host: 'r' }, 'off')!;
  assert.equal(rl.minute, 5);
  assert.equal(rl.policy, 'local');
  assert.equal(rl.redis_host, 'r');
  assert.ok(rl.redis && typeof rl.redis === 'object' && !('host' in rl.redis) && (rl.redis as Record<string, unknown>).port === 6379);
  assert.deepEqual(defaultProtocols('cors', 'off'), ['grpc', 'grpcs', 'http', 'https']);
  assert.deepEqual(defaultProtocols('ip-restriction', 'off'), ['http', 'https', 'tcp', 'tls', 'grpc', 'grpcs']);
  assert.equal(filledConfig('openid-connect', {}, 'off'), undefined);
  assert.equal(defaultProtocols('my-custom', 'off'), undefined);
});

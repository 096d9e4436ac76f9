// The README's curl example: examples/reviews against examples/cluster, through the real webhook.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook } from '../../src/server/webhook.ts';
import { Store } from '../../src/state/store.ts';
import { EXAMPLES, objectsFrom } from '../helpers.ts';
import { makeCa, makeServing } from './certs.ts';

test('README: examples/reviews/01-bob-drops-consumer-plugin.json is denied against examples/cluster, naming route-b', async () => {
  const store = new Store(await objectsFrom(join(EXAMPLES, 'cluster')));
  const app = buildWebhook({ getView: () => store, policy: DEFAULT_POLICY, tls: await makeServing(await makeCa()), logger: pino({ level: 'silent' }), metrics: createMetrics() });
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: readFileSync(join(EXAMPLES, 'reviews', '01-bob-drops-consumer-plugin.json')),
    });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json().response;
    assert.equal(r.allowed, false);
    assert.match(r.status.message, /^duplicate-plugin-scope: HTTPRoute default\/route-b/);
  } finally {
    await app.close();
  }
});

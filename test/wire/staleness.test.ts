// A webhook whose view of the cluster went stale still judges, and says so in every verdict's warnings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook } from '../../src/server/webhook.ts';
import { Store } from '../../src/state/store.ts';
import { objectsFrom, REVIEWS, SEED_002_SETUP } from '../helpers.ts';
import { makeCa, makeServing } from './certs.ts';
import { post } from './client.ts';

test('a stale view: the verdict is unchanged and carries the staleness warning; fresh again, no warning', async () => {
  const ca = await makeCa();
  const store = new Store(await objectsFrom(...SEED_002_SETUP));
  let stale: string | undefined = 'ingress-guard: its view of KongConsumer is 12 min old (no word from the API server): this verdict may miss recent changes.';
  const app = buildWebhook({ getView: () => store, policy: DEFAULT_POLICY, tls: await makeServing(ca), logger: pino({ level: 'silent' }), metrics: createMetrics(), staleness: () => stale });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  try {
    const review = readFileSync(join(REVIEWS, '13-update-kongconsumer-bob.json'), 'utf8');
    const staleAnswer = (await post(port, ca.cert, review)).json.response;
    assert.equal(staleAnswer.allowed, false, 'still judged');
    assert.deepEqual(staleAnswer.warnings, [stale]);
    stale = undefined;
    const freshAnswer = (await post(port, ca.cert, review)).json.response;
    assert.equal(freshAnswer.allowed, false);
    assert.equal(freshAnswer.warnings, undefined);
  } finally {
    await app.close();
  }
});

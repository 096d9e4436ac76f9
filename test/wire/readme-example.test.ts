// The README's curl example: examples/reviews against examples/cluster, through the real webhook.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook } from '../../src/server/webhook.ts';
import { WEBHOOK_NAME } from '../../src/deploy/webhook-config.ts';
import { Store } from '../../src/state/store.ts';
import { EXAMPLES, objectsFrom } from '../helpers.ts';
import { makeCa, makeServing } from './certs.ts';

/** The webhook's answer to the README's review, examples/reviews/01-bob-drops-consumer-plugin.json, against examples/cluster. */
async function answerToReadmeReview(): Promise<{ statusCode: number; body: string; response: any }> {
  const store = new Store(await objectsFrom(join(EXAMPLES, 'cluster')));
  const app = buildWebhook({ getView: () => store, policy: DEFAULT_POLICY, tls: await makeServing(await makeCa()), logger: pino({ level: 'silent' }), metrics: createMetrics() });
  try {
    const res = await app.inject({
      method: 'POST',
      url: '/validate',
      headers: { 'content-type': 'application/json' },
      payload: readFileSync(join(EXAMPLES, 'reviews', '01-bob-drops-consumer-plugin.json')),
    });
    return { statusCode: res.statusCode, body: res.body, response: res.json().response };
  } finally {
    await app.close();
  }
}

test('README: examples/reviews/01-bob-drops-consumer-plugin.json is denied against examples/cluster, naming route-b', async () => {
  const { statusCode, body, response: r } = await answerToReadmeReview();
  assert.equal(statusCode, 200, body);
  assert.equal(r.allowed, false);
  assert.match(r.status.message, /^duplicate-plugin-scope: HTTPRoute default\/route-b/);
});

test('README: the kubectl transcript is what kubectl 1.32 prints for this denial (reason, webhook name, message)', async () => {
  const { status } = (await answerToReadmeReview()).response as { status: { reason: string; message: string } };
  // kubectl's StandardErrorMessage: "Error from server (<reason>): " + the API server's webhook error, which is
  // `admission webhook "<name>" denied the request: <message>` (k8s.io/apiserver webhook errors.ToStatusErr).
  const expected = `Error from server (${status.reason}): admission webhook "${WEBHOOK_NAME}" denied the request: ${status.message}`;
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const transcript = /\$ kubectl annotate kongconsumer bob konghq\.com\/plugins-\n([\s\S]*?)\n```/.exec(readme)?.[1];
  assert.ok(transcript, 'the README has the kubectl annotate transcript');
  const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
  assert.equal(flat(transcript), flat(expected));
});

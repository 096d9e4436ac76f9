// While the problems report is being built in slices, the webhook keeps answering: each answer is the
// verdict it gets once the report is complete, plus a warning that the report is incomplete.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { generateCluster, workloads } from '../../bench/generate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { ProblemTracker } from '../../src/engine/problems.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook } from '../../src/server/webhook.ts';
import { Store } from '../../src/state/store.ts';
import { makeCa, makeServing } from './certs.ts';
import { post } from './client.ts';

test('reviews during a rebuild in slices are answered at once, with the incomplete-report warning and the final verdict', async () => {
  const ca = await makeCa();
  const cluster = generateCluster(3000);
  const store = new Store(cluster.objects);
  const tracker = new ProblemTracker(store, DEFAULT_POLICY, { deferred: true });
  const app = buildWebhook({ getView: () => store, policy: DEFAULT_POLICY, tls: await makeServing(ca), logger: pino({ level: 'silent' }), metrics: createMetrics(), knownFindings: () => tracker });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  try {
    const bodies = workloads(cluster).map((w) => JSON.stringify(w.review));
    const rebuilt = tracker.rebuildInSlices({ budgetMs: 5 });
    const during: { answer: { allowed: boolean; warnings?: string[]; status?: unknown }; rebuilding: boolean }[] = [];
    for (const body of bodies) {
      const answer = (await post(port, ca.cert, body)).json.response;
      during.push({ answer, rebuilding: tracker.rebuilding });
    }
    await rebuilt;
    assert.ok(during.some((d) => d.rebuilding), 'answered while the report was still being built');
    for (const [i, body] of bodies.entries()) {
      const after = (await post(port, ca.cert, body)).json.response;
      const { answer, rebuilding } = during[i]!;
      assert.equal(answer.allowed, after.allowed, body.slice(0, 200));
      if (!rebuilding) continue;
      const incomplete = answer.warnings?.pop();
      assert.match(incomplete ?? '', /problems report is being built/);
      assert.deepEqual(answer.warnings ?? [], after.warnings ?? []);
      assert.deepEqual(answer.status, after.status);
    }
  } finally {
    await app.close();
  }
});

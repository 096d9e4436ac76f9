// GET /debug/trace on the diagnostics port: the trace command's JSON from the server's state, over real HTTP.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { buildDiagnostics } from '../../src/server/diagnostics.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { Store } from '../../src/state/store.ts';
import { traceJson } from '../../src/trace/render.ts';
import { traceRequest } from '../../src/trace/trace.ts';
import { Translator } from '../../src/translate/translator.ts';
import { FIXTURES, objectsFrom } from '../helpers.ts';
import { get } from './client.ts';

describe('GET /debug/trace', () => {
  let complete = false;
  const store = new Store();
  const diagnostics = buildDiagnostics({
    metrics: createMetrics(),
    isReady: () => true,
    trace: (request) => (complete ? traceJson(traceRequest(new Translator(store, DEFAULT_POLICY.translate), request)) : undefined),
  });
  let port: number;

  before(async () => {
    for (const o of await objectsFrom(join(FIXTURES, 'trace', 'teams.yaml'))) store.upsert(o);
    await diagnostics.listen({ port: 0, host: '127.0.0.1' });
    port = (diagnostics.server.address() as { port: number }).port;
  });
  after(() => diagnostics.close());

  test('503 until the state is complete', async () => {
    const r = await get(port, '/debug/trace?url=http://shop.example.com/orders');
    assert.equal(r.status, 503);
  });

  test('the same JSON as the trace command: method and repeated headers from the query string', async () => {
    complete = true;
    const url = encodeURIComponent('http://shop.example.com/orders');
    const denied = JSON.parse((await get(port, `/debug/trace?url=${url}`)).text) as { outcome: { status: number }; route: { route: string } };
    assert.equal(denied.outcome.status, 401);
    assert.equal(denied.route.route, 'httproute.shop.orders.0.0');
    const ok = await get(port, `/debug/trace?url=${url}&method=GET&header=${encodeURIComponent('X-Api-Key: k')}&header=${encodeURIComponent('X-Other: 1')}`);
    assert.equal(ok.status, 200);
    assert.equal((JSON.parse(ok.text) as { outcome: { status: string } }).outcome.status, 'proxied');
    const miss = JSON.parse((await get(port, `/debug/trace?url=${encodeURIComponent('http://app.example.com/')}`)).text) as { outcome: { status: number }; unrouted: unknown[] };
    assert.equal(miss.outcome.status, 404);
    assert.equal(miss.unrouted.length, 1);
  });

  test('400 without a url, with a malformed header or a URL that is not one', async () => {
    assert.equal((await get(port, '/debug/trace')).status, 400);
    assert.equal((await get(port, `/debug/trace?url=http://a/&header=nocolon`)).status, 400);
    assert.equal((await get(port, `/debug/trace?url=notaurl`)).status, 400);
  });
});

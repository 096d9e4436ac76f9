// The state gauges: computed at scrape time from the informers' status and the store's size.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildDiagnostics } from '../../src/server/diagnostics.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import type { InformerStatus } from '../../src/state/informers.ts';
import { get } from './client.ts';

describe('state metrics on /metrics', () => {
  let now = 1_000_000;
  let objects = 7;
  let calls = 0;
  let statuses: InformerStatus[] = [
    { kind: 'Service', enabled: true, listed: true, synced: true, lastEventAt: now - 2500, silentRelists: 0, watchFailures: 3, listFailures: 0, relists: 1 },
    { kind: 'KongConsumer', enabled: true, listed: false, synced: false, reason: 'list failed: ECONNREFUSED', silentRelists: 0, watchFailures: 0, listFailures: 2, relists: 0 },
    { kind: 'HTTPRoute', enabled: false, listed: false, synced: false, reason: 'gateway.networking.k8s.io/v1 not served', silentRelists: 0, watchFailures: 0, listFailures: 0, relists: 0 },
  ];
  const metrics = createMetrics({
    informers: () => {
      calls++;
      return statuses;
    },
    stateObjects: () => objects,
    now: () => now,
  });
  const diagnostics = buildDiagnostics({ metrics, isReady: () => true });
  let port: number;

  before(async () => {
    await diagnostics.listen({ port: 0, host: '127.0.0.1' });
    port = (diagnostics.server.address() as { port: number }).port;
  });
  after(() => diagnostics.close());

  test('nothing is computed until a scrape', () => {
    assert.equal(calls, 0);
  });

  test('synced, enabled, last-event age per kind, and the store size', async () => {
    const text = (await get(port, '/metrics')).text;
    assert.match(text, /^# TYPE ingress_guard_informer_synced gauge$/m);
    assert.match(text, /^ingress_guard_informer_synced\{kind="Service"\} 1$/m);
    assert.match(text, /^ingress_guard_informer_synced\{kind="KongConsumer"\} 0$/m);
    assert.match(text, /^ingress_guard_informer_synced\{kind="HTTPRoute"\} 0$/m);
    assert.match(text, /^ingress_guard_informer_enabled\{kind="Service"\} 1$/m);
    assert.match(text, /^ingress_guard_informer_enabled\{kind="KongConsumer"\} 1$/m);
    assert.match(text, /^ingress_guard_informer_enabled\{kind="HTTPRoute"\} 0$/m);
    assert.match(text, /^ingress_guard_informer_last_event_age_seconds\{kind="Service"\} 2\.5$/m);
    assert.doesNotMatch(text, /ingress_guard_informer_last_event_age_seconds\{kind="(KongConsumer|HTTPRoute)"\}/, 'no age before a first event');
    assert.match(text, /^ingress_guard_state_objects 7$/m);
    assert.match(text, /^# TYPE ingress_guard_informer_watch_failures_total counter$/m);
    assert.match(text, /^ingress_guard_informer_watch_failures_total\{kind="Service"\} 3$/m);
    assert.match(text, /^ingress_guard_informer_list_failures_total\{kind="KongConsumer"\} 2$/m);
    assert.match(text, /^ingress_guard_informer_relists_total\{kind="Service"\} 1$/m);
    assert.match(text, /^ingress_guard_informer_relists_total\{kind="HTTPRoute"\} 0$/m);
  });

  test('each scrape reflects the state at that moment; series of kinds that changed do not linger', async () => {
    now += 10_000;
    objects = 9;
    statuses = [
      { kind: 'Service', enabled: true, listed: true, synced: true, lastEventAt: now - 500, silentRelists: 0, watchFailures: 3, listFailures: 0, relists: 1 },
      { kind: 'KongConsumer', enabled: true, listed: true, synced: true, lastEventAt: now, silentRelists: 0, watchFailures: 0, listFailures: 2, relists: 0 },
    ];
    const text = (await get(port, '/metrics')).text;
    assert.match(text, /^ingress_guard_informer_last_event_age_seconds\{kind="Service"\} 0\.5$/m);
    assert.match(text, /^ingress_guard_informer_last_event_age_seconds\{kind="KongConsumer"\} 0$/m);
    assert.match(text, /^ingress_guard_informer_synced\{kind="KongConsumer"\} 1$/m);
    assert.doesNotMatch(text, /kind="HTTPRoute"/);
    assert.match(text, /^ingress_guard_state_objects 9$/m);
  });
});

test('without informers (--state), no informer gauges; without a store, no state gauge', async () => {
  const snapshot = await createMetrics({ stateObjects: () => 3 }).registry.metrics();
  assert.match(snapshot, /^ingress_guard_state_objects 3$/m);
  assert.doesNotMatch(snapshot, /ingress_guard_informer_/);
  const bare = await createMetrics().registry.metrics();
  assert.doesNotMatch(bare, /ingress_guard_state_objects|ingress_guard_informer_/);
});

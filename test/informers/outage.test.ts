// Honest state after an API server outage: the informers against a fake API server that stops answering
// (connections refused), comes back answering the CRDs 503 for a while, and has compacted one kind's history.
// Checked: the per-kind metrics (synced, watch failures, relists), the verdicts' warnings naming the unwatched
// kinds, the denial with failClosedUnwatched, a reset of every kind's backoff once the server answers, and a
// 503 retried at the base delay. No timing assertions: every wait is a bounded poll for a condition.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { KINDS, kindInfo } from '../../src/model/kinds.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { createMetrics } from '../../src/server/metrics.ts';
import { buildWebhook, unwatchedWarning, type WebhookApp } from '../../src/server/webhook.ts';
import { startInformers, type InformerSet } from '../../src/state/informers.ts';
import { Store } from '../../src/state/store.ts';
import { serveSettings } from '../../src/cli/serve.ts';
import { objectsFrom, SEED_002_SETUP } from '../helpers.ts';
import { makeCa, makeServing, type TestCa } from '../wire/certs.ts';
import { post } from '../wire/client.ts';
import { FakeApiServer, kubeConfigFor, waitFor } from './fake-apiserver.ts';

const BASE_BACKOFF_MS = 20;
const SERVICES = '/api/v1/services';
const CRD_GROUPS = ['/apis/configuration.konghq.com/', '/apis/gateway.networking.k8s.io/'];
const isCrd = (path: string) => CRD_GROUPS.some((g) => path.startsWith(g));
const CRD_KINDS = KINDS.filter((k) => k.group === 'configuration.konghq.com' || k.group === 'gateway.networking.k8s.io').map((k) => k.kind).sort();
const ALL_KINDS = KINDS.map((k) => k.kind).sort();

function pathOf(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
  const info = kindInfo(group, o.kind)!;
  return group ? `/apis/${group}/${info.versions[0]}/${info.resource}` : `/api/${info.versions[0]}/${info.resource}`;
}

/** An AdmissionReview CREATE as the API server sends it. */
function createReview(uid: string, object: K8sObject, resource: string): string {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid,
      kind: { group, version, kind: object.kind },
      resource: { group, version, resource },
      requestKind: { group, version, kind: object.kind },
      namespace: object.metadata.namespace,
      name: object.metadata.name,
      operation: 'CREATE',
      userInfo: { username: 'dev' },
      object,
      oldObject: null,
      dryRun: false,
    },
  });
}

const NEW_PLUGIN = { apiVersion: 'configuration.konghq.com/v1', kind: 'KongPlugin', metadata: { name: 'add-request-id', namespace: 'default' }, plugin: 'correlation-id', config: { header_name: 'X-Request-ID' } } as K8sObject;
const NEW_SERVICE = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'other', namespace: 'default' }, spec: { ports: [{ port: 80 }] } } as K8sObject;

function sample(text: string, metric: string, kind: string): number | undefined {
  const m = new RegExp(`^${metric}\\{kind="${kind}"\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('an API server outage, a 503 phase, then recovery', () => {
  const fake = new FakeApiServer();
  const store = new Store();
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  let informers: InformerSet;
  let ca: TestCa;
  let open: WebhookApp;
  let closed: WebhookApp;
  const metrics = createMetrics({ informers: () => informers.status() });
  const scrape = () => metrics.registry.metrics();
  const review = async (app: WebhookApp, uid: string, object: K8sObject, resource: string) =>
    (await post((app.server.address() as { port: number }).port, ca.cert, createReview(uid, object, resource))).json.response as { allowed: boolean; status?: { message: string }; warnings?: string[] };
  const watchFailureLogs = (kind: string) => logs.filter((l) => l.msg === 'watch failed, reconnecting' && l.kind === kind);

  before(async () => {
    fake.notFound = () => false; // every kind served
    for (const o of await objectsFrom(...SEED_002_SETUP)) fake.seed(pathOf(o), [o as never]);
    await fake.listen();
    informers = await startInformers({ kubeConfig: kubeConfigFor(fake.url), store, logger, relistBackoffMs: BASE_BACKOFF_MS, missingKindRetryMs: 100 });
    ca = await makeCa();
    const tls = await makeServing(ca);
    const common = { getView: () => store, policy: DEFAULT_POLICY, tls, logger: pino({ level: 'silent' }), metrics: createMetrics(), unwatched: () => informers.unwatched() };
    open = buildWebhook(common);
    closed = buildWebhook({ ...common, metrics: createMetrics(), failClosedUnwatched: true });
    await open.listen({ port: 0, host: '127.0.0.1' });
    await closed.listen({ port: 0, host: '127.0.0.1' });
  });

  after(async () => {
    await informers?.stop();
    await open?.close();
    await closed?.close();
    await fake.close();
  });

  test('at first every kind is listed and watched: synced 1, no warning, changes judged', async () => {
    await waitFor(() => informers.status().every((s) => s.synced), 'every kind synced');
    const text = await scrape();
    for (const kind of ALL_KINDS) assert.equal(sample(text, 'ingress_guard_informer_synced', kind), 1, kind);
    assert.deepEqual(informers.unwatched(), []);
    const r = await review(closed, 'u0', NEW_PLUGIN, 'kongplugins');
    assert.equal(r.allowed, true);
    assert.equal(r.warnings, undefined);
  });

  test('the API server goes away: every kind unwatched (synced 0, failures counted), still listed; verdicts say so; fail-closed denies', async () => {
    const port = fake.port;
    await fake.close();
    await waitFor(() => informers.unwatched().length === ALL_KINDS.length, 'every kind unwatched');
    // Let the backoff grow: KongClusterPlugin has doubled its delay at least three times.
    await waitFor(() => watchFailureLogs('KongClusterPlugin').some((l) => (l.retryInMs as number) >= BASE_BACKOFF_MS * 8), 'backoff grown');
    assert.equal(informers.ready(), true, 'listed once: readiness stays (the failurePolicy would decide otherwise)');
    const text = await scrape();
    for (const kind of ALL_KINDS) {
      assert.equal(sample(text, 'ingress_guard_informer_synced', kind), 0, kind);
      assert.ok(sample(text, 'ingress_guard_informer_watch_failures_total', kind)! >= 1, kind);
    }
    assert.match(text, /^# TYPE ingress_guard_informer_watch_failures_total counter$/m);
    assert.ok(store.get('configuration.konghq.com/KongPlugin:default/rate-limit-base'), 'the view is kept, not emptied');

    const warned = await review(open, 'u1', NEW_PLUGIN, 'kongplugins');
    assert.equal(warned.allowed, true);
    assert.deepEqual(warned.warnings, [unwatchedWarning(ALL_KINDS.slice().sort((a, b) => KINDS.findIndex((k) => k.kind === a) - KINDS.findIndex((k) => k.kind === b)))]);
    assert.match(warned.warnings![0]!, /^ingress-guard: its watch of Ingress, IngressClass, Service(, [A-Za-z]+)* is down \(reconnecting to the API server\): this verdict may miss changes made since\.$/);

    const denied = await review(closed, 'u2', NEW_PLUGIN, 'kongplugins');
    assert.equal(denied.allowed, false);
    assert.match(denied.status!.message, /^ingress-guard: this change to KongPlugin default\/add-request-id is not judged: the webhook's watch of KongPlugin objects is down \(reconnecting to the API server\), so its view of them may be stale, and serve --fail-closed-unwatched denies changes to them until the watch is back\. Fix: retry in a few seconds\.$/);
    assert.equal(denied.warnings?.length, 1);

    // The restart: history of Services compacted (their watch must relist), and the CRDs answered 503.
    fake.expire(SERVICES, [...(await objectsFrom(...SEED_002_SETUP)).filter((o) => o.kind === 'Service'), NEW_SERVICE] as never);
    fake.unavailable = isCrd;
    await fake.listen(port);
  });

  test('back with CRDs answering 503: every waiting kind is woken at once, core kinds synced, 503s retried at the base delay', async () => {
    const before = logs.length;
    const core = ['Ingress', 'IngressClass', 'Service', 'EndpointSlice', 'Secret'];
    // Service's watch is answered 410 first (its history was compacted): synced only after the relist and a new watch.
    await waitFor(() => core.every((k) => informers.status().find((s) => s.kind === k)?.synced) && store.get('core/Service:default/other') !== undefined, 'core kinds watched again');
    const woken = logs.find((l) => l.msg === 'the API server answers again: retrying every waiting kind now');
    assert.ok(woken, 'the recovery woke the waiting kinds');
    // Which kinds were mid-wait at that moment depends on the scheduler; some were.
    assert.ok((woken.kinds as string[]).length > 0 && (woken.kinds as string[]).every((k) => (ALL_KINDS as string[]).includes(k)), JSON.stringify(woken.kinds));
    await waitFor(() => store.get('core/Service:default/other') !== undefined, 'the compacted kind relisted');
    // Each CRD kind has failed again with 503 since the restart; those waits are the base delay, not doubled.
    await waitFor(() => CRD_KINDS.every((k) => logs.slice(before).filter((l) => l.msg === 'watch failed, reconnecting' && l.kind === k).length >= 2), 'CRD watches failing with 503');
    const after503 = logs.slice(before).filter((l) => l.msg === 'watch failed, reconnecting' && CRD_KINDS.includes(l.kind as never));
    assert.ok(after503.every((l) => String(l.err).includes('Service Unavailable') && l.retryInMs === BASE_BACKOFF_MS), JSON.stringify(after503.slice(0, 3)));

    assert.deepEqual(informers.unwatched().sort(), CRD_KINDS);
    const text = await scrape();
    assert.equal(sample(text, 'ingress_guard_informer_synced', 'Service'), 1);
    assert.equal(sample(text, 'ingress_guard_informer_synced', 'KongClusterPlugin'), 0);
    assert.ok(sample(text, 'ingress_guard_informer_relists_total', 'Service')! >= 1);
    assert.equal(sample(text, 'ingress_guard_informer_relists_total', 'KongPlugin'), 0, 'resumed from its resourceVersion');

    // A Service change is judged (its kind is watched) and warned about the CRDs; a KongPlugin change is denied.
    const service = await review(closed, 'u3', NEW_SERVICE, 'services');
    assert.equal(service.allowed, true);
    assert.equal(service.warnings?.length, 1);
    const crdKinds = `(${CRD_KINDS.join('|')})`;
    assert.match(service.warnings![0]!, new RegExp(`^ingress-guard: its watch of ${crdKinds}(, ${crdKinds})* is down`));
    assert.doesNotMatch(service.warnings![0]!, /\b(Service|Ingress|Secret)\b/);
    assert.equal((await review(closed, 'u4', NEW_PLUGIN, 'kongplugins')).allowed, false);
  });

  test('then the CRDs answer 404 (a restarted API server that has not loaded them yet): the view is kept, retried at the base delay', async () => {
    const before = logs.length;
    fake.unavailable = () => false;
    fake.notFound = isCrd;
    const kept = (kind: string) => logs.slice(before).filter((l) => l.kind === kind && String(l.msg).includes('answered 404 (not served yet or removed), keeping the last view'));
    await waitFor(() => CRD_KINDS.every((k) => kept(k).length >= 1) && CRD_KINDS.every((k) => informers.status().find((s) => s.kind === k)!.listFailures >= 2), 'every CRD kind answered 404 and retried');
    assert.ok(CRD_KINDS.every((k) => kept(k).every((l) => l.retryInMs === BASE_BACKOFF_MS)));
    assert.ok(store.get('configuration.konghq.com/KongPlugin:default/rate-limit-base'), 'the KongPlugins are still in the view');
    assert.ok(informers.status().every((s) => s.enabled && s.listed), 'no kind disabled within the grace period');
    assert.deepEqual(informers.unwatched().sort(), CRD_KINDS);
    const r = await review(open, 'u6', NEW_PLUGIN, 'kongplugins');
    assert.equal(r.allowed, true);
    assert.doesNotMatch(JSON.stringify(r), /missing-plugin/, 'routes still find their plugins');
    assert.match(r.warnings![0]!, /its watch of .*KongPlugin.* is down/);
  });

  test('the CRDs answer again: every kind synced, no warning, the change judged and allowed', async () => {
    fake.unavailable = () => false;
    fake.notFound = () => false;
    await waitFor(() => informers.status().every((s) => s.synced), 'every kind synced again');
    const text = await scrape();
    for (const kind of ALL_KINDS) assert.equal(sample(text, 'ingress_guard_informer_synced', kind), 1, kind);
    assert.ok(sample(text, 'ingress_guard_informer_watch_failures_total', 'KongClusterPlugin')! >= 3);
    const r = await review(closed, 'u5', NEW_PLUGIN, 'kongplugins');
    assert.equal(r.allowed, true);
    assert.equal(r.warnings, undefined);
  });
});

test('--fail-closed-unwatched, or INGRESS_GUARD_FAIL_CLOSED_UNWATCHED, turns the denial on; off by default', () => {
  assert.equal(serveSettings([], {}).failClosedUnwatched, false);
  assert.equal(serveSettings(['--fail-closed-unwatched'], {}).failClosedUnwatched, true);
  assert.equal(serveSettings([], { INGRESS_GUARD_FAIL_CLOSED_UNWATCHED: 'true' }).failClosedUnwatched, true);
  assert.throws(() => serveSettings([], { INGRESS_GUARD_FAIL_CLOSED_UNWATCHED: 'maybe' }), /must be true or false/);
});

test('a kind that stays 404 past vanishedGraceMs counts as removed (its CRD deleted): its objects leave the view, the kind is disabled', async () => {
  const fake = new FakeApiServer();
  fake.notFound = () => false;
  for (const o of await objectsFrom(...SEED_002_SETUP)) fake.seed(pathOf(o), [o as never]);
  await fake.listen();
  const store = new Store();
  const informers = await startInformers({ kubeConfig: kubeConfigFor(fake.url), store, logger: pino({ level: 'silent' }), relistBackoffMs: BASE_BACKOFF_MS, missingKindRetryMs: 100, vanishedGraceMs: 200 });
  try {
    await waitFor(() => informers.status().every((s) => s.synced), 'every kind synced');
    assert.ok(store.get('configuration.konghq.com/KongPlugin:default/rate-limit-base'));
    fake.notFound = (path) => path.startsWith('/apis/configuration.konghq.com/v1/kongplugins');
    fake.dropWatches('/apis/configuration.konghq.com/v1/kongplugins');
    await waitFor(() => informers.status().find((s) => s.kind === 'KongPlugin')!.enabled === false, 'KongPlugin disabled after the grace period');
    assert.equal(store.get('configuration.konghq.com/KongPlugin:default/rate-limit-base'), undefined);
    assert.ok(store.get('configuration.konghq.com/KongConsumer:default/bob'), 'other kinds untouched');
  } finally {
    await informers.stop();
    await fake.close();
  }
});

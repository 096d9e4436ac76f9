// `serve --kubeconfig` end to end: the real process, its informers listing and watching a fake API server,
// readiness, reviews judged against the state the informers built, the state following watch events.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kindInfo } from '../../src/model/kinds.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { FakeApiServer, waitFor } from '../informers/fake-apiserver.ts';
import { objectsFrom, REVIEWS, SEED_002_SETUP } from '../helpers.ts';
import { makeCa, makeServing, tempDir, writePair, type TestCa } from './certs.ts';
import { get, post } from './client.ts';
import { eventually, serve, writeKubeconfig, type Spawned } from './spawn.ts';

const REVIEW_13 = readFileSync(join(REVIEWS, '13-update-kongconsumer-bob.json'), 'utf8');
const KONGCONSUMERS = '/apis/configuration.konghq.com/v1/kongconsumers';
const HTTPROUTES = '/apis/gateway.networking.k8s.io/v1/httproutes';
/** The Gateway API without ReferenceGrant (either version): that kind must end up disabled, not blocking. */
const notServed = (path: string): boolean => /^\/apis\/gateway\.networking\.k8s\.io\/v1(beta1)?\/referencegrants$/.test(path);

/** The path the informer lists first for this object's kind. */
function pathOf(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
  const info = kindInfo(group, o.kind);
  if (!info) throw new Error(`not an informed kind: ${o.kind}`);
  const version = info.versions[0]!;
  return group ? `/apis/${group}/${version}/${info.resource}` : `/api/${version}/${info.resource}`;
}

function sample(text: string, metric: string): number | undefined {
  const escaped = metric.replace(/[{}"]/g, (c) => `\\${c}`);
  const m = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('serve --kubeconfig against a fake API server', () => {
  const fake = new FakeApiServer();
  let objects: K8sObject[];
  let ca: TestCa;
  let proc: Spawned;
  let port: number;
  let diagnosticsPort: number;

  const metrics = async (): Promise<string> => (await get(diagnosticsPort, '/metrics')).text;
  const review13 = async () => (await post(port, ca.cert, REVIEW_13)).json.response as { allowed: boolean; status?: { message: string }; warnings?: string[] };

  before(async () => {
    objects = await objectsFrom(...SEED_002_SETUP);
    fake.notFound = notServed;
    for (const o of objects) fake.seed(pathOf(o), [o as never]);
    fake.hold(KONGCONSUMERS);
    await fake.listen();
    ca = await makeCa();
    const dir = tempDir();
    const { certFile, keyFile } = writePair(dir, await makeServing(ca));
    proc = serve(['--kubeconfig', writeKubeconfig(dir, fake.url), '--port', '0', '--diagnostics-port', '0', '--host', '127.0.0.1', '--tls-cert', certFile, '--tls-key', keyFile]);
    const listening = await proc.waitFor('listening');
    port = listening.port as number;
    diagnosticsPort = listening.diagnosticsPort as number;
  });

  after(async () => {
    proc?.kill('SIGKILL');
    await fake.close();
  });

  test('/readyz is 503 while one list is held, even with ReferenceGrant not served; 200 once it is released', async () => {
    // Everything but KongConsumer listed, and ReferenceGrant given up on (404 for both versions): the only
    // thing left blocking readiness is the held list.
    const held = await eventually(async () => {
      const r = await get(diagnosticsPort, '/readyz');
      return r.status === 503 && JSON.parse(r.text).reason === 'caches not synced: KongConsumer' ? r : undefined;
    }, 'readyz naming only KongConsumer');
    assert.equal(held.status, 503);
    const text = await metrics();
    assert.equal(sample(text, 'ingress_guard_informer_synced{kind="KongConsumer"}'), 0);
    assert.equal(sample(text, 'ingress_guard_informer_enabled{kind="KongConsumer"}'), 1);
    assert.equal(sample(text, 'ingress_guard_informer_enabled{kind="ReferenceGrant"}'), 0);
    assert.equal(sample(text, 'ingress_guard_informer_synced{kind="ReferenceGrant"}'), 0);
    assert.equal(sample(text, 'ingress_guard_informer_synced{kind="HTTPRoute"}'), 1);
    assert.equal(sample(text, 'ingress_guard_informer_last_event_age_seconds{kind="KongConsumer"}'), undefined, 'never listed yet');
    assert.equal(sample(text, 'ingress_guard_state_objects'), objects.length - 1, 'all but bob');

    fake.release(KONGCONSUMERS);
    await eventually(async () => ((await get(diagnosticsPort, '/readyz')).status === 200 ? true : undefined), 'readyz 200 after the release');
    // serve writes its log in batches, flushed within 200 ms (webhook.ts logDestination).
    await eventually(async () => (proc.lines.some((l) => typeof l.msg === 'string' && l.msg.startsWith('kind disabled: ReferenceGrant')) ? true : undefined), 'the "kind disabled: ReferenceGrant" log line');
  });

  test('/metrics: every served kind synced, ReferenceGrant disabled, the whole seed in the store', async () => {
    // Ready means listed; synced also means the watch is open, which may follow a moment later.
    await eventually(async () => {
      const text = await metrics();
      for (const kind of ['IngressClass', 'GatewayClass', 'Gateway', 'Service', 'HTTPRoute', 'KongPlugin', 'Secret', 'KongConsumer', 'EndpointSlice']) {
        assert.equal(sample(text, `ingress_guard_informer_synced{kind="${kind}"}`), 1, kind);
        const age = sample(text, `ingress_guard_informer_last_event_age_seconds{kind="${kind}"}`);
        assert.ok(age !== undefined && age >= 0 && age < 60, `${kind} age ${age}`);
      }
      assert.equal(sample(text, 'ingress_guard_informer_enabled{kind="ReferenceGrant"}'), 0);
      assert.equal(sample(text, 'ingress_guard_state_objects'), objects.length);
      return true;
    }, 'every served kind synced in /metrics');
  });

  test('captured review 13 is denied, naming HTTPRoute default/route-b: the state came from the informers', async () => {
    const r = await review13();
    assert.equal(r.allowed, false);
    assert.match(r.status?.message ?? '', /^duplicate-plugin-scope: /);
    assert.match(r.status?.message ?? '', /HTTPRoute default\/route-b/);
  });

  test('the state follows MODIFIED: once bob has lost his plugin in the cluster, the same review is allowed; restored, denied again', async () => {
    await proc.waitFor('problems report ready');
    const bob = objects.find((o) => o.kind === 'KongConsumer' && o.metadata.name === 'bob')!;
    const { 'konghq.com/plugins': _dropped, ...annotations } = bob.metadata.annotations ?? {};
    fake.emit(KONGCONSUMERS, 'MODIFIED', { ...bob, metadata: { ...bob.metadata, annotations } } as never);
    // The engine judges against the cluster as the informers see it, where bob already lacks the plugin:
    // the review's removal changes nothing and is allowed.
    await eventually(async () => ((await review13()).allowed ? true : undefined), 'review 13 allowed after bob was modified');
    // The problems report followed the event: KIC's fallback would now exclude rate-limit-consumer and route-b,
    // and backfilling would restore bob's last valid version (with the plugin).
    type Report = { status: string; brokenObjects?: { name: string }[]; excludedObjects?: { name: string }[]; backfilledObjects?: { name: string }[] };
    const report = JSON.parse((await get(diagnosticsPort, '/debug/config/problems')).text) as Report;
    assert.equal(report.status, 'triggered');
    assert.deepEqual(report.brokenObjects!.map((o) => o.name), ['rate-limit-consumer']);
    assert.deepEqual(report.excludedObjects!.map((o) => o.name).sort(), ['rate-limit-consumer', 'route-b']);
    assert.deepEqual(report.backfilledObjects!.map((o) => o.name).sort(), ['bob', 'rate-limit-consumer', 'route-b']);
    const text = await metrics();
    assert.equal(sample(text, 'ingress_guard_broken_objects{rule="duplicate-plugin-scope",kind="KongPlugin"}'), 1);
    assert.equal(sample(text, 'ingress_guard_excluded_objects'), 2);

    fake.emit(KONGCONSUMERS, 'MODIFIED', bob as never);
    await eventually(async () => ((await review13()).allowed ? undefined : true), 'review 13 denied again after bob was restored');
    assert.equal(JSON.parse((await get(diagnosticsPort, '/debug/config/problems')).text).status, 'not-triggered');
  });

  test('the state follows DELETED: without route-b, review 13 is allowed, and /debug/trace no longer finds it', async () => {
    const traced = async () => JSON.parse((await get(diagnosticsPort, '/debug/trace?url=http%3A%2F%2Fexample.com%2Froute-b')).text) as { route?: { route: string } };
    assert.match((await traced()).route?.route ?? '', /route-b/, 'before: route-b serves /route-b');
    const routeB = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'route-b')!;
    fake.emit(HTTPROUTES, 'DELETED', routeB as never);
    // /debug/trace keeps one translator while the state is unchanged: a change must give a fresh answer.
    await eventually(async () => (!/route-b/.test((await traced()).route?.route ?? '') ? true : undefined), 'trace without route-b');
    const r = await eventually(async () => {
      const r = await review13();
      return r.allowed ? r : undefined;
    }, 'review 13 allowed after route-b was deleted');
    assert.ok(!(r.warnings ?? []).some((w) => w.includes('route-b')), JSON.stringify(r.warnings));
    assert.equal(sample(await metrics(), 'ingress_guard_state_objects'), objects.length - 1);
  });

  test('SIGTERM: exits 0 and closes its watches', async () => {
    assert.ok(fake.openWatches > 0);
    proc.kill('SIGTERM');
    assert.equal(await proc.exit, 0, proc.stderr());
    assert.ok(proc.lines.some((l) => l.msg === 'stopped'));
    await waitFor(() => fake.openWatches === 0, 'watches closed by the stopped process');
  });
});

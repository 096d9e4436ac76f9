import assert from 'node:assert/strict';
import { KINDS } from '../../src/model/kinds.ts';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { SECRET_FIELD_SELECTOR } from '../../src/model/secret-selection.ts';
import { startInformers, type InformerSet } from '../../src/state/informers.ts';
import { Store } from '../../src/state/store.ts';
import { FakeApiServer, kubeConfigFor, waitFor } from './fake-apiserver.ts';

const SERVICES = '/api/v1/services';
const SECRETS = '/api/v1/secrets';
const INGRESSES = '/apis/networking.k8s.io/v1/ingresses';
const HTTPROUTES = '/apis/gateway.networking.k8s.io/v1/httproutes';
const GATEWAY_KINDS: string[] = KINDS.filter((k) => k.group === 'gateway.networking.k8s.io').map((k) => k.kind);

function logCapture(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line).msg) });
  return { logger, lines };
}

function service(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', managedFields: [{ manager: 'kubectl', operation: 'Apply' }] },
    spec: { ports: [{ port: 80 }] },
    ...extra,
  };
}

function secret(name: string, labels: Record<string, string>, type = 'Opaque') {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'default', labels },
    type,
    data: { key: Buffer.from('s3cr3t').toString('base64') },
  };
}

const svcKey = (name: string) => `core/Service:default/${name}`;
const secretKey = (name: string) => `core/Secret:default/${name}`;

describe('informers against a fake API server', () => {
  const fake = new FakeApiServer();
  const store = new Store();
  const { logger, lines } = logCapture();
  let informers: InformerSet;

  before(async () => {
    await fake.listen();
    fake.seed(SERVICES, [service('a'), service('b')]);
    fake.seed(INGRESSES, [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec: {} }]);
    fake.seed(SECRETS, [
      secret('cred', { 'konghq.com/credential': 'key-auth' }),
      secret('tls', {}, 'kubernetes.io/tls'),
      secret('both', { 'konghq.com/credential': 'key-auth' }, 'kubernetes.io/tls'),
      secret('unrelated', {}),
      secret('helm-release', {}, 'helm.sh/release.v1'),
    ]);
    fake.hold(SERVICES);
    informers = await startInformers({ kubeConfig: kubeConfigFor(fake.url), store, logger, relistBackoffMs: 20, missingKindRetryMs: 100 });
  });

  after(async () => {
    await informers?.stop();
    await fake.close();
  });

  test('not ready until every enabled informer has listed; missing Gateway API does not block', async () => {
    await waitFor(() => store.get('networking.k8s.io/Ingress:default/web') !== undefined, 'ingress listed');
    await waitFor(() => informers.status().filter((s) => GATEWAY_KINDS.includes(s.kind)).every((s) => !s.enabled), 'gateway kinds disabled');
    assert.equal(informers.ready(), false, 'services list is still held');
    assert.equal(informers.status().find((s) => s.kind === 'Service')?.synced, false);
    fake.release(SERVICES);
    await waitFor(() => informers.ready(), 'ready');
    assert.ok(store.get(svcKey('a')));
    for (const s of informers.status().filter((s) => GATEWAY_KINDS.includes(s.kind))) {
      assert.equal(s.enabled, false);
      assert.equal(s.synced, false);
      assert.match(s.reason ?? '', /^gateway\.networking\.k8s\.io\/v1(beta1|alpha2|alpha3)? not served$/);
    }
    // Ready means listed; synced also needs the watch that follows the list, which may still be connecting.
    await waitFor(() => informers.status().filter((s) => !GATEWAY_KINDS.includes(s.kind)).every((s) => s.enabled && s.synced && s.lastEventAt), 'every other kind listed and watched');
  });

  test('a missing kind is logged once, however often it is retried', async () => {
    const before = fake.requests.filter((r) => r.path === HTTPROUTES).length;
    await waitFor(() => fake.requests.filter((r) => r.path === HTTPROUTES).length >= before + 2, 'retries');
    const disabled = lines.filter((l) => l.startsWith('kind disabled: HTTPRoute'));
    assert.deepEqual(disabled, ['kind disabled: HTTPRoute (gateway.networking.k8s.io/v1 not served), retrying every 0.1s']);
  });

  test('the store follows ADDED, MODIFIED and DELETED', async () => {
    fake.emit(SERVICES, 'ADDED', service('c'));
    await waitFor(() => store.get(svcKey('c')) !== undefined, 'c added');
    fake.emit(SERVICES, 'MODIFIED', service('c', { spec: { ports: [{ port: 8080 }] } }));
    await waitFor(() => (store.get(svcKey('c'))?.spec as { ports: { port: number }[] }).ports[0]?.port === 8080, 'c modified');
    fake.emit(SERVICES, 'DELETED', service('a'));
    await waitFor(() => store.get(svcKey('a')) === undefined, 'a deleted');
    assert.ok(store.get(svcKey('b')));
  });

  test('managedFields are stripped; kind and apiVersion are filled in for list items', () => {
    const b = store.get(svcKey('b'));
    assert.ok(b);
    assert.equal((b.metadata as unknown as Record<string, unknown>).managedFields, undefined);
    assert.equal(b.kind, 'Service');
    assert.equal(b.apiVersion, 'v1');
    const c = store.get(svcKey('c'));
    assert.equal((c?.metadata as unknown as Record<string, unknown>).managedFields, undefined);
  });

  test('ConfigMaps: only those labelled konghq.com/ca-cert=true are asked for (a label selector on list and watch)', () => {
    const requests = fake.requests.filter((r) => r.path === '/api/v1/configmaps');
    assert.ok(requests.some((r) => r.watch) && requests.some((r) => !r.watch));
    assert.ok(requests.every((r) => r.query.get('labelSelector') === 'konghq.com/ca-cert=true'));
  });

  test('Secrets: one watch of every type but those Kong never uses (secret-selection.ts), without data', async () => {
    const secretRequests = fake.requests.filter((r) => r.path === SECRETS);
    assert.ok(secretRequests.some((r) => r.watch) && secretRequests.some((r) => !r.watch));
    assert.ok(
      secretRequests.every((r) => r.query.get('fieldSelector') === SECRET_FIELD_SELECTOR && !r.query.has('labelSelector')),
      'every Secret request carries the field selector',
    );
    // Credentials, TLS, and an unlabelled Secret (a plugin's configFrom reads those) are listed; Helm's are not.
    for (const name of ['cred', 'tls', 'both', 'unrelated']) {
      const s = store.get(secretKey(name));
      assert.ok(s, name);
      assert.equal(s.data, undefined);
      assert.equal(s.stringData, undefined);
    }
    assert.equal(store.get(secretKey('helm-release')), undefined);

    fake.emit(SECRETS, 'ADDED', secret('late', {}));
    fake.emit(SECRETS, 'ADDED', secret('late-helm', {}, 'helm.sh/release.v1'));
    fake.emit(SECRETS, 'MODIFIED', secret('cred', {}));
    await waitFor(() => store.get(secretKey('late')) !== undefined, 'late secret');
    assert.equal(store.get(secretKey('late'))?.data, undefined);
    assert.equal(store.get(secretKey('late-helm')), undefined);
    await waitFor(() => store.get(secretKey('cred'))?.metadata.labels?.['konghq.com/credential'] === undefined, 'cred relabelled, still held');
    fake.emit(SECRETS, 'DELETED', secret('cred', {}));
    await waitFor(() => store.get(secretKey('cred')) === undefined, 'cred deleted');
  });

  test('410 Gone forces a relist; objects missing from the new list leave the store', async () => {
    const listsBefore = fake.requests.filter((r) => r.path === SERVICES && !r.watch).length;
    fake.expire(SERVICES, [service('b'), service('d')]);
    await waitFor(() => store.get(svcKey('d')) !== undefined, 'd from relist');
    await waitFor(() => store.get(svcKey('c')) === undefined, 'c gone after relist');
    assert.ok(store.get(svcKey('b')));
    assert.equal(fake.requests.filter((r) => r.path === SERVICES && !r.watch).length, listsBefore + 1);
    await waitFor(() => fake.watchersOn(SERVICES) === 1, 'watching again');
    fake.emit(SERVICES, 'ADDED', service('e'));
    await waitFor(() => store.get(svcKey('e')) !== undefined, 'events after relist');
  });

  test('a dropped watch reconnects from its resourceVersion without losing events', async () => {
    const seen = (watch: boolean) => fake.requests.filter((r) => r.path === INGRESSES && r.watch === watch).length;
    const listsBefore = seen(false);
    const watchesBefore = seen(true);
    fake.failWatches.add(INGRESSES);
    fake.dropWatches(INGRESSES);
    // While it cannot reconnect, an object is deleted; the reconnect from the last resourceVersion replays it.
    fake.emit(INGRESSES, 'DELETED', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' } });
    await waitFor(() => seen(true) >= watchesBefore + 2, 'reconnect attempts while failing');
    assert.ok(store.get('networking.k8s.io/Ingress:default/web'), 'nothing seen yet');
    fake.failWatches.delete(INGRESSES);
    await waitFor(() => store.get('networking.k8s.io/Ingress:default/web') === undefined, 'ingress deleted after reconnect');
    assert.equal(seen(false), listsBefore, 'resumed the watch, no relist');
    assert.ok(informers.ready());
  });

  test('lastEventAt moves with events', async () => {
    const before = informers.status().find((s) => s.kind === 'Service')?.lastEventAt ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    fake.emit(SERVICES, 'ADDED', service('f'));
    await waitFor(() => (informers.status().find((s) => s.kind === 'Service')?.lastEventAt ?? 0) > before, 'lastEventAt advanced');
  });

  test('a kind that appears later is started', async () => {
    fake.seed(HTTPROUTES, [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec: {} }]);
    fake.notFound = (path) => path.startsWith('/apis/gateway.networking.k8s.io/') && path !== HTTPROUTES;
    await waitFor(() => store.get('gateway.networking.k8s.io/HTTPRoute:default/r') !== undefined, 'httproute listed');
    const route = informers.status().find((s) => s.kind === 'HTTPRoute');
    assert.equal(route?.enabled, true);
    assert.equal(route?.listed, true);
    // synced once its watch is accepted, too
    await waitFor(() => informers.status().find((s) => s.kind === 'HTTPRoute')?.synced === true, 'httproute watched');
    assert.equal(route?.reason, undefined);
    assert.ok(lines.includes('kind enabled: HTTPRoute (gateway.networking.k8s.io/v1 served)'));
    assert.ok(informers.ready());
  });

  test('stop() closes every watch', async () => {
    assert.ok(fake.openWatches > 0);
    await informers.stop();
    await waitFor(() => fake.openWatches === 0, 'watches closed');
    assert.equal(informers.ready(), false);
    const requests = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(fake.requests.length, requests, 'nothing retries after stop');
  });
});

describe('API server down at start', () => {
  test('keeps retrying without crashing, becomes ready once the server is up', async () => {
    const probe = new FakeApiServer();
    await probe.listen();
    const port = probe.port;
    await probe.close();

    const store = new Store();
    const { logger } = logCapture();
    const informers = await startInformers({ kubeConfig: kubeConfigFor(`http://127.0.0.1:${port}`), store, logger, relistBackoffMs: 20, missingKindRetryMs: 100 });
    const fake = new FakeApiServer();
    try {
      await waitFor(() => informers.status().every((s) => s.reason?.startsWith('list failed')), 'list failures reported');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(informers.ready(), false);
      assert.ok(informers.status().every((s) => s.enabled && !s.synced));

      fake.seed(SERVICES, [service('late')]);
      await fake.listen(port);
      await waitFor(() => informers.ready(), 'ready after the server came up');
      assert.ok(store.get(svcKey('late')));
      assert.ok(informers.status().every((s) => s.reason === undefined || s.reason.endsWith('not served')));
    } finally {
      await informers.stop();
      await fake.close();
    }
  });
});

describe('a watch that goes silent', () => {
  test('is dropped and relisted once nothing (not even a bookmark) arrived for silentAfterMs; counted; a talking one is not', async () => {
    const fake = new FakeApiServer();
    await fake.listen();
    fake.seed(SERVICES, [service('quiet')]);
    const store = new Store();
    const { logger, lines } = logCapture();
    const informers = await startInformers({
      kubeConfig: kubeConfigFor(fake.url),
      store,
      logger,
      relistBackoffMs: 20,
      missingKindRetryMs: 100,
      silentAfterMs: 400,
      kinds: (await import('../../src/model/kinds.ts')).KINDS.filter((k) => k.kind === 'Service'),
    });
    try {
      await waitFor(() => informers.ready(), 'ready');
      const lists = () => fake.requests.filter((r) => r.path === SERVICES && !r.watch).length;
      const first = lists();
      // Nothing happens on the watch: after the bound, it is dropped and the kind relisted.
      await waitFor(() => lists() > first, 'relisted after silence', 5000);
      assert.ok(store.get(svcKey('quiet')), 'the relist keeps the state');
      assert.ok(informers.status()[0]!.silentRelists >= 1);
      assert.ok(lines.some((l) => l.startsWith('watch silent')));
      // Events keep a watch alive: no relist while they flow.
      const settled = lists();
      for (let i = 0; i < 6; i++) {
        fake.emit(SERVICES, 'ADDED', service(`busy-${i}`));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(lists(), settled, 'a talking watch is not relisted');
    } finally {
      await informers.stop();
      await fake.close();
    }
  });
});

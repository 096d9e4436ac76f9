// Live state equals files: every rule's examples (bad and good), once through `check` (files, the loader) and
// once stored in a fake API server and read back by the informers into a Store, give the same findings.
// The API server stores what it always stores: namespaced objects get their namespace, Secrets keep `data`
// only (stringData merged in, base64) and default to type Opaque.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pino from 'pino';
import { parseAllDocuments } from 'yaml';
import { runCheck } from '../../src/cli/check.ts';
import { jsonFinding, lookupIn } from '../../src/cli/output.ts';
import { audit, evaluate } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { kindInfo } from '../../src/model/kinds.ts';
import { isRecord, type K8sObject } from '../../src/model/object.ts';
import { RULES } from '../../src/rules/index.ts';
import { startInformers } from '../../src/state/informers.ts';
import { Store } from '../../src/state/store.ts';
import { tempDir } from '../wire/certs.ts';
import { FakeApiServer, kubeConfigFor, waitFor } from './fake-apiserver.ts';
import { BASE as ROUTE_KINDS_BASE, ROUTES } from '../unit/route-kinds-world.ts';

type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name: string; namespace?: string } };

/** The objects of a manifest as the API server would store them after `kubectl apply -n default`. */
function stored(yaml: string): { path: string; object: Obj }[] {
  const out: { path: string; object: Obj }[] = [];
  for (const doc of parseAllDocuments(yaml)) {
    const o = doc.toJS() as Obj | null;
    if (!isRecord(o) || typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') continue;
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
    const info = kindInfo(group, o.kind);
    if (!info) continue;
    const object: Obj = { ...o, metadata: { ...o.metadata } };
    if (info.namespaced) object.metadata.namespace ??= 'default';
    if (o.kind === 'Secret') {
      const data: Record<string, string> = { ...((o.data as Record<string, string>) ?? {}) };
      for (const [k, v] of Object.entries((o.stringData as Record<string, string>) ?? {})) data[k] = Buffer.from(v, 'utf8').toString('base64');
      delete object.stringData;
      object.data = data;
      object.type ??= 'Opaque';
    }
    const path = group ? `/apis/${group}/${info.versions[0]}/${info.resource}` : `/api/${info.versions[0]}/${info.resource}`;
    out.push({ path, object });
  }
  return out;
}

/** The findings `check --output json` prints for the manifest as a file. */
async function fromFiles(yaml: string, policyArgs: string[] = []): Promise<unknown[]> {
  const file = join(tempDir(), 'manifest.yaml');
  writeFileSync(file, yaml);
  let out = '';
  await runCheck(['--output', 'json', ...policyArgs, file], { stdout: (t) => void (out += t), stderr: () => {} });
  return (JSON.parse(out) as { findings: unknown[] }).findings;
}

/** Informers following a fake API server that holds `objects` (as `stored` gives them), synced; `stop` ends both. */
async function liveSession(objects: { path: string; object: Obj }[]): Promise<{ fake: FakeApiServer; store: Store; stop: () => Promise<void> }> {
  const fake = new FakeApiServer();
  fake.notFound = () => false;
  for (const { path, object } of objects) fake.seed(path, [object as never]);
  await fake.listen();
  const store = new Store();
  const informers = await startInformers({ kubeConfig: kubeConfigFor(fake.url), store, logger: pino({ level: 'silent' }), relistBackoffMs: 20, missingKindRetryMs: 100 });
  const stop = async () => {
    await informers.stop();
    await fake.close();
  };
  try {
    await waitFor(() => informers.status().every((s) => s.synced), 'every kind listed and watched');
  } catch (e) {
    await stop();
    throw e;
  }
  return { fake, store, stop };
}

/** The state the informers build from a fake API server holding the manifest. */
async function liveStore(yaml: string): Promise<Store> {
  const { store, stop } = await liveSession(stored(yaml));
  await stop();
  return store;
}

async function fromLive(yaml: string, policy: Policy = DEFAULT_POLICY): Promise<unknown[]> {
  const store = await liveStore(yaml);
  return audit(store, policy).map((f) => jsonFinding(f, lookupIn(store)));
}

/** A change rule's example: `check --state STATE CHANGE --output json`, every change's findings. */
async function changeFromFiles(state: string, change: string): Promise<unknown[]> {
  const [stateFile, changeFile] = [join(tempDir(), 'state.yaml'), join(tempDir(), 'change.yaml')];
  writeFileSync(stateFile, state);
  writeFileSync(changeFile, change);
  let out = '';
  await runCheck(['--output', 'json', '--state', stateFile, changeFile], { stdout: (t) => void (out += t), stderr: () => {} });
  return (JSON.parse(out) as { changes: { findings: unknown[] }[] }).changes.flatMap((c) => c.findings);
}

/** The same change judged against the state the informers build. */
async function changeFromLive(state: string, change: string): Promise<unknown[]> {
  const store = await liveStore(state);
  return stored(change).flatMap(({ object }) => {
    const v = evaluate(store, { operation: 'CREATE', object: object as unknown as K8sObject }, DEFAULT_POLICY);
    return [...v.denials, ...v.warnings].map((f) => jsonFinding(f, lookupIn(store)));
  });
}

describe('every rule example: the live view gives the findings the files give', () => {
  for (const rule of RULES) {
    for (const which of ['bad', 'good'] as const) {
      test(`${rule.id} (${which})`, async () => {
        const { state, [which]: yaml } = rule.examples!;
        const files = state === undefined ? await fromFiles(yaml) : await changeFromFiles(state, yaml);
        assert.deepEqual(state === undefined ? await fromLive(yaml) : await changeFromLive(state, yaml), files);
        // Not vacuous: the bad example has this rule's finding on both sides.
        if (which === 'bad') assert.ok(files.some((f) => (f as { rule: string }).rule === rule.id), `${rule.id}: no finding from the files`);
      });
    }
  }
});

describe('Secrets no label identifies are in the live view', () => {
  const PLUGIN = `apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: rate-limit, namespace: default}
plugin: rate-limiting
configFrom:
  secretKeyRef: {name: rate-limit-config, key: config}
`;
  const UNLABELLED_SECRET = `apiVersion: v1
kind: Secret
metadata: {name: rate-limit-config, namespace: default}
stringData:
  config: '{"minute": 100, "policy": "local"}'
`;

  test('a KongPlugin whose configFrom names an unlabelled Secret: no finding, and its change allowed under --strict, live as from files', async () => {
    const strict: Policy = { ...DEFAULT_POLICY, strict: true };
    const state = `${UNLABELLED_SECRET}---\n${PLUGIN}`;
    assert.deepEqual(await fromFiles(state, ['--strict']), []);
    assert.deepEqual(await fromLive(state, strict), []);
    // The webhook's question: the plugin changes (created) while the Secret is already in the cluster.
    const store = await liveStore(UNLABELLED_SECRET);
    const plugin = parseAllDocuments(PLUGIN)[0]!.toJS() as K8sObject;
    const verdict = evaluate(store, { operation: 'CREATE', object: plugin }, strict);
    assert.equal(verdict.allowed, true, verdict.denials.map((f) => f.message).join('\n'));
    assert.deepEqual(verdict.warnings, []);
    // Without the Secret, both sides deny under --strict: the comparison can tell the two apart.
    assert.equal(evaluate(new Store(), { operation: 'CREATE', object: plugin }, strict).allowed, false);
  });

  test('an Opaque Secret with tls.crt/tls.key named by an Ingress, and a Helm release named by a plugin: the same findings live and from files', async () => {
    const tls = RULES.find((r) => r.id === 'invalid-tls-secret')!.examples!.good.replace('type: kubernetes.io/tls', 'type: Opaque');
    assert.match(tls, /type: Opaque/);
    const helm = `${PLUGIN.replace('rate-limit-config', 'sh.helm.release.v1.app.v1')}---
apiVersion: v1
kind: Secret
metadata: {name: sh.helm.release.v1.app.v1, namespace: default}
type: helm.sh/release.v1
data: {config: e30=}
`;
    for (const yaml of [tls, helm]) assert.deepEqual(await fromLive(yaml), await fromFiles(yaml));
    // The Helm release is read by neither (src/model/secret-selection.ts): the plugin's Secret is missing on both sides.
    assert.ok((await fromFiles(helm)).some((f) => (f as { rule: string }).rule === 'plugin-config-secret-missing'));
  });
});

describe('the route kinds beyond Ingress and HTTPRoute are in the live view', () => {
  // Two rate-limiting plugins on each kind, and a consumer sharing one with the GRPCRoute: findings on every kind KIC reads.
  const plugins = ['rl-a', 'rl-b'].map((n) => `apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: ${n}, namespace: default}\nplugin: rate-limiting\nconfig: {minute: 5}\n`);
  const annotated = ROUTES.map((doc) => doc.replace(/metadata: \{name: ([a-z-]+), namespace: default(, annotations: \{)?/, (_m, name: string, more?: string) => `metadata: {name: ${name}, namespace: default, annotations: {konghq.com/plugins: "rl-a, rl-b"${more ? ', ' : '}'}`));
  const yaml = [ROUTE_KINDS_BASE, ...plugins, ...annotated].join('\n---\n');

  test('default settings (GatewayAlpha off): GRPCRoute, TCPIngress and UDPIngress findings, the same live as from files', async () => {
    const files = await fromFiles(yaml);
    assert.deepEqual(await fromLive(yaml), files);
    const kinds = files.map((f) => (f as { rule: string; object: { kind: string } })).filter((f) => f.rule === 'duplicate-plugin-scope').map((f) => f.object.kind).sort();
    assert.deepEqual(kinds, ['GRPCRoute', 'TCPIngress', 'UDPIngress']);
  });

  test('gatewayAlpha: true: TCPRoute, TLSRoute and UDPRoute too, the same live as from files', async () => {
    const config = join(tempDir(), 'config.yaml');
    writeFileSync(config, 'gatewayAlpha: true\n');
    const files = await fromFiles(yaml, ['--config', config]);
    assert.deepEqual(await fromLive(yaml, { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, gatewayAlpha: true } }), files);
    const kinds = files.map((f) => (f as { rule: string; object: { kind: string } })).filter((f) => f.rule === 'duplicate-plugin-scope').map((f) => f.object.kind).sort();
    assert.deepEqual(kinds, ['GRPCRoute', 'TCPIngress', 'TCPRoute', 'TLSRoute', 'UDPIngress', 'UDPRoute']);
  });
});

describe('the kinds KIC reads for translation only are in the live view', () => {
  /**
   * `settings`: the ingress-guard configuration both sides run under (feature gates). `kind`: the kind the case is
   * about, and `update` a change to its objects that changes the findings (for the watch events below).
   */
  const cases: { name: string; yaml: string; rule: string; settings?: { kongServiceFacade?: boolean; gatewayAlpha?: boolean }; kind: string; update: (o: Obj) => Obj }[] = [
    {
      name: "IngressClassParameters: the legacy regex detection of KIC's IngressClass makes a path a regex Kong cannot compile",
      yaml: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong}
spec:
  controller: ingress-controllers.konghq.com/kong
  parameters: {apiGroup: configuration.konghq.com, kind: IngressClassParameters, scope: Namespace, namespace: kong, name: legacy}
---
apiVersion: configuration.konghq.com/v1alpha1
kind: IngressClassParameters
metadata: {name: legacy, namespace: kong}
spec: {enableLegacyRegexDetection: true}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  ingressClassName: kong
  rules: [{host: a.example.com, http: {paths: [{path: "/api/v(1|2", pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}]}}]
`,
      rule: 'invalid-ingress-path',
      kind: 'IngressClassParameters',
      update: (o) => ({ ...o, spec: { enableLegacyRegexDetection: false } }),
    },
    {
      name: 'KongCustomEntity: an acls entity whose parentRef plugin is attached to no consumer (Kong rejects it), next to one KIC fills',
      yaml: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: limit, namespace: default}
plugin: rate-limiting
config: {minute: 5, policy: local}
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: unused, namespace: default}
plugin: rate-limiting
config: {minute: 5, policy: local}
---
apiVersion: configuration.konghq.com/v1
kind: KongConsumer
metadata: {name: alice, namespace: default, annotations: {kubernetes.io/ingress.class: kong, konghq.com/plugins: limit}}
username: alice
---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongCustomEntity
metadata: {name: gold, namespace: default}
spec: {controllerName: kong, type: acls, parentRef: {group: configuration.konghq.com, kind: KongPlugin, name: limit}, fields: {group: gold}}
---
apiVersion: configuration.konghq.com/v1alpha1
kind: KongCustomEntity
metadata: {name: silver, namespace: default}
spec: {controllerName: kong, type: acls, parentRef: {group: configuration.konghq.com, kind: KongPlugin, name: unused}, fields: {group: silver}}
`,
      rule: 'custom-entity-foreign-missing',
      kind: 'KongCustomEntity',
      update: (o) => ({ ...o, spec: { ...(o.spec as object), parentRef: { group: 'configuration.konghq.com', kind: 'KongPlugin', name: 'limit' } } }),
    },
    {
      name: 'KongServiceFacade (kongServiceFacade: true): a facade whose backendRef Service does not exist, and one of another class',
      settings: { kongServiceFacade: true },
      yaml: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: incubator.ingress-controller.konghq.com/v1alpha1
kind: KongServiceFacade
metadata: {name: pub, namespace: default, annotations: {kubernetes.io/ingress.class: kong}}
spec: {backendRef: {name: gone, port: 80}}
---
apiVersion: incubator.ingress-controller.konghq.com/v1alpha1
kind: KongServiceFacade
metadata: {name: theirs, namespace: default, annotations: {kubernetes.io/ingress.class: nginx}}
spec: {backendRef: {name: gone, port: 80}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: default}
spec:
  ingressClassName: kong
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /a, pathType: Prefix, backend: {resource: {apiGroup: incubator.ingress-controller.konghq.com, kind: KongServiceFacade, name: pub}}}
      - {path: /b, pathType: Prefix, backend: {resource: {apiGroup: incubator.ingress-controller.konghq.com, kind: KongServiceFacade, name: theirs}}}
`,
      rule: 'unusable-backend-resource',
      kind: 'KongServiceFacade',
      update: (o) => ({ ...o, metadata: { ...o.metadata, annotations: { 'kubernetes.io/ingress.class': 'kong' } } }),
    },
    {
      name: 'BackendTLSPolicy (gatewayAlpha: true): a second policy for the same Service, so KIC applies neither',
      settings: { gatewayAlpha: true },
      yaml: `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: kong}
spec: {controllerName: konghq.com/kic-gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: kong, namespace: default}
spec: {gatewayClassName: kong, listeners: [{name: http, protocol: HTTP, port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: billing, namespace: default}
spec: {selector: {app: billing}, ports: [{name: https, port: 8443}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: billing, namespace: default}
spec:
  parentRefs: [{name: kong}]
  rules: [{backendRefs: [{name: billing, port: 8443}]}]
---
apiVersion: gateway.networking.k8s.io/v1alpha3
kind: BackendTLSPolicy
metadata: {name: billing-tls, namespace: default}
spec: {targetRefs: [{group: "", kind: Service, name: billing}], validation: {hostname: billing.internal, wellKnownCACertificates: System}}
---
apiVersion: gateway.networking.k8s.io/v1alpha3
kind: BackendTLSPolicy
metadata: {name: billing-tls-2, namespace: default}
spec: {targetRefs: [{group: "", kind: Service, name: billing}], validation: {hostname: billing.internal, wellKnownCACertificates: System}}
`,
      rule: 'backend-tls-policy-not-applied',
      kind: 'BackendTLSPolicy',
      update: (o) => (o.metadata.name === 'billing-tls-2' ? { ...o, spec: { ...(o.spec as object), targetRefs: [{ group: '', kind: 'Service', name: 'ledger' }] } } : o),
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const config = join(tempDir(), 'config.yaml');
      writeFileSync(config, Object.entries(c.settings ?? {}).map(([k, v]) => `${k}: ${v}\n`).join('') || '{}\n');
      const files = await fromFiles(c.yaml, ['--config', config]);
      assert.deepEqual(await fromLive(c.yaml, { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, ...c.settings } }), files);
      assert.ok(files.some((f) => (f as { rule: string }).rule === c.rule), `no ${c.rule} finding from the files`);
    });
  }

  // The same objects arriving by watch after the sync, then modified, then deleted: each step as the files give it.
  for (const c of cases) {
    test(`${c.kind}: added, modified and deleted by watch events, the same live as from files`, async () => {
      const config = join(tempDir(), 'config.yaml');
      writeFileSync(config, Object.entries(c.settings ?? {}).map(([k, v]) => `${k}: ${v}\n`).join('') || '{}\n');
      const policy: Policy = { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, ...c.settings } };
      const all = stored(c.yaml);
      const rest = all.filter((o) => o.object.kind !== c.kind);
      const subjects = all.filter((o) => o.object.kind === c.kind);
      const manifest = (objects: { object: Obj }[]) => objects.map((o) => JSON.stringify(o.object)).join('\n---\n');
      const key = (o: Obj) => `${o.apiVersion.split('/')[0]}/${o.kind}:${o.metadata.namespace ?? ''}/${o.metadata.name}`;
      const same = (store: Store, objects: { object: Obj }[]) => objects.every(({ object }) => JSON.stringify(store.get(key(object))?.spec) === JSON.stringify(object.spec) && JSON.stringify(store.get(key(object))?.metadata.annotations) === JSON.stringify(object.metadata.annotations));
      const { fake, store, stop } = await liveSession(rest);
      try {
        // Compared as sets: the order of findings follows the store's, which events change.
        const sorted = (findings: unknown[]) => findings.map((f) => JSON.stringify(f)).sort();
        const live = () => sorted(audit(store, policy).map((f) => jsonFinding(f, lookupIn(store))));
        const files = async (objects: { object: Obj }[]) => sorted(await fromFiles(manifest(objects), ['--config', config]));
        assert.deepEqual(live(), await files(rest), 'before');
        for (const { path, object } of subjects) fake.emit(path, 'ADDED', object);
        await waitFor(() => same(store, subjects), 'added');
        const added = await files(all);
        assert.deepEqual(live(), added, 'added');
        const updated = subjects.map(({ path, object }) => ({ path, object: c.update(object) }));
        for (const { path, object } of updated) fake.emit(path, 'MODIFIED', object);
        await waitFor(() => same(store, updated), 'modified');
        const modified = await files([...rest, ...updated]);
        assert.deepEqual(live(), modified, 'modified');
        assert.notDeepEqual(modified, added, 'the update changes the findings');
        for (const { path, object } of updated) fake.emit(path, 'DELETED', object);
        await waitFor(() => updated.every(({ object }) => store.get(key(object)) === undefined), 'deleted');
        assert.deepEqual(live(), await files(rest), 'deleted');
      } finally {
        await stop();
      }
    });
  }
});

// The deploy/ manifests: generated from the functions behind `ingress-guard install` (so the two cannot drift),
// they render with kustomize, each overlay renders to what `install` prints with the matching flags, they register
// exactly what the engine judges and run the webhook locked down. kubectl is the only tool needed; without it
// the rendering tests are skipped. `npm run manifests` (UPDATE_MANIFESTS=1) rewrites deploy/ from the generator.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runInstall } from '../../src/cli/install.ts';
import { deployTree, GENERATED } from '../../src/deploy/kustomize.ts';
import { ADMITTED_KINDS, READ_ONLY_KINDS } from '../../src/deploy/webhook-config.ts';
import { KINDS } from '../../src/model/kinds.ts';
import { makeCa, tempDir } from '../wire/certs.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPLOY = join(ROOT, 'deploy');

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const noKubectl = kubectl.error || kubectl.status !== 0 ? 'kubectl is not on PATH: cannot render the kustomizations' : false;

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [k: string]: any };

function render(dir: string): Obj[] {
  const r = spawnSync('kubectl', ['kustomize', join(DEPLOY, dir)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `kubectl kustomize ${dir}: ${r.stderr}`);
  return parseAllDocuments(r.stdout).map((d) => {
    assert.equal(d.errors.length, 0, String(d.errors));
    return d.toJS() as Obj;
  });
}

const hookTimeout = (objs: Obj[]): number => one(objs, 'ValidatingWebhookConfiguration').webhooks[0].timeoutSeconds;

function one(objs: Obj[], kind: string): Obj {
  const found = objs.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `exactly one ${kind}`);
  return found[0]!;
}

test('every file under deploy/ is the generator output, and there is no other', () => {
  const tree = deployTree();
  if (process.env.UPDATE_MANIFESTS) {
    for (const f of readdirSync(DEPLOY, { recursive: true, encoding: 'utf8' })) if (/\.ya?ml$/.test(f) && !tree.has(f)) rmSync(join(DEPLOY, f));
    for (const [file, text] of tree) {
      mkdirSync(dirname(join(DEPLOY, file)), { recursive: true });
      writeFileSync(join(DEPLOY, file), text);
    }
  }
  const onDisk = readdirSync(DEPLOY, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f)).sort();
  assert.deepEqual(onDisk, [...tree.keys()].sort(), 'regenerate with `npm run manifests`');
  for (const [file, text] of tree) {
    assert.ok(text.startsWith(`# ${GENERATED.split('\n')[0]}`), `${file} says it is generated and by what`);
    assert.equal(readFileSync(join(DEPLOY, file), 'utf8'), text, `deploy/${file} differs from the generator: regenerate with \`npm run manifests\``);
  }
});

test('every kind the engine reads is registered, except the documented read-only ones', () => {
  assert.deepEqual(READ_ONLY_KINDS, ['EndpointSlice', 'ConfigMap']);
  assert.deepEqual(
    [...ADMITTED_KINDS, ...KINDS.filter((k) => READ_ONLY_KINDS.includes(k.kind))].map((k) => k.kind).sort(),
    KINDS.map((k) => k.kind).sort(),
  );
});

for (const dir of ['.', 'base', 'cert-manager', 'fail-closed', 'authenticated']) {
  test(`kubectl kustomize deploy/${dir === '.' ? '' : dir}: webhook registration`, { skip: noKubectl }, () => {
    const objs = render(dir);
    const vwc = one(objs, 'ValidatingWebhookConfiguration');
    assert.equal(vwc.metadata.name, 'ingress-guard');
    assert.equal(vwc.webhooks.length, 1);
    const hook = vwc.webhooks[0];
    assert.equal(hook.name, 'validate.ingress-guard.dev');
    // deploy/authenticated leaves the path to `kubectl patch` (/validate/<token>), so `apply -k` never resets it.
    const path = dir === 'authenticated' ? {} : { path: '/validate' };
    assert.deepEqual(hook.clientConfig.service, { name: 'ingress-guard', namespace: 'ingress-guard', ...path, port: 443 });
    assert.equal(hook.sideEffects, 'None');
    assert.equal(hook.timeoutSeconds, 5);
    assert.equal(hook.matchPolicy, 'Equivalent');
    assert.deepEqual(hook.admissionReviewVersions, ['v1']);
    assert.equal(hook.failurePolicy, dir === 'fail-closed' ? 'Fail' : 'Ignore');

    // Exactly the group/version/resource triples of the admitted KINDS, each with CREATE, UPDATE, DELETE.
    const registered = new Set<string>();
    for (const rule of hook.rules) {
      assert.deepEqual([...rule.operations].sort(), ['CREATE', 'DELETE', 'UPDATE']);
      assert.ok(!rule.apiGroups.includes('*') && !rule.apiVersions.includes('*') && !rule.resources.includes('*'), 'no wildcards');
      for (const g of rule.apiGroups) for (const v of rule.apiVersions) for (const r of rule.resources) registered.add(`${g}/${v}/${r}`);
    }
    const expected = new Set(ADMITTED_KINDS.flatMap((k) => k.versions.map((v) => `${k.group}/${v}/${k.resource}`)));
    assert.deepEqual([...registered].sort(), [...expected].sort());
    assert.ok(![...registered].some((r) => r.endsWith('/endpointslices')));

    const sel = hook.namespaceSelector.matchExpressions;
    assert.deepEqual(sel, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'ingress-guard'] }]);
    // Secrets: only the Kong-relevant ones are sent (CEL), both sides of the change are looked at.
    const cond = hook.matchConditions.map((c: { expression: string }) => c.expression).join('\n');
    for (const needle of ['kubernetes.io/tls', 'konghq.com/credential', 'konghq.com/validate', 'oldObject', '"secrets"']) assert.ok(cond.includes(needle), needle);
    assert.equal(hook.clientConfig.caBundle, undefined, 'caBundle is left to `ingress-guard certs` or cert-manager');

    if (dir === 'cert-manager') assert.equal(vwc.metadata.annotations?.['cert-manager.io/inject-ca-from'], 'ingress-guard/ingress-guard-serving');
    else assert.equal(vwc.metadata.annotations?.['cert-manager.io/inject-ca-from'], undefined);
  });

  test(`kubectl kustomize deploy/${dir === '.' ? '' : dir}: workload, RBAC and network`, { skip: noKubectl }, () => {
    const objs = render(dir);
    const ns = one(objs, 'Namespace');
    assert.equal(ns.metadata.name, 'ingress-guard');
    for (const o of objs) if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ValidatingWebhookConfiguration'].includes(o.kind)) assert.equal(o.metadata.namespace, 'ingress-guard', `${o.kind}/${o.metadata.name}`);

    const deploy = one(objs, 'Deployment');
    assert.equal(deploy.spec.replicas, 2);
    const pod = deploy.spec.template.spec;
    assert.equal(pod.serviceAccountName, 'ingress-guard');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.equal(pod.securityContext.runAsUser, 10001);
    assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
    assert.ok(pod.terminationGracePeriodSeconds >= 5 + hookTimeout(objs) + 10, 'covers the shutdown delay, the drain and slack');
    assert.equal(pod.topologySpreadConstraints[0].topologyKey, 'kubernetes.io/hostname');
    assert.ok(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.length > 0);
    assert.equal(pod.containers.length, 1);
    const c = pod.containers[0];
    assert.equal(c.image, 'ghcr.io/ingress-guard/ingress-guard:0.1.0');
    const auth = dir === 'authenticated' ? ['--client-ca', '/auth/client-ca.crt', '--path-token-file', '/auth/path-token'] : [];
    assert.deepEqual(c.args, ['serve', '--tls-cert', '/certs/tls.crt', '--tls-key', '/certs/tls.key', '--config', '/etc/ingress-guard/config.yaml', ...auth]);
    const configMount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/etc/ingress-guard');
    const configVolume = pod.volumes.find((v: { name: string }) => v.name === configMount.name);
    const configMap = one(objs, 'ConfigMap');
    assert.equal(configVolume.configMap.name, configMap.metadata.name);
    assert.match(configMap.data['config.yaml'], /^ingressClass: kong$/m);
    const authMount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/auth');
    if (dir === 'authenticated') {
      assert.equal(authMount.readOnly, true);
      assert.equal(authMount.subPath, undefined, 'a directory mount, so a new client CA is seen');
      const authVolume = pod.volumes.find((v: { name: string }) => v.name === authMount.name);
      assert.equal(authVolume.secret.secretName, 'ingress-guard-auth');
      assert.equal(authVolume.secret.defaultMode, 0o440);
    } else assert.equal(authMount, undefined);
    assert.deepEqual(c.securityContext.capabilities.drop, ['ALL']);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.equal(c.securityContext.runAsNonRoot, true);
    assert.ok(c.resources.requests.cpu && c.resources.requests.memory && c.resources.limits.memory);
    const ports = Object.fromEntries(c.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));
    assert.deepEqual(ports, { https: 8443, diagnostics: 10254 });
    assert.deepEqual([c.readinessProbe.httpGet.path, c.readinessProbe.httpGet.port], ['/readyz', 'diagnostics']);
    assert.deepEqual([c.livenessProbe.httpGet.path, c.livenessProbe.httpGet.port], ['/healthz', 'diagnostics']);
    const certsMount = c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/certs');
    assert.equal(certsMount.readOnly, true);
    assert.equal(certsMount.subPath, undefined, 'subPath mounts never see Secret updates');
    const tls = pod.volumes.find((v: { name: string }) => v.name === certsMount.name);
    assert.equal(tls.secret.secretName, 'ingress-guard-tls');

    const svc = one(objs, 'Service');
    assert.deepEqual(svc.spec.ports.map((p: { port: number; targetPort: string }) => [p.port, p.targetPort]), [[443, 'https']]);
    for (const [k, v] of Object.entries(svc.spec.selector)) assert.equal(deploy.spec.template.metadata.labels[k], v);

    const pdb = one(objs, 'PodDisruptionBudget');
    assert.equal(pdb.spec.minAvailable, 1);
    assert.deepEqual(pdb.spec.selector.matchLabels, deploy.spec.selector.matchLabels);

    const role = one(objs, 'ClusterRole');
    const granted = new Set<string>();
    for (const rule of role.rules) {
      assert.deepEqual([...rule.verbs].sort(), ['get', 'list', 'watch'], 'read-only');
      for (const g of rule.apiGroups) for (const r of rule.resources) granted.add(`${g}/${r}`);
    }
    assert.deepEqual([...granted].sort(), KINDS.map((k) => `${k.group}/${k.resource}`).sort(), 'exactly the kinds the engine reads');
    const binding = one(objs, 'ClusterRoleBinding');
    assert.equal(binding.roleRef.name, role.metadata.name);
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'ingress-guard', namespace: 'ingress-guard' }]);

    const np = one(objs, 'NetworkPolicy');
    assert.deepEqual(np.spec.policyTypes, ['Ingress', 'Egress']);
    const webhookIngress = np.spec.ingress.find((r: { ports: { port: number }[] }) => r.ports.some((p) => p.port === 8443));
    assert.equal(webhookIngress.from, undefined, 'the API server must reach 8443 from anywhere');
    const egressPorts = np.spec.egress.flatMap((r: { ports: { port: number }[] }) => r.ports.map((p) => p.port));
    for (const p of [443, 6443, 53]) assert.ok(egressPorts.includes(p), `egress ${p}`);
  });
}

test('kubectl kustomize deploy/cert-manager: CA chain and serving Certificate', { skip: noKubectl }, () => {
  const objs = render('cert-manager');
  const issuers = objs.filter((o) => o.kind === 'Issuer');
  const certificates = objs.filter((o) => o.kind === 'Certificate');
  assert.ok(issuers.some((i) => i.spec.selfSigned));
  const caIssuer = issuers.find((i) => i.spec.ca)!;
  const caCert = certificates.find((c) => c.spec.isCA)!;
  assert.equal(caIssuer.spec.ca.secretName, caCert.spec.secretName);
  const serving = certificates.find((c) => c.metadata.name === 'ingress-guard-serving')!;
  assert.equal(serving.spec.secretName, 'ingress-guard-tls');
  assert.equal(serving.spec.issuerRef.name, caIssuer.metadata.name);
  for (const name of ['ingress-guard.ingress-guard.svc', 'ingress-guard.ingress-guard.svc.cluster.local']) assert.ok(serving.spec.dnsNames.includes(name));
  assert.ok(serving.spec.usages.includes('server auth'));
});

/** Objects by kind/name, so that order does not matter (kustomize sorts by kind). */
function byName(objs: Obj[]): Record<string, Obj> {
  return Object.fromEntries(objs.map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

async function installObjects(args: string[]): Promise<Obj[]> {
  const out: string[] = [];
  assert.equal(await runInstall(args, { stdout: (t) => void out.push(t), stderr: () => undefined }), 0);
  return parseAllDocuments(out.join('')).map((d) => d.toJS() as Obj);
}

// What the kustomize form leaves to the operator: the Secrets, the caBundle and (authenticated) the path.
function withoutOperatorParts(objs: Obj[], dropPath: boolean): Obj[] {
  return objs
    .filter((o) => o.kind !== 'Secret')
    .map((o) => {
      if (o.kind !== 'ValidatingWebhookConfiguration') return o;
      const hook = o.webhooks[0];
      delete hook.clientConfig.caBundle;
      if (dropPath) delete hook.clientConfig.service.path;
      return o;
    });
}

test('each kustomize form renders to what `ingress-guard install` prints with the matching flags', { skip: noKubectl }, async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'client-ca.crt'), (await makeCa()).cert);
  writeFileSync(join(dir, 'path-token'), 'x'.repeat(40));
  const cases: [string, string[]][] = [
    ['.', []],
    ['base', []],
    ['cert-manager', ['--certs', 'cert-manager']],
    ['fail-closed', ['--failure-policy', 'Fail']],
    ['authenticated', ['--client-ca', join(dir, 'client-ca.crt'), '--path-token-file', join(dir, 'path-token')]],
  ];
  for (const [overlay, args] of cases) {
    const installed = withoutOperatorParts(await installObjects(args), overlay === 'authenticated');
    assert.deepEqual(byName(render(overlay)), byName(installed), `deploy/${overlay} vs install ${args.join(' ')}`);
  }
});

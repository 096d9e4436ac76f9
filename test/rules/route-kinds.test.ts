// The rules that follow routes, on GRPCRoute, TCPRoute, TLSRoute, UDPRoute, TCPIngress and UDPIngress: each bad case
// with its valid neighbour. Issue 12: a KongConsumer sharing a plugin with a GRPCRoute was denied because the route was
// invisible; two plugins of one type on these kinds passed unjudged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { everything, judge } from '../../src/engine/judge.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { RULES } from '../../src/rules/index.ts';
import { APP_CERT, APP_KEY } from '../../src/rules/tls-example-certs.ts';
import type { Finding } from '../../src/rules/rule.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG, type TranslateConfig } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { withAnnotations } from '../helpers.ts';
import { BASE, GRPC_ROUTE, objects, TCP_INGRESS, TCP_ROUTE, TLS_ROUTE, UDP_INGRESS, UDP_ROUTE } from '../unit/route-kinds-world.ts';

const ALPHA: TranslateConfig = { ...DEFAULT_TRANSLATE_CONFIG, gatewayAlpha: true };

function findings(all: K8sObject[], ids: string[], config: TranslateConfig = ALPHA): Finding[] {
  const store = new Store(all);
  const rules = RULES.filter((r) => ids.includes(r.id));
  return judge(new Translator(store, config), { ...DEFAULT_POLICY, translate: config }, everything([...store.all()].map(keyOf)), { rules });
}

const plugin = (name: string, type = 'rate-limiting') => `apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: ${name}, namespace: default}\nplugin: ${type}\nconfig: {minute: 5}\n`;
const consumer = (plugins: string) =>
  `apiVersion: configuration.konghq.com/v1\nkind: KongConsumer\nmetadata: {name: bob, namespace: default, annotations: {kubernetes.io/ingress.class: kong, konghq.com/plugins: "${plugins}"}}\nusername: bob\n`;

/** BASE, the documents, with konghq.com/plugins set on every object of `kind`. */
function world(kind: string, plugins: string, ...docs: string[]): K8sObject[] {
  return objects(BASE, ...docs).map((o) => (o.kind === kind ? withAnnotations(o, { 'konghq.com/plugins': plugins }) : o));
}

const summary = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.object.kind} ${f.object.namespace ?? ''}/${f.object.name}`);

// ---------------------------------------------------------------- duplicate-plugin-scope

test('duplicate-plugin-scope: a KongConsumer sharing a plugin with a GRPCRoute is fine (KIC scopes it to consumer x route)', () => {
  const all = world('GRPCRoute', 'rl-shared', plugin('rl-consumer'), plugin('rl-shared'), consumer('rl-consumer, rl-shared'), GRPC_ROUTE);
  assert.deepEqual(summary(findings(all, ['duplicate-plugin-scope'])), []);
});

test('duplicate-plugin-scope neighbour: without the GRPCRoute, both plugins land on the consumer alone and clash', () => {
  const all = objects(BASE, plugin('rl-consumer'), plugin('rl-shared'), consumer('rl-consumer, rl-shared'));
  const fs = findings(all, ['duplicate-plugin-scope']);
  assert.deepEqual(summary(fs), ['duplicate-plugin-scope KongConsumer default/bob']);
  assert.match(fs[0]!.message, /KongConsumer default\/bob would carry 2 "rate-limiting" plugins on the same scope \(consumer\)/);
});

const twoPluginCases: { kind: string; doc: string; scope: string }[] = [
  { kind: 'GRPCRoute', doc: GRPC_ROUTE, scope: 'route' },
  { kind: 'TCPRoute', doc: TCP_ROUTE, scope: 'route' },
  { kind: 'TLSRoute', doc: TLS_ROUTE, scope: 'route' },
  { kind: 'UDPRoute', doc: UDP_ROUTE, scope: 'route' },
  { kind: 'TCPIngress', doc: TCP_INGRESS, scope: 'route' },
  { kind: 'UDPIngress', doc: UDP_INGRESS, scope: 'route' },
];

for (const c of twoPluginCases) {
  const name = objects(c.doc)[0]!.metadata.name;
  test(`duplicate-plugin-scope: two rate-limiting plugins on a ${c.kind} are denied, naming the ${c.kind}`, () => {
    const fs = findings(world(c.kind, 'rl-a, rl-b', plugin('rl-a'), plugin('rl-b'), c.doc), ['duplicate-plugin-scope']);
    assert.deepEqual(summary(fs), [`duplicate-plugin-scope ${c.kind} default/${name}`]);
    assert.equal(fs[0]!.severity, 'deny');
    assert.match(fs[0]!.message, new RegExp(`^${c.kind} default/${name} would carry 2 "rate-limiting" plugins on the same scope \\(${c.scope}\\): KongPlugin default/rl-a and KongPlugin default/rl-b\\. Kong rejects`));
  });
  test(`duplicate-plugin-scope neighbour: one of them on a consumer instead makes it consumer x ${c.kind} route, allowed`, () => {
    const fs = findings(world(c.kind, 'rl-a, rl-b', plugin('rl-a'), plugin('rl-b'), consumer('rl-b'), c.doc), ['duplicate-plugin-scope']);
    assert.deepEqual(summary(fs), []);
  });
}

test('duplicate-plugin-scope neighbour: without KIC\'s GatewayAlpha feature gate a UDPRoute is not translated, so its plugins clash nowhere', () => {
  const all = world('UDPRoute', 'rl-a, rl-b', plugin('rl-a'), plugin('rl-b'), UDP_ROUTE);
  assert.deepEqual(summary(findings(all, ['duplicate-plugin-scope'], DEFAULT_TRANSLATE_CONFIG)), []);
});

test('duplicate-plugin-scope neighbour: a TCPIngress of another class is not ours to judge', () => {
  const all = world('TCPIngress', 'rl-a, rl-b', plugin('rl-a'), plugin('rl-b'), TCP_INGRESS.replace('ingress.class: kong', 'ingress.class: nginx'));
  assert.deepEqual(summary(findings(all, ['duplicate-plugin-scope'])), []);
});

// ---------------------------------------------------------------- plugin references

test('missing-plugin: a TCPIngress naming a KongPlugin that does not exist warns; with the plugin it is clean', () => {
  const bad = findings(world('TCPIngress', 'rl-a', TCP_INGRESS), ['missing-plugin']);
  assert.deepEqual(summary(bad), ['missing-plugin TCPIngress default/tcp-ing']);
  assert.equal(bad[0]!.severity, 'warn');
  assert.deepEqual(findings(world('TCPIngress', 'rl-a', plugin('rl-a'), TCP_INGRESS), ['missing-plugin']), []);
});

test('plugin-reference-not-granted: a GRPCRoute\'s remote plugin needs a ReferenceGrant from GRPCRoute', () => {
  const remote = plugin('rl-a').replace('namespace: default', 'namespace: shared');
  const grant = (kind: string) => `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g, namespace: shared}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: ${kind}, namespace: default}]\n  to: [{group: configuration.konghq.com, kind: KongPlugin}]\n`;
  const bad = findings(world('GRPCRoute', 'shared:rl-a', remote, grant('HTTPRoute'), GRPC_ROUTE), ['plugin-reference-not-granted']);
  assert.deepEqual(summary(bad), ['plugin-reference-not-granted GRPCRoute default/grpc-a']);
  assert.match(bad[0]!.message, /allows GRPCRoute from namespace default/);
  assert.deepEqual(findings(world('GRPCRoute', 'shared:rl-a', remote, grant('GRPCRoute'), GRPC_ROUTE), ['plugin-reference-not-granted']), []);
});

// ---------------------------------------------------------------- backends, parents, classes

test('missing-backend-service: a GRPCRoute, a TCPRoute and a TCPIngress sending to a Service that does not exist warn; neighbours name echo', () => {
  const gone = (doc: string) => doc.replaceAll('name: echo', 'name: gone').replaceAll('serviceName: echo', 'serviceName: gone');
  const bad = findings(objects(BASE, gone(GRPC_ROUTE), gone(TCP_ROUTE), gone(TCP_INGRESS)), ['missing-backend-service']);
  assert.deepEqual(summary(bad).sort(), ['missing-backend-service GRPCRoute default/grpc-a', 'missing-backend-service TCPIngress default/tcp-ing', 'missing-backend-service TCPRoute default/tcp-a']);
  const tcp = bad.find((f) => f.object.kind === 'TCPIngress')!;
  assert.match(tcp.message, /TCPIngress default\/tcp-ing sends traffic \(spec\.rules\[\d\]\.backend\) to Service default\/gone, which does not exist\. KIC reports a translation failure and keeps the route, whose upstream gets no targets: its connections fail\./);
  assert.match(bad.find((f) => f.object.kind === 'TCPRoute')!.message, /with none of the rule's backendRefs left, the Kong service has no target and its connections fail\./);
  assert.match(bad.find((f) => f.object.kind === 'GRPCRoute')!.message, /with none of the rule's backendRefs left, KIC adds a request-termination plugin and Kong answers 500 "no existing backendRef provided"\./);
  assert.deepEqual(findings(objects(BASE, GRPC_ROUTE, TCP_ROUTE, TCP_INGRESS), ['missing-backend-service']), []);
});

test('missing-service-port: a UDPIngress naming a port the Service does not expose warns; the right port is clean', () => {
  const bad = findings(objects(BASE, UDP_INGRESS.replace('servicePort: 53', 'servicePort: 5353')), ['missing-service-port']);
  assert.deepEqual(summary(bad), ['missing-service-port UDPIngress default/udp-ing']);
  assert.deepEqual(findings(objects(BASE, UDP_INGRESS), ['missing-service-port']), []);
});

test('missing-gateway: a GRPCRoute (and, with GatewayAlpha, a TLSRoute) whose parent Gateway does not exist warns', () => {
  const gone = (doc: string) => doc.replace(/\{name: kong(, sectionName: [a-z-]+)?\}/, '{name: gone}');
  const bad = findings(objects(BASE, gone(GRPC_ROUTE), gone(TLS_ROUTE)), ['missing-gateway']);
  assert.deepEqual(summary(bad).sort(), ['missing-gateway GRPCRoute default/grpc-a', 'missing-gateway TLSRoute default/tls-a']);
  // KIC without the gate never reads TLSRoutes: nothing to say about them.
  assert.deepEqual(summary(findings(objects(BASE, gone(GRPC_ROUTE), gone(TLS_ROUTE)), ['missing-gateway'], DEFAULT_TRANSLATE_CONFIG)), ['missing-gateway GRPCRoute default/grpc-a']);
  assert.deepEqual(findings(objects(BASE, GRPC_ROUTE, TLS_ROUTE), ['missing-gateway']), []);
});

test('unknown-gateway-class: a UDPRoute attached to a Gateway whose GatewayClass does not exist warns on the route', () => {
  const bad = findings(objects(BASE.replace('gatewayClassName: kong, listeners: [{name: http, protocol: HTTP, port: 80}, {name: tcp', 'gatewayClassName: kongg, listeners: [{name: http, protocol: HTTP, port: 80}, {name: tcp'), UDP_ROUTE), ['unknown-gateway-class']);
  assert.deepEqual(summary(bad).sort(), ['unknown-gateway-class Gateway default/kong', 'unknown-gateway-class UDPRoute default/udp-a']);
  assert.deepEqual(findings(objects(BASE, UDP_ROUTE), ['unknown-gateway-class']), []);
});

test('missing-class-annotation: a class-less TCPIngress while KIC\'s IngressClass is not the default warns; with the annotation it is clean', () => {
  const notDefault = BASE.replace('annotations: {ingressclass.kubernetes.io/is-default-class: "true"}', 'annotations: {}');
  const bad = findings(objects(notDefault, TCP_INGRESS.replace(', annotations: {kubernetes.io/ingress.class: kong}', '')), ['missing-class-annotation']);
  assert.deepEqual(summary(bad), ['missing-class-annotation TCPIngress default/tcp-ing']);
  assert.match(bad[0]!.message, /KIC ignores it: Kong gets none of its routes/);
  assert.deepEqual(findings(objects(notDefault, TCP_INGRESS), ['missing-class-annotation']), []);
});

test('tls-host-not-routed: an Ingress TLS host that only a GRPCRoute serves is routed (same proxy listeners); without it, it is not', () => {
  const tlsOnly = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: certs, namespace: default}\nspec:\n  ingressClassName: kong\n  tls: [{hosts: [grpc.example.com]}]\n`;
  assert.deepEqual(findings(objects(BASE, tlsOnly, GRPC_ROUTE), ['tls-host-not-routed']), []);
  assert.deepEqual(summary(findings(objects(BASE, tlsOnly), ['tls-host-not-routed'])), ['tls-host-not-routed Ingress default/certs']);
});

test('inconsistent-backend-annotations: a GRPCRoute or TCPRoute rule whose two Services differ in konghq.com/ annotations is denied; alike, allowed', () => {
  const v2 = (annotations: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: echo-v2, namespace: default, annotations: {${annotations}}}\nspec: {ports: [{port: 1027}]}\n`;
  const twoBackends = (doc: string) => doc.replace('backendRefs: [{name: echo, port: 1027}]', 'backendRefs: [{name: echo, port: 1027}, {name: echo-v2, port: 1027}]');
  const bad = findings(objects(BASE, v2('konghq.com/read-timeout: "5000"'), twoBackends(GRPC_ROUTE), twoBackends(TCP_ROUTE)), ['inconsistent-backend-annotations']);
  assert.deepEqual(summary(bad).sort(), ['inconsistent-backend-annotations GRPCRoute default/grpc-a', 'inconsistent-backend-annotations TCPRoute default/tcp-a']);
  assert.match(bad.find((f) => f.object.kind === 'GRPCRoute')!.message, /skips Kong service grpcroute\.default\.grpc-a\.0 and its routes .*so requests for those matches get 404\./);
  assert.match(bad.find((f) => f.object.kind === 'TCPRoute')!.message, /skips Kong service tcproute\.default\.tcp-a\.0 and its routes .*so connections for those rules match no route\./);
  assert.deepEqual(findings(objects(BASE, v2(''), twoBackends(GRPC_ROUTE), twoBackends(TCP_ROUTE)), ['inconsistent-backend-annotations']), []);
});

test('TLS rules: a TCPIngress tls entry is a certificate KIC serves for TLS streams: missing Secret, host not covered; the matching certificate is clean', () => {
  const indent = (pem: string) => pem.trim().split('\n').map((l) => `    ${l}`).join('\n');
  const appTls = `apiVersion: v1\nkind: Secret\nmetadata: {name: db-tls, namespace: default}\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: |\n${indent(APP_CERT)}\n  tls.key: |\n${indent(APP_KEY)}\n`;
  const withTls = (host: string) => TCP_INGRESS.replace('spec:\n', `spec:\n  tls: [{hosts: [${host}], secretName: db-tls}]\n`);
  const rules = ['missing-tls-secret', 'invalid-tls-secret', 'tls-host-not-covered'];
  // BASE's HTTPS Gateway names a certificate Secret that is not there: only the TCPIngress's findings matter here.
  const tcp = (fs: Finding[]) => fs.filter((f) => f.object.kind === 'TCPIngress');
  const missing = tcp(findings(objects(BASE, withTls('app.example.com')), rules));
  assert.deepEqual(summary(missing), ['missing-tls-secret TCPIngress default/tcp-ing']);
  assert.match(missing[0]!.message, /^TCPIngress default\/tcp-ing serves TLS with Secret default\/db-tls, which does not exist \(spec\.tls\[0\]\.secretName\)\. .*Kong answers with its default certificate/);
  const uncovered = tcp(findings(objects(BASE, appTls, withTls('db.example.com')), rules));
  assert.deepEqual(summary(uncovered), ['tls-host-not-covered TCPIngress default/tcp-ing']);
  assert.deepEqual(tcp(findings(objects(BASE, appTls, withTls('app.example.com')), rules)), []);
});

test('backend-reference-not-granted: a GRPCRoute and a TCPRoute sending to another namespace without a ReferenceGrant warn; granted, clean', () => {
  const shared = `apiVersion: v1\nkind: Service\nmetadata: {name: echo, namespace: shared}\nspec: {ports: [{port: 1027}]}\n`;
  const grant = `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g, namespace: shared}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: GRPCRoute, namespace: default}, {group: gateway.networking.k8s.io, kind: TCPRoute, namespace: default}]\n  to: [{group: "", kind: Service}]\n`;
  const cross = (doc: string) => doc.replaceAll('{name: echo, port: 1027}', '{name: echo, namespace: shared, port: 1027}');
  const bad = findings(objects(BASE, shared, cross(GRPC_ROUTE), cross(TCP_ROUTE)), ['backend-reference-not-granted']);
  assert.deepEqual(summary(bad).sort(), ['backend-reference-not-granted GRPCRoute default/grpc-a', 'backend-reference-not-granted TCPRoute default/tcp-a']);
  assert.match(bad.find((f) => f.object.kind === 'TCPRoute')!.message, /no ReferenceGrant in namespace shared allows TCPRoute from namespace default to reference it\. .*with none left the Kong service has no target and its connections fail\./);
  assert.deepEqual(findings(objects(BASE, shared, grant, cross(GRPC_ROUTE), cross(TCP_ROUTE)), ['backend-reference-not-granted']), []);
});

// The route kinds beyond Ingress and HTTPRoute in the two whole-state faces: the Kong configuration `translate`
// prints (with the fields KIC sets for them), and the problems report (what KIC's fallback would exclude).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { ProblemTracker } from '../../src/engine/problems.ts';
import { Store } from '../../src/state/store.ts';
import { translateAll } from '../../src/translate/kong-config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { withAnnotations } from '../helpers.ts';
import { BASE, objects, ROUTES, TCP_INGRESS } from '../unit/route-kinds-world.ts';

const ALPHA: Policy = { ...DEFAULT_POLICY, translate: { ...DEFAULT_POLICY.translate, gatewayAlpha: true } };
const TLS_SECRET = `apiVersion: v1\nkind: Secret\nmetadata: {name: db-tls, namespace: default}\ntype: kubernetes.io/tls\nstringData: {tls.crt: not-a-real-cert, tls.key: not-a-real-key}\n`;
const TLS_TCP_INGRESS = TCP_INGRESS.replace('spec:\n', 'spec:\n  tls: [{hosts: [db.example.com], secretName: db-tls}]\n');

test('translate: every route kind\'s services and routes, with protocols, SNIs, destinations and sources; TCPIngress TLS as a certificate', () => {
  const store = new Store(objects(BASE, TLS_SECRET, ...ROUTES.map((r) => (r === TCP_INGRESS ? TLS_TCP_INGRESS : r))));
  const config = translateAll(new Translator(store, ALPHA.translate), store);
  assert.deepEqual(
    config.routes.map((r) => `${r.name} ${r.protocols?.join('+')} ${r.sources.map((s) => s.kind).join()}`).sort(),
    [
      'default.tcp-ing.0 tcp+tls TCPIngress',
      'default.tcp-ing.1 tcp+tls TCPIngress',
      'default.udp-ing.0.udp udp UDPIngress',
      'grpcroute.default.grpc-a.0.0 grpc+grpcs GRPCRoute',
      'grpcroute.default.grpc-a.1.0 grpc+grpcs GRPCRoute',
      'tcproute.default.tcp-a.0.0 tcp TCPRoute',
      'tlsroute.default.tls-a.0.0 tls_passthrough TLSRoute',
      'udproute.default.udp-a.0.0 udp UDPRoute',
    ],
  );
  assert.deepEqual(
    config.services.map((s) => `${s.name} ${s.protocol}`).sort(),
    ['default.dns.53.udp udp', 'default.echo.1027 tcp', 'grpcroute.default.grpc-a.0 grpc', 'grpcroute.default.grpc-a.1 grpc', 'tcproute.default.tcp-a.0 tcp', 'tlsroute.default.tls-a.0 tcp', 'udproute.default.udp-a.0 udp'],
  );
  assert.deepEqual(config.certificates.map((c) => [c.secret.name, c.snis, c.sources[0]!.kind]), [['db-tls', ['db.example.com'], 'TCPIngress']]);
  assert.ok(!JSON.stringify(config).includes('not-a-real'), 'Secret values never in the output');
  // Without KIC's GatewayAlpha gate the L4 Gateway API routes are not in Kong at all.
  const plain = translateAll(new Translator(store, DEFAULT_POLICY.translate), store);
  assert.deepEqual(plain.routes.filter((r) => /^(tcp|tls|udp)route\./.test(r.name)), []);
});

test('problems: two rate-limiting plugins on a GRPCRoute: the newer plugin is broken, the GRPCRoute excluded with it', () => {
  const plugin = (n: string) => `apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: ${n}, namespace: default, creationTimestamp: "2026-01-0${n === 'rl-a' ? 1 : 2}T00:00:00Z"}\nplugin: rate-limiting\nconfig: {minute: 5}\n`;
  const all = objects(BASE, plugin('rl-a'), plugin('rl-b'), ...ROUTES).map((o) => (o.kind === 'GRPCRoute' ? withAnnotations(o, { 'konghq.com/plugins': 'rl-a, rl-b' }) : o));
  const report = new ProblemTracker(new Store(all), DEFAULT_POLICY).report();
  assert.equal(report.status, 'triggered');
  assert.deepEqual(report.brokenObjects!.map((o) => `${o.kind}/${o.name}`), ['KongPlugin/rl-b']);
  assert.match(report.brokenObjects![0]!.findings[0]!.message, /^GRPCRoute default\/grpc-a would carry 2 "rate-limiting" plugins/);
  assert.deepEqual(report.excludedObjects!.map((o) => `${o.kind}/${o.name}`).sort(), ['GRPCRoute/grpc-a', 'KongPlugin/rl-b']);
});

// GRPCRoute, TCPRoute, TLSRoute, UDPRoute, TCPIngress and UDPIngress -> Kong services and routes, as KIC 3.5 names and
// shapes them (translate_grpcroute.go, subtranslator/grpcroute.go, translate_routes_helpers.go, translate_tcproute.go,
// translate_tlsroute.go, translate_udproute.go, translate_kong_l4.go), and which of them KIC translates at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { K8sObject } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { DEFAULT_TRANSLATE_CONFIG, type TranslateConfig } from '../../src/translate/config.ts';
import { Translator } from '../../src/translate/translator.ts';
import { withAnnotations } from '../helpers.ts';
import { BASE, GRPC_ROUTE, objects, TCP_INGRESS, TCP_ROUTE, TLS_ROUTE, UDP_INGRESS, UDP_ROUTE } from './route-kinds-world.ts';

const ALPHA: TranslateConfig = { ...DEFAULT_TRANSLATE_CONFIG, gatewayAlpha: true };

/** The route-like object of the YAML (its last document), translated in BASE plus the YAML. */
function translate(yaml: string, config = ALPHA) {
  const all = objects(BASE, yaml);
  const subject = all[all.length - 1]!;
  const tr = new Translator(new Store(all), config);
  return { tr, subject, ...tr.translation(subject) };
}

interface Case {
  name: string;
  yaml: string;
  config?: TranslateConfig;
  services: { name: string; host: string; protocol: string; backends: string[] }[];
  routes: { name: string; service: string; protocols: string[]; hosts?: string[]; paths?: string[]; snis?: string[]; destinations?: number[] }[];
}

const cases: Case[] = [
  {
    name: 'GRPCRoute: a service per rule, a route per match, grpc and grpcs; grpc to the backend behind a plain HTTP listener',
    yaml: GRPC_ROUTE,
    services: [
      { name: 'grpcroute.default.grpc-a.0', host: 'grpcroute.default.grpc-a.0', protocol: 'grpc', backends: ['echo:1027'] },
      { name: 'grpcroute.default.grpc-a.1', host: 'grpcroute.default.grpc-a.1', protocol: 'grpc', backends: ['echo:1027'] },
    ],
    routes: [
      { name: 'grpcroute.default.grpc-a.0.0', service: 'grpcroute.default.grpc-a.0', protocols: ['grpc', 'grpcs'], hosts: ['grpc.example.com'], paths: ['~/echo.Echo/Ping'] },
      // A rule without matches: its hostnames, no path.
      { name: 'grpcroute.default.grpc-a.1.0', service: 'grpcroute.default.grpc-a.1', protocols: ['grpc', 'grpcs'], hosts: ['grpc.example.com'], paths: [] },
    ],
  },
  {
    name: 'GRPCRoute behind HTTPS only: grpcs to the backend; no hostnames: the listener\'s',
    yaml: GRPC_ROUTE.replace('parentRefs: [{name: kong}]', 'parentRefs: [{name: kong-https}]').replace('  hostnames: [grpc.example.com]\n', ''),
    services: [
      { name: 'grpcroute.default.grpc-a.0', host: 'grpcroute.default.grpc-a.0', protocol: 'grpcs', backends: ['echo:1027'] },
      { name: 'grpcroute.default.grpc-a.1', host: 'grpcroute.default.grpc-a.1', protocol: 'grpcs', backends: ['echo:1027'] },
    ],
    routes: [
      { name: 'grpcroute.default.grpc-a.0.0', service: 'grpcroute.default.grpc-a.0', protocols: ['grpc', 'grpcs'], hosts: ['api.example.com'], paths: ['~/echo.Echo/Ping'] },
      { name: 'grpcroute.default.grpc-a.1.0', service: 'grpcroute.default.grpc-a.1', protocols: ['grpc', 'grpcs'], hosts: ['api.example.com'], paths: [] },
    ],
  },
  {
    name: 'GRPCRoute without hostnames anywhere: a rule without matches gets path /; unset method parts match anything',
    yaml: GRPC_ROUTE.replace('  hostnames: [grpc.example.com]\n', '').replace('{method: {service: echo.Echo, method: Ping}', '{method: {type: RegularExpression, service: "echo\\\\..*"}'),
    services: [
      { name: 'grpcroute.default.grpc-a.0', host: 'grpcroute.default.grpc-a.0', protocol: 'grpc', backends: ['echo:1027'] },
      { name: 'grpcroute.default.grpc-a.1', host: 'grpcroute.default.grpc-a.1', protocol: 'grpc', backends: ['echo:1027'] },
    ],
    routes: [
      { name: 'grpcroute.default.grpc-a.0.0', service: 'grpcroute.default.grpc-a.0', protocols: ['grpc', 'grpcs'], hosts: [], paths: ['~/echo\\..*/.+'] },
      { name: 'grpcroute.default.grpc-a.1.0', service: 'grpcroute.default.grpc-a.1', protocols: ['grpc', 'grpcs'], hosts: [], paths: ['/'] },
    ],
  },
  {
    name: 'TCPRoute: tcp, the ports of the parent\'s TCP listeners as destinations',
    yaml: TCP_ROUTE,
    services: [{ name: 'tcproute.default.tcp-a.0', host: 'tcproute.default.tcp-a.0', protocol: 'tcp', backends: ['echo:1027'] }],
    routes: [{ name: 'tcproute.default.tcp-a.0.0', service: 'tcproute.default.tcp-a.0', protocols: ['tcp'], destinations: [9000] }],
  },
  {
    name: 'TCPRoute: a rule without backendRefs ends the translation there (the rules before it stay)',
    yaml: TCP_ROUTE.replace('rules: [{backendRefs: [{name: echo, port: 1027}]}]', 'rules: [{backendRefs: [{name: echo, port: 1027}]}, {backendRefs: []}, {backendRefs: [{name: echo, port: 1027}]}]'),
    services: [{ name: 'tcproute.default.tcp-a.0', host: 'tcproute.default.tcp-a.0', protocol: 'tcp', backends: ['echo:1027'] }],
    routes: [{ name: 'tcproute.default.tcp-a.0.0', service: 'tcproute.default.tcp-a.0', protocols: ['tcp'], destinations: [9000] }],
  },
  {
    name: 'TLSRoute through a Passthrough listener: tls_passthrough, hostnames as SNIs, a tcp service',
    yaml: TLS_ROUTE,
    services: [{ name: 'tlsroute.default.tls-a.0', host: 'tlsroute.default.tls-a.0', protocol: 'tcp', backends: ['echo:1027'] }],
    routes: [{ name: 'tlsroute.default.tls-a.0.0', service: 'tlsroute.default.tls-a.0', protocols: ['tls_passthrough'], snis: ['tls.example.com'] }],
  },
  {
    name: 'TLSRoute through a terminating listener: tls',
    yaml: TLS_ROUTE.replace('sectionName: tls-pass', 'sectionName: tcp'),
    services: [{ name: 'tlsroute.default.tls-a.0', host: 'tlsroute.default.tls-a.0', protocol: 'tcp', backends: ['echo:1027'] }],
    routes: [{ name: 'tlsroute.default.tls-a.0.0', service: 'tlsroute.default.tls-a.0', protocols: ['tls'], snis: ['tls.example.com'] }],
  },
  {
    name: 'TLSRoute without hostnames: not translated ("no hostnames provided")',
    yaml: TLS_ROUTE.replace('  hostnames: [tls.example.com]\n', ''),
    services: [],
    routes: [],
  },
  {
    name: 'UDPRoute: udp, the ports of the parent\'s UDP listeners',
    yaml: UDP_ROUTE,
    services: [{ name: 'udproute.default.udp-a.0', host: 'udproute.default.udp-a.0', protocol: 'udp', backends: ['dns:53'] }],
    routes: [{ name: 'udproute.default.udp-a.0.0', service: 'udproute.default.udp-a.0', protocols: ['udp'], destinations: [9053] }],
  },
  {
    name: 'UDPRoute with a rule without backendRefs: the whole route is skipped (validateUDPRoute)',
    yaml: UDP_ROUTE.replace('rules: [{backendRefs: [{name: dns, port: 53}]}]', 'rules: [{backendRefs: [{name: dns, port: 53}]}, {backendRefs: []}]'),
    services: [],
    routes: [],
  },
  {
    name: 'TCPIngress: a route per rule (tcp and tls, the rule port, the host as SNI), one service per backend Service and port',
    yaml: TCP_INGRESS,
    services: [{ name: 'default.echo.1027', host: 'echo.default.1027.svc', protocol: 'tcp', backends: ['echo:1027'] }],
    routes: [
      { name: 'default.tcp-ing.0', service: 'default.echo.1027', protocols: ['tcp', 'tls'], destinations: [9000], snis: ['db.example.com'] },
      { name: 'default.tcp-ing.1', service: 'default.echo.1027', protocols: ['tcp', 'tls'], destinations: [9001] },
    ],
  },
  {
    name: 'UDPIngress: udp, names suffixed .udp',
    yaml: UDP_INGRESS,
    services: [{ name: 'default.dns.53.udp', host: 'dns.default.53.svc', protocol: 'udp', backends: ['dns:53'] }],
    routes: [{ name: 'default.udp-ing.0.udp', service: 'default.dns.53.udp', protocols: ['udp'], destinations: [9053] }],
  },
];

for (const c of cases) {
  test(`translate: ${c.name}`, () => {
    const { services, routes, subject } = translate(c.yaml, c.config);
    assert.deepEqual(
      services.map((s) => ({ name: s.name, host: s.host, protocol: s.protocol, backends: s.backends.map((b) => `${b.service.name}:${b.port}`) })),
      c.services,
    );
    assert.deepEqual(
      routes.map((r) => {
        const want = c.routes.find((w) => w.name === r.name);
        // Compare only the fields the case states (hosts, paths, snis, destinations differ by kind).
        const got: Record<string, unknown> = { name: r.name, service: r.service, protocols: r.protocols };
        for (const k of ['hosts', 'paths', 'snis', 'destinations'] as const) if (want && k in want) got[k] = r[k];
        return got;
      }),
      c.routes,
    );
    for (const e of [...services, ...routes]) assert.deepEqual(e.sources, [{ group: subject.apiVersion.split('/')[0], kind: subject.kind, namespace: 'default', name: subject.metadata.name }]);
  });
}

test('translate: GRPCRoute header matches become the Kong route\'s headers', () => {
  const { routes } = translate(GRPC_ROUTE);
  assert.deepEqual(routes[0]!.headers, { 'x-team': ['a'] });
});

// ---------------------------------------------------------------- which objects KIC translates

interface ManagedCase {
  name: string;
  yaml: string;
  config?: TranslateConfig;
  want: boolean;
}

const NOT_DEFAULT = BASE.replace('annotations: {ingressclass.kubernetes.io/is-default-class: "true"}', 'annotations: {}');

const managed: ManagedCase[] = [
  { name: 'a GRPCRoute attached to a Gateway of our GatewayClass', yaml: GRPC_ROUTE, want: true },
  { name: 'a GRPCRoute attached only to another controller\'s Gateway', yaml: GRPC_ROUTE.replace('parentRefs: [{name: kong}]', 'parentRefs: [{name: other}]'), want: false },
  { name: 'a GRPCRoute whose Gateway does not exist', yaml: GRPC_ROUTE.replace('parentRefs: [{name: kong}]', 'parentRefs: [{name: gone}]'), want: false },
  { name: 'a TCPRoute with the GatewayAlpha feature gate', yaml: TCP_ROUTE, want: true },
  { name: 'a TCPRoute without it (KIC\'s default: the controller does not run)', yaml: TCP_ROUTE, config: DEFAULT_TRANSLATE_CONFIG, want: false },
  { name: 'a TLSRoute without it', yaml: TLS_ROUTE, config: DEFAULT_TRANSLATE_CONFIG, want: false },
  { name: 'a UDPRoute without it', yaml: UDP_ROUTE, config: DEFAULT_TRANSLATE_CONFIG, want: false },
  { name: 'a UDPRoute on another controller\'s Gateway', yaml: UDP_ROUTE.replace('{name: kong, sectionName: udp}', '{name: other}'), want: false },
  { name: 'a TCPIngress with our class annotation', yaml: TCP_INGRESS, want: true },
  { name: 'a TCPIngress of another class', yaml: TCP_INGRESS.replace('kubernetes.io/ingress.class: kong', 'kubernetes.io/ingress.class: nginx'), want: false },
  { name: 'a class-less UDPIngress while our IngressClass is the default', yaml: UDP_INGRESS.replace(', annotations: {kubernetes.io/ingress.class: kong}', ''), want: true },
  { name: 'a class-less UDPIngress while it is not', yaml: NOT_DEFAULT + '---\n' + UDP_INGRESS.replace(', annotations: {kubernetes.io/ingress.class: kong}', ''), want: false },
];

for (const c of managed) {
  test(`isManaged: ${c.name} -> ${c.want}`, () => {
    const all = objects(c.yaml.includes('kind: IngressClass') ? c.yaml : `${BASE}---\n${c.yaml}`);
    const subject = all[all.length - 1]!;
    const tr = new Translator(new Store(all), c.config ?? ALPHA);
    assert.equal(tr.isManaged(subject), c.want);
    if (!c.want) assert.deepEqual(tr.routesOf(subject), []);
  });
}

// ---------------------------------------------------------------- plugins on these kinds

function pluginYaml(name: string, type = 'rate-limiting'): string {
  return `apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: ${name}, namespace: default}\nplugin: ${type}\nconfig: {minute: 5}\n`;
}

function withPluginsOn(all: K8sObject[], kind: string, plugins: string): K8sObject[] {
  return all.map((o) => (o.kind === kind ? withAnnotations(o, { 'konghq.com/plugins': plugins }) : o));
}

const pluginKinds: { kind: string; yaml: string }[] = [
  { kind: 'GRPCRoute', yaml: GRPC_ROUTE },
  { kind: 'TCPRoute', yaml: TCP_ROUTE },
  { kind: 'TLSRoute', yaml: TLS_ROUTE },
  { kind: 'UDPRoute', yaml: UDP_ROUTE },
  { kind: 'TCPIngress', yaml: TCP_INGRESS },
  { kind: 'UDPIngress', yaml: UDP_INGRESS },
];

for (const { kind, yaml } of pluginKinds) {
  test(`plugins: konghq.com/plugins on a ${kind} puts one instance on each of its Kong routes, placed by the ${kind}`, () => {
    const all = withPluginsOn(objects(BASE, pluginYaml('rl'), yaml), kind, 'rl');
    const tr = new Translator(new Store(all), ALPHA);
    const subject = all.find((o) => o.kind === kind)!;
    const instances = tr.instances(all.find((o) => o.kind === 'KongPlugin')!);
    assert.deepEqual(instances.map((i) => i.scope), tr.routesOf(subject).map((r) => ({ route: r.name })));
    assert.ok(instances.length > 0);
    assert.ok(instances.every((i) => i.placedBy.length === 1 && i.placedBy[0]!.kind === kind));
  });
}

test('plugins: a plugin shared by a KongConsumer and a GRPCRoute exists only per consumer x route (KIC\'s GetCombinations)', () => {
  const consumer = `apiVersion: configuration.konghq.com/v1\nkind: KongConsumer\nmetadata: {name: bob, namespace: default, annotations: {kubernetes.io/ingress.class: kong, konghq.com/plugins: rl}}\nusername: bob\n`;
  const all = withPluginsOn(objects(BASE, pluginYaml('rl'), consumer, GRPC_ROUTE), 'GRPCRoute', 'rl');
  const tr = new Translator(new Store(all), DEFAULT_TRANSLATE_CONFIG);
  const scopes = tr.instances(all.find((o) => o.kind === 'KongPlugin')!).map((i) => i.scope);
  assert.deepEqual(scopes, [
    { route: 'grpcroute.default.grpc-a.0.0', consumer: 'bob' },
    { route: 'grpcroute.default.grpc-a.1.0', consumer: 'bob' },
  ]);
});

test('plugins: konghq.com/plugins on the Service behind a TCPIngress scopes the plugin to the tcp Kong service', () => {
  const all = objects(BASE, pluginYaml('rl'), TCP_INGRESS).map((o) => (o.kind === 'Service' && o.metadata.name === 'echo' ? withAnnotations(o, { 'konghq.com/plugins': 'rl' }) : o));
  const tr = new Translator(new Store(all), DEFAULT_TRANSLATE_CONFIG);
  assert.deepEqual(tr.instances(all.find((o) => o.kind === 'KongPlugin')!).map((i) => i.scope), [{ service: 'default.echo.1027' }]);
});

// ---------------------------------------------------------------- cross-namespace backends

test('backends: a Gateway API route keeps a Service in another namespace only with a ReferenceGrant from its kind (backendRefsToKongStateBackends)', () => {
  const other = `apiVersion: v1\nkind: Service\nmetadata: {name: echo, namespace: other}\nspec: {ports: [{port: 1027}]}\n`;
  const grant = (kind: string) =>
    `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: {name: g, namespace: other}\nspec:\n  from: [{group: gateway.networking.k8s.io, kind: ${kind}, namespace: default}]\n  to: [{group: "", kind: Service}]\n`;
  const httpRoute = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web, namespace: default}\nspec:\n  parentRefs: [{name: kong}]\n  rules: [{backendRefs: [{name: echo, namespace: other, port: 1027}]}]\n`;
  const grpc = GRPC_ROUTE.replaceAll('{name: echo, port: 1027}', '{name: echo, namespace: other, port: 1027}');
  const backends = (kind: string, ...docs: string[]) => {
    const all = objects(BASE, other, ...docs);
    const tr = new Translator(new Store(all), ALPHA);
    return tr.servicesOf(all.find((o) => o.kind === kind)!).flatMap((s) => s.backends.map((b) => `${b.service.namespace}/${b.service.name}`));
  };
  for (const [kind, doc] of [['HTTPRoute', httpRoute], ['GRPCRoute', grpc]] as const) {
    assert.deepEqual(backends(kind, doc), [], `${kind} without a grant`);
    assert.deepEqual(backends(kind, doc, grant(kind === 'HTTPRoute' ? 'GRPCRoute' : 'HTTPRoute')), [], `${kind} with a grant for another kind`);
    assert.ok(backends(kind, doc, grant(kind)).length > 0, `${kind} with its grant`);
    assert.ok(backends(kind, doc, grant(kind)).every((b) => b === 'other/echo'));
  }
});

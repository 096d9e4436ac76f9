// trace end to end on manifests: the winning route, why it wins, and what Kong answers (router.md §6, §11 V-T5,
// V-T8, V-T9, V-T11; seed 000's fallback service), from real YAML translated the way KIC does it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { Store } from '../../src/state/store.ts';
import { traceJson, traceText } from '../../src/trace/render.ts';
import { allRoutes, requestInput, routerFlavorOf, routerRoute, traceRequest, type TraceRequest } from '../../src/trace/trace.ts';
import { resolve } from '../../src/router/resolve.ts';
import type { K8sObject } from '../../src/model/object.ts';
import { Translator } from '../../src/translate/translator.ts';
import { FIXTURES, objectsFrom } from '../helpers.ts';

const TEAMS = join(FIXTURES, 'trace', 'teams.yaml');
const FALLBACK = join(FIXTURES, 'trace', 'fallback.yaml');
const TARGETS = join(FIXTURES, 'trace', 'targets.yaml');
const MAIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

async function traceOn(files: string[], req: TraceRequest) {
  const store = new Store(await objectsFrom(...files));
  return traceRequest(new Translator(store, DEFAULT_POLICY.translate), req);
}

interface Case {
  name: string;
  files?: string[];
  req: TraceRequest;
  route: string | null;
  status: number | 'proxied';
  /** Text the answer must contain. */
  says?: RegExp[];
}

const cases: Case[] = [
  {
    // V-T5: team-a's Exact /login is the regex ~/login$ (bit 51), which outranks team-b's POST + Prefix / (2 fields).
    name: "team-a's Exact /login steals team-b's POST /login (Kong 3.x compat priority, regex bit over match weight)",
    req: { url: 'http://any.example/login', method: 'POST' },
    route: 'team-a.login.login..80',
    status: 'proxied',
    says: [/wins over the other routes that match:\n {4}Kong route team-b\.api-post\.api\.\.80 .*regex path.*Kong\/kong#14457/],
  },
  {
    name: 'POST elsewhere goes to team-b (the only route matching)',
    req: { url: 'http://any.example/orders', method: 'POST' },
    route: 'team-b.api-post.api..80',
    status: 'proxied',
    says: [/1 ready target \(10\.2\.0\.1:8080\)/],
  },
  {
    // handler.lua: https-only route, http request, no https_redirect_status_code -> 426
    name: 'an https-only Ingress (konghq.com/protocols: https) answers 426 to http',
    req: { url: 'http://secure.example.com/' },
    route: 'team-b.secure.api.secure.example.com.80',
    status: 426,
    says: [/426 "Please use HTTPS protocol"/],
  },
  {
    // certificate.lua find_certificate: the Ingress tls host is the certificate's SNI
    name: 'the same Ingress proxies https, with the certificate of its tls Secret',
    req: { url: 'https://secure.example.com/' },
    route: 'team-b.secure.api.secure.example.com.80',
    status: 'proxied',
    says: [/TLS: SNI secure\.example\.com gets the certificate of Secret team-b\/secure-tls \(from Ingress team-b\/secure\)/],
  },
  {
    name: "https to a host without a certificate: Kong's default certificate, then routing by Host",
    req: { url: 'https://empty.example.com/' },
    route: 'team-b.empty.no-pods.empty.example.com.80',
    status: 503,
    says: [/TLS: no certificate for SNI empty\.example\.com: Kong presents its default self-signed certificate \(CN=localhost\)/],
  },
  {
    // V-T12: konghq.com/https-redirect-status-code on an https-only route: a redirect keeping the request target
    name: 'an https-only Ingress with https-redirect-status-code 301 redirects http',
    req: { url: 'http://moved.example.com/a?b=1' },
    route: 'team-b.moved.api.moved.example.com.80',
    status: 301,
    says: [/301 "Location: https:\/\/moved\.example\.com\/a\?b=1"/],
  },
  {
    name: 'https to an IP address with a Host header: no SNI (RFC 6066), the default certificate, routed by Host',
    req: { url: 'https://10.0.0.1/', headers: { Host: ['secure.example.com'] } },
    route: 'team-b.secure.api.secure.example.com.80',
    status: 'proxied',
    says: [/^Request: GET https:\/\/secure\.example\.com\/, traditional_compatible router$/m, /TLS: no SNI: Kong presents its default/],
  },
  {
    // V-T9: KIC keeps the route and an upstream without targets; the balancer answers 503.
    name: 'a Service without ready endpoints: 503 from the ring-balancer',
    req: { url: 'http://empty.example.com/x' },
    route: 'team-b.empty.no-pods.empty.example.com.80',
    status: 503,
    says: [/failure to get a peer from the ring-balancer/, /Service team-b\/no-pods/],
  },
  {
    // translate_upstreams.go getEndpoints: the first address of each endpoint (Addresses[0]); a ready endpoint is kept
    // while terminating, a not-ready one is skipped (--enable-drain-support off). The Ingress backend has no weight.
    name: 'a rollout: the first address of each ready endpoint, a terminating one included while it is ready',
    files: [TEAMS, TARGETS],
    req: { url: 'http://rolling.example.com/' },
    route: 'shop.targets.rolling.rolling.example.com.80',
    status: 'proxied',
    says: [/2 ready targets \(10\.5\.0\.2:8080, 10\.5\.0\.1:8080\)/],
  },
  {
    // translate_upstreams.go findPort (PortModeByName): no port of that name nor targetPort; getUpstreams adds no target.
    name: 'a backend port name the Service lacks: no target, 503, and why',
    files: [TEAMS, TARGETS],
    req: { url: 'http://byname.example.com/' },
    route: 'shop.targets.rolling.byname.example.com.https',
    status: 503,
    says: [/Service shop\/rolling has no port named "https" nor one whose targetPort is that name, so KIC adds no target for it/],
  },
  {
    // translate_upstreams.go findPort (ExternalName by number), getEndpoints: Spec.ExternalName and the port asked for.
    name: 'an ExternalName Service: its external name is the one target',
    files: [TEAMS, TARGETS],
    req: { url: 'http://partner.example.com/' },
    route: 'shop.targets.partner.partner.example.com.443',
    status: 'proxied',
    says: [/1 ready target \(api\.partner\.example\.net:443\)/],
  },
  {
    // translate_upstreams.go getUpstreams: a backendRef of weight 0 gives its targets weight 0; Kong's balancers.lua
    // updateStatus: a total weight of 0 is an unhealthy balancer, and init.lua answers 503.
    name: 'every backendRef at weight 0: targets of weight 0, 503',
    files: [TEAMS, TARGETS],
    req: { url: 'http://drained.example.com/' },
    route: 'httproute.default.drained.0.0',
    status: 503,
    says: [/1 ready target \(10\.6\.0\.1:8080 weight 0\)/, /every target of upstream httproute\.default\.drained\.0 has weight 0/],
  },
  {
    // key-auth handler.lua: ERR_NO_API_KEY when no configured key name is in the headers or the query.
    name: 'key-auth on the HTTPRoute and no x-api-key: 401',
    req: { url: 'http://shop.example.com/orders/1' },
    route: 'httproute.shop.orders.0.0',
    status: 401,
    says: [/401 "No API key found in request"/, /key-auth from KongPlugin shop\/key-auth on route httproute\.shop\.orders\.0\.0/],
  },
  {
    name: 'key-auth with the key in a header: proxied (the key is then checked against the consumers)',
    req: { url: 'http://shop.example.com/orders', headers: { 'X-Api-Key': ['anything'] } },
    route: 'httproute.shop.orders.0.0',
    status: 'proxied',
  },
  {
    name: 'key-auth with the key in the query string: proxied',
    req: { url: 'http://shop.example.com/orders?x-api-key=anything' },
    route: 'httproute.shop.orders.0.0',
    status: 'proxied',
  },
  {
    // V-T11: subtranslator/httproute.go translateHTTPRouteRulesMetaToKongstateService adds request-termination 500.
    name: 'an HTTPRoute whose only backendRef does not exist: 500',
    req: { url: 'http://broken.example.com/anything' },
    route: 'httproute.shop.broken.0.0',
    status: 500,
    says: [/500 "no existing backendRef provided"/],
  },
  {
    // handler.lua: a gRPC route and no application/grpc content-type -> 415.
    name: 'a GRPCRoute hit by a plain HTTP request: 415',
    req: { url: 'http://grpc.example.com/helloworld.Greeter/SayHello' },
    route: 'grpcroute.shop.greeter.0.0',
    status: 415,
  },
  {
    name: 'a GRPCRoute hit by a gRPC request: proxied',
    req: { url: 'http://grpc.example.com/helloworld.Greeter/SayHello', headers: { 'content-type': ['application/grpc'] } },
    route: 'grpcroute.shop.greeter.0.0',
    status: 'proxied',
  },
  {
    // V-T8 and seed 003 ("the class ignored"): nothing matches; the nginx Ingress is named with why.
    name: 'a host only an nginx-class Ingress serves: 404, nearest routes, the ignored Ingress',
    req: { url: 'http://app.example.com/' },
    route: null,
    status: 404,
    says: [/404 "no Route matched with those values"/, /Nearest routes/, /Host "app\.example\.com" is not one of the route hosts/, /Ingress team-b\/dashboard: its class is "nginx" \(spec\.ingressClassName\), not "kong", so KIC ignores it/],
  },
  {
    // router.md §2: Kong compares the Host header as sent (no lower-casing); the URL's host is sent as typed
    name: 'a host typed in another case: 404, the nearest route says only the case differs',
    req: { url: 'http://Shop.Example.com/orders' },
    route: null,
    status: 404,
    says: [/^Request: GET http:\/\/Shop\.Example\.com\/orders,/m, /Host "Shop\.Example\.com" differs from the route hosts \["shop\.example\.com"\] only in case/],
  },
  {
    // seed 003 / router.md §8.1 gateway-not-ours
    name: "a host only an HTTPRoute of another controller's Gateway serves: 404, naming it and the controller",
    req: { url: 'http://other.example.com/' },
    route: null,
    status: 404,
    says: [/HTTPRoute shop\/elsewhere: its parent Gateway default\/other is of GatewayClass other, whose controller is example\.com\/other-controller, not konghq\.com\/kic-gateway-controller, so KIC does not translate it/],
  },
  {
    name: 'a wrong path on a known host: 404, the nearest route says KIC Prefix is segment-aware',
    req: { url: 'http://shop.example.com/ordersx' },
    route: null,
    status: 404,
    says: [/httproute\.shop\.orders\.0\.0.*segment-aware/],
  },
  {
    // seed 000: the defaultBackend Ingress catches every request no route matches.
    name: 'with a defaultBackend Ingress, the unknown host goes to the fallback service',
    files: [TEAMS, FALLBACK],
    req: { url: 'http://app.example.com/random-path' },
    route: 'default.catch-all',
    status: 'proxied',
    says: [/defaultBackend of Ingress default\/catch-all, KIC's catch-all/, /Ingress team-b\/dashboard: its class is "nginx"/, /10\.9\.0\.1:5678/],
  },
  {
    name: 'with a defaultBackend Ingress, a real route still wins',
    files: [TEAMS, FALLBACK],
    req: { url: 'http://x.example/login', method: 'GET' },
    route: 'team-a.login.login..80',
    status: 'proxied',
    says: [/wins over the other routes that match:\n {4}Kong route default\.catch-all/],
  },
];

for (const c of cases) {
  test(`trace: ${c.name}`, async () => {
    const t = await traceOn(c.files ?? [TEAMS], c.req);
    const text = traceText(t);
    assert.equal(t.resolution.winner?.part.route.name ?? null, c.route, text);
    assert.equal(t.outcome.status, c.status, text);
    for (const re of c.says ?? []) assert.match(text, re);
  });
}

test('trace JSON: the documented top-level shape, bigint-free', async () => {
  const doc = JSON.parse(JSON.stringify(traceJson(await traceOn([TEAMS], { url: 'http://shop.example.com/orders' })))) as Record<string, unknown>;
  for (const secret of ['not-a-real-cert', 'not-a-real-key']) assert.ok(!JSON.stringify(doc).includes(secret));
  assert.deepEqual(Object.keys(doc), ['request', 'routerFlavor', 'priorityModel', 'outcome', 'route', 'possibleRoutes', 'beats', 'service', 'upstream', 'plugins', 'nearest', 'notEvaluated', 'unrouted']);
  assert.deepEqual(doc.outcome, { status: 401, message: 'No API key found in request', reason: 'key-auth looks for "x-api-key" in a header or the query string (KongPlugin shop/key-auth, route httproute.shop.orders.0.0)' });
  const route = doc.route as Record<string, unknown>;
  assert.equal(route.route, 'httproute.shop.orders.0.0');
  // split part #1 (the regex ~/orders$): uuidv5(split namespace, FillID("httproute.shop.orders.0.0") + "#1")
  assert.equal(route.id, '44213a71-48df-5b30-a8c9-f50057edf022');
  assert.equal(route.splitPart, 1);
});

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, 'trace', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('trace CLI: exit 0 when a route serves the request (even a 401), 1 on a 404, 2 on usage errors', () => {
  assert.equal(cli(['--state', TEAMS, 'http://shop.example.com/orders']).code, 0);
  const miss = cli(['--state', TEAMS, '-X', 'PUT', '-H', 'Host: app.example.com', 'http://127.0.0.1/']);
  assert.equal(miss.code, 1, miss.stderr);
  assert.match(miss.stdout, /^Request: PUT http:\/\/app\.example\.com\/, traditional_compatible router$/m);
  assert.equal(cli(['--state', TEAMS]).code, 2);
  assert.equal(cli(['--state', TEAMS, 'not a url']).code, 2);
  assert.equal(cli(['--state', TEAMS, '-H', 'no-colon', 'http://a/']).code, 2);
  // GRPCRoute expression routes are built too (grpcroute-expressions.ts): a state with one is answered in that mode.
  const expressions = cli(['--state', TEAMS, '--router-flavor', 'expressions', 'http://shop.example.com/orders']);
  assert.equal(expressions.code, 0, expressions.stderr);
  assert.equal(cli(['--state', FALLBACK, '--router-flavor', 'expressions', 'http://a.example/x']).code, 0, 'an Ingress-only state is answered');
  const json = cli(['--state', TEAMS, '--output', 'json', 'http://app.example.com/']);
  assert.equal(json.code, 1);
  assert.equal((JSON.parse(json.stdout) as { outcome: { status: number } }).outcome.status, 404);
});

// Seed 000 (KIC's "Configuring a fallback service") and seed 003 ("default backend - 404" causes), on the
// captured manifests of test/fixtures/inputs.
const SEED_000 = ['a1-ingressclass-kong.yaml', 'b1-service-echo.yaml', 'e1-ingress-demo.yaml', 'e2-service-fallback-svc.yaml', 'e3-ingress-fallback.yaml'];

test('seed 000: /echo goes to Ingress demo, /random-path to the fallback Ingress (curl $PROXY_IP/random-path)', async () => {
  const echo = await traceOn(SEED_000, { url: 'http://203.0.113.1/echo' });
  assert.equal(echo.resolution.winner?.part.route.name, 'default.demo.echo..1027');
  const random = await traceOn(SEED_000, { url: 'http://203.0.113.1/random-path' });
  assert.equal(random.resolution.winner?.part.route.name, 'default.fallback');
  assert.deepEqual(random.defaultBackend, { group: 'networking.k8s.io', kind: 'Ingress', namespace: 'default', name: 'fallback' });
  assert.match(traceText(random), /defaultBackend of Ingress default\/fallback, KIC's catch-all/);
});

test('seed 003: a class name typo ("ngnix") gives no route: 404, naming the Ingress and its class', async () => {
  const t = await traceOn(['a1-ingressclass-kong.yaml', 'b1-service-echo.yaml', 'e1-ingress-demo.yaml', 'f1-ingress-web.yaml'], { url: 'http://app.example.com/' });
  assert.equal(t.outcome.status, 404);
  assert.match(traceText(t), /Ingress default\/web: its class is "ngnix" \(spec\.ingressClassName\), not "kong", so KIC ignores it/);
});

test('seed 003: a backend Service that does not exist keeps the route, and Kong answers 503', async () => {
  const t = await traceOn(['a1-ingressclass-kong.yaml', 'f2-ingress-orphan.yaml'], { url: 'http://any.example/orphan' });
  assert.equal(t.resolution.winner?.part.route.name, 'default.orphan.missing-svc..80');
  assert.equal(t.outcome.status, 503);
  assert.match(t.outcome.reason, /Service default\/missing-svc does not exist/);
});

// --priority documented (router.md §4.1 vs §4.2, V-T5): Kong's documented traditional_compatible order as an
// alternative model; the default stays what Kong computes, and each answer says when the other model differs.
test('priority models: V-T5 POST /login is team-a\'s by Kong\'s computed priority and team-b\'s by the documented one; each says so', async () => {
  const store = new Store(await objectsFrom(TEAMS));
  const tr = new Translator(store, DEFAULT_POLICY.translate);
  const req = { url: 'http://any.example/login', method: 'POST' };
  const computed = traceRequest(tr, req);
  assert.equal(computed.priorityModel, 'computed');
  assert.equal(computed.resolution.winner?.part.route.name, 'team-a.login.login..80');
  assert.equal(computed.otherModel?.winner?.part.route.name, 'team-b.api-post.api..80');
  assert.match(traceText(computed), /Priority models differ: Kong's documented priority order \(--priority documented\) would pick Kong route team-b\.api-post\.api\.\.80/);
  const documented = traceRequest(tr, req, 'documented');
  assert.equal(documented.resolution.winner?.part.route.name, 'team-b.api-post.api..80');
  assert.equal(documented.outcome.status, 'proxied');
  const text = traceText(documented);
  assert.match(text, /traditional_compatible router, Kong's documented priority order \(not what Kong 3\.x computes\)/);
  assert.match(text, /team-a\.login\.login\.\.80 .*: in Kong's documented order, it matches on more fields \(2 vs 1\); Kong 3\.x computes priorities otherwise/);
  assert.match(text, /Priority models differ: Kong itself \(its computed priority, the default\) picks Kong route team-a\.login\.login\.\.80/);
  const doc = traceJson(documented) as { priorityModel: string; otherPriorityModel: { model: string; route: { route: string } } };
  assert.equal(doc.priorityModel, 'documented');
  assert.deepEqual([doc.otherPriorityModel.model, doc.otherPriorityModel.route.route], ['computed', 'team-a.login.login..80']);
});

test('priority models: where both pick the same route nothing is said (GET /login has one match)', async () => {
  const store = new Store(await objectsFrom(TEAMS));
  const t = traceRequest(new Translator(store, DEFAULT_POLICY.translate), { url: 'http://any.example/login' }, 'documented');
  assert.equal(t.otherModel, undefined);
  assert.doesNotMatch(traceText(t), /Priority models differ/);
  assert.equal((traceJson(t) as Record<string, unknown>).otherPriorityModel, undefined);
});

test('trace CLI: --priority documented|computed, anything else is a usage error', () => {
  const documented = cli(['--state', TEAMS, '--priority', 'documented', '-X', 'POST', 'http://any.example/login']);
  assert.equal(documented.code, 0, documented.stderr);
  assert.match(documented.stdout, /^Route: Kong route team-b\.api-post\.api\.\.80/m);
  assert.match(cli(['--state', TEAMS, '-X', 'POST', 'http://any.example/login']).stdout, /^Route: Kong route team-a\.login\.login\.\.80/m);
  const bad = cli(['--state', TEAMS, '--priority', 'docs', 'http://any.example/login']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--priority must be computed or documented, not "docs"/);
});

// A 404's nearest misses come from indexes (the Host's routes, a host differing in case, routes of other hosts whose
// path can match), not from every route of the state.
function hostIngress(name: string, host: string, path: string): K8sObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { ingressClassName: 'kong', rules: [{ host, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: 'echo', port: { number: 80 } } } }] } }] },
  };
}

test('404 nearest misses: the Host\'s own routes, a case slip, and other hosts serving the path; not routes failing host and path', async () => {
  const base = await objectsFrom(join(FIXTURES, 'inputs', 'a1-ingressclass-kong.yaml'), join(FIXTURES, 'inputs', 'b1-service-echo.yaml'));
  const objects = [
    ...base,
    hostIngress('own', 'app.example.com', '/orders'),
    hostIngress('case', 'APP.example.com', '/cart'),
    hostIngress('elsewhere', 'shop.example.com', '/api/v1'),
    hostIngress('unrelated', 'blog.example.com', '/posts'),
  ];
  const tr = new Translator(new Store(objects), DEFAULT_POLICY.translate);
  const t = traceRequest(tr, { url: 'http://app.example.com/api/v1/users' });
  assert.equal(t.outcome.status, 404);
  const near = (traceJson(t) as { nearest: { route: string; failures: { code: string }[] }[] }).nearest;
  assert.deepEqual(near.map((n) => [n.route, n.failures.map((f) => f.code)]).sort(), [
    ['default.case.echo.APP.example.com.80', ['host-case', 'path-kic-prefix']],
    ['default.elsewhere.echo.shop.example.com.80', ['host-mismatch']],
    ['default.own.echo.app.example.com.80', ['path-kic-prefix']],
  ]);
  // The valid neighbour: a request the unrelated route serves is answered by it.
  assert.equal(traceRequest(tr, { url: 'http://blog.example.com/posts' }).resolution.winner?.part.route.name, 'default.unrelated.echo.blog.example.com.80');
});

test('the indexed resolution picks what resolving every route picks, and beats the same routes (traditional_compatible and expressions)', async () => {
  const urls = ['http://x.example/login', 'http://secure.example.com/', 'https://secure.example.com/a', 'http://Secure.example.com/', 'http://shop.example.com/orders/1', 'http://shop.example.com/ordersx', 'http://app.example.com/', 'http://unknown.example.org/x', 'http://203.0.113.1/random'];
  for (const flavor of ['traditional_compatible', 'expressions'] as const) {
    const tr = new Translator(new Store(await objectsFrom(TEAMS, FALLBACK)), { ...DEFAULT_POLICY.translate, kongRouterFlavor: flavor });
    const all = allRoutes(tr).map(routerRoute);
    for (const method of ['GET', 'POST']) {
      for (const url of urls) {
        const t = traceRequest(tr, { url, method });
        const full = resolve(all, requestInput({ url, method }), routerFlavorOf(tr));
        const ids = (r: typeof full) => [r.winner?.part.id, r.possibleWinners.map((c) => c.part.id), r.shadowed.map((l) => l.candidate.part.id), r.unevaluable.map((c) => c.part.id)];
        assert.deepEqual(ids(t.resolution), ids(full), `${flavor} ${method} ${url}`);
      }
    }
  }
});

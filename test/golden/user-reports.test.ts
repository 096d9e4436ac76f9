// Real user reports (GitHub issues of Kong/kubernetes-ingress-controller, Kong/kong and Kong's docs), each reduced to
// its manifests in test/fixtures/user-reports/<name>.yaml, whose header names the report and what KIC and Kong really
// did with it (from the thread's resolution and, where needed, KIC v3.5.13's and Kong 3.9.3's source). Each file is
// the whole state, judged as `check` judges it. The verdicts below are what ingress-guard must answer: where the real
// system refused or broke the configuration, the rule that says so; where it worked, nothing deny-level (a report
// that worked must never be denied).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { audit } from '../../src/engine/evaluate.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';
import { loadManifests } from '../../src/state/manifests.ts';
import { Store } from '../../src/state/store.ts';
import { Translator } from '../../src/translate/translator.ts';
import { traceRequest } from '../../src/trace/trace.ts';
import { FIXTURES } from '../helpers.ts';

const DIR = join(FIXTURES, 'user-reports');

interface Verdict {
  /** Rule ids of the deny-level findings (empty: allowed). */
  deny: string[];
  /** Rule ids of the warnings. */
  warn: string[];
  /** How the report's real outcome relates to the verdict. */
  real: 'refused' | 'broken' | 'worked';
}

const allowed = (warn: string[] = []): Verdict => ({ deny: [], warn, real: 'worked' });

const VERDICTS: Record<string, Verdict> = {
  // Kong refused the configuration (400 from /config, or KIC's event): ingress-guard denies with the rule that says why.
  'kic-5226-duplicate-consumer-username.yaml': { deny: ['duplicate-consumer-identity'], warn: [], real: 'refused' },
  'kong-13684-consumer-username-across-namespaces.yaml': { deny: ['duplicate-consumer-identity'], warn: [], real: 'refused' },
  'kong-6524-bot-detection-allow-string.yaml': { deny: ['plugin-config-invalid'], warn: [], real: 'refused' },
  'kong-12260-rate-limiting-policy-cluster-dbless.yaml': { deny: ['plugin-config-invalid'], warn: [], real: 'refused' },
  'kic-5555-kongclusterplugin-nested-config.yaml': { deny: ['plugin-config-invalid'], warn: [], real: 'refused' },
  'kic-5602-two-prometheus-on-one-service.yaml': { deny: ['duplicate-plugin-scope'], warn: [], real: 'refused' },
  'kic-4315-auth-plugin-on-consumer.yaml': { deny: ['plugin-not-allowed-on-consumer'], warn: [], real: 'refused' },
  'kic-3924-service-protocol-tcp-behind-ingress.yaml': { deny: ['service-protocol-rejected'], warn: [], real: 'refused' },
  'kong-12937-httproute-regex-without-slash.yaml': { deny: ['invalid-httproute-path'], warn: [], real: 'refused' },
  'kic-docs-6425-grpc-route-with-methods.yaml': { deny: ['kong-entity-invalid'], warn: [], real: 'refused' },
  // The label global: "true" makes nothing global on a KongPlugin in KIC 3.x (only KongClusterPlugins): it runs nowhere.
  'kic-293-acl-unknown-fields.yaml': { deny: ['plugin-config-invalid'], warn: ['kongplugin-global-label'], real: 'refused' },
  // Accepted by Kong, but it did not do what was meant (404s, settings ignored): ingress-guard says so.
  'kong-9664-regex-path-without-tilde.yaml': { deny: ['invalid-ingress-path'], warn: [], real: 'broken' },
  'kic-258-kongingress-route-strip-path.yaml': { deny: [], warn: ['kongingress-ignored'], real: 'broken' },
  'kic-5576-httproute-rewrite-annotation.yaml': { deny: [], warn: ['unknown-kong-annotation'], real: 'broken' },
  'kic-2116-service-protocols-typo.yaml': { deny: [], warn: ['unknown-kong-annotation'], real: 'broken' },
  'kong-5616-consumer-without-class-annotation.yaml': { deny: [], warn: ['missing-class-annotation'], real: 'broken' },
  'docs-6503-httproute-gateway-missing.yaml': { deny: [], warn: ['missing-gateway'], real: 'refused' },
  // Two regex routes of equal Kong priority, the tie goes by route ID (the trace test below: ingress-guard's router agrees
  // with what the user saw): regex-route-tie names /api/v2/media/x and says AService's route serves it.
  'kic-3789-regex-paths-precedence.yaml': { deny: [], warn: ['regex-route-tie'], real: 'broken' },
  // Worked (with KIC 3.5 / Kong 3.9.3): never denied.
  'kic-631-strip-path-false.yaml': allowed(),
  'kic-1030-key-auth-consumer-credential.yaml': allowed(),
  'kic-5069-credential-label-without-kongcredtype.yaml': allowed(),
  'kic-33-kongingress-hash-on-header.yaml': allowed(),
  'kic-7677-httproute-same-path-two-methods.yaml': allowed(),
  'kic-1440-prefix-path-with-regex-chars.yaml': allowed(),
  // The report's TLS Secret (a CSI-synced one) is not in the fixture, hence the warning about it.
  'kong-7935-https-redirect-hostless-rule.yaml': allowed(['missing-tls-secret']),
};

const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

async function storeOf(file: string): Promise<Store> {
  const loaded = await loadManifests([join(DIR, file)]);
  assert.deepEqual(loaded.problems, [], file);
  return new Store(loaded.objects.map((o) => o.object));
}

test('every user report has a verdict, and every verdict a report', () => {
  assert.deepEqual(FILES, Object.keys(VERDICTS).sort());
});

for (const file of FILES) {
  test(`user report ${file}: its header names the report and what the real system did`, () => {
    const header = readFileSync(join(DIR, file), 'utf8').split('\n').filter((l) => l.startsWith('#')).join('\n');
    assert.match(header, /^# Report: https:\/\/github\.com\/\S+/m);
    assert.match(header, /^# What the real system did:/m);
  });

  test(`user report ${file}: ingress-guard's verdict`, async () => {
    const want = VERDICTS[file]!;
    const findings = audit(await storeOf(file), DEFAULT_POLICY);
    const rules = (severity: string) => [...new Set(findings.filter((f) => f.severity === severity).map((f) => f.rule))].sort();
    const messages = findings.map((f) => `${f.rule}: ${f.message}`).join('\n');
    assert.deepEqual(rules('deny'), [...want.deny].sort(), messages);
    assert.deepEqual(rules('warn'), [...want.warn].sort(), messages);
    if (want.real === 'worked') assert.deepEqual(rules('deny'), [], 'a configuration that worked is never denied');
  });
}

/** The Kong route (by its Kubernetes backend) and outcome ingress-guard's router gives a request, in the report's state. */
async function traced(file: string, url: string): Promise<{ service: string | undefined; status: string | number }> {
  const trace = traceRequest(new Translator(await storeOf(file), DEFAULT_POLICY.translate), { url });
  return { service: trace.service?.name, status: trace.outcome.status };
}

test('KIC #3789: /api/v2/media/xxxx goes to AService, as the user saw: both regex routes have priority 0x0008000020000000 and the tie goes by route ID', async () => {
  assert.equal((await traced('kic-3789-regex-paths-precedence.yaml', 'http://x/api/v2/media/abc')).service, 'default.aservice.80');
});

test('KIC #3789: regex-route-tie names a request both regexes match and the route the trace says serves it', async () => {
  const findings = audit(await storeOf('kic-3789-regex-paths-precedence.yaml'), DEFAULT_POLICY).filter((f) => f.rule === 'regex-route-tie');
  assert.equal(findings.length, 1);
  const { message } = findings[0]!;
  const url = /both match GET (\S+),/.exec(message)?.[1];
  assert.ok(url, message);
  assert.equal((await traced('kic-3789-regex-paths-precedence.yaml', url)).service, 'default.aservice.80');
  assert.match(message, /so default\.api\.aservice\.\.80 serves the request and default\.api\.bservice\.\.80 never gets it/);
});

test('Kong #7935: with Kong 3.x, http://api-ci.test.com/ matches the hostless https-only route and is redirected (302), not 404', async () => {
  assert.equal((await traced('kong-7935-https-redirect-hostless-rule.yaml', 'http://api-ci.test.com/')).status, 302);
});

test("KIC #1440: Prefix \"/ams-ui/.*\" serves /ams-ui/anything through KIC's unescaped regex half", async () => {
  for (const path of ['/ams-ui/x/y', '/ams-ui/', '/ams-ui']) {
    assert.equal((await traced('kic-1440-prefix-path-with-regex-chars.yaml', `http://a.example.com${path}`)).service, 'default.ams-ui.80', path);
  }
});

// KIC's documentation as a regression corpus (test/fixtures/kic-docs, extracted by hand with
// scripts/kic-docs/extract.ts from Kong/developer.konghq.com): every page about the Kong Ingress Controller that
// applies Kubernetes manifests, one fixture per page, its steps in page order. Each step's objects are applied as
// changes on top of the state the earlier steps built, each judged as the webhook judges an admission request
// (StateCheck, the code path of `check --state`), under the page's setup: its tab (Gateway API or Ingress), its KIC
// feature gates, Kong's default router flavor (traditional_compatible; no page asks for another) and Kong OSS 3.9.3,
// unless the page is about a Kong Enterprise feature (then kongEdition: enterprise, said below).
//
// A page that presents its configuration as working is never denied. The only denials are on pages that show the
// configuration as broken (the fallback how-tos, the admission webhook reference, events and failure-modes pages) and
// on pages written for a newer Kong than 3.9.3. Warnings are listed too, so that any change shows up in review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { FIXTURES } from '../helpers.ts';
import { readSteps, replay, variantsOf, type Step } from './kic-docs-steps.ts';

const DIR = join(FIXTURES, 'kic-docs');

interface Page {
  /**
   * works: the page presents every step as working. broken: it shows (some of) them failing, on purpose.
   * newer: it targets a newer Kong or KIC than 3.9.3 / 3.5, whose denial is true for those.
   */
  status: 'works' | 'broken' | 'newer';
  /** Why, for broken and newer pages, and for each setting below. */
  reason?: string;
  kongEdition?: 'enterprise';
  customPlugins?: string[];
  /** Findings, each "<tab> step N <Kind> <namespace/name>: <rule>" (tab "default" when the page has none). */
  deny: string[];
  warn: string[];
}

const works = (warn: string[] = [], extra: Partial<Page> = {}): Page => ({ status: 'works', deny: [], warn, ...extra });

const PAGES: Record<string, Page> = {
  'kic-customize-load-balancing.yaml': works(),
  'kic-external-service.yaml': works(),
  'kic-fallback-config-backfill.yaml': {
    status: 'broken',
    reason: "the page builds KIC's Fallback Configuration scenario: KongConsumer bob names rate-limit-consumer, which route-b already carries, so Kong gets two rate-limiting plugins on one scope and rejects the configuration; the page shows route-b excluded, then backfilled (a true denial). Its Ingress tab renders route-b without konghq.com/plugins (httproute.rb's to_ingress drops annotation_plugins), so only the Gateway API tab breaks",
    deny: ['gateway-api step 12 KongConsumer kong/bob: duplicate-plugin-scope'],
    warn: ['gateway-api step 8 HTTPRoute kong/route-b: duplicate-plugin-scope'],
  },
  'kic-fallback-config-exclude.yaml': {
    status: 'broken',
    reason: "as kic-fallback-config-backfill: the page breaks route-b on purpose to show KIC's fallback excluding it (a true denial); only the Gateway API tab carries the plugins",
    deny: ['gateway-api step 12 KongConsumer kong/bob: duplicate-plugin-scope'],
    warn: ['gateway-api step 8 HTTPRoute kong/route-b: duplicate-plugin-scope'],
  },
  'kic-get-started-key-authentication.yaml': works(),
  'kic-get-started-proxy-caching.yaml': works(),
  'kic-get-started-rate-limiting.yaml': works(),
  'kic-get-started-services-routes.yaml': works(),
  'kic-observability-prometheus-grafana.yaml': works(),
  'kic-plugin-acl.yaml': works(),
  'kic-plugin-authentication.yaml': works(),
  'kic-plugin-custom.yaml': works([], { customPlugins: ['myheader'], reason: "the page's custom plugin myheader, which its Helm values load into Kong from ConfigMaps" }),
  'kic-plugin-degraphql.yaml': works([], { kongEdition: 'enterprise', reason: "the degraphql plugin and its degraphql_routes custom entities are Kong Enterprise (the page installs kong/kong-gateway with a license)" }),
  'kic-plugin-mtls.yaml': works([], { kongEdition: 'enterprise', reason: "mtls-auth is a Kong Enterprise plugin (the page installs kong/kong-gateway with a license)" }),
  'kic-plugin-oidc.yaml': works(['gateway-api step 5 HTTPRoute kong/keycloak: missing-backend-service', 'ingress step 6 Ingress kong/keycloak: missing-backend-service'], { kongEdition: 'enterprise', reason: "openid-connect is a Kong Enterprise plugin (the page installs kong/kong-gateway with a license). The keycloak Service comes from the page's Helm install of Keycloak, not in the fixture: missing-backend-service" }),
  'kic-plugin-rate-limiting.yaml': works(),
  'kic-proxy-cross-namespace.yaml': works(),
  'kic-proxy-grpc-http.yaml': works(),
  'kic-proxy-grpc.yaml': works(),
  'kic-proxy-http.yaml': works(),
  'kic-proxy-https.yaml': works(),
  'kic-proxy-rewriting-paths.yaml': works(),
  'kic-proxy-tcp-port.yaml': works(),
  'kic-proxy-tcp-sni.yaml': works(),
  'kic-proxy-udp.yaml': works(),
  'kic-proxy-weights.yaml': works(),
  'kic-redirect-to-https.yaml': works(),
  'kic-ref-admission-webhook.yaml': {
    status: 'broken',
    reason: "every example on the page is one KIC's own admission webhook refuses, with its message: a duplicate consumer username, a request-id plugin with an unknown field, credentials missing a field or naming an unknown type, an Ingress regex PCRE cannot compile (true denials). Missed: the HTTPRoute example with the same regex is refused by KIC on the page because its cluster has a Gateway default/kong, which the page never creates; here it is only missing-gateway",
    deny: ['gateway-api step 3 KongConsumer default/alice2: duplicate-consumer-identity', 'gateway-api step 4 KongPlugin default/request-id: plugin-config-invalid', 'gateway-api step 5 Secret default/missing-password-credential: credential-invalid', 'gateway-api step 6 Secret default/wrong-cred-credential: credential-invalid', 'ingress step 3 KongConsumer default/alice2: duplicate-consumer-identity', 'ingress step 4 KongPlugin default/request-id: plugin-config-invalid', 'ingress step 5 Secret default/missing-password-credential: credential-invalid', 'ingress step 6 Secret default/wrong-cred-credential: credential-invalid', 'ingress step 8 Ingress default/echo: invalid-ingress-path'],
    warn: ['gateway-api step 7 HTTPRoute default/echo-httproute: missing-gateway', 'ingress step 8 Ingress default/echo: missing-backend-service'],
  },
  'kic-ref-faq-combining-httproutes.yaml': works(['default step 1 HTTPRoute default/httproute-consolidated-1: missing-gateway', 'default step 1 HTTPRoute default/httproute-consolidated-2: missing-gateway']),
  'kic-ref-faq-custom-nginx-conf.yaml': works(),
  'kic-ref-gateway-api.yaml': works(['default step 1 Gateway default/example: unknown-gateway-class']),
  'kic-ref-ingress.yaml': works(['default step 1 Ingress default/echo-ingress: missing-backend-service', 'default step 1 KongConsumer default/alice: missing-credential-secret']),
  'kic-ref-license.yaml': works(),
  'kic-ref-migrate-kongingress.yaml': works(['default step 1 KongIngress default/example-kongingress: kongingress-ignored']),
  'kic-ref-observability-events.yaml': {
    status: 'broken',
    reason: "the page shows both objects failing: an Ingress with konghq.com/methods and konghq.com/protocols grpcs (Kong: cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs') and a KongClusterPlugin prometheus with config nested in config (the page: an incorrect schema)",
    deny: ['default step 1 Ingress default/httpbin: kong-entity-invalid', 'default step 2 KongClusterPlugin prometheus: plugin-config-invalid'],
    warn: ['default step 1 Ingress default/httpbin: missing-backend-service'],
  },
  'kic-ref-reference-annotations.yaml': works(),
  'kic-ref-reference-secrets-in-plugins.yaml': works(['default step 1 KongPlugin default/rate-limiting-example: plugin-config-secret-missing', 'default step 3 Secret default/rate-limit-redis: plugin-config-secret-missing']),
  'kic-ref-split-traffic.yaml': works(['gateway-api step 3 HTTPRoute internal/echo-internal: missing-backend-service']),
  'kic-ref-troubleshooting-failure-modes.yaml': {
    status: 'broken',
    reason: "the page shows the Ingress path /~^^/a$ failing with Kong's invalid paths.1 event",
    deny: ['default step 1 Ingress default/ingress-invalid-regex: invalid-ingress-path'],
    warn: ['default step 1 Ingress default/ingress-invalid-regex: missing-backend-service'],
  },
  'kic-rotate-tls-certificates.yaml': works(),
  'kic-service-healthchecks.yaml': works(),
  'kic-sticky-session-with-drain-support.yaml': {
    status: 'newer',
    reason: "the page's min_version is Kong Gateway 3.11 (KIC 3.5): KongUpstreamPolicy algorithm sticky-sessions, which KIC 3.5 refuses for Kong before 3.11 (as KIC's own drain_support example, test/golden/kic-examples.test.ts). True for Kong 3.9.3",
    deny: ['gateway-api step 6 Service kong/echo: upstream-policy-unsupported', 'ingress step 6 Service kong/echo: upstream-policy-unsupported'],
    warn: [],
  },
  'kic-sticky-sessions.yaml': {
    status: 'newer',
    reason: "as kic-sticky-session-with-drain-support: min_version Kong Gateway 3.11, sticky-sessions algorithm. True for Kong 3.9.3",
    deny: ['gateway-api step 6 Service kong/echo: upstream-policy-unsupported', 'ingress step 6 Service kong/echo: upstream-policy-unsupported'],
    warn: [],
  },
  'kic-vault-aws.yaml': works([], { kongEdition: 'enterprise', reason: "the aws vault backend is Kong Enterprise (prereqs: enterprise)" }),
  'kic-vault-gcp.yaml': works([], { kongEdition: 'enterprise', reason: "the gcp vault backend is Kong Enterprise (prereqs: enterprise)" }),
  'kic-vault-hashicorp.yaml': works([], { kongEdition: 'enterprise', reason: "the hcv vault backend is Kong Enterprise (prereqs: enterprise)" }),
  'kic-verify-upstream-tls.yaml': works(),
  'use-kong-as-delegated-gateway.yaml': works(['default step 3 HTTPRoute kong-mesh-demo/demo-app: missing-backend-service']),
};

const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

/** The page's setup: edition, custom plugins, and the KIC feature gates its header names (from its Helm install). */
function policyOf(page: Page, header: string): Policy {
  const gates = /^# KIC feature gates: (.*)$/m.exec(header)?.[1] ?? '';
  return {
    ...DEFAULT_POLICY,
    customPlugins: page.customPlugins ?? [],
    translate: {
      ...DEFAULT_POLICY.translate,
      kongEdition: page.kongEdition ?? 'oss',
      gatewayAlpha: /\bGatewayAlpha=true\b/.test(gates),
      kongServiceFacade: /\bKongServiceFacade=true\b/.test(gates),
      rewriteURIs: /\bRewriteURIs=true\b/.test(gates),
    },
  };
}

function verdicts(steps: Step[], policy: Policy): { deny: string[]; warn: string[] } {
  const deny = new Set<string>();
  const warn = new Set<string>();
  for (const variant of variantsOf(steps)) {
    for (const j of replay(steps, variant, policy)) {
      for (const f of j.findings) (f.severity === 'deny' ? deny : warn).add(`${variant} step ${j.step} ${j.object}: ${f.rule}`);
    }
  }
  return { deny: [...deny].sort(), warn: [...warn].sort() };
}

test('every KIC docs page has its expectations, and every expectation a page', () => {
  assert.deepEqual(FILES, Object.keys(PAGES).sort());
});

for (const file of FILES) {
  const page = PAGES[file]!;
  test(`KIC docs page ${file}: its header names the source, and it has steps`, () => {
    const { header, steps } = readSteps(join(DIR, file));
    assert.match(header, /^# Source: Kong\/developer\.konghq\.com, commit [0-9a-f]{40}, app\/\S+\.md \(MIT License\)$/m);
    assert.match(header, /^# Page: https:\/\/developer\.konghq\.com\/\S+$/m);
    assert.ok(steps.length > 0);
    assert.deepEqual(steps.map((s) => s.n), steps.map((_, i) => i + 1), 'steps numbered in order');
  });

  test(`KIC docs page ${file}: ${page.status === 'works' ? 'nothing denied' : `denied only as expected (${page.status})`}`, () => {
    const { header, steps } = readSteps(join(DIR, file));
    const got = verdicts(steps, policyOf(page, header));
    assert.deepEqual(got.deny, [...page.deny].sort(), 'denials');
    assert.deepEqual(got.warn, [...page.warn].sort(), 'warnings');
    if (page.status === 'works') assert.deepEqual(got.deny, [], 'a page that presents its configuration as working is never denied');
    if (page.status !== 'works') assert.ok(page.reason, 'a page with denials says why');
  });

  // The kong/ingress chart's DB-less Kong may run the expressions router (KIC's upgrade notes); a working page must
  // not be denied under it either.
  if (page.status === 'works') {
    test(`KIC docs page ${file}: nothing denied with kongRouterFlavor expressions either`, () => {
      const { header, steps } = readSteps(join(DIR, file));
      const base = policyOf(page, header);
      const got = verdicts(steps, { ...base, translate: { ...base.translate, kongRouterFlavor: 'expressions' } });
      assert.deepEqual(got.deny, []);
    });
  }
}

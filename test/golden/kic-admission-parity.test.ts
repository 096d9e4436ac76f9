// Verdict parity with KIC 3.5's own admission webhook tests. test/fixtures/kic-admission/*.yaml hold, per KIC test
// table, each case's objects written as manifests (the cluster it runs against, then the changes it makes, in order)
// and KIC's verdict for each change, with the file, test and line they come from (KIC v3.5.13). Each change is
// judged here exactly as the webhook judges an admission request, and the verdict must be the one in GUARD below:
// `allowed`, or the rule ids that deny it. Where that verdict differs from KIC's, DIVERGENCES must say why: a
// configuration KIC's webhook lets through but Kong 3.9.3 itself would reject (ingress-guard's mission), or a
// refusal of KIC's that ingress-guard does not model. A verdict that changes, or a divergence without a reason,
// fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_POLICY, type Policy } from '../../src/engine/policy.ts';
import { policyFromConfig } from '../../src/engine/policy-config.ts';
import { keyOf, type K8sObject } from '../../src/model/object.ts';
import { Store } from '../../src/state/store.ts';
import { apply, FIXTURES, remove, yamlObjects } from '../helpers.ts';

const DIR = join(FIXTURES, 'kic-admission');

interface Change {
  kic: 'allowed' | 'denied';
  kicMessage?: string;
  object: unknown;
  /** The change deletes this object (it must be in the state). */
  delete?: boolean;
}
interface Case {
  id: string;
  /** KIC's subtest name. */
  name: string;
  /** KIC's file, when the group's source is a folder. */
  file?: string;
  line: number;
  settings?: Record<string, unknown>;
  state?: (string | Record<string, unknown>)[];
  changes: Change[];
}
interface Group {
  /** KIC's test file (or folder) the cases come from. */
  source: string;
  test?: string;
  settings?: Record<string, unknown>;
  shared?: Record<string, unknown>;
  cases: Case[];
}

/** ingress-guard's verdict on each change of each case: `allowed`, or the ids of the rules that deny it. */
const GUARD: Record<string, string[]> = {
  'cred-unit-valid-credential': ['allowed'],
  'cred-unit-valid-credential-but-not-supported-by-kic': ['allowed'],
  'cred-unit-credential-with-invalid-type': ['credential-invalid'],
  'cred-unit-valid-jwt-credential-with-hs512': ['allowed'],
  'cred-unit-valid-jwt-credential-with-hs384': ['allowed'],
  'cred-unit-valid-jwt-credential-with-hs256': ['allowed'],
  'cred-unit-jwt-rs256-only-algorithm': ['credential-invalid'],
  'cred-unit-jwt-rs256-empty-fields': ['credential-invalid'],
  'cred-unit-invalid-credential-type': ['credential-invalid'],
  'cred-unit-no-credential-type': ['allowed'],
  'cred-unit-missing-required-field': ['credential-invalid'],
  'cred-unit-empty-required-field': ['credential-invalid'],
  'cred-unit-invalid-jwt-credential-with-hs256-missing-secret': ['allowed'],
  'cred-unit-invalid-jwt-credential-with-hs384-missing-secret': ['allowed'],
  'cred-unit-invalid-jwt-credential-with-hs512-missing-secret': ['allowed'],
  'cred-unit-valid-jwt-credential-with-rs256-missing-secret': ['allowed'],
  'cred-unit-valid-jwt-credential-with-rs512-missing-secret': ['allowed'],
  'envtest-vault-valid': ['allowed'],
  'envtest-vault-empty-description': ['allowed'],
  'envtest-vault-unknown-backend': ['kong-entity-invalid'],
  'envtest-vault-unknown-config-field': ['kong-entity-invalid'],
  'envtest-vault-duplicate-prefix': ['duplicate-vault-prefix'],
  'envtest-plugin-configfrom-secret-becomes-invalid': ['allowed', 'allowed', 'allowed'],
  'envtest-plugin-configpatch-secret-becomes-invalid': ['allowed', 'allowed', 'allowed'],
  'envtest-plugin-configpatch-secret-stays-valid': ['allowed', 'allowed', 'allowed'],
  'envtest-clusterplugin-configfrom-stays-valid': ['allowed', 'allowed', 'allowed'],
  'envtest-clusterplugin-configfrom-becomes-invalid': ['allowed', 'allowed', 'allowed'],
  'envtest-clusterplugin-configpatch-stays-valid': ['allowed', 'allowed', 'allowed'],
  'envtest-clusterplugin-configpatch-becomes-invalid': ['allowed', 'allowed', 'allowed'],
  'envtest-consumer-no-credentials': ['allowed'],
  'envtest-consumer-valid-credentials': ['allowed', 'allowed'],
  'envtest-consumer-unconstrained-duplicates': ['allowed', 'allowed', 'allowed'],
  'envtest-consumer-missing-credential-secret': ['allowed'],
  'envtest-consumer-constrained-duplicates': ['allowed', 'allowed', 'duplicate-credential'],
  'envtest-consumer-shared-password': ['allowed', 'allowed'],
  'envtest-consumer-global-duplicate': ['allowed', 'duplicate-credential'],
  'envtest-secret-credentials-lifecycle': ['allowed', 'credential-invalid', 'credential-invalid', 'allowed', 'allowed', 'allowed', 'credential-invalid', 'allowed', 'credential-invalid'],
  'envtest-jwt-rs256-only-algorithm': ['credential-invalid'],
  'envtest-jwt-hs256-key-and-secret': ['allowed'],
  'envtest-jwt-hs384-key-and-secret': ['allowed'],
  'envtest-jwt-hs512-key-and-secret': ['allowed'],
  'envtest-jwt-rs256-no-public-key': ['credential-invalid'],
  'envtest-jwt-rs384-no-public-key': ['credential-invalid'],
  'envtest-jwt-rs512-no-public-key': ['credential-invalid'],
  'envtest-jwt-es256-no-public-key': ['allowed'],
  'envtest-jwt-es384-no-public-key': ['allowed'],
  'envtest-jwt-es512-no-public-key': ['allowed'],
  'envtest-custom-entity-unknown-type': ['invalid-custom-entity'],
  'envtest-custom-entity-session-valid': ['allowed'],
  'envtest-custom-entity-session-unknown-field': ['allowed'],
  'envtest-custom-entity-not-kics': ['allowed'],
  'kongingress-proxy': ['allowed'],
  'kongingress-route': ['allowed'],
  'kongingress-upstream': ['allowed'],
  'kongingress-everything': ['allowed'],
  'service-kongingress-annotation': ['allowed'],
  'service-upstream-policy-annotation': ['allowed'],
  'service-plugins-same-type': ['allowed'],
  'service-plugins-one-missing': ['allowed'],
  'secret-basic-auth-valid': ['allowed'],
  'httproute-no-parentref': ['allowed'],
  'httproute-parentref-service': ['allowed'],
  'httproute-parentref-no-namespace': ['allowed'],
  'httproute-plugins-same-type': ['allowed'],
  'httproute-plugins-one-missing': ['allowed'],
  'httproute-queryparams-traditional': ['unsupported-httproute-feature'],
  'httproute-backendref-group': ['unsupported-httproute-feature'],
  'httproute-backendref-kind': ['unsupported-httproute-feature'],
  'httproute-request-mirror': ['unsupported-httproute-feature'],
  'httproute-cors-filter': ['unsupported-httproute-feature'],
  'httproute-timeout-same': ['allowed'],
  'httproute-timeout-different': ['unsupported-httproute-feature'],
  'httproute-backendref-filters': ['unsupported-httproute-feature'],
  'httproute-invalid-protocols': ['invalid-kong-annotation'],
  'httproute-urlrewrite-full-path': ['allowed'],
  'httproute-urlrewrite-hostname': ['allowed'],
  'httproute-urlrewrite-prefix': ['allowed'],
  'httproute-mirror-existing-and-missing-gateway': ['unsupported-httproute-feature'],
  'ingress-unit-invalid-protocols': ['invalid-kong-annotation'],
  'ingress-unit-http-and-tcp': ['kong-entity-invalid'],
  'int-ingress-trad-valid': ['allowed'],
  'int-ingress-trad-other-class': ['unknown-ingress-class'],
  'int-ingress-trad-other-class-legacy': ['allowed'],
  'int-ingress-trad-multi-host-regex': ['allowed'],
  'int-ingress-expr-valid': ['allowed'],
  'int-ingress-expr-other-class': ['unknown-ingress-class'],
  'int-ingress-expr-other-class-legacy': ['allowed'],
  'int-ingress-expr-multi-host-regex': ['allowed'],
  'int-ingress-trad-invalid-regex': ['invalid-ingress-path'],
  'int-ingress-trad-tilde-without-slash': ['invalid-ingress-path'],
  'int-ingress-expr-invalid-regex': ['invalid-ingress-path'],
  'int-ingress-expr-tilde-regex': ['allowed'],
  'int-ingress-expr-tilde-invalid-regex': ['invalid-ingress-path'],
  'int-httproute-trad-valid': ['allowed'],
  'int-httproute-trad-missing-gateway': ['allowed'],
  'int-httproute-trad-unmanaged-invalid-regex': ['allowed'],
  'int-httproute-trad-valid-regexes': ['allowed'],
  'int-httproute-trad-invalid-path-regex': ['invalid-httproute-path'],
  'int-httproute-expr-valid': ['allowed'],
  'int-httproute-expr-missing-gateway': ['allowed'],
  'int-httproute-expr-unmanaged-invalid-regex': ['allowed'],
  'int-httproute-expr-valid-regexes': ['allowed'],
  'int-httproute-expr-invalid-path-regex': ['invalid-httproute-path'],
  'int-httproute-expr-invalid-header-regex': ['invalid-httproute-path'],
  'int-gateway-valid': ['allowed'],
  'int-kongingress-upstream-deprecated': ['allowed'],
  'plugin-configpatch-invalid-json': ['allowed'],
  'plugin-configfrom-missing-key': ['allowed'],
  'clusterplugin-configpatch-invalid-json': ['allowed'],
  'clusterplugin-configfrom-missing-key': ['allowed'],
  'consumer-plain': ['allowed'],
  'consumer-username-exists': ['duplicate-consumer-identity'],
  'consumer-plugins-same-type': ['allowed'],
  'consumer-plugins-one-missing': ['allowed'],
  'consumergroup-enterprise': ['allowed'],
  'consumergroup-enterprise-plugins-same-type': ['allowed'],
  'consumergroup-enterprise-plugins-one-missing': ['allowed'],
  'consumergroup-oss': ['consumer-group-needs-enterprise'],
  'credential-key-auth-no-consumer': ['allowed'],
  'credential-key-auth-missing-key': ['credential-invalid'],
  'credential-key-auth-named-no-consumer': ['allowed'],
  'credential-key-auth-with-consumer': ['allowed'],
  'credential-key-auth-named-missing-key': ['credential-invalid'],
  'ingress-other-class': ['unknown-ingress-class'],
  'ingress-other-class-service-backend': ['unknown-ingress-class'],
  'ingress-plugins-same-type': ['allowed'],
  'ingress-plugins-one-missing': ['allowed'],
  'ingress-facade-other-class': ['unknown-ingress-class'],
  'ingress-facade-missing': ['allowed'],
  'ingress-facade-flag-off-other-class': ['unknown-ingress-class'],
  'vault-valid': ['allowed'],
  'vault-duplicate-prefix': ['duplicate-vault-prefix'],
};

const V = 'internal/admission/validator.go'; // KIC v3.5.13
const UNKNOWN_CLASS =
  `unknown-ingress-class denies an Ingress whose spec.ingressClassName names no IngressClass. KIC's webhook skips every Ingress that is not of its class (${V}:460-461), and nothing reaches Kong: a false denial by KIC's measure, kept because DESIGN.md ("Rules") makes an unknown ingress class a denial; left for the project to decide`;
const PLUGIN_SECRET_VALUE =
  'KIC re-validates a KongPlugin or KongClusterPlugin against Kong when a Secret it reads its config from changes (handler.go:313, checkReferrersOfSecret); ingress-guard never keeps Secret values, so it cannot judge a configuration that comes from one (README: "Values from Secrets in plugin configs")';
const JWT_HMAC_SECRET =
  'KIC\'s webhook requires every field of credentials/vars.go:33 (JWTAuthFields), so an HS* jwt credential without "secret" is refused (validation.go:43-58); KIC\'s translator passes it on and Kong 3.9.3 generates the secret (jwt/daos.lua: secret is auto), so the configuration works: ingress-guard models what KIC\'s translator and Kong refuse (credential-invalid), not this webhook-only refusal';
const JWT_ES_PUBLIC_KEY =
  'KIC\'s webhook requires rsa_public_key for every non-HMAC algorithm (credentials/validation.go:40-58); Kong 3.9.3 requires it only for RS*, PS* and EdDSA (kong/plugins/jwt/daos.lua:51-63), so KIC\'s translator and Kong accept an ES* credential without one: not modelled (credential-invalid follows Kong)';
const DANGLING = (what: string, rule: string) =>
  `KIC's webhook refuses ${what}; ingress-guard warns (${rule}): a reference that may simply not exist yet in a batch apply (DESIGN.md "Rules"), and strict: true denies it`;

/** Why ingress-guard's verdict differs from KIC's, per case whose verdicts differ. */
const DIVERGENCES: Record<string, string> = {
  'ingress-other-class': UNKNOWN_CLASS,
  'ingress-other-class-service-backend': UNKNOWN_CLASS,
  'ingress-facade-other-class': UNKNOWN_CLASS,
  'ingress-facade-flag-off-other-class': UNKNOWN_CLASS,
  'int-ingress-trad-other-class': UNKNOWN_CLASS,
  'int-ingress-expr-other-class': UNKNOWN_CLASS,
  'ingress-facade-missing': DANGLING(`an Ingress whose KongServiceFacade backend does not exist (${V}:456, the translator's error)`, 'unusable-backend-resource'),
  'plugin-configfrom-missing-key': DANGLING(`a plugin whose configFrom Secret lacks the key (${V}:354)`, 'plugin-config-secret-missing'),
  'clusterplugin-configfrom-missing-key': DANGLING(`a plugin whose configFrom Secret lacks the key (${V}:400)`, 'plugin-config-secret-missing'),
  'envtest-consumer-missing-credential-secret': DANGLING(`a KongConsumer whose credential Secret does not exist (${V}:184)`, 'missing-credential-secret'),
  'plugin-configpatch-invalid-json': `KIC refuses a configPatches value that is not JSON (${V}:349); ingress-guard keeps no Secret values and does not detect it (README: "one whose Secret value is not JSON (KIC drops it too) is not detected")`,
  'clusterplugin-configpatch-invalid-json': `KIC refuses a configPatches value that is not JSON (${V}:394); ingress-guard keeps no Secret values and does not detect it (README: "one whose Secret value is not JSON (KIC drops it too) is not detected")`,
  'envtest-plugin-configfrom-secret-becomes-invalid': PLUGIN_SECRET_VALUE,
  'envtest-plugin-configpatch-secret-becomes-invalid': PLUGIN_SECRET_VALUE,
  'envtest-clusterplugin-configfrom-becomes-invalid': PLUGIN_SECRET_VALUE,
  'envtest-clusterplugin-configpatch-becomes-invalid': PLUGIN_SECRET_VALUE,
  'cred-unit-invalid-jwt-credential-with-hs256-missing-secret': JWT_HMAC_SECRET,
  'cred-unit-invalid-jwt-credential-with-hs384-missing-secret': JWT_HMAC_SECRET,
  'cred-unit-invalid-jwt-credential-with-hs512-missing-secret': JWT_HMAC_SECRET,
  'envtest-jwt-es256-no-public-key': JWT_ES_PUBLIC_KEY,
  'envtest-jwt-es384-no-public-key': JWT_ES_PUBLIC_KEY,
  'envtest-jwt-es512-no-public-key': JWT_ES_PUBLIC_KEY,
  'envtest-custom-entity-session-unknown-field': `KIC asks Kong to validate a KongCustomEntity's fields (${V}:618, ValidateCustomEntity); ingress-guard does not run Kong's validation of custom entities (README: "Kong's own validation of the entity (ValidateCustomEntity) is not run")`,
};

/** Objects as the API server would hand them over (parsed the way manifests are). */
function objects(values: unknown[]): K8sObject[] {
  return values.length ? yamlObjects(values.map((v) => stringify(v)).join('---\n')) : [];
}

function policyOf(settings: Record<string, unknown> | undefined): Policy {
  return settings ? policyFromConfig(settings, 'case settings') : DEFAULT_POLICY;
}

const groups: { file: string; group: Group }[] = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((file) => ({ file, group: parse(readFileSync(join(DIR, file), 'utf8')) as Group }));

/** Runs a case's changes in order against its state; the verdict of each. */
function run(group: Group, c: Case): string[] {
  const resolve = (s: string | Record<string, unknown>): unknown => {
    if (typeof s !== 'string') return s;
    const found = group.shared?.[s];
    if (!found) throw new Error(`${c.id}: no shared object ${s}`);
    return found;
  };
  const policy = policyOf(c.settings ?? group.settings);
  const store = new Store(objects((c.state ?? []).map(resolve)));
  return c.changes.map((change) => {
    const [object] = objects([resolve(change.object as string | Record<string, unknown>)]);
    const verdict = change.delete ? remove(store, keyOf(object!), policy) : apply(store, object!, policy);
    return verdict.allowed ? 'allowed' : [...new Set(verdict.denials.map((f) => f.rule))].sort().join(',');
  });
}

const ids = new Set<string>();
for (const { file, group } of groups) {
  for (const c of group.cases) {
    test(`KIC ${c.file ?? group.source}:${c.line} "${c.name}" (${file} ${c.id})`, () => {
      assert.ok(!ids.has(c.id), `case id ${c.id} is used twice`);
      ids.add(c.id);
      const got = run(group, c);
      if (process.env.KIC_PARITY_DUMP) console.log(JSON.stringify({ id: c.id, kic: c.changes.map((x) => x.kic), got }));
      assert.deepEqual(got, GUARD[c.id], `ingress-guard's verdicts on ${c.id}`);
      const differs = got.some((v, i) => (v === 'allowed') !== (c.changes[i]!.kic === 'allowed'));
      assert.equal(differs, c.id in DIVERGENCES, differs ? `${c.id} differs from KIC's verdict: DIVERGENCES must say why` : `${c.id} agrees with KIC: no divergence to explain`);
    });
  }
}

test('every GUARD and DIVERGENCES entry names a case of the fixtures', () => {
  const all = new Set(groups.flatMap(({ group }) => group.cases.map((c) => c.id)));
  assert.deepEqual(Object.keys(GUARD).filter((id) => !all.has(id)), []);
  assert.deepEqual(Object.keys(DIVERGENCES).filter((id) => !all.has(id)), []);
});

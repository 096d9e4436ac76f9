// The configuration file: what it accepts, how it says no, and how flags combine with it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig, policyFrom } from '../../src/cli/config-file.ts';
import { ConfigError } from '../../src/engine/policy-config.ts';
import { DEFAULT_POLICY } from '../../src/engine/policy.ts';

test('a full configuration becomes the policy', () => {
  const policy = parseConfig(
    `ingressClass: kong-internal
gatewayControllerName: example.com/gateway
kicVersion: "3.3"
strict: true
rules:
  missing-plugin: deny
  httproute-path-conflict: "off"
customPlugins: [my-auth]
ignoreNamespaces: [sandbox]
kongEdition: enterprise
kongDatabase: postgres
gatewayAlpha: true
rewriteURIs: true
kongRouterFlavor: expressions
`,
    'config.yaml',
  );
  assert.deepEqual(policy, {
    translate: { ingressClass: 'kong-internal', gatewayControllerName: 'example.com/gateway', kicVersion: '3.3', kongEdition: 'enterprise', kongDatabase: 'postgres', gatewayAlpha: true, kongServiceFacade: false, rewriteURIs: true, kongRouterFlavor: 'expressions' },
    rules: { 'missing-plugin': 'deny', 'httproute-path-conflict': 'off' },
    strict: true,
    customPlugins: ['my-auth'],
    ignoreNamespaces: ['sandbox'],
  });
});

test('a bare off is the string "off" (YAML 1.2), not a boolean', () => {
  assert.deepEqual(parseConfig('rules:\n  missing-plugin: off\n', 'c.yaml').rules, { 'missing-plugin': 'off' });
});

test('kicVersion: a release written as a YAML number is that release; the default is 3.5', () => {
  assert.equal(parseConfig('kicVersion: 3.4\n', 'c.yaml').translate.kicVersion, '3.4');
  assert.equal(parseConfig('kicVersion: 3.0\n', 'c.yaml').translate.kicVersion, '3.0');
  assert.equal(parseConfig('', 'c.yaml').translate.kicVersion, '3.5');
});

test('an empty file is the defaults', () => {
  assert.deepEqual(parseConfig('', 'empty.yaml'), DEFAULT_POLICY);
  assert.deepEqual(parseConfig('# nothing\n', 'empty.yaml'), DEFAULT_POLICY);
});

const REJECTED: [string, string, RegExp][] = [
  ['an unknown setting, with a suggestion', 'ingresClass: kong\n', /c\.yaml: ingresClass: unknown setting \(did you mean "ingressClass"\?\)/],
  ['a severity outside deny|warn|off', 'rules:\n  missing-plugin: error\n', /rules\.missing-plugin: must be one of deny, warn, off/],
  ['an unknown rule id, with a suggestion', 'rules:\n  missing-plugins: deny\n', /rules\.missing-plugins: no such rule \(did you mean "missing-plugin"\?\)/],
  ['a wrong type', 'strict: "yes"\n', /strict: must be a boolean/],
  ['a KIC release outside 3.0-3.5', 'kicVersion: 2.12\n', /kicVersion: must be one of 3\.0, 3\.1, 3\.2, 3\.3, 3\.4, 3\.5/],
  ['a list of the wrong thing', 'customPlugins: my-auth\n', /customPlugins: must be a list/],
  ['an unknown Kong edition', 'kongEdition: free\n', /kongEdition: must be one of oss, enterprise/],
  ['an unknown Kong database', 'kongDatabase: cassandra\n', /kongDatabase: must be one of off, postgres/],
  ['not a mapping', '- a\n- b\n', /\(top level\): must be a mapping/],
  ['not YAML', 'rules: [\n', /c\.yaml: not valid YAML/],
  ['every problem at once', 'strict: 1\nbogus: true\n', /strict: must be a boolean.*bogus: unknown setting|bogus: unknown setting.*strict: must be a boolean/],
];

for (const [title, text, message] of REJECTED) {
  test(`rejected: ${title}`, () => {
    assert.throws(() => parseConfig(text, 'c.yaml'), (err: unknown) => err instanceof ConfigError && message.test(err.message));
  });
}

test('flags win over the file; a missing file is a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ig-config-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, 'ingressClass: from-file\nstrict: false\n');
  assert.equal(policyFrom(file, {}).translate.ingressClass, 'from-file');
  const flagged = policyFrom(file, { ingressClass: 'from-flag', strict: true });
  assert.equal(flagged.translate.ingressClass, 'from-flag');
  assert.equal(flagged.strict, true);
  assert.deepEqual(policyFrom(undefined, {}), DEFAULT_POLICY);
  assert.throws(() => policyFrom(join(dir, 'nope.yaml'), {}), /cannot read configuration file .*nope\.yaml: ENOENT/);
});

test('the configuration example in the README is valid', () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const example = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, 'README has a configuration example');
  const policy = parseConfig(example, 'README.md');
  assert.equal(policy.rules['httproute-path-conflict'], 'off');
  assert.deepEqual(policy.customPlugins, ['my-header-auth']);
});

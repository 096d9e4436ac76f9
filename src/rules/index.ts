// The rule catalogue, family by family. Ids are stable: operators refer to them in configuration, and the
// README's table lists them in this order (a test keeps the two equal).
import { ANNOTATION_RULES } from './annotations.ts';
import { BACKEND_RULES } from './backends.ts';
import { CLASS_RULES } from './class-annotations.ts';
import { CLASS_REFERENCE_RULES } from './classes.ts';
import { CONSUMER_RULES } from './consumers.ts';
import { CREDENTIAL_RULES } from './credentials.ts';
import { HTTPROUTE_FEATURE_RULES } from './httproute-features.ts';
import { INGRESS_PATH_RULES } from './ingress-paths.ts';
import { pluginConfigInvalid, pluginConfigSecretMissing, unknownPluginRule } from './plugin-config.ts';
import { PLUGIN_RULES } from './plugins.ts';
import { ROUTING_RULES } from './routing.ts';
import type { Rule } from './rule.ts';
import { TLS_RULES } from './tls.ts';

const unknownPlugin = unknownPluginRule([]);

export const RULES: readonly Rule[] = [
  // single objects: plugin configuration and credentials
  pluginConfigInvalid,
  unknownPlugin,
  pluginConfigSecretMissing,
  ...CREDENTIAL_RULES,
  // cross-object: plugin scoping, classes and parents, backends, consumers, routing
  ...PLUGIN_RULES,
  ...CLASS_REFERENCE_RULES,
  ...BACKEND_RULES,
  ...CONSUMER_RULES,
  ...ROUTING_RULES,
  // what KIC ignores silently: annotations, paths and hosts, HTTPRoute features
  ...ANNOTATION_RULES,
  ...INGRESS_PATH_RULES,
  ...HTTPROUTE_FEATURE_RULES,
  // TLS, classes and endpoints: the "default backend - 404" causes
  ...TLS_RULES,
  ...CLASS_RULES,
];

const withCustomPlugins = new Map<string, readonly Rule[]>();

/** The catalogue for an operator's configuration: unknown-plugin accepts their custom plugins. */
export function rulesFor(customPlugins: readonly string[]): readonly Rule[] {
  if (!customPlugins.length) return RULES;
  const key = [...customPlugins].sort().join(',');
  let rules = withCustomPlugins.get(key);
  if (!rules) {
    const custom = unknownPluginRule(customPlugins);
    withCustomPlugins.set(key, (rules = RULES.map((r) => (r === unknownPlugin ? custom : r))));
  }
  return rules;
}

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

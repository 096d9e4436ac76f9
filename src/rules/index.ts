// The rule catalogue, family by family. Ids are stable: operators refer to them in configuration, and the
// README's table lists them in this order (a test keeps the two equal).
import { ANNOTATION_RULES } from './annotations.ts';
import { BACKEND_RULES } from './backends.ts';
import { CLASS_RULES } from './class-annotations.ts';
import { CLASS_REFERENCE_RULES } from './classes.ts';
import { CLASS_PARAMETER_RULES } from './class-parameters.ts';
import { CUSTOM_ENTITY_RULES } from './custom-entities.ts';
import { FACADE_RULES } from './service-facades.ts';
import { BACKEND_TLS_RULES } from './backend-tls.ts';
import { CONSUMER_RULES } from './consumers.ts';
import { CREDENTIAL_RULES } from './credentials.ts';
import { HTTPROUTE_FEATURE_RULES } from './httproute-features.ts';
import { ingressRewriteDropsService } from './ingress-rewrite.ts';
import { HTTPROUTE_PATH_RULES, INGRESS_PATH_RULES } from './ingress-paths.ts';
import { KONG_ENTITY_RULES } from './kong-entities.ts';
import { PLUGIN_CONFIG_RULES } from './plugin-config.ts';
import { PLUGIN_RULES } from './plugins.ts';
import { duplicatePluginInstanceName } from './plugin-instance-names.ts';
import { httpRouteRedirectCopies } from './httproute-redirect-copies.ts';
import { ROUTING_RULES } from './routing.ts';
import { ROUTE_STEALING_RULES } from './route-stealing.ts';
import { ROUTE_PRECEDENCE_RULES } from './route-precedence.ts';
import { REGEX_ROUTE_TIE_RULES } from './regex-route-tie.ts';
import type { Rule } from './rule.ts';
import { TLS_RULES } from './tls.ts';
import { CA_CERTIFICATE_RULES } from './ca-certificates.ts';
import { UPSTREAM_AND_VAULT_RULES } from './upstreams-and-vaults.ts';

export const RULES: readonly Rule[] = [
  // single objects: plugin configuration and credentials
  ...PLUGIN_CONFIG_RULES,
  ...CREDENTIAL_RULES,
  // cross-object: plugin scoping, classes and parents, backends, consumers, routing
  ...PLUGIN_RULES,
  duplicatePluginInstanceName,
  ...CLASS_REFERENCE_RULES,
  ...BACKEND_RULES,
  ...FACADE_RULES,
  ...BACKEND_TLS_RULES,
  ...KONG_ENTITY_RULES,
  ...UPSTREAM_AND_VAULT_RULES,
  ...CONSUMER_RULES,
  ...ROUTING_RULES,
  ...ROUTE_STEALING_RULES,
  ...ROUTE_PRECEDENCE_RULES,
  ...REGEX_ROUTE_TIE_RULES,
  // what KIC ignores silently: annotations, paths and hosts, HTTPRoute features
  ...ANNOTATION_RULES,
  ...INGRESS_PATH_RULES,
  ...HTTPROUTE_PATH_RULES,
  ...HTTPROUTE_FEATURE_RULES,
  httpRouteRedirectCopies,
  ingressRewriteDropsService,
  // TLS, classes and endpoints: the "default backend - 404" causes
  ...TLS_RULES,
  ...CA_CERTIFICATE_RULES,
  ...CLASS_RULES,
  ...CLASS_PARAMETER_RULES,
  // the kinds KIC reads for translation only: custom entities
  ...CUSTOM_ENTITY_RULES,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

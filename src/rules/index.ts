// The rule catalogue. Ids are stable: operators refer to them in configuration.
import { duplicateDefaultBackend, missingBackendService, missingServicePort } from './backends.ts';
import { missingGateway, unknownGatewayClass, unknownIngressClass } from './classes.ts';
import { duplicateConsumerIdentity, duplicateCredential, missingConsumerGroup, missingCredentialSecret } from './consumers.ts';
import { duplicateGlobalPlugin, duplicatePluginScope, missingPlugin, pluginNotAllowedOnConsumer, pluginReferenceNotGranted } from './plugins.ts';
import { httpRoutePathConflict, ingressPathConflict } from './routing.ts';
import type { Rule } from './rule.ts';

export const RULES: readonly Rule[] = [
  duplicatePluginScope,
  duplicateGlobalPlugin,
  pluginNotAllowedOnConsumer,
  missingPlugin,
  pluginReferenceNotGranted,
  unknownIngressClass,
  unknownGatewayClass,
  missingGateway,
  duplicateDefaultBackend,
  missingBackendService,
  missingServicePort,
  duplicateConsumerIdentity,
  duplicateCredential,
  missingCredentialSecret,
  missingConsumerGroup,
  ingressPathConflict,
  httpRoutePathConflict,
];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

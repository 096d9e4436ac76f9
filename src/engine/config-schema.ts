// The configuration file's JSON Schema, as data: scripts/config-validator/generate.ts compiles it with ajv into
// generated/config-validator.ts (a test keeps the two equal), and policy-config.ts names its settings in messages.
import { KIC_VERSIONS } from '../translate/config.ts';

export const CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ingressClass: { type: 'string', minLength: 1 },
    gatewayControllerName: { type: 'string', minLength: 1 },
    kicVersion: { enum: KIC_VERSIONS },
    strict: { type: 'boolean' },
    rules: { type: 'object', additionalProperties: { enum: ['deny', 'warn', 'off'] } },
    customPlugins: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    ignoreNamespaces: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    kongEdition: { enum: ['oss', 'enterprise'] },
    kongDatabase: { enum: ['off', 'postgres'] },
    gatewayAlpha: { type: 'boolean' },
    kongServiceFacade: { type: 'boolean' },
    rewriteURIs: { type: 'boolean' },
    kongRouterFlavor: { enum: ['traditional', 'traditional_compatible', 'expressions'] },
  },
} as const;


// Generated from Kong/developer.konghq.com (commit bc1cd74260f0bddb06dcf004c9c34b53bb870c1a): app/_kong_plugins/*/index.md front matter and
// app/_data/plugins/priorities/*.json, by scripts/kong-schemas/enterprise-plugins.ts: do not edit (MIT-licensed).
// Plugins published by Kong Inc. that Kong OSS does not bundle: tier "enterprise", "ai_gateway_enterprise",
// or none (Konnect features such as ace). minVersion is the first Kong Gateway version that has the plugin (for
// plugins known only from the priority tables: the oldest table that lists it, 3.4 being the oldest there is).

export interface EnterprisePlugin {
  name: string;
  tier: string;
  minVersion: string | null;
  worksOn: string[];
}

export const ENTERPRISE_PLUGINS: readonly EnterprisePlugin[] = [
  {
    "name": "ace",
    "tier": "konnect",
    "minVersion": "3.13",
    "worksOn": [
      "konnect"
    ]
  },
  {
    "name": "ai-a2a-proxy",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.14",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-aws-guardrails",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.11",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-azure-content-safety",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.7",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-custom-guardrail",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.14",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-gcp-model-armor",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.12",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-lakera-guard",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.13",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-llm-as-judge",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.12",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-mcp-oauth2",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.12",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-mcp-proxy",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.12",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-prompt-compressor",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.11",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-proxy-advanced",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.8",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-rag-injector",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.10",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-rate-limiting-advanced",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.7",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-sanitizer",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.10",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-semantic-cache",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.8",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-semantic-prompt-guard",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.8",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "ai-semantic-response-guard",
    "tier": "ai_gateway_enterprise",
    "minVersion": "3.12",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "app-dynamics",
    "tier": "enterprise",
    "minVersion": "3.1",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "application-registration",
    "tier": "enterprise",
    "minVersion": "3.4",
    "worksOn": [
      "on-prem"
    ]
  },
  {
    "name": "canary",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "confluent",
    "tier": "enterprise",
    "minVersion": "3.8",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "confluent-consume",
    "tier": "enterprise",
    "minVersion": "3.10",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "datakit",
    "tier": "enterprise",
    "minVersion": "3.11",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "degraphql",
    "tier": "enterprise",
    "minVersion": "1.3",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "exit-transformer",
    "tier": "enterprise",
    "minVersion": "1.3",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "forward-proxy",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "graphql-proxy-cache-advanced",
    "tier": "enterprise",
    "minVersion": "1.3",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "graphql-rate-limiting-advanced",
    "tier": "enterprise",
    "minVersion": "1.3",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "header-cert-auth",
    "tier": "enterprise",
    "minVersion": "3.8",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "injection-protection",
    "tier": "enterprise",
    "minVersion": "3.9",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "jq",
    "tier": "enterprise",
    "minVersion": "2.6",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "json-threat-protection",
    "tier": "enterprise",
    "minVersion": "3.8",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "jwe-decrypt",
    "tier": "enterprise",
    "minVersion": "3.1",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "jwt-signer",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "kafka-consume",
    "tier": "enterprise",
    "minVersion": "3.10",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "kafka-log",
    "tier": "enterprise",
    "minVersion": "1.3",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "kafka-upstream",
    "tier": "enterprise",
    "minVersion": "1.3",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "key-auth-enc",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem"
    ]
  },
  {
    "name": "konnect-application-auth",
    "tier": "enterprise",
    "minVersion": "3.12",
    "worksOn": [
      "on-prem"
    ]
  },
  {
    "name": "ldap-auth-advanced",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "metering-and-billing",
    "tier": "enterprise",
    "minVersion": "3.14",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "mocking",
    "tier": "enterprise",
    "minVersion": "2.4",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "mtls-auth",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "oas-validation",
    "tier": "enterprise",
    "minVersion": "3.1",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "oauth2-introspection",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "opa",
    "tier": "enterprise",
    "minVersion": "2.4",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "openid-connect",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "proxy-cache-advanced",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "rate-limiting-advanced",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "request-callout",
    "tier": "enterprise",
    "minVersion": "3.10",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "request-transformer-advanced",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "request-validator",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "response-transformer-advanced",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "route-by-header",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "route-transformer-advanced",
    "tier": "enterprise",
    "minVersion": "1.3",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "saml",
    "tier": "enterprise",
    "minVersion": "3.1",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "service-protection",
    "tier": "enterprise",
    "minVersion": "3.9",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "solace-consume",
    "tier": "enterprise",
    "minVersion": "3.12",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "solace-log",
    "tier": "enterprise",
    "minVersion": "3.12",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "solace-upstream",
    "tier": "enterprise",
    "minVersion": "3.11",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "statsd-advanced",
    "tier": "enterprise",
    "minVersion": "3.4",
    "worksOn": [
      "on-prem"
    ]
  },
  {
    "name": "tls-handshake-modifier",
    "tier": "enterprise",
    "minVersion": "3.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "tls-metadata-headers",
    "tier": "enterprise",
    "minVersion": "3.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "upstream-oauth",
    "tier": "enterprise",
    "minVersion": "3.8",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "upstream-timeout",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "vault-auth",
    "tier": "enterprise",
    "minVersion": "1.0",
    "worksOn": [
      "on-prem"
    ]
  },
  {
    "name": "websocket-size-limit",
    "tier": "enterprise",
    "minVersion": "3.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "websocket-validator",
    "tier": "enterprise",
    "minVersion": "3.0",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  },
  {
    "name": "xml-threat-protection",
    "tier": "enterprise",
    "minVersion": "3.1",
    "worksOn": [
      "on-prem",
      "konnect"
    ]
  }
];

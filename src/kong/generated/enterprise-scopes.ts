// Generated from Kong/developer.konghq.com (commit bc1cd74260f0bddb06dcf004c9c34b53bb870c1a): app/_schemas/gateway/plugins/3.9/*.json,
// by scripts/kong-schemas/enterprise-scopes.ts: do not edit (MIT-licensed). The scopes (besides global) Kong
// Gateway Enterprise 3.9 allows each plugin on: a scope a plugin's schema has no property for is refused
// ("consumer_group: value must be null").

export const ENTERPRISE_RELEASE = "3.9";

export type PluginScopeName = 'service' | 'route' | 'consumer' | 'consumer_group';

export const ENTERPRISE_SCOPES: Readonly<Record<string, readonly PluginScopeName[]>> = {
  "acl": [
    "service",
    "route"
  ],
  "acme": [],
  "ai-azure-content-safety": [
    "service",
    "route"
  ],
  "ai-prompt-decorator": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "ai-prompt-guard": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "ai-prompt-template": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "ai-proxy": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "ai-proxy-advanced": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "ai-rate-limiting-advanced": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "ai-request-transformer": [
    "service",
    "route",
    "consumer_group"
  ],
  "ai-response-transformer": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "ai-semantic-cache": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "ai-semantic-prompt-guard": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "app-dynamics": [
    "service",
    "route",
    "consumer"
  ],
  "application-registration": [],
  "aws-lambda": [
    "service",
    "route",
    "consumer"
  ],
  "azure-functions": [
    "service",
    "route",
    "consumer"
  ],
  "basic-auth": [
    "service",
    "route"
  ],
  "bot-detection": [
    "service",
    "route"
  ],
  "canary": [
    "service",
    "route"
  ],
  "confluent": [
    "service",
    "route",
    "consumer"
  ],
  "correlation-id": [
    "service",
    "route",
    "consumer"
  ],
  "cors": [
    "service",
    "route"
  ],
  "datadog": [
    "service",
    "route",
    "consumer"
  ],
  "datadog-tracing": [
    "service",
    "route",
    "consumer_group"
  ],
  "degraphql": [
    "service",
    "route"
  ],
  "exit-transformer": [
    "service",
    "route",
    "consumer"
  ],
  "file-log": [
    "service",
    "route",
    "consumer"
  ],
  "forward-proxy": [
    "service",
    "route",
    "consumer"
  ],
  "graphql-proxy-cache-advanced": [
    "service",
    "route",
    "consumer"
  ],
  "graphql-rate-limiting-advanced": [
    "service",
    "route",
    "consumer"
  ],
  "grpc-gateway": [
    "service",
    "route",
    "consumer"
  ],
  "grpc-web": [
    "service",
    "route",
    "consumer"
  ],
  "header-cert-auth": [
    "service",
    "route"
  ],
  "hmac-auth": [
    "service",
    "route"
  ],
  "http-log": [
    "service",
    "route",
    "consumer"
  ],
  "injection-protection": [
    "service",
    "route"
  ],
  "ip-restriction": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "jq": [
    "service",
    "route",
    "consumer"
  ],
  "json-threat-protection": [
    "service",
    "route"
  ],
  "jwe-decrypt": [
    "service",
    "route"
  ],
  "jwt": [
    "service",
    "route"
  ],
  "jwt-signer": [
    "service",
    "route"
  ],
  "kafka-log": [
    "service",
    "route",
    "consumer"
  ],
  "kafka-upstream": [
    "service",
    "route",
    "consumer"
  ],
  "key-auth": [
    "service",
    "route"
  ],
  "key-auth-enc": [
    "service",
    "route"
  ],
  "konnect-application-auth": [
    "service",
    "route"
  ],
  "ldap-auth": [
    "service",
    "route"
  ],
  "ldap-auth-advanced": [
    "service",
    "route"
  ],
  "loggly": [
    "service",
    "route",
    "consumer"
  ],
  "mocking": [
    "service",
    "route",
    "consumer"
  ],
  "mtls-auth": [
    "service",
    "route"
  ],
  "oas-validation": [
    "service",
    "route",
    "consumer"
  ],
  "oauth2": [
    "service",
    "route"
  ],
  "oauth2-introspection": [
    "service",
    "route"
  ],
  "opa": [
    "service",
    "route"
  ],
  "openid-connect": [
    "service",
    "route"
  ],
  "opentelemetry": [
    "service",
    "route",
    "consumer"
  ],
  "post-function": [
    "service",
    "route"
  ],
  "pre-function": [
    "service",
    "route"
  ],
  "prometheus": [
    "service",
    "route",
    "consumer"
  ],
  "proxy-cache": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "proxy-cache-advanced": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "rate-limiting": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "rate-limiting-advanced": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "redirect": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "request-size-limiting": [
    "service",
    "route",
    "consumer"
  ],
  "request-termination": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "request-transformer": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "request-transformer-advanced": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "request-validator": [
    "service",
    "route",
    "consumer"
  ],
  "response-ratelimiting": [
    "service",
    "route",
    "consumer"
  ],
  "response-transformer": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "response-transformer-advanced": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "route-by-header": [
    "service",
    "route",
    "consumer"
  ],
  "route-transformer-advanced": [
    "service",
    "route",
    "consumer"
  ],
  "saml": [
    "service",
    "route"
  ],
  "service-protection": [
    "service"
  ],
  "session": [
    "service",
    "route"
  ],
  "standard-webhooks": [
    "service",
    "route",
    "consumer_group"
  ],
  "statsd": [
    "service",
    "route",
    "consumer"
  ],
  "statsd-advanced": [
    "service",
    "route",
    "consumer"
  ],
  "syslog": [
    "service",
    "route",
    "consumer"
  ],
  "tcp-log": [
    "service",
    "route",
    "consumer"
  ],
  "tls-handshake-modifier": [
    "service",
    "route"
  ],
  "tls-metadata-headers": [
    "service",
    "route"
  ],
  "udp-log": [
    "service",
    "route",
    "consumer"
  ],
  "upstream-oauth": [
    "service",
    "route",
    "consumer",
    "consumer_group"
  ],
  "upstream-timeout": [
    "service",
    "route",
    "consumer"
  ],
  "vault-auth": [
    "service",
    "route"
  ],
  "websocket-size-limit": [
    "service",
    "route",
    "consumer"
  ],
  "websocket-validator": [
    "service",
    "route",
    "consumer"
  ],
  "xml-threat-protection": [
    "service",
    "route",
    "consumer"
  ],
  "zipkin": [
    "service",
    "route",
    "consumer"
  ]
};

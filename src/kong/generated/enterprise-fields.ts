// Generated from Kong/developer.konghq.com (commit bc1cd74260f0bddb06dcf004c9c34b53bb870c1a): app/_schemas/gateway/plugins/3.9/*.json,
// by scripts/kong-schemas/enterprise-fields.ts: do not edit (MIT-licensed). What Kong Gateway Enterprise 3.9
// adds to the config of the plugins Kong OSS bundles: fields (Kong's error paths, `*` for an array element) and
// enumeration values. With kongEdition: enterprise they are known, never "unknown field".

export const ENTERPRISE_FIELDS_RELEASE = "3.9";

export const ENTERPRISE_FIELDS: Readonly<Record<string, { fields: readonly string[]; values: Readonly<Record<string, readonly unknown[]>> }>> = {
  "acl": {
    "fields": [
      "config.include_consumer_groups"
    ],
    "values": {}
  },
  "ai-proxy": {
    "fields": [
      "config.auth.azure_client_id",
      "config.auth.azure_client_secret",
      "config.auth.azure_tenant_id",
      "config.auth.azure_use_managed_identity"
    ],
    "values": {}
  },
  "ai-request-transformer": {
    "fields": [
      "config.llm.auth.azure_client_id",
      "config.llm.auth.azure_client_secret",
      "config.llm.auth.azure_tenant_id",
      "config.llm.auth.azure_use_managed_identity"
    ],
    "values": {}
  },
  "ai-response-transformer": {
    "fields": [
      "config.llm.auth.azure_client_id",
      "config.llm.auth.azure_client_secret",
      "config.llm.auth.azure_tenant_id",
      "config.llm.auth.azure_use_managed_identity"
    ],
    "values": {}
  },
  "oauth2": {
    "fields": [
      "config.persistent_refresh_token"
    ],
    "values": {}
  },
  "post-function": {
    "fields": [
      "config.ws_client_frame",
      "config.ws_close",
      "config.ws_handshake",
      "config.ws_upstream_frame"
    ],
    "values": {}
  },
  "pre-function": {
    "fields": [
      "config.ws_client_frame",
      "config.ws_close",
      "config.ws_handshake",
      "config.ws_upstream_frame"
    ],
    "values": {}
  },
  "rate-limiting": {
    "fields": [],
    "values": {
      "config.limit_by": [
        "consumer-group"
      ]
    }
  },
  "statsd": {
    "fields": [],
    "values": {
      "config.metrics.*.name": [
        "cache_datastore_hits_total",
        "cache_datastore_misses_total"
      ]
    }
  }
};

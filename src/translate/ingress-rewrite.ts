// konghq.com/rewrite on an Ingress with KIC's RewriteURIs feature gate (subtranslator/ingress.go MaybeRewriteURI):
// each route of such an Ingress gets a request-transformer replacing the URI, `$N` read as the route's Nth regex
// capture. Without the gate, or for a value KIC cannot parse, the Kong service fails instead (kic-drops.ts).
import { REWRITE_ANNOTATION } from '../model/annotations.ts';
import type { K8sObject } from '../model/object.ts';
import type { TranslateConfig } from './config.ts';
import type { KongRoute } from './kong.ts';

export { REWRITE_ANNOTATION };

/**
 * generateRewriteURIConfig: `$N` (one or more digits, Unicode ones included as Go's unicode.IsDigit) becomes
 * `$(uri_captures[N])`, `\$` a literal `$`; any other `$` or `\` use is KIC's error, with the byte offset Go reports.
 */
export function rewriteUriTemplate(uri: string): { uri: string } | { error: string } {
  const digit = (c: string) => /^\p{Nd}$/u.test(c);
  let out = '';
  let state: 'plain' | 'escape' | 'mark' | 'digit' = 'plain';
  let pos = 0;
  for (const c of uri) {
    const unexpected = { error: `unexpected ${c} at pos ${pos}` };
    if (state === 'escape') {
      if (c !== '$') return unexpected;
      out += c;
      state = 'plain';
    } else if (state === 'mark') {
      if (!digit(c)) return unexpected;
      out += `$(uri_captures[${c}`;
      state = 'digit';
    } else if (state === 'digit' && digit(c)) {
      out += c;
    } else {
      if (state === 'digit') out += '])';
      if (c === '$') state = 'mark';
      else if (c === '\\') state = 'escape';
      else {
        out += c;
        state = 'plain';
      }
    }
    pos += Buffer.byteLength(c);
  }
  if (state === 'digit') return { uri: `${out}])` };
  return state === 'plain' ? { uri: out } : { error: 'unexpected end of string' };
}

/** The annotation's value as MaybeRewriteURI reads it (an empty one is `/`), undefined when the Ingress has none. */
export function rewriteValue(ingress: K8sObject): string | undefined {
  const v = ingress.metadata.annotations?.[REWRITE_ANNOTATION];
  return v === undefined ? undefined : v || '/';
}

/** Why KIC fails the Kong service holding a route of this Ingress, or undefined when it translates the rewrite. */
export function rewriteFailure(config: TranslateConfig, ingress: K8sObject): string | undefined {
  const value = rewriteValue(ingress);
  if (value === undefined) return undefined;
  if (!config.rewriteURIs) return 'konghq.com/rewrite annotation not supported when rewrite uris disabled';
  const t = rewriteUriTemplate(value);
  return 'error' in t ? t.error : undefined;
}

/** The request-transformer KIC nests in a rule route of this Ingress (the default backend's route gets none). */
export function rewritePlugin(config: TranslateConfig, ingress: K8sObject, route: KongRoute): { name: string; config: Record<string, unknown> } | undefined {
  const value = rewriteValue(ingress);
  if (!config.rewriteURIs || value === undefined || route.field === 'spec.defaultBackend') return undefined;
  const t = rewriteUriTemplate(value);
  return 'uri' in t ? { name: 'request-transformer', config: { replace: { uri: t.uri } } } : undefined;
}

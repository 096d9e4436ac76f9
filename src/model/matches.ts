// Keys for "the same request would match both": host + normalised path + extra matchers. Two different
// routes sharing a key leave the winner to Kong's router order, which users never intend.
// Pure functions of one object's view: the store's hostPath index and the routing rules share them.
import { HEADERS_ANNOTATION_PREFIX, METHODS_ANNOTATION } from './annotations.ts';
import type { HTTPRouteView, IngressView } from './views.ts';

/** Prefix matching ignores one trailing slash (Kubernetes and Gateway API semantics). */
function prefix(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path || '/';
}

export function ingressPathKey(pathType: string, path: string): string {
  switch (pathType) {
    case 'Exact':
      return `exact:${path}`;
    case 'Prefix':
      return `prefix:${prefix(path)}`;
    default:
      return `impl:${path}`;
  }
}

/** Route-shaping Kong annotations that make two Ingress paths match different requests. */
export function ingressMatchers(annotations: Record<string, string> | undefined): string {
  if (!annotations) return '';
  const parts: string[] = [];
  const methods = annotations[METHODS_ANNOTATION];
  if (methods) parts.push(`m=${methods.split(',').map((m) => m.trim().toUpperCase()).sort().join(',')}`);
  // Header values as KIC 3.2+ reads them (annotations.go ExtractHeaders): split on the separator, trimmed; a set to Kong.
  const separator = annotations['konghq.com/headers-separator'] ?? ',';
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(HEADERS_ANNOTATION_PREFIX)) continue;
    const values = [...new Set(annotations[key]!.split(separator || ',').map((v) => v.trim()))].sort().join(',');
    parts.push(`h:${key.slice(HEADERS_ANNOTATION_PREFIX.length).toLowerCase()}=${values}`);
  }
  return parts.join(';');
}

export function ingressMatchKeys(view: IngressView, annotations?: Record<string, string>): string[] {
  const matchers = ingressMatchers(annotations);
  return [...new Set(view.paths.map((p) => `ingress|${p.host.toLowerCase()}|${ingressPathKey(p.pathType, p.path)}|${matchers}`))];
}

export function httpRouteMatchKeys(view: HTTPRouteView): string[] {
  const hosts = view.hostnames.length ? view.hostnames.map((h) => h.toLowerCase()) : [''];
  const keys = new Set<string>();
  for (const rule of view.rules) {
    for (const m of rule.matches) {
      const path = m.pathType === 'PathPrefix' ? `prefix:${prefix(m.path)}` : `${m.pathType}:${m.path}`;
      for (const host of hosts) keys.add(`httproute|${host}|${path}|${m.method ?? ''}|${m.extra}`);
    }
  }
  return [...keys];
}

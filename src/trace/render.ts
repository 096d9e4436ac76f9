// A trace as a support answer (text) and as a document for tools (JSON). Never a Secret's value: plugins are named
// by their objects, credentials only by where Kong looks for them.
import { describe } from '../model/object.ts';
import type { Candidate } from '../router/resolve.ts';
import { hex } from '../router/priority.ts';
import type { KongRoute } from '../translate/kong.ts';
import type { Trace } from './trace.ts';

const NEAREST = 5;

/** `name (split part #2, paths [...]) from Ingress ns/name spec.rules[0]...` */
function routeText(c: Candidate<KongRoute>): string {
  const r = c.part.route.provenance!;
  const split = c.part.group === undefined ? '' : ` (split part #${c.part.group}, paths ${JSON.stringify(c.part.paths)})`;
  return `Kong route ${r.name}${split} from ${r.sources.map(describe).join(', ')} ${r.field}`;
}

function requestLine(t: Trace): string {
  const q = t.resolution.request;
  const defaultPort = q.scheme === 'https' ? 443 : 80;
  const port = q.port === defaultPort ? '' : `:${q.port}`;
  const normalised = q.rawPath === q.path ? '' : ` (Kong normalises the path from ${q.rawPath})`;
  const sni = q.sni !== undefined ? `, SNI ${q.sni}` : '';
  const model = t.priorityModel === 'documented' ? ", Kong's documented priority order (not what Kong 3.x computes)" : '';
  return `${q.method} ${q.scheme}://${q.host ?? '(no Host)'}${port}${q.path}${normalised}${sni}, ${t.flavor} router${model}`;
}

/** When the other priority model picks otherwise: one line saying what it picks. */
function otherModelLine(t: Trace): string | undefined {
  const o = t.otherModel;
  if (!o) return undefined;
  const picks = o.winner
    ? routeText(o.winner)
    : o.possibleWinners.length
      ? `one of ${o.possibleWinners.map(routeText).join('; ')} (Kong's top band, order not fixed)`
      : 'no route';
  return o.model === 'documented'
    ? `Kong's documented priority order (--priority documented) would pick ${picks}; Kong 3.x computes priorities with 32-bit shifts and picks as above (Kong/kong#14457).`
    : `Kong itself (its computed priority, the default) picks ${picks}: Kong 3.x does not follow its documented order here (Kong/kong#14457).`;
}

/** The nearest non-matching routes, one line per Kong route (its nearest split part). */
function nearestRoutes(t: Trace): Candidate<KongRoute>[] {
  const seen = new Set<string>();
  return t.resolution.notMatching.filter((c) => !seen.has(c.part.route.id) && seen.add(c.part.route.id)).slice(0, NEAREST);
}

function nearest(t: Trace, lines: string[], title: string): void {
  const near = nearestRoutes(t);
  if (!near.length) return;
  lines.push(title);
  for (const c of near) lines.push(`  ${routeText(c)}: ${c.failure?.message ?? 'does not match'}`);
}

export function traceText(t: Trace): string {
  const lines = [`Request: ${requestLine(t)}`];
  if (t.tls) {
    const c = t.tls.certificate;
    lines.push(
      c
        ? `TLS: SNI ${t.tls.sni} gets the certificate of ${describe(c.secret)} (from ${c.sources.filter((s) => s.kind !== 'Secret').map(describe).join(', ')})`
        : `TLS: ${t.tls.sni ? `no certificate for SNI ${t.tls.sni}` : 'no SNI'}: Kong presents its default self-signed certificate (CN=localhost); a client that verifies it fails the handshake, one that does not (curl -k) goes on and is routed by Host`,
    );
  }
  const w = t.resolution.winner;
  if (w) {
    lines.push(`Route: ${routeText(w)}`, `  priority ${hex(w.priority.value)}, route ID ${w.part.id}`);
    if (t.defaultBackend) lines.push(`  This is the defaultBackend of ${describe(t.defaultBackend)}, KIC's catch-all: no other route matches this request.`);
    if (t.resolution.shadowed.length) lines.push('  It wins over the other routes that match:');
    for (const l of t.resolution.shadowed) lines.push(`    ${routeText(l.candidate)}: ${l.why.message}`);
    if (t.defaultBackend) nearest(t, lines, 'Routes that do not match this request, nearest first:');
    if (t.service) {
      const ready = t.upstream?.targets ?? [];
      const targets = ready.length ? `${ready.length} ready target${ready.length === 1 ? '' : 's'} (${ready.map((x) => (x.weight === undefined ? x.target : `${x.target} weight ${x.weight}`)).join(', ')})` : 'no ready target';
      lines.push(`Service: Kong service ${t.service.name} (backends ${t.service.backends.map((b) => `${describe(b.service)}${b.port === undefined ? '' : `:${b.port}`}`).join(', ') || 'none'}) -> upstream ${t.service.host}: ${targets}`);
    }
    if (t.plugins.length) lines.push('Plugins, in the order Kong runs them:');
    for (const p of t.plugins) lines.push(`  ${p.name} from ${describe(p.source)} on ${p.scope}${p.when ? `, only once the request is identified as ${p.when}${p.replaces ? ` (it then runs instead of the ${p.name} above)` : ''}` : ''}`);
  } else if (t.resolution.possibleWinners.length) {
    lines.push('Route: undetermined; any of these may serve it (all in Kong\'s top priority band, whose order Kong does not fix):');
    for (const c of t.resolution.possibleWinners) lines.push(`  ${routeText(c)}`);
  }
  const other = otherModelLine(t);
  if (other) lines.push(`Priority models differ: ${other}`);
  const o = t.outcome;
  lines.push(`Outcome: ${o.status === 'proxied' ? `proxied, ${o.message} (${o.reason})` : `${o.status} ${JSON.stringify(o.message)}: ${o.reason}`}`);
  if (!w && !t.resolution.possibleWinners.length) nearest(t, lines, 'Nearest routes, and what each one does not match:');
  for (const c of t.resolution.unevaluable) lines.push(`Not evaluated, may match: ${routeText(c)}: ${c.failure?.message ?? ''}`);
  if (t.unrouted.length && (!w || t.defaultBackend)) {
    lines.push('Objects that give Kong no route for this host:');
    for (const u of t.unrouted) lines.push(`  ${describe(u.object)}: ${u.reason}`);
  }
  return lines.join('\n') + '\n';
}

function candidateJson(c: Candidate<KongRoute>) {
  const r = c.part.route.provenance!;
  return {
    route: r.name,
    id: c.part.id,
    ...(c.part.group !== undefined ? { splitPart: c.part.group, paths: c.part.paths } : {}),
    priority: hex(c.priority.value),
    sources: r.sources,
    field: r.field,
  };
}

export function traceJson(t: Trace): unknown {
  const q = t.resolution.request;
  const w = t.resolution.winner;
  return {
    request: { method: q.method, scheme: q.scheme, host: q.host ?? null, port: q.port, path: q.path, ...(q.sni !== undefined ? { sni: q.sni } : {}) },
    routerFlavor: t.flavor,
    priorityModel: t.priorityModel,
    ...(t.otherModel
      ? { otherPriorityModel: { model: t.otherModel.model, route: t.otherModel.winner ? candidateJson(t.otherModel.winner) : null, possibleRoutes: t.otherModel.possibleWinners.map(candidateJson) } }
      : {}),
    outcome: t.outcome,
    route: w ? { ...candidateJson(w), kongRoute: w.part.route.provenance } : null,
    ...(t.defaultBackend ? { defaultBackend: t.defaultBackend } : {}),
    possibleRoutes: t.resolution.possibleWinners.map(candidateJson),
    beats: t.resolution.shadowed.map((l) => ({ ...candidateJson(l.candidate), why: l.why.message, component: l.why.component })),
    service: t.service ?? null,
    upstream: t.upstream ?? null,
    plugins: t.plugins,
    nearest: nearestRoutes(t).map((c) => ({ ...candidateJson(c), failures: c.failures })),
    notEvaluated: t.resolution.unevaluable.map((c) => ({ ...candidateJson(c), failures: c.failures })),
    unrouted: t.unrouted,
    ...(t.tls ? { tls: { sni: t.tls.sni, certificate: t.tls.certificate ? { secret: t.tls.certificate.secret, snis: t.tls.certificate.snis, sources: t.tls.certificate.sources } : null } } : {}),
  };
}

// Ingress and HTTPRoute paths, Ingress hosts and TLS hosts as KIC turns them into Kong routes (subtranslator/ingress.go,
// PathsFromIngressPaths): Prefix "/foo" becomes "/foo/" and the regex "~/foo$", Exact "/foo" becomes
// "~/foo$", ImplementationSpecific goes verbatim, and a leading "/~" (or konghq.com/regex-prefix) marks a
// regex. KIC never escapes the path, so regex characters in an Exact or Prefix path reach Kong's regex
// engine; Kong rejects the whole configuration when one of them does not compile.
import { routedHostCandidates, routedHosts } from '../model/hosts.ts';
import { annotation, asArray, isRecord, keyOf, refOf, type K8sObject } from '../model/object.ts';
import { httpRouteView, ingressView, type IngressPath } from '../model/views.ts';
import type { Draft, Rule } from './rule.ts';
import { name } from './text.ts';
import { httpRoute, KONG_BASE } from './example-base.ts';
import { expressionRegexRefusal, headerRegexRefusal, routePathRegexRefusal, type RegexRefusal, type RouterFlavor } from '../kong/regex.ts';
import { CONTROLLER_REGEX_PREFIX, ingressKongPaths, REGEX_PREFIX_ANNOTATION } from '../translate/route-fields.ts';
import { legacyRegexPath } from '../model/ingress-class-parameters.ts';
import { validateKongEntity } from '../kong/entities.ts';
import { isRegexPath } from '../router/route.ts';
import { compileRustRegex } from '../router/rust-regex.ts';
import { kongPathRegex } from '../router/traditional-match.ts';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];

// ---------------------------------------------------------------- paths

interface PathProblem {
  why: string;
  /** Ends with REJECTED when Kong rejects the configuration: KIC's fallback treats the Ingress as broken. */
  effect: string;
  fix: string;
  /** Only KIC's legacy regex detection makes the path a regex. */
  byLegacy?: boolean;
}

const REJECTED =
  'Kong rejects the configuration containing it: no further change reaches Kong, or, with KIC\'s fallback configuration, this Ingress is dropped';
const NEVER_MATCHES = 'Kong matches it literally, so requests never reach this backend and get a 404';

/** Which of Kong's checks refuses a regex, and what Kong says: "Kong's PCRE2 cannot compile it (...). Kong says: ...". */
export function regexRefusalText(r: RegexRefusal, flavor: RouterFlavor): string {
  const says = `Kong says: "${r.kong}"`;
  switch (r.engine) {
    case 'path':
      return `Kong refuses it as a route path (${r.reason}). ${says}`;
    case 'PCRE2':
      return `Kong's PCRE2 cannot compile it (${r.reason}). ${says}`;
    case 'Rust regex':
      return `the Rust regex engine of Kong's ${flavor} router cannot compile it (${r.reason}), though PCRE2 may. ${says}`;
  }
}

/** How to fix a refused regex. */
export function regexFix(r: RegexRefusal): string {
  if (r.engine === 'path') return 'start the regex with "/" (Kong already anchors it at the start of the path: drop a leading "^"), with no "//".';
  if (r.engine === 'Rust regex') {
    return 'rewrite the regex without what Rust\'s regex lacks (look-around, back references, atomic groups, \\Q..\\E, \\K, ...); or, if your Kong runs router_flavor traditional, set kongRouterFlavor: traditional in the ingress-guard configuration.';
  }
  return 'correct the regular expression.';
}

function plainPathProblem(path: string): PathProblem | undefined {
  if (!path.startsWith('/')) return { why: 'is not an absolute path', effect: REJECTED, fix: 'start the path with "/".' };
  if (path.includes('//')) return { why: 'contains "//" (an empty segment)', effect: REJECTED, fix: 'remove the empty path segment.' };
  if (/(^|\/)\.\.?(\/|$)/.test(path)) return { why: 'contains a "." or ".." segment', effect: REJECTED, fix: 'write the path without dot segments.' };
  const badPercent = /%(?![0-9A-Fa-f]{2})/.exec(path);
  if (badPercent) return { why: 'has a "%" that is not followed by two hex digits', effect: REJECTED, fix: 'percent-encode the path correctly ("%25" for a literal "%").' };
  return undefined;
}

/**
 * `legacy`: the IngressClassParameters whose enableLegacyRegexDetection is on (KIC applies it to traditional routes only),
 * so that an ImplementationSpecific path with a character outside Kong 2.x's plain set is a regex without the prefix.
 */
function pathProblem(p: IngressPath, regexPrefix: string, flavor: RouterFlavor, legacy?: K8sObject): PathProblem | undefined {
  const path = p.path;
  if (!PATH_TYPES.includes(p.pathType)) {
    return { why: `has pathType "${p.pathType}", which is not Exact, Prefix or ImplementationSpecific`, effect: 'KIC translates no Kong path for it', fix: 'use pathType Prefix, Exact or ImplementationSpecific.' };
  }
  if (p.pathType === 'ImplementationSpecific') {
    if (path === '') return undefined;
    const byLegacy = legacy !== undefined && !path.startsWith(regexPrefix) && legacyRegexPath(path);
    if (path.startsWith(regexPrefix) || byLegacy) {
      const regex = byLegacy ? path : path.slice(regexPrefix.length);
      const what = byLegacy
        ? `is a regex by KIC's legacy regex detection (${name(legacy)} sets enableLegacyRegexDetection, and the path has characters outside letters, digits and ".-_~/%")`
        : 'is a regex';
      // Under the expressions router KIC sends `http.path ~ "^<regex>"` (ingress_atc.go, pathMatcherFromIngressPath), which
      // Kong accepts whatever the regex starts with ("/~.*" matches every path); only the traditional routers' paths must.
      if (!regex.startsWith('/') && flavor !== 'expressions') {
        if (byLegacy) return { why: `${what}, and does not start with "/"`, effect: REJECTED, fix: 'start the path with "/".', byLegacy };
        return { why: `is a regex (prefix "${regexPrefix}") that does not start with "/" after the prefix`, effect: REJECTED, fix: `write it as "${regexPrefix}/...".` };
      }
      if (regex.includes('//') && flavor !== 'expressions') return { why: `${what}, and contains "//" (an empty segment)`, effect: REJECTED, fix: 'remove the empty path segment.', byLegacy };
      const refusal = flavor === 'expressions' ? expressionRegexRefusal(regex) : routePathRegexRefusal(`~${regex}`, flavor);
      if (refusal) {
        const fix = byLegacy ? `${regexFix(refusal)} Or, if the path is not meant as a regex, remove the characters that make it one.` : regexFix(refusal);
        return { why: `${what}, and ${regexRefusalText(refusal, flavor)}`, effect: REJECTED, fix, byLegacy };
      }
      return undefined;
    }
    const plain = plainPathProblem(path);
    if (plain) return plain;
    if (/\*$/.test(path)) {
      return { why: 'ends in "*", which Kong does not treat as a wildcard', effect: NEVER_MATCHES, fix: `use pathType Prefix with "${path.replace(/\/?\*$/, '') || '/'}".` };
    }
    if (/[[\]{}|^\\?]|\$$/.test(path)) {
      return {
        why: `looks like a regular expression but lacks KIC's regex prefix "${regexPrefix}"`,
        effect: NEVER_MATCHES,
        fix: `prefix it with "${regexPrefix}" ("${regexPrefix}${path}") to make it a regex, or remove the regex characters.`,
      };
    }
    return undefined;
  }
  // Exact and Prefix
  if (path.startsWith(regexPrefix) && path !== '/') {
    return {
      why: `starts with KIC's regex prefix "${regexPrefix}", which only means a regex with pathType ImplementationSpecific`,
      effect: 'KIC builds a mix of regex and literal Kong paths from it that do not match what was meant',
      fix: 'use pathType ImplementationSpecific for a regex path.',
    };
  }
  const plain = plainPathProblem(path);
  if (plain) return plain;
  // Under the traditional routers KIC's regex half is live (unescaped): a path whose regex serves what either reading
  // of it means (a wildcard below the path, and the literal path) gets no 404 for them, as "/ams-ui/.*" (KIC #1440).
  const kongPaths = flavor === 'expressions' ? undefined : ingressKongPaths(p.pathType, path);
  if (/\*$/.test(path) && !(kongPaths && servedBy(kongPaths, wildcardWitness(path)))) {
    return { why: 'ends in "*", which is not a wildcard: Prefix already matches everything below the path', effect: NEVER_MATCHES, fix: `use "${path.replace(/\/?\*$/, '') || '/'}" with pathType Prefix.` };
  }
  const meta = /[*?()[\]{}|^$\\]/.exec(path);
  // Under the expressions router KIC matches Exact and Prefix paths as strings (==, ^=), not as regexes.
  if (meta && kongPaths) {
    const regexPath = kongPaths.find((k) => k.startsWith('~')) ?? `~${path}$`;
    const refusal = routePathRegexRefusal(regexPath, flavor);
    if (!refusal && servedBy(kongPaths, literalWitness(p.pathType, path)) && (!/\*$/.test(path) || servedBy(kongPaths, wildcardWitness(path)))) return undefined;
    return {
      why: `contains "${meta[0]}": KIC also sends ${p.pathType} paths to Kong as the regex "${regexPath}", unescaped`,
      effect: refusal
        ? `For that regex, ${regexRefusalText(refusal, flavor)}. ${REJECTED}`
        : 'That regex matches other requests than the literal path, and the literal path gets a 404',
      fix: 'remove the regex characters, or use pathType ImplementationSpecific with the regex prefix for a regex.',
    };
  }
  return undefined;
}

/** Whether Kong serves a request path with these route paths: a plain one as a string prefix, a `~` one as Kong's regex. */
function servedBy(kongPaths: readonly string[], request: string): boolean {
  return kongPaths.some((k) => {
    if (!isRegexPath(k)) return request.startsWith(k);
    const compiled = compileRustRegex(kongPathRegex(k));
    return compiled.ok && compiled.regex.test(request);
  });
}

/** A request below a path ending in "*", as a wildcard reading means it: "/api/*", "/api*" and "/api/.*" give "/api/x". */
function wildcardWitness(path: string): string {
  const stem = path.replace(/\.?\*$/, '');
  return stem.endsWith('/') ? `${stem}x` : `${stem}/x`;
}

/** The request the literal reading of an Exact or Prefix path serves first: the path itself, without a trailing "/" for Prefix. */
function literalWitness(pathType: string, path: string): string {
  return pathType === 'Prefix' ? `/${path.replace(/^\/+|\/+$/g, '')}` : path;
}

// ---------------------------------------------------------------- hosts

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Go's net.ParseIP for an IPv4 address, as Kubernetes parses a rule host: four decimal numbers up to 255. */
function isIPv4(host: string): boolean {
  const octets = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/**
 * Why Kubernetes refuses an Ingress host (networking validation): IsDNS1123Subdomain, or with a "*"
 * IsWildcardDNS1123Subdomain, for rule and TLS hosts alike; a rule host must not be an IP address either. A TLS
 * host may be one: Kubernetes accepts it and Kong refuses it as an SNI (kong-entity-invalid reports that).
 */
export function hostProblem(host: string, where: 'rule' | 'tls'): string | undefined {
  if (where === 'rule' && isIPv4(host)) return 'is an IP address; a rule host must be a DNS name';
  if (host.includes(':')) return 'has a port or is an IPv6 address; a host must be a DNS name';
  if (host.length > 253) return 'is longer than 253 characters';
  const labels = host.split('.');
  const wildcard = labels[0] === '*';
  const rest = wildcard ? labels.slice(1) : labels;
  if (wildcard && rest.length === 0) return 'is a bare "*"; a wildcard host needs a domain ("*.example.com")';
  if (rest.some((l) => l.includes('*'))) return 'has a "*" that is not the whole first label; only a single leading "*." is allowed';
  if (host !== host.toLowerCase()) return 'has upper-case letters; hosts must be lower case';
  const bad = rest.find((l) => !LABEL.test(l));
  if (bad !== undefined) return bad === '' ? 'has an empty label' : `has the label "${bad}", which is not a DNS label (a-z, 0-9 and "-", at most 63)`;
  return undefined;
}

// ---------------------------------------------------------------- rules

const INGRESS_PREAMBLE = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: kong
spec:
  controller: ingress-controllers.konghq.com/kong
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
---
`;

function ingressExample(path: string, pathType: string, extra = ''): string {
  return `${INGRESS_PREAMBLE}apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: default
spec:
  ingressClassName: kong
${extra}  rules:
  - host: app.example.com
    http:
      paths:
      - path: ${path}
        pathType: ${pathType}
        backend:
          service:
            name: web
            port:
              number: 80
`;
}

export const invalidIngressPath: Rule = {
  id: 'invalid-ingress-path',
  severity: 'deny',
  summary: 'An Ingress path or host that Kong rejects, or that never matches the requests meant.',
  explanation:
    'KIC translates Prefix "/foo" to the Kong paths "/foo/" and "~/foo$", Exact "/foo" to "~/foo$", and passes ImplementationSpecific paths ' +
    'verbatim; a path starting with "/~" (or the konghq.com/regex-prefix annotation\'s prefix) under ImplementationSpecific is a regex. KIC ' +
    'escapes nothing, so regex characters in an Exact or Prefix path become a regex, and a regex that does not compile, a "//", a dot segment ' +
    'or a broken percent-encoding makes Kong reject the whole configuration push (stage 3, long after kubectl said "configured"). A regex ' +
    'without the "/~" prefix, or a trailing "*", is matched literally, so requests get a 404; an Exact or Prefix path whose unescaped regex ' +
    'still serves both the path itself and the requests below it (Prefix "/api/.*" becomes "~/api/.*$") is not reported. Hosts must be DNS names with at most one leading ' +
    '"*.". Regexes are judged as Kong compiles them (kongRouterFlavor): PCRE2 for every route path, and, under Kong\'s default router_flavor ' +
    'traditional_compatible, also the Rust regex engine of Kong\'s router, which has no look-around, no back references and no \\Q..\\E.',
  kinds: ['Ingress'],
  examples: {
    bad: ingressExample('/~/api/v(1|2', 'ImplementationSpecific'),
    good: ingressExample('/~/api/v(1|2)', 'ImplementationSpecific'),
  },
  check(ctx, subject) {
    if (!ctx.tr.isManaged(subject)) return [];
    const view = ingressView(subject);
    const regexPrefix = annotation(subject, REGEX_PREFIX_ANNOTATION) || CONTROLLER_REGEX_PREFIX;
    const flavor = ctx.tr.config.kongRouterFlavor;
    const params = flavor === 'expressions' ? undefined : ctx.tr.classParameters();
    const legacy = params?.spec.enableLegacyRegexDetection ? params.parameters : undefined;
    const drafts: Draft[] = [];
    view.paths.forEach((p) => {
      const problem = pathProblem(p, regexPrefix, flavor, legacy);
      if (!problem) return;
      drafts.push({
        field: `${p.field}.path`,
        discriminator: `path|${p.field}`,
        related: problem.byLegacy && legacy ? [refOf(legacy)] : [],
        message: `${name(subject)} ${p.field}.path "${p.path}" (${p.pathType}) ${problem.why}. ${problem.effect}.`,
        fix: problem.fix,
        kongRejects: problem.effect.endsWith(REJECTED),
      });
    });
    const raw = (subject.spec ?? {}) as { rules?: unknown };
    const rules = Array.isArray(raw.rules) ? raw.rules : [];
    rules.forEach((rule, r) => {
      const host = rule && typeof rule === 'object' ? (rule as { host?: unknown }).host : undefined;
      if (typeof host !== 'string' || host === '') return;
      const why = hostProblem(host, 'rule');
      if (!why) return;
      drafts.push({
        field: `spec.rules[${r}].host`,
        discriminator: `host|${r}`,
        related: [],
        message: `${name(subject)} spec.rules[${r}].host "${host}" ${why}. Kubernetes refuses such a host, so the Ingress cannot be stored.`,
        fix: 'use a lower-case DNS name, optionally with one leading "*." (e.g. "*.example.com").',
      });
    });
    view.tls.forEach((tls) => {
      tls.hosts.forEach((host, h) => {
        const why = hostProblem(host, 'tls');
        if (!why) return;
        drafts.push({
          field: `${tls.field}.hosts[${h}]`,
          discriminator: `tls|${tls.field}|${h}`,
          related: [],
          message: `${name(subject)} ${tls.field}.hosts[${h}] "${host}" ${why}. Kubernetes refuses such a TLS host, so the Ingress cannot be stored.`,
          fix: 'use a lower-case DNS name, optionally with one leading "*.".',
        });
      });
    });
    return drafts;
  },
};

/** Whether Kong's SNI schema refuses the host (an IP address, or digits and dots that are not one). */
function kongRefusesSni(host: string): boolean {
  return validateKongEntity('snis', { name: host }).errors.name !== undefined;
}

/** "*.example.com" matches any name ending in ".example.com" (Kong's wildcard hosts span one or more labels). */
function wildcardMatches(wild: string, host: string): boolean {
  return wild.startsWith('*.') && host.length > wild.length - 1 && host.endsWith(wild.slice(1));
}

/** Whether a route host serves a TLS host: a hostless rule serves all, else equal or one matches the other's wildcard. */
export function hostCovers(routeHost: string, tlsHost: string): boolean {
  const r = routeHost.toLowerCase();
  const t = tlsHost.toLowerCase();
  return r === '' || r === t || wildcardMatches(r, t) || wildcardMatches(t, r);
}

export const tlsHostNotRouted: Rule = {
  id: 'tls-host-not-routed',
  severity: 'warn',
  summary: 'An Ingress spec.tls host that no route of the class serves.',
  explanation:
    'KIC turns spec.tls hosts into certificate SNIs, so Kong completes the TLS handshake for the host, then finds no route for it and answers ' +
    '404 ("no Route matched"). Usually a typo between spec.tls and spec.rules. Rules of this Ingress are checked first, then the other ' +
    'Ingresses and HTTPRoutes KIC serves, since a certificate in one Ingress also serves routes of another.',
  kinds: ['Ingress'],
  examples: {
    bad: ingressExample('/', 'Prefix', `  tls:\n  - hosts:\n    - api.example.com\n`),
    good: ingressExample('/', 'Prefix', `  tls:\n  - hosts:\n    - app.example.com\n`),
  },
  check(ctx, subject) {
    if (!ctx.tr.isManaged(subject)) return [];
    const view = ingressView(subject);
    if (!view.tls.length) return [];
    const own = view.paths.map((p) => p.host);
    // Only when this Ingress does not serve a host does the rule look at the others, through the index of routed hosts.
    const servedElsewhere = (host: string): boolean =>
      routedHostCandidates(host).some((entry) =>
        ctx.view
          .lookup('routedHost', entry)
          .some((other) => keyOf(other) !== keyOf(subject) && ctx.tr.isManaged(other) && routedHosts(other).some((r) => hostCovers(r, host))),
      );
    return view.tls.flatMap((tls) =>
      tls.hosts.flatMap((host, h): Draft[] => {
        if (hostProblem(host, 'tls')) return []; // invalid-ingress-path reports it
        if (own.some((r) => hostCovers(r, host)) || servedElsewhere(host)) return [];
        // kong-entity-invalid reports it (asked last: Kong's SNI schema is the costliest check here).
        if (kongRefusesSni(host)) return [];
        const routed = [...new Set(own.filter(Boolean))];
        return [
          {
            field: `${tls.field}.hosts[${h}]`,
            discriminator: `${tls.field}|${host}`,
            related: tls.secretName ? [{ group: '', kind: 'Secret', namespace: refOf(subject).namespace ?? '', name: tls.secretName }] : [],
            message:
              `${name(subject)} lists "${host}" in ${tls.field}.hosts, but no route serves that host${routed.length ? ` (this Ingress routes ${routed.map((x) => `"${x}"`).join(', ')})` : ''}. ` +
              `Kong completes the TLS handshake for it and then answers 404.`,
            fix: `add a rule for "${host}", or correct the host in spec.tls.`,
          },
        ];
      }),
    );
  },
};

export const invalidHTTPRoutePath: Rule = {
  id: 'invalid-httproute-path',
  severity: 'deny',
  kongRejects: true,
  summary: 'An HTTPRoute path whose regex Kong cannot compile as KIC sends it (RegularExpression, or Exact/PathPrefix values KIC turns into regexes), or a header regex Kong\'s router cannot compile.',
  explanation:
    'KIC sends a RegularExpression path to Kong as the regex path "~<value>", and Exact and PathPrefix values as the regex "~<value>$", ' +
    'unescaped (subtranslator/httproute.go). Kong compiles every regex path with PCRE2, and, under its default router_flavor ' +
    'traditional_compatible, with the Rust regex engine of its router too (no look-around, no back references, no \\Q..\\E, no atomic groups); ' +
    'a regex path must also start with "/" ("^/api" is refused). Under router_flavor expressions (kongRouterFlavor) KIC writes the ' +
    'RegularExpression as the Rust regex "^<value>" and matches Exact and PathPrefix as strings. A RegularExpression header match becomes ' +
    'the header value "~*<value>", which Kong\'s router (traditional_compatible: lower-cased; expressions: as written) compiles in Rust. ' +
    'A path or header regex Kong refuses makes it reject the ' +
    'whole configuration push (stage 3, long after kubectl said "configured"). PCRE2 syntax is judged as PCRE2 does, not as JavaScript does.',
  kinds: ['HTTPRoute'],
  examples: {
    bad: KONG_BASE + httpRoute('api', "'/api/v[0-9]+/(?!internal)'", undefined, '', ['echo'], 'RegularExpression'),
    good: KONG_BASE + httpRoute('api', "'/api/v[0-9]+/public'", undefined, '', ['echo'], 'RegularExpression'),
  },
  check(ctx, subject) {
    if (!ctx.tr.isManaged(subject)) return [];
    // Judged on what KIC translates: a route it does not serve (another Gateway, not accepted) sends nothing to Kong.
    const routes = ctx.tr.routesOf(subject);
    if (!routes.length) return [];
    const flavor = ctx.tr.config.kongRouterFlavor;
    const drafts: Draft[] = [];
    for (const rule of httpRouteView(subject).rules) {
      for (const m of rule.matches) {
        const route = routes.find((r) => r.field === m.field);
        if (!route) continue;
        drafts.push(...headerRegexProblems(subject, m.field, flavor));
        let sent: string | undefined;
        let refusal: RegexRefusal | undefined;
        if (flavor === 'expressions') {
          if (m.pathType !== 'RegularExpression') continue;
          sent = `http.path ~ "${m.path.startsWith('^') ? m.path : `^${m.path}`}"`;
          refusal = expressionRegexRefusal(m.path);
        } else {
          for (const path of route.paths.filter((k) => k.startsWith('~'))) {
            refusal = routePathRegexRefusal(path, flavor);
            sent = `the regex path "${path}"`;
            if (refusal) break;
          }
        }
        if (!refusal || !sent) continue;
        const field = m.field + '.path.value';
        drafts.push({
          field,
          discriminator: field,
          related: [],
          message:
            `${name(subject)} ${field} "${m.path}" (${m.pathType}) reaches Kong as ${sent}, and ${regexRefusalText(refusal, flavor)}. ` +
            `${REJECTED.replace('this Ingress', 'this HTTPRoute')}.`,
          fix: regexFix(refusal),
        });
      }
    }
    return drafts;
  },
};

/** RegularExpression header matches of the match at `matchField` ("spec.rules[0].matches[1]"): KIC sends "~*<value>". */
function headerRegexProblems(subject: K8sObject, matchField: string, flavor: RouterFlavor): Draft[] {
  const [, r, i] = /^spec\.rules\[(\d+)\]\.matches\[(\d+)\]$/.exec(matchField) ?? [];
  const rule = asArray((subject.spec as { rules?: unknown } | undefined)?.rules)[Number(r)];
  const match = isRecord(rule) ? asArray(rule.matches)[Number(i)] : undefined;
  if (r === undefined || !isRecord(match)) return [];
  return asArray(match.headers).flatMap((h, k): Draft[] => {
    if (!isRecord(h) || h.type !== 'RegularExpression' || typeof h.value !== 'string') return [];
    const refusal = headerRegexRefusal(h.value, flavor);
    if (!refusal) return [];
    const field = `${matchField}.headers[${k}].value`;
    const sent = flavor === 'expressions' ? 'the header regex' : 'the header regex "~*" + value, which Kong\'s router lower-cases';
    return [
      {
        field,
        discriminator: field,
        related: [],
        message:
          `${name(subject)} ${field} "${h.value}" (RegularExpression header match) reaches Kong as ${sent}, and ${regexRefusalText(refusal, flavor)}. ` +
          `${REJECTED.replace('this Ingress', 'this HTTPRoute')}.`,
        fix: regexFix(refusal),
      },
    ];
  });
}

export const INGRESS_PATH_RULES: Rule[] = [invalidIngressPath, tlsHostNotRouted];
export const HTTPROUTE_PATH_RULES: Rule[] = [invalidHTTPRoutePath];

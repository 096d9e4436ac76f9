// The request the router is asked about, normalised the way Kong 3.9 fills the router's fields
// (kong/router/atc.lua `_M:exec` and `_M:matching`, kong/router/fields.lua):
// - path: the request URI cut at the first `?` (not at position 1) then `kong.tools.uri.normalize(uri, true)`
//   (kong/router/utils.lua `strip_uri_args`): percent-triplets of non-reserved characters are decoded, the
//   others upper-cased, dot segments removed, `//` merged;
// - host: the raw Host header, split at its FIRST `:` when what follows is a number (transform.lua
//   `split_host_port`); never lower-cased. The port from Host, when present, is `net.dst.port`; otherwise the
//   listener port (we default it from the scheme);
// - headers: names are case-insensitive and `-`/`_` are the same (ngx.req.get_headers; the ATC field is
//   `http.headers.<lower name with _>`), a header may carry several values; only the first 100 lines count
//   (Host, which clients send first, included);
// - SNI: only for TLS; defaults to the host for https when the caller does not say.
import { normalisePath } from '../kong/uri.ts';

export { normalisePath };

export type Scheme = 'http' | 'https';

/** What a caller asks about: `GET https://a.example.com:8443/x?y=1` plus headers. */
export interface RequestInput {
  readonly scheme?: Scheme;
  readonly method?: string;
  /** The Host header as sent, port included (`a.example.com:8443`); '' or absent when none was sent. */
  readonly host?: string;
  /** The request target: path and optional query (`/x/../y?z=1`). */
  readonly path?: string;
  /** Header name -> value(s); names in any case, `-` or `_`. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** TLS server name; defaults to the Host name for https. `null` = a TLS client that sent no SNI. */
  readonly sni?: string | null;
  /** The port the request arrived on, when Host carries none (default 80 for http, 443 for https). */
  readonly listenerPort?: number;
}

/** The router's view of a request: each field as Kong hands it to the matcher. */
export interface RouterRequest {
  readonly scheme: Scheme;
  readonly method: string;
  /** `http.host`: the Host header without its port, exactly as sent (case kept). */
  readonly host: string | undefined;
  /** `net.dst.port` */
  readonly port: number;
  /** `http.path` after Kong's normalisation. */
  readonly path: string;
  /** The path as given, before normalisation, to explain a normalisation that changed the outcome. */
  readonly rawPath: string;
  /** The request target as sent (path and query): what a redirect to https keeps. */
  readonly target: string;
  /** `http.headers.*`: normalised name (lower case, `_`) -> values in order. */
  readonly headers: ReadonlyMap<string, readonly string[]>;
  /** `http.queries.*` (expressions only): name -> values; `?a` gives `['']`. */
  readonly queries: ReadonlyMap<string, readonly string[]>;
  /** `tls.sni`; undefined for plain http or a client without SNI. */
  readonly sni: string | undefined;
}

/** Kong's `lua_max_req_headers` default: header lines beyond it are not seen by the router. */
export const MAX_REQUEST_HEADERS = 100;

/** A header name as the ATC field names it (`X-Foo` -> `x_foo`; Kong's `replace_dashes_lower`). */
export function headerField(name: string): string {
  return name.toLowerCase().replace(/-/g, '_');
}

/** Kong's `split_host_port`: the first `:` splits only when a number follows it. */
export function splitHostPort(value: string): { host: string; port: number | undefined } {
  const colon = value.indexOf(':');
  if (colon < 0) return { host: value, port: undefined };
  const rest = value.slice(colon + 1);
  // Lua's tonumber accepts surrounding spaces and hex; ports in Host headers are decimal, and a non-number
  // keeps the whole value as the host.
  if (!/^\s*\d+\s*$/.test(rest)) return { host: value, port: undefined };
  return { host: value.slice(0, colon), port: Number(rest) };
}

/** The path of a request target: cut at the first `?` after position 1 (strip_uri_args). */
function rawPathOf(target: string): string {
  const query = target.indexOf('?', 1);
  return query < 0 ? target : target.slice(0, query);
}

/** `http.path` of a request whose target (path and query) is `target`: what normaliseRequest(q).path is for q.path = target. */
export function requestPath(target = '/'): string {
  return normalisePath(rawPathOf(target));
}

export function normaliseRequest(input: RequestInput): RouterRequest {
  const scheme = input.scheme ?? 'http';
  const { host, port } = input.host ? splitHostPort(input.host) : { host: undefined, port: undefined };
  const target = input.path ?? '/';
  const query = target.indexOf('?', 1);
  const rawPath = rawPathOf(target);
  const headers = new Map<string, string[]>();
  let lines = input.host ? 1 : 0; // clients send Host first; it is one of the 100 lines
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const field = headerField(name);
    const list = headers.get(field) ?? [];
    for (const v of typeof value === 'string' ? [value] : value) {
      // ngx.req.get_headers() returns the first 100 header lines (lua_max_req_headers) and drops the rest.
      if (lines++ < MAX_REQUEST_HEADERS) list.push(v);
    }
    if (list.length) headers.set(field, list);
  }
  const sni = scheme !== 'https' ? undefined : input.sni === undefined ? host : (input.sni ?? undefined);
  return {
    scheme,
    method: input.method ?? 'GET',
    host,
    port: port ?? input.listenerPort ?? (scheme === 'https' ? 443 : 80),
    path: normalisePath(rawPath),
    rawPath,
    target,
    headers,
    queries: query < 0 ? new Map() : parseQuery(target.slice(query + 1)),
    sni,
  };
}

/** ngx.req.get_uri_args as the router sees it: repeated keys give several values, `?a` gives `''`. */
function parseQuery(query: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const list = out.get(key) ?? [];
    list.push(eq < 0 ? '' : decode(pair.slice(eq + 1)));
    out.set(key, list);
  }
  return out;
}

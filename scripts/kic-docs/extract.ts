/* eslint-disable @typescript-eslint/no-explicit-any -- the pages' front matter, block configurations and manifests are untyped YAML data */
// Hand-run extractor: KIC documentation pages (Kong/developer.konghq.com) to test/fixtures/kic-docs/<slug>.yaml.
//
//   node scripts/kic-docs/extract.ts /path/to/developer.konghq.com-checkout [commit]
//
// It renders the little Liquid the KIC pages use (include with parameters, if/unless/assign/capture, site.* and
// include.* variables) and the site's own blocks the way their Ruby sources render them for KIC
// (app/_plugins/blocks/httproute.rb, app/_plugins/drops/entity_example/presenters/kic.rb and
// app/_includes/components/entity_example/format/kic.md, app/_includes/prereqs/{kubernetes/gateway-api,entities/kic}.md),
// then replays the page's shell commands in page order: `echo '...' | kubectl apply -f -`, heredocs,
// `kubectl apply -f https://developer.konghq.com/manifests/kic/*.yaml`, `kubectl annotate|label|patch`,
// `kubectl create secret|namespace`. Each command that changes objects is one step of the fixture, holding the
// objects as they are after the command (what `kubectl apply` of them would do). Tabs "Gateway API" / "Ingress"
// give per-tab steps. Everything it could not replay is listed in the fixture header. Not run by the tests.
import { readFileSync, readdirSync, existsSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { join, relative, basename, dirname } from 'node:path';
import { parse as parseYaml, parseAllDocuments, stringify } from 'yaml';
import { generate } from 'selfsigned';

const ROOT = process.argv[2] ?? '/tmp/kicdocs';
const COMMIT = process.argv[3] ?? 'unknown';
const APP = join(ROOT, 'app');
const OUT = join(import.meta.dirname, '../../test/fixtures/kic-docs');

type Obj = Record<string, any>;
type Tab = 'gateway-api' | 'ingress' | undefined;

const SITE: Obj = {
  links: { web: 'https://developer.konghq.com' },
  base_gateway: 'Kong Gateway',
  kic_product_name: 'Kong Ingress Controller',
  kic_product_name_short: 'KIC',
  ee_product_name: 'Kong Gateway Enterprise',
  konnect_short_name: 'Konnect',
  konnect_product_name: 'Kong Konnect',
  gwapi_version: '1.3.0',
  latest_gateway_oss_version: '3.9.1',
  data: { gateway_latest: { release: '3.11' } },
};

// ---------------------------------------------------------------------------------------------------------------
// Minimal Liquid

interface Ctx {
  vars: Obj;
  notes: string[];
}

function lookup(ctx: Ctx, expr: string): any {
  expr = expr.trim();
  const lit = /^(['"])(.*)\1$/.exec(expr);
  if (lit) return lit[2];
  if (/^-?\d+$/.test(expr)) return Number(expr);
  if (expr === 'true') return true;
  if (expr === 'false') return false;
  if (expr === 'nil') return undefined;
  let cur: any = ctx.vars;
  for (const part of expr.replace(/\[['"]?([^'"\]]+)['"]?\]/g, '.$1').split('.')) {
    if (part === 'size' && (Array.isArray(cur) || typeof cur === 'string')) return cur.length;
    cur = cur?.[part];
  }
  return cur;
}

function evalOutput(ctx: Ctx, expr: string): any {
  const [head, ...filters] = expr.split('|');
  let v = lookup(ctx, head!);
  for (const f of filters) {
    const m = /^\s*(\w+)\s*(?::\s*(.*))?$/.exec(f)!;
    const arg = m[2] !== undefined ? lookup(ctx, m[2]) : undefined;
    switch (m[1]) {
      case 'default': if (v === undefined || v === null || v === '' || v === false) v = arg; break;
      case 'downcase': v = String(v ?? '').toLowerCase(); break;
      case 'upcase': v = String(v ?? '').toUpperCase(); break;
      case 'append': v = String(v ?? '') + String(arg ?? ''); break;
      case 'indent': break; // code blocks are dedented when read
      case 'json_prettify': v = JSON.stringify(v); break;
      case 'size': v = v?.length ?? 0; break;
      default: ctx.notes.push(`liquid filter ${m[1]} not rendered`);
    }
  }
  return v;
}

function cond(ctx: Ctx, expr: string): boolean {
  const ors = expr.split(/\s+or\s+/);
  return ors.some((o) => o.split(/\s+and\s+/).every((a) => {
    const m = /^(.*?)\s*(==|!=|contains|>|<)\s*(.*)$/.exec(a.trim());
    if (!m) { const v = lookup(ctx, a); return v !== undefined && v !== null && v !== false && v !== ''; }
    const l = lookup(ctx, m[1]!), r = lookup(ctx, m[3]!);
    switch (m[2]) {
      case '==': return l === r;
      case '!=': return l !== r;
      case 'contains': return Array.isArray(l) ? l.includes(r) : String(l ?? '').includes(String(r));
      case '>': return Number(l) > Number(r);
      default: return Number(l) < Number(r);
    }
  }));
}

interface Node { tag?: string; args?: string; body?: Node[]; branches?: { cond?: string; body: Node[] }[]; text?: string; raw?: string; out?: string }

const BLOCKS = new Set(['if', 'unless', 'capture', 'navtabs', 'navtab', 'entity_example', 'httproute', 'validation', 'mermaid', 'table', 'konnect', 'on_prem', 'details', 'version_compatibility_table', 'kong_config_table', 'raw', 'comment', 'new_in', 'for', 'entity_examples']);
const RAW_BLOCKS = new Set(['entity_example', 'httproute', 'validation', 'mermaid', 'table', 'raw', 'comment', 'version_compatibility_table', 'kong_config_table', 'entity_examples']);

function parseLiquid(src: string): Node[] {
  const tokens = src.split(/(\{%-?[\s\S]*?-?%\}|\{\{-?[\s\S]*?-?\}\})/);
  let i = 0;
  function block(end?: string): Node[] {
    const out: Node[] = [];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (t.startsWith('{{')) { out.push({ out: t.replace(/^\{\{-?|-?\}\}$/g, '') }); continue; }
      if (!t.startsWith('{%')) { out.push({ text: t }); continue; }
      const inner = t.replace(/^\{%-?\s*|\s*-?%\}$/g, '');
      const [tag, ...rest] = inner.split(/\s+/);
      const args = rest.join(' ');
      if (end && (tag === end || (end === 'endif' && (tag === 'else' || tag === 'elsif')) || (end === 'endunless' && tag === 'else'))) {
        i--;
        return out;
      }
      if (tag!.startsWith('end') || tag === 'else' || tag === 'elsif') { out.push({ text: '' }); continue; }
      if (RAW_BLOCKS.has(tag!) && !(tag === 'new_in')) {
        let raw = '';
        let depth = 1;
        while (i < tokens.length) {
          const u = tokens[i++]!;
          if (new RegExp(`^\\{%-?\\s*${tag}\\b`).test(u)) depth++;
          if (new RegExp(`^\\{%-?\\s*end${tag}\\b`).test(u) && --depth === 0) break;
          raw += u;
        }
        out.push({ tag, args, raw });
        continue;
      }
      if (tag === 'if' || tag === 'unless') {
        const branches: { cond?: string; body: Node[] }[] = [];
        let c: string | undefined = tag === 'unless' ? `!${args}` : args;
        for (;;) {
          const body = block(tag === 'if' ? 'endif' : 'endunless');
          branches.push({ cond: c, body });
          const t2 = tokens[i++]!;
          const inner2 = t2.replace(/^\{%-?\s*|\s*-?%\}$/g, '');
          const [tag2, ...rest2] = inner2.split(/\s+/);
          if (tag2 === 'elsif') c = rest2.join(' ');
          else if (tag2 === 'else') c = undefined;
          else break;
          if (c === undefined) { branches.push({ cond: undefined, body: block(tag === 'if' ? 'endif' : 'endunless') }); i++; break; }
        }
        out.push({ tag: 'if', branches });
        continue;
      }
      if (BLOCKS.has(tag!)) {
        const body = block(`end${tag}`);
        i++;
        out.push({ tag, args, body });
        continue;
      }
      out.push({ tag, args });
    }
    return out;
  }
  return block();
}

function includePath(p: string): string | undefined {
  p = p.replace(/^\//, '');
  for (const c of [join(APP, '_includes', p), join(APP, '_includes', `${p}.md`)]) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

function parseParams(ctx: Ctx, s: string): Obj {
  const params: Obj = {};
  for (const m of s.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/g)) params[m[1]!] = lookup(ctx, m[2]!);
  return params;
}

function render(nodes: Node[], ctx: Ctx): string {
  let s = '';
  for (const n of nodes) {
    if (n.text !== undefined) s += n.text;
    else if (n.out !== undefined) { const v = evalOutput(ctx, n.out); s += v === undefined ? '' : String(v); }
    else if (n.tag === 'if') {
      for (const b of n.branches!) {
        const ok = b.cond === undefined ? true : b.cond.startsWith('!') ? !cond(ctx, b.cond.slice(1)) : cond(ctx, b.cond);
        if (ok) { s += render(b.body, ctx); break; }
      }
    } else if (n.tag === 'assign') {
      const m = /^(\w+)\s*=\s*(.*)$/.exec(n.args!)!;
      ctx.vars[m[1]!] = evalOutput(ctx, m[2]!);
    } else if (n.tag === 'capture') ctx.vars[n.args!.trim()] = render(n.body!, ctx);
    else if (n.tag === 'include' || n.tag === 'include_cached') {
      const [p, ...rest] = n.args!.split(/\s+/);
      const file = includePath(p!);
      if (!file) { ctx.notes.push(`include ${p} not found`); continue; }
      const saved = ctx.vars.include;
      ctx.vars.include = parseParams(ctx, rest.join(' '));
      s += render(parseLiquid(readFileSync(file, 'utf8')), ctx);
      ctx.vars.include = saved;
    } else if (n.tag === 'navtabs') s += render(n.body!, ctx);
    else if (n.tag === 'navtab') s += `\n@@TAB ${n.args!.replace(/^"|"$/g, '')}@@\n${render(n.body!, ctx)}\n@@ENDTAB@@\n`;
    else if (n.tag === 'entity_example' || n.tag === 'httproute') s += `\n@@${n.tag} ${Buffer.from(render(parseLiquid(n.raw!), ctx)).toString('base64')}@@\n`;
    else if (n.tag === 'konnect') { /* Konnect-only instructions: not the on-prem page */ }
    else if (n.body) s += render(n.body, ctx);
    else if (n.raw !== undefined) { /* validation, mermaid, tables: no manifests */ }
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// Shell

/** Values for the shell variables the pages' manifests use (the reader's environment): recorded in the header when used. */
const SHELL_VARS: Record<string, { value: string; why: string }> = {
  PROXY_IP: { value: '203.0.113.10', why: "the proxy's load balancer address (the page exports it after installing KIC); a documentation address stands in" },
  CERT_ID: { value: '0b8a7c2e-5d4f-4a51-9c1e-3f2d6b7a8e90', why: 'the page sets it with uuidgen; a fixed UUID stands in' },
};
const usedVars = new Set<string>();
function expand(text: string): string {
  return text.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (m, name: string) => {
    const v = SHELL_VARS[name];
    if (!v) return m;
    usedVars.add(name);
    return v.value;
  });
}

interface Cmd { argv: string[]; stdin?: string }

/** Splits a script into pipelines of words (quotes, escapes, line continuations, heredocs). */
function shell(script: string): Cmd[][] {
  const pipelines: Cmd[][] = [];
  let pipeline: Cmd[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let heredoc: string | undefined;
  let heredocExpands = true;
  const lines: string[] = [];
  const end = () => { if (word !== undefined) words.push(word); word = undefined; };
  const endCmd = () => { end(); if (words.length) pipeline.push({ argv: words }); words = []; };
  const endPipe = () => { endCmd(); if (pipeline.length) pipelines.push(pipeline); pipeline = []; };
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === '\\' && script[i + 1] === '\n') { i += 2; continue; }
    if (c === '\\') { word = (word ?? '') + script[i + 1]; i += 2; continue; }
    if (c === "'") { const j = script.indexOf("'", i + 1); word = (word ?? '') + script.slice(i + 1, j); i = j + 1; continue; }
    if (c === '"') {
      let j = i + 1, v = '';
      while (script[j] !== '"') {
        if (script[j] === '\\' && '$`"\\\n'.includes(script[j + 1]!)) { if (script[j + 1] !== '\n') v += script[j + 1]; j += 2; } else v += script[j++];
      }
      word = (word ?? '') + expand(v); i = j + 1; continue;
    }
    if (c === '#' && word === undefined) { while (i < script.length && script[i] !== '\n') i++; continue; }
    if (c === '<' && script.startsWith('<<', i) && word === undefined) {
      const m = /^<<-?\s*(['"]?)(\w+)['"]?/.exec(script.slice(i))!;
      heredoc = m[2]; heredocExpands = !m[1]; i += m[0].length; continue;
    }
    if (c === '|' && script[i + 1] !== '|') { endCmd(); i++; continue; }
    if (c === '&' && script[i + 1] === '&') { endPipe(); i += 2; continue; }
    if (c === ';') { endPipe(); i++; continue; }
    if (c === '\n') {
      if (heredoc) {
        const rest = script.slice(i + 1);
        const m = new RegExp(`^[ \\t]*${heredoc}[ \\t]*$`, 'm').exec(rest);
        const body = m ? rest.slice(0, m.index) : rest;
        lines.push(body);
        endCmd();
        const cmd = pipeline[pipeline.length - 1];
        // `cat <<EOF | kubectl` puts the heredoc on cat; `kubectl ... <<EOF` on kubectl.
        const target = pipeline.find((p) => p.argv[0] === 'cat') ?? cmd;
        if (target) target.stdin = heredocExpands ? expand(body) : body;
        heredoc = undefined;
        i = i + 1 + (m ? m.index + m[0].length : rest.length);
        endPipe();
        continue;
      }
      endPipe(); i++; continue;
    }
    if (c === ' ' || c === '\t') { end(); i++; continue; }
    if (c === '$') { const m = /^\$\{?[A-Z_][A-Z0-9_]*\}?/.exec(script.slice(i)); if (m) { word = (word ?? '') + expand(m[0]); i += m[0].length; continue; } }
    word = (word ?? '') + c; i++;
  }
  endPipe();
  void lines;
  return pipelines;
}

// ---------------------------------------------------------------------------------------------------------------
// Page replay

interface Step { label: string; tab: Tab; objects: Obj[] }

const KIND_ALIASES: Record<string, string> = {
  service: 'Service', svc: 'Service', secret: 'Secret', configmap: 'ConfigMap', ingress: 'Ingress', httproute: 'HTTPRoute',
  'gateways.gateway.networking.k8s.io': 'Gateway', gateway: 'Gateway', kongconsumer: 'KongConsumer', kongplugin: 'KongPlugin',
  kongclusterplugin: 'KongClusterPlugin', deployment: 'Deployment', deploy: 'Deployment', namespace: 'Namespace',
  grpcroute: 'GRPCRoute', tcproute: 'TCPRoute', udproute: 'UDPRoute', tlsroute: 'TLSRoute', kongupstreampolicy: 'KongUpstreamPolicy',
  'backendtlspolicies.gateway.networking.k8s.io': 'BackendTLSPolicy', backendtlspolicy: 'BackendTLSPolicy', kongroute: 'KongRoute', kongservice: 'KongService', kongconsumergroup: 'KongConsumerGroup',
};
const CLUSTER_KINDS = new Set(['Namespace', 'GatewayClass', 'KongClusterPlugin', 'IngressClass', 'KongVault', 'KongLicense']);

class Replay {
  states = new Map<string, Map<string, Obj>>();
  steps: Step[] = [];
  notes: string[] = [];
  filled: string[] = [];
  readonly variants: string[];
  constructor(variants: string[]) {
    this.variants = variants;
    for (const v of variants) this.states.set(v, new Map());
  }

  key(o: Obj): string { return `${o.kind}/${CLUSTER_KINDS.has(o.kind) ? '' : (o.metadata?.namespace ?? 'default')}/${o.metadata?.name}`; }

  private targets(tab: Tab): string[] { return tab ? this.variants.filter((v) => v === tab) : this.variants; }

  /** Records a step: `change` maps each variant's state to the objects it changes there. */
  private record(label: string, tab: Tab, change: (state: Map<string, Obj>) => Obj[]) {
    const per = new Map<string, Obj[]>();
    for (const v of this.targets(tab)) {
      const objs = change(this.states.get(v)!);
      for (const o of objs) this.states.get(v)!.set(this.key(o), structuredClone(o));
      if (objs.length) per.set(v, objs);
    }
    if (!per.size) return;
    const texts = new Set([...per.values()].map((o) => JSON.stringify(o)));
    if (texts.size === 1 && per.size === this.targets(tab).length) this.steps.push({ label, tab: tab ?? (per.size === this.variants.length ? undefined : (this.targets(tab)[0] as Tab)), objects: [...per.values()][0]! });
    else for (const [v, objs] of per) this.steps.push({ label, tab: v as Tab, objects: objs });
  }

  apply(label: string, tab: Tab, objs: Obj[], namespace?: string) {
    objs = objs.filter((o) => o && typeof o === 'object');
    for (const o of objs) if (namespace && !CLUSTER_KINDS.has(o.kind) && !o.metadata?.namespace) (o.metadata ??= {}).namespace = namespace;
    this.record(label, tab, () => objs);
    // cert-manager writes the key pair of a Certificate to its secretName: the Secret the page then uses.
    for (const o of objs) {
      if (o.kind !== 'Certificate' || !String(o.apiVersion).startsWith('cert-manager.io/') || !o.spec?.secretName) continue;
      const { cert, key } = testCert(o.spec.secretName);
      const ns = o.metadata?.namespace ?? 'default';
      this.filled.push(`Secret ${ns}/${o.spec.secretName}: cert-manager issues it for Certificate ${ns}/${o.metadata.name}; a self-signed test certificate for CN ${o.spec.secretName} (valid 2025 to 2125) stands in, as the step after the Certificate`);
      this.record(`(filled in) the Secret cert-manager writes for Certificate ${ns}/${o.metadata.name}`, tab, () => [{ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: o.spec.secretName, namespace: ns }, stringData: { 'tls.crt': cert, 'tls.key': key } }]);
    }
  }

  mutate(label: string, tab: Tab, kind: string, ns: string, name: string, f: (o: Obj) => void) {
    let found = false;
    this.record(label, tab, (state) => {
      const o = state.get(`${kind}/${CLUSTER_KINDS.has(kind) ? '' : ns}/${name}`);
      if (!o) return [];
      found = true;
      const copy = structuredClone(o);
      f(copy);
      return [copy];
    });
    if (!found) this.notes.push(`${kind} ${ns}/${name} is not created by the page (the Helm chart's, or made outside it): ${label}`);
  }
}

function jsonPatch(o: Obj, ops: Obj[]) {
  for (const op of ops) {
    const parts = String(op.path).split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let cur: any = o;
    for (const p of parts.slice(0, -1)) cur = cur[/^\d+$/.test(p) ? Number(p) : p] ??= {};
    const last = parts[parts.length - 1]!;
    if (op.op === 'remove') { if (Array.isArray(cur)) cur.splice(Number(last), 1); else delete cur[last]; }
    else if (Array.isArray(cur)) { if (last === '-') cur.push(op.value); else if (op.op === 'add') cur.splice(Number(last), 0, op.value); else cur[Number(last)] = op.value; }
    else cur[last] = op.value;
  }
}

function mergePatch(o: Obj, p: Obj) {
  for (const [k, v] of Object.entries(p)) {
    if (v === null) delete o[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && o[k] && typeof o[k] === 'object' && !Array.isArray(o[k])) mergePatch(o[k], v);
    else o[k] = v;
  }
}

const certCache: Record<string, { cert: string; key: string }> = {};
let caCert = '';
async function makeCa() {
  const pems = await generate([{ name: 'commonName', value: 'kic-docs test root CA' }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate: new Date('2025-01-01T00:00:00Z'), notAfterDate: new Date('2125-01-01T00:00:00Z'),
    extensions: [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }],
  });
  caCert = pems.cert;
}
/** Self-signed test certificates, made before the replay (selfsigned signs asynchronously). */
async function makeCert(cn: string) {
  if (certCache[cn]) return;
  const pems = await generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate: new Date('2025-01-01T00:00:00Z'), notAfterDate: new Date('2125-01-01T00:00:00Z'),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: cn }] }],
  });
  certCache[cn] = { cert: pems.cert, key: pems.private };
}
function testCert(cn: string): { cert: string; key: string } {
  const c = certCache[cn];
  if (!c) throw new Error(`no test certificate made for ${cn}`);
  return c;
}

function flag(argv: string[], names: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    for (const n of names) {
      if (argv[i] === n) return argv[i + 1];
      if (argv[i]!.startsWith(`${n}=`)) return argv[i]!.slice(n.length + 1);
    }
  }
  return undefined;
}

/** kubectl's positional words, without flags and their values. */
function positionals(argv: string[]): string[] {
  const withValue = new Set(['-n', '--namespace', '-p', '--patch', '--type', '-f', '--filename', '--cert', '--key', '--from-literal', '--from-file', '-o', '--for', '--timeout', '-l', '--dry-run']);
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (withValue.has(a)) { i++; continue; }
    if (a.startsWith('-')) continue;
    out.push(a);
  }
  return out;
}

function yamlDocs(text: string, where: string, notes: string[]): Obj[] {
  const out: Obj[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) { notes.push(`unparseable YAML in ${where}: ${d.errors[0]!.message.split('\n')[0]}`); continue; }
    const v = d.toJS();
    if (v?.kind === 'List') out.push(...v.items);
    else if (v) out.push(v);
  }
  return out;
}

function runPipeline(r: Replay, p: Cmd[], tab: Tab, src: string) {
  const label = src.replace(/\s+/g, ' ').trim().slice(0, 160);
  const kubectl = p.find((c) => c.argv[0] === 'kubectl');
  if (!kubectl) return;
  const argv = kubectl.argv;
  const verb = argv[1];
  const ns = flag(argv, ['-n', '--namespace']);
  if (verb === 'apply' || (verb === 'create' && flag(argv, ['-f', '--filename']))) {
    const f = flag(argv, ['-f', '--filename']);
    if (f === '-') {
      const input = kubectl.stdin ?? p.find((c) => c.stdin)?.stdin ?? (p[0]!.argv[0] === 'echo' ? p[0]!.argv.slice(1).filter((a) => !/^-[neE]+$/.test(a)).join(' ') : undefined);
      if (input === undefined) { r.notes.push(`no input found for: ${label}`); return; }
      if (/\$[A-Z_{]/.test(input)) r.notes.push(`shell variables left as written in: ${label.slice(0, 80)}`);
      r.apply(label, tab, yamlDocs(input, label, r.notes), ns);
    } else if (f) {
      const m = /^https:\/\/developer\.konghq\.com\/(manifests\/.*\.yaml)$/.exec(f);
      if (m && existsSync(join(APP, m[1]!))) r.apply(`kubectl apply -f ${f}${ns ? ` -n ${ns}` : ''}`, tab, yamlDocs(readFileSync(join(APP, m[1]!), 'utf8'), f, r.notes), ns);
      else if (/gateway-api\/releases|crds|\.crd|cert-manager|prometheus|grafana|keycloak/.test(f)) { /* CRDs and third-party installs: not judged */ }
      else r.notes.push(`not replayed (remote manifest): ${label}`);
    }
    return;
  }
  const pos = positionals(argv);
  if (verb === 'annotate' || verb === 'label') {
    const [kindWord, name, ...pairs] = pos.slice(1);
    const kind = KIND_ALIASES[kindWord!.toLowerCase()] ?? kindWord!;
    const field = verb === 'annotate' ? 'annotations' : 'labels';
    r.mutate(label, tab, kind, ns ?? 'default', name!, (o) => {
      const m = (o.metadata[field] ??= {});
      for (const pair of pairs) {
        if (pair.endsWith('-') && !pair.includes('=')) delete m[pair.slice(0, -1)];
        else { const i = pair.indexOf('='); m[pair.slice(0, i)] = pair.slice(i + 1); }
      }
      if (!Object.keys(m).length) delete o.metadata[field];
    });
    return;
  }
  if (verb === 'patch') {
    const [kindWord, name] = pos.slice(1);
    const kind = KIND_ALIASES[kindWord!.toLowerCase()] ?? kindWord!;
    const type = flag(argv, ['--type']) ?? 'strategic';
    const body = JSON.parse(flag(argv, ['-p', '--patch'])!);
    r.mutate(label, tab, kind, ns ?? 'default', name!, (o) => (type === 'json' ? jsonPatch(o, body) : mergePatch(o, body)));
    if (type === 'strategic') r.filled.push(`a strategic merge patch is replayed as a JSON merge patch (the same result here): ${label.slice(0, 100)}`);
    return;
  }
  if (verb === 'create' && pos[1] === 'namespace') { r.apply(label, tab, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: pos[2] } }]); return; }
  if (verb === 'create' && (pos[1] === 'secret' || pos[1] === 'configmap')) {
    const isSecret = pos[1] === 'secret';
    const sub = isSecret ? pos[2] : undefined;
    const name = isSecret ? pos[3]! : pos[2]!;
    const obj: Obj = { apiVersion: 'v1', kind: isSecret ? 'Secret' : 'ConfigMap', metadata: { name, namespace: ns ?? 'default' } };
    if (sub === 'tls') {
      const { cert, key } = testCert(name);
      obj.type = 'kubernetes.io/tls';
      obj.stringData = { 'tls.crt': cert, 'tls.key': key };
      r.filled.push(`Secret ${obj.metadata.namespace}/${name}: the page makes its certificate with openssl; a self-signed test certificate for CN ${name} (valid 2025 to 2125) stands in`);
    } else {
      const data: Obj = {};
      for (let i = 0; i < argv.length; i++) {
        const lit = argv[i] === '--from-literal' ? argv[i + 1] : argv[i]!.startsWith('--from-literal=') ? argv[i]!.slice(15) : undefined;
        if (lit) { const j = lit.indexOf('='); data[lit.slice(0, j)] = lit.slice(j + 1); }
        const file = argv[i] === '--from-file' ? argv[i + 1] : argv[i]!.startsWith('--from-file=') ? argv[i]!.slice(12) : undefined;
        if (file) {
          const j = file.indexOf('=');
          const k = j > 0 ? file.slice(0, j) : basename(file);
          if (/crt|cert|pem/.test(k)) { data[k] = caCert; r.filled.push(`${obj.kind} ${obj.metadata.namespace}/${name} key ${k}: the page reads the CA certificate it made from ${file}; a self-signed test CA certificate (CA:TRUE, valid 2025 to 2125) stands in`); }
          else { data[k] = `<contents of ${file}>`; r.filled.push(`${obj.kind} ${obj.metadata.namespace}/${name} key ${k}: read from local file ${file} on the page; a placeholder stands in`); }
        }
      }
      for (const [k, v] of Object.entries(data)) if (/\$[A-Z_]/.test(String(v))) r.filled.push(`${obj.kind} ${obj.metadata.namespace}/${name} key ${k}: the shell variable ${v} is left as written`);
      if (isSecret) obj.stringData = data; else obj.data = data;
      if (isSecret && sub !== 'generic') r.notes.push(`secret type ${sub} not modelled: ${label}`);
    }
    r.apply(label, tab, [obj]);
    return;
  }
}

// ---- Site blocks, as their Ruby sources render them for KIC ----

function httprouteObjects(config: Obj): { gw: Obj; ing: Obj } {
  const d = { gwapi_version: 'v1', name: 'echo', namespace: 'kong', route_type: 'PathPrefix', hostname: 'kong.example', gateway_namespace: 'kong', ingress_class: 'kong' } as Obj;
  for (const [k, v] of Object.entries(d)) if (config[k] === undefined || config[k] === null || config[k] === '') config[k] = v;
  const annotations = (extra: Obj) => Object.fromEntries(Object.entries({ 'konghq.com/rewrite': config.annotation_rewrite, ...extra, 'konghq.com/strip-path': 'true' }).filter(([, v]) => v !== undefined));
  const gw: Obj = {
    apiVersion: `gateway.networking.k8s.io/${config.gwapi_version}`, kind: 'HTTPRoute',
    metadata: { name: config.name, namespace: config.namespace, annotations: annotations({ 'konghq.com/plugins': config.annotation_plugins?.join(',') }) },
    spec: {
      parentRefs: [Object.fromEntries(Object.entries({ name: 'kong', namespace: config.gateway_namespace, sectionName: config.section_name }).filter(([, v]) => v !== undefined))],
      rules: config.matches.map((m: Obj) => ({ matches: [{ path: { type: m.route_type ?? 'PathPrefix', value: String(m.path) } }], backendRefs: [{ name: m.service, kind: 'Service', port: m.port }] })),
    },
  };
  if (config.hostname && !config.skip_host) gw.spec.hostnames = [config.hostname];
  const spec: Obj = { ingressClassName: config.ingress_class };
  if (config.section_name === 'https') spec.tls = [{ secretName: config.hostname, hosts: [config.hostname] }];
  spec.rules = config.matches.map((m: Obj) => Object.fromEntries(Object.entries({
    host: config.skip_host ? undefined : config.hostname,
    http: { paths: [{ path: m.route_type === 'RegularExpression' ? `/~${m.path}` : m.path, pathType: 'ImplementationSpecific', backend: { service: { name: m.service, port: { number: m.port } } } }] },
  }).filter(([, v]) => v !== undefined)));
  const ing: Obj = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: config.name, namespace: config.namespace, annotations: annotations({}) }, spec };
  return { gw, ing };
}

const FOREIGN = ['kongservice', 'kongroute', 'service', 'route', 'consumer', 'consumer_group', 'global'];
const camel = (s: string) => s.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

function entityExample(r: Replay, example: Obj, tab: Tab) {
  const type: string = example.type;
  let d: Obj = structuredClone(example.data ?? {});
  const vars: Obj = example.variables ?? {};
  const replace = (v: any): any => typeof v === 'string' ? v.replace(/\$\{(\w+)\}/g, (m, k) => vars[k]?.value ?? m) : Array.isArray(v) ? v.map(replace) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)])) : v;
  d = replace(d);
  for (const [k, v] of Object.entries(vars)) if (v?.value) r.filled.push(`entity_example variable \${${k}} rendered as the page shows it: ${v.value} (a shell variable the reader sets)`);
  const tags = d.tags; delete d.tags;
  const skipAnnotate = d.skip_annotate; delete d.skip_annotate;
  const fk: string[] = []; const fkNames: Obj = {};
  for (const k of FOREIGN) if (k in d) { const c = camel(k); fkNames[c] = d[k]; if (k !== 'global') fk.push(c); delete d[k]; }
  let other: string | undefined;
  if ('other_plugins' in d) { other = d.other_plugins ? `${d.other_plugins},` : undefined; delete d.other_plugins; }
  let rt = camel(type);
  if (rt === 'Plugin' && !fk.length && example.cluster_plugin !== false) rt = 'ClusterPlugin';
  if (!['Plugin', 'ClusterPlugin', 'Consumer', 'Vault', 'ConsumerGroup'].includes(rt)) { r.notes.push(`entity_example of type ${type} renders prose for KIC, no manifest`); return; }
  let o: Obj = { apiVersion: 'configuration.konghq.com/v1', kind: `Kong${rt}`, metadata: { name: d.name ?? d.username, namespace: 'kong', annotations: { 'kubernetes.io/ingress.class': 'kong' } } };
  if (rt === 'Plugin' || rt === 'ClusterPlugin') { if (d.name && !d.plugin) d.plugin = d.name; delete d.name; }
  if (rt === 'Consumer' && d.plugins) { o.metadata.annotations['konghq.com/plugins'] = d.plugins.join(','); delete d.plugins; }
  if (rt === 'Vault') {
    o.apiVersion = 'configuration.konghq.com/v1alpha1';
    o.spec = { backend: d.name, ...d }; delete o.spec.name;
    o.metadata.name = `${o.spec.backend}-vault`;
  } else o = { ...o, ...d };
  if (tags) o.metadata.annotations['konghq.com/tags'] = tags.join(', ');
  if (rt === 'ClusterPlugin') o.metadata.labels = { ...(o.metadata.labels ?? {}), global: 'true' };
  if (rt === 'ConsumerGroup') o = { apiVersion: 'configuration.konghq.com/v1', kind: 'KongConsumerGroup', metadata: { name: d.name, annotations: { 'kubernetes.io/ingress.class': 'kong' } } };
  // The page shows it as `echo "<yaml with ' for ">" | kubectl apply -f -`; the YAML is Ruby's to_yaml with " turned to '.
  const shown = expand(stringify(o).replace(/"/g, "'"));
  const objs = yamlDocs(shown, 'entity_example', r.notes);
  r.apply(`echo "<entity_example: ${o.kind} ${o.metadata.name}>" | kubectl apply -f -`, tab, objs, rt === 'ConsumerGroup' ? 'default' : undefined);
  if ((rt === 'Plugin') && fk.length && !skipAnnotate) {
    const value = `${other ?? ''}${o.metadata.name}`;
    if (fk[0] === 'Route') {
      for (const [t, kind] of [['gateway-api', 'HTTPRoute'], ['ingress', 'Ingress']] as const) {
        if (tab && tab !== t) continue;
        r.mutate(`kubectl annotate -n kong ${kind.toLowerCase()} ${fkNames.Route} konghq.com/plugins=${value}`, t, kind, 'kong', fkNames.Route, (x) => { (x.metadata.annotations ??= {})['konghq.com/plugins'] = value; });
      }
    } else {
      for (const key of fk) {
        const kind = key === 'Service' ? 'Service' : key === 'Kongroute' ? 'KongRoute' : key === 'Kongservice' ? 'KongService' : `Kong${key}`;
        const name = fkNames[key] ?? `${key.toUpperCase()}_NAME`;
        r.mutate(`kubectl annotate -n kong ${kind.toLowerCase()} ${name} konghq.com/plugins=${value}${other ? ' --overwrite' : ''}`, tab, kind, 'kong', name, (x) => { (x.metadata.annotations ??= {})['konghq.com/plugins'] = value; });
      }
    }
  }
}

// ---- Prerequisites ----

function prereqs(r: Replay, fm: Obj) {
  const k8s = fm.prereqs?.kubernetes ?? {};
  if (k8s.gateway_api !== undefined && k8s.gateway_api !== false) {
    const from = k8s.gateway_api?.allowed_routes ?? 'All';
    r.apply('prerequisite "Enable the Gateway API" (app/_includes/prereqs/kubernetes/gateway-api.md): echo "<Namespace, GatewayClass, Gateway>" | kubectl apply -n kong -f -', undefined, [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kong' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'kong', annotations: { 'konghq.com/gatewayclass-unmanaged': 'true' } }, spec: { controllerName: 'konghq.com/kic-gateway-controller' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'kong', namespace: 'kong' }, spec: { gatewayClassName: 'kong', listeners: [{ name: 'proxy', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from } } }] } },
    ]);
  }
  const ents = fm.prereqs?.entities ?? {};
  for (const s of ents.services ?? []) {
    const f = join(APP, 'manifests/kic', `${s}.yaml`);
    if (!existsSync(f)) { r.notes.push(`prerequisite service manifest ${s} not found`); continue; }
    r.apply(`prerequisite "Required Kubernetes resources": kubectl apply -f https://developer.konghq.com/manifests/kic/${s}.yaml -n kong`, undefined, yamlDocs(readFileSync(f, 'utf8'), s, r.notes), 'kong');
  }
  for (const name of ents.routes ?? []) {
    const route = parseYaml(readFileSync(join(APP, '_data/entity_examples/kic/routes', `${name}.yaml`), 'utf8'));
    const { gw, ing } = httprouteObjects({ name: route.name, matches: [route], skip_host: true });
    r.apply(`prerequisite route ${route.name} ({% httproute %}, Gateway API tab)`, 'gateway-api', [gw]);
    r.apply(`prerequisite route ${route.name} ({% httproute %}, Ingress tab)`, 'ingress', [ing]);
  }
}

function dedent(lines: string[]): string {
  const ind = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(ind) ? ind : 0)).join('\n');
}

function body(r: Replay, rendered: string, kind: 'how-to' | 'reference') {
  const tabStack: string[] = [];
  const tabOf = (): Tab => { for (const t of [...tabStack].reverse()) { if (t === 'Gateway API') return 'gateway-api'; if (t === 'Ingress') return 'ingress'; } return undefined; };
  const lines = rendered.split('\n');
  const skippedTabs = new Set<string>();
  const seenTabGroups = new Map<string, boolean>();
  const inOtherTab = () => tabStack.some((t) => !['Gateway API', 'Ingress'].includes(t) && skippedTabs.has(t));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const tabStart = /^\s*@@TAB (.*)@@\s*$/.exec(line);
    if (tabStart) {
      const t = tabStart[1]!;
      // Alternatives other than Gateway API / Ingress: the first tab of each group is replayed.
      const group = ['OpenSSL 1.1.1+', 'OpenSSL 0.9.8'].includes(t) ? 'openssl' : ['Secret', 'ConfigMap'].includes(t) ? 'ca' : ['kong/ingress', 'kong/kong'].includes(t) ? 'chart' : ['Helm', 'Deployment manifest'].includes(t) ? 'deploy' : ['KIC', 'AKS', 'EKS', 'GKE'].includes(t) ? 'cloud' : undefined;
      if (group) {
        const first = !seenTabGroups.has(`${group}@${i}`) && !tabStack.length;
        void first;
        if (!['Gateway API', 'Ingress'].includes(t) && /ConfigMap|OpenSSL 0|kong\/kong|Deployment manifest|AKS|EKS|GKE/.test(t)) { skippedTabs.add(t); r.notes.push(`tab "${t}" (an alternative to the tab before it)`); }
      }
      tabStack.push(t);
      continue;
    }
    if (/^\s*@@ENDTAB@@\s*$/.test(line)) { tabStack.pop(); continue; }
    if (inOtherTab()) continue;
    const block = /^\s*@@(entity_example|httproute) (.*)@@\s*$/.exec(line);
    if (block) {
      const text = Buffer.from(block[2]!, 'base64').toString();
      // The page shows an httproute block as `echo "<yaml>" | kubectl apply -f -`: the shell expands its variables.
      const config = parseYaml(block[1] === 'httproute' ? expand(text) : text);
      if (block[1] === 'entity_example') entityExample(r, config, tabOf());
      else {
        const { gw, ing } = httprouteObjects(config);
        const tab = tabOf();
        if (!config.disable_gateway && tab !== 'ingress') r.apply(`{% httproute %} ${config.name} (Gateway API tab): echo "<HTTPRoute>" | kubectl apply -f -`, 'gateway-api', [gw]);
        if (!config.disable_ingress && tab !== 'gateway-api') r.apply(`{% httproute %} ${config.name} (Ingress tab): echo "<Ingress>" | kubectl apply -f -`, 'ingress', [ing]);
      }
      continue;
    }
    const fence = /^(\s*)```+\s*(\w*)/.exec(line);
    if (!fence) continue;
    const lang = fence[2]!;
    const code: string[] = [];
    for (i++; i < lines.length && !/^\s*```/.test(lines[i]!); i++) code.push(lines[i]!);
    const text = dedent(code);
    if (/kubectl/.test(text) && ['bash', 'sh', 'shell', 'console', 'yaml', ''].includes(lang)) {
      for (const p of shell(text.replace(/^\$ /gm, ''))) runPipeline(r, p, tabOf(), p.map((c) => c.argv.map((a) => (a.includes('\n') ? `'<${a.split('\n').length} lines>'` : a)).join(' ')).join(' | '));
    } else if (kind === 'reference' && ['yaml', 'yml'].includes(lang)) {
      const objs = yamlDocs(text, 'yaml block', []).filter((o) => o?.apiVersion && o?.kind && o?.metadata?.name);
      if (objs.length) r.apply(`yaml block shown on the page (line ${i - code.length}), applied as shown`, tabOf(), objs);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface Page { file: string; fm: Obj; text: string; url: string; slug: string; kind: 'how-to' | 'reference' }

function readPage(file: string): Page {
  const src = readFileSync(file, 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(src)!;
  const fm = parseYaml(m[1]!) ?? {};
  const rel = relative(APP, file);
  const kind = rel.startsWith('_how-tos') ? 'how-to' : 'reference';
  const url = `https://developer.konghq.com${fm.permalink ?? `/${rel.replace(/\.md$/, '/')}`}`;
  const slug = rel.startsWith('_how-tos') ? basename(file, '.md') : rel.replace(/\.md$/, '').replace(/\//g, '-').replace(/^kubernetes-ingress-controller-/, 'kic-ref-');
  return { file, fm, text: m[2]!, url, slug, kind };
}

function renderPage(p: Page, notes: string[]): string {
  const ctx: Ctx = { vars: { site: SITE, page: p.fm, prereqs: p.fm.prereqs ?? {}, product: 'kic' }, notes };
  return render(parseLiquid(p.text), ctx);
}

function replayPage(p: Page, r: Replay, series: Page[]) {
  for (const prev of series) {
    const before = r.steps.length;
    replayPage(prev, r, []);
    for (const s of r.steps.slice(before)) s.label = `series page ${prev.slug}: ${s.label}`;
  }
  if (p.fm.series?.position <= 1 || !p.fm.series) prereqs(r, p.fm);
  body(r, renderPage(p, r.notes), p.kind);
}

const pages: Page[] = [];
for (const dir of ['_how-tos/kubernetes-ingress-controller', 'kubernetes-ingress-controller']) {
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f.endsWith('.md') ? [join(d, f)] : []));
  for (const f of walk(join(APP, dir))) pages.push(readPage(f));
}
// How-tos elsewhere that name kic as their product.
const walkAll = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walkAll(join(d, f)) : f.endsWith('.md') ? [join(d, f)] : []));
for (const f of walkAll(join(APP, '_how-tos'))) {
  if (f.includes('/kubernetes-ingress-controller/')) continue;
  const p = readPage(f);
  if ((p.fm.products ?? []).includes('kic')) pages.push(p);
}

await makeCa();
for (const p of pages) for (const m of renderPage(p, []).matchAll(/create secret(?: -n \S+)? tls (\S+)|secretName: (\S+)/g)) await makeCert((m[1] ?? m[2])!);
mkdirSync(OUT, { recursive: true });
const summary: string[] = [];
for (const p of pages.sort((a, b) => a.slug.localeCompare(b.slug))) {
  const probe = new Replay(['x']);
  const rendered = renderPage(p, []);
  const hasTabs = /@@TAB (Gateway API|Ingress)@@|@@httproute /.test(rendered) || (p.fm.prereqs?.entities?.routes ?? []).length > 0;
  void probe;
  let series: Page[] = [];
  if (p.fm.series?.position > 1) series = pages.filter((q) => q.fm.series?.id === p.fm.series.id && q.fm.series.position < p.fm.series.position).sort((a, b) => a.fm.series.position - b.fm.series.position);
  const seriesTabs = series.some((q) => /@@TAB (Gateway API|Ingress)@@|@@httproute /.test(renderPage(q, [])));
  const r = new Replay(hasTabs || seriesTabs ? ['gateway-api', 'ingress'] : ['default']);
  usedVars.clear();
  replayPage(p, r, series);
  if (!r.steps.some((s) => !s.label.startsWith('prerequisite') && !s.label.startsWith('series page'))) { summary.push(`no manifests: ${p.slug}`); continue; }
  const rel = relative(ROOT, p.file);
  const k8s = p.fm.prereqs?.kubernetes ?? {};
  const gates = [...(k8s.gateway_api === 'experimental' ? ['GatewayAlpha=true'] : []), ...(k8s.feature_gates ? [String(k8s.feature_gates)] : [])];
  const header = [
    `# Source: Kong/developer.konghq.com, commit ${COMMIT}, ${rel} (MIT License)`,
    `# Page: ${p.url}`,
    `# Title: ${String(p.fm.title ?? '').trim()}`,
    `# Extracted by scripts/kic-docs/extract.ts (run by hand): the page's manifests and kubectl commands in page order,`,
    `# one "# step" per command, holding the objects as they are after it (the test applies each step as changes).`,
    ...(series.length ? [`# Series: this page continues ${series.map((s) => s.slug).join(', ')} (their steps come first, as the page asks).`] : []),
    ...(r.variants.length > 1 ? ['# Tabs: steps marked [gateway-api] or [ingress] belong to that tab of the page; unmarked steps to both.'] : []),
    ...(p.fm.prereqs?.enterprise ? ['# Prerequisites: Kong Gateway Enterprise (the page installs kong/kong-gateway with a license).'] : []),
    ...(gates.length ? [`# KIC feature gates: ${gates.join(',')}`] : []),
    ...(p.fm.min_version ? [`# Minimum versions (page front matter): ${Object.entries(p.fm.min_version).map(([k, v]) => `${k} ${v}`).join(', ')}`] : []),
    ...[...usedVars].map((v) => `# Filled in: $${v} = ${SHELL_VARS[v]!.value}: ${SHELL_VARS[v]!.why}`),
    ...[...new Set(r.filled)].map((f) => `# Filled in: ${f}`),
    ...[...new Set(r.notes)].map((n) => `# Not replayed: ${n}`),
  ];
  const stepText = r.steps.map((s, i) => [`# step ${i + 1}${s.tab ? ` [${s.tab}]` : ''}: ${s.label.replace(/\n/g, ' ')}`, ...s.objects.map((o, j) => `${j ? '---\n' : ''}${stringify(o, { lineWidth: 0 }).trimEnd()}`)].join('\n'));
  writeFileSync(join(OUT, `${p.slug}.yaml`), `${header.join('\n')}\n${stepText.map((s) => `---\n${s}`).join('\n')}\n`);
  summary.push(`${p.slug}: ${r.steps.length} steps${r.notes.length ? `, ${new Set(r.notes).size} notes` : ''}`);
}
console.log(summary.join('\n'));
void dirname;

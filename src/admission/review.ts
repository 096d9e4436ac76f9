// AdmissionReview v1 <-> change/verdict. Pure: no I/O, no clock.
import { formatFinding, type Verdict } from '../engine/evaluate.ts';
import { withArticle } from '../model/english.ts';
import { kindForResource, type KindInfo } from '../model/kinds.ts';
import { isRecord, MAX_OBJECT_DEPTH, metadataProblem, nestedDeeperThan, type K8sObject } from '../model/object.ts';
import { isReadSecret } from '../model/secret-selection.ts';
import type { Change, Operation } from '../state/view.ts';

export const API_VERSION = 'admission.k8s.io/v1';
const ALL_OPERATIONS = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const;
type AdmissionOperation = (typeof ALL_OPERATIONS)[number];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface ParsedReview {
  uid: string;
  operation: AdmissionOperation;
  dryRun: boolean;
  /** The kind the engine reads, or undefined when this resource is not ours to judge (allowed). */
  kind: KindInfo | undefined;
  /** `request.requestKind` (or `request.kind`) as sent, for logs. */
  requestKind: GroupVersionKind | undefined;
  /** Present when the engine must judge the request. */
  change?: Change;
  namespace: string | undefined;
  name: string | undefined;
}

export type ParseResult = { ok: true; review: ParsedReview } | { ok: false; status: 400; message: string };

function bad(message: string): ParseResult {
  return { ok: false, status: 400, message };
}

/** Why `value` is not a Kubernetes object as the API server would send it (the parts the engine reads), or undefined. */
function objectProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'is not a Kubernetes object';
  if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') return 'needs apiVersion and kind strings';
  const problem = metadataProblem(value.metadata);
  if (problem) return problem;
  if (nestedDeeperThan(value, MAX_OBJECT_DEPTH)) return `nests deeper than ${MAX_OBJECT_DEPTH} levels`;
  return undefined;
}

function gvk(value: unknown): GroupVersionKind | undefined {
  if (!isRecord(value)) return undefined;
  // Strings only: String() on a forged `{"toString": 1}` throws.
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return { group: text(value.group), version: text(value.version), kind: text(value.kind) };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A value from the request, as an error message (answered, and logged) may show it: its type only. A
 * forged or misdirected body may hold anything, a Secret's data included, be a megabyte long or nest deeper
 * than JSON.stringify can recurse. `known` values (e.g. older AdmissionReview versions) are shown as they are.
 */
function shown(value: unknown, known: readonly string[] = []): string {
  if (typeof value === 'string') return known.includes(value) ? JSON.stringify(value) : value === '' ? 'an empty string' : `another string (${value.length} characters)`;
  if (value === undefined || value === null) return 'missing';
  if (typeof value === 'number' || typeof value === 'boolean') return withArticle(typeof value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** The API server's uids are UUIDs; a longer one is forged (and would be echoed into every log line). */
const MAX_UID_LENGTH = 128;

/** Validates an AdmissionReview request body and turns it into a change for the engine. */
export function parseReview(body: unknown): ParseResult {
  if (!isRecord(body)) return bad('the body must be a JSON object (an AdmissionReview)');
  if (body.apiVersion !== API_VERSION) return bad(`apiVersion must be "${API_VERSION}", not ${shown(body.apiVersion, ['admission.k8s.io/v1beta1'])}`);
  if (body.kind !== 'AdmissionReview') return bad(`kind must be "AdmissionReview", not ${shown(body.kind, ['AdmissionRequest', 'AdmissionResponse'])}`);
  const request = body.request;
  if (!isRecord(request)) return bad('the AdmissionReview has no "request"');
  const uid = request.uid;
  if (typeof uid !== 'string' || uid === '') return bad('request.uid is missing or empty');
  if (uid.length > MAX_UID_LENGTH) return bad(`request.uid is longer than ${MAX_UID_LENGTH} characters`);
  const operation = request.operation;
  if (typeof operation !== 'string' || !(ALL_OPERATIONS as readonly string[]).includes(operation)) {
    return bad(`request.operation must be one of ${ALL_OPERATIONS.join(', ')}, not ${shown(operation, ['PATCH', 'GET', 'create', 'update', 'delete', 'connect'])}`);
  }
  const op = operation as AdmissionOperation;
  const review: ParsedReview = {
    uid,
    operation: op,
    dryRun: request.dryRun === true,
    kind: undefined,
    requestKind: gvk(request.requestKind) ?? gvk(request.kind),
    namespace: str(request.namespace),
    name: str(request.name),
  };
  const resource = request.resource;
  // Subresources (status, scale...) never change what KIC translates; CONNECT is never ours.
  if (op === 'CONNECT' || !isRecord(resource) || str(request.subResource)) return { ok: true, review };
  const info = kindForResource(typeof resource.group === 'string' ? resource.group : '', typeof resource.resource === 'string' ? resource.resource : '');
  if (!info) return { ok: true, review };
  // A Secret of a type the engine never reads (src/model/secret-selection.ts) is not judged, as an unknown kind.
  if (info.kind === 'Secret' && !isReadSecret(request.object ?? request.oldObject)) return { ok: true, review };

  const object = request.object;
  const oldObject = request.oldObject;
  // The API server only sends objects that passed its own ObjectMeta validation: anything else is forged.
  if (op === 'CREATE' || op === 'UPDATE') {
    if (!isRecord(object)) return bad(`${withArticle(op)} request needs request.object (a Kubernetes object)`);
    const problem = objectProblem(object);
    if (problem) return bad(`request.object ${problem.startsWith('metadata') ? `is invalid: ${problem}` : problem}`);
  }
  if (op === 'UPDATE' || op === 'DELETE') {
    if (!isRecord(oldObject)) return bad(`an ${op} request needs request.oldObject (a Kubernetes object)`);
    const problem = objectProblem(oldObject);
    if (problem) return bad(`request.oldObject ${problem.startsWith('metadata') ? `is invalid: ${problem}` : problem}`);
  }
  review.kind = info;
  const operationName: Operation = op;
  review.change =
    operationName === 'CREATE'
      ? { operation: 'CREATE', object: object as K8sObject }
      : operationName === 'UPDATE'
        ? { operation: 'UPDATE', object: object as K8sObject, oldObject: oldObject as K8sObject }
        : { operation: 'DELETE', oldObject: oldObject as K8sObject };
  return { ok: true, review };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason?: string; message: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

export interface AdmissionReviewResponse {
  apiVersion: typeof API_VERSION;
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

/** kubectl prints warnings on one line each and long ones get cut; the full text stays in the denial/logs. */
export const WARNING_LIMIT = 480;

/** Shortens a message to at most `limit` characters, at a sentence boundary when there is one. */
export function shorten(text: string, limit = WARNING_LIMIT): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= limit) return oneLine;
  const head = oneLine.slice(0, limit - 1);
  const sentenceEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('? '), head.lastIndexOf('! '));
  if (sentenceEnd > limit / 3) return head.slice(0, sentenceEnd + 1);
  const space = head.lastIndexOf(' ');
  return (space > limit / 3 ? head.slice(0, space) : head) + '…';
}

// The API server prefixes each key with the webhook's name and rejects keys that already hold a '/':
// with the webhook `validate.ingress-guard.dev` these land in the audit log as
// `validate.ingress-guard.dev/denied-rules` and `validate.ingress-guard.dev/warned-rules`.
export const AUDIT_DENIED = 'denied-rules';
export const AUDIT_WARNED = 'warned-rules';

function ruleIds(findings: { rule: string }[]): string {
  return [...new Set(findings.map((f) => f.rule))].join(',');
}

/** Builds the AdmissionReview answer. The uid must be the request's. */
export function responseFor(uid: string, verdict: Verdict | 'allow', _requestKind?: GroupVersionKind): AdmissionReviewResponse {
  const response: AdmissionResponse = { uid, allowed: true };
  if (verdict !== 'allow') {
    response.allowed = verdict.allowed;
    if (!verdict.allowed) {
      response.status = { code: 403, reason: 'Forbidden', message: verdict.denials.map(formatFinding).join('\n') };
    }
    if (verdict.warnings.length > 0) response.warnings = verdict.warnings.map((f) => shorten(formatFinding(f)));
    // Rule ids only: never anything from the objects, so audit logs cannot carry Secret data.
    const audit: Record<string, string> = {};
    if (verdict.denials.length > 0) audit[AUDIT_DENIED] = ruleIds(verdict.denials);
    if (verdict.warnings.length > 0) audit[AUDIT_WARNED] = ruleIds(verdict.warnings);
    if (Object.keys(audit).length > 0) response.auditAnnotations = audit;
  }
  return { apiVersion: API_VERSION, kind: 'AdmissionReview', response };
}

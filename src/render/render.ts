/**
 * The render pipeline: load -> inventory -> engines (KubeFed, then Karmada on what is left) ->
 * fleet-wide checks -> emit. Pure: files in, output trees out; no I/O, no clock.
 */
import { RenderError, RenderErrors } from '../errors.js';
import { CONFIG_FILE, parseConfig } from './config.js';
import type { CopyMemo } from './copy-memo.js';
import { emitBranches, YamlCache } from './emit.js';
import { isClusterDocument, readInventory } from './inventory.js';
import { renderKarmada } from './karmada/index.js';
import { renderKubeFed } from './kubefed/index.js';
import { displayName, displayObject, groupOf, objectKey } from '../object.js';
import { layoutErrors, placements } from './layout.js';
import { loadFile, ParseCache } from './load.js';
import { countFleetYaml, isFleetPath, nothingLeftError } from './fleet-paths.js';
import { TemplateSchemas } from './schema/templates.js';
import { validateRendered, validateSources } from './validate-identity.js';
import type { FleetState } from '../state/model.js';
import { dependencyErrors } from './dependencies.js';
import { checkPlaintext, sealRendered } from './sealed.js';
import type { BranchOutput, Cluster, Diagnostic, Explanation, FleetConfig, RenderedObject, SourceObject, WarningDiagnostic } from './types.js';

export interface RenderResult {
  readonly config: FleetConfig;
  readonly clusters: readonly Cluster[];
  readonly rendered: readonly RenderedObject[];
  readonly branches: readonly BranchOutput[];
  /** Warnings only: any error makes renderFleet throw RenderErrors. */
  readonly warnings: readonly WarningDiagnostic[];
  readonly explanations: readonly Explanation[];
  /** The state commit the render read, when it read one. */
  readonly state?: FleetState;
}

const KUBEFED_GROUPS = new Set(['types.kubefed.io', 'scheduling.kubefed.io', 'core.kubefed.io']);

function isKubeFedDocument(o: SourceObject): boolean {
  return KUBEFED_GROUPS.has(groupOf(o.obj.apiVersion));
}

export function diagnosticToError(d: Diagnostic & { severity: 'error' }): RenderError {
  return new RenderError(d.code, d.message, {
    ...(d.file !== undefined ? { file: d.file } : {}),
    ...(d.line !== undefined ? { line: d.line } : {}),
    ...(d.object !== undefined ? { object: displayObject(d.object) } : {}),
    ...(d.cluster !== undefined ? { cluster: d.cluster } : {}),
    ...(d.hint !== undefined ? { hint: d.hint } : {}),
  });
}

/** Caches a caller may keep between renders of one fleet (watch does), to skip unchanged work. */
export interface RenderCaches {
  readonly parse?: ParseCache;
  readonly yaml?: YamlCache;
  /** An earlier render's output of this fleet on this thread (watch's last): equal objects keep its texts. */
  readonly previous?: readonly BranchOutput[];
  /**
   * Write each file's text when it is first read, and no digests: for a diff whose two sides
   * render on one thread, which compares their objects and reads only the changed files' texts.
   */
  readonly textsOnRead?: boolean;
  /** Every cluster's copy of every document, kept for the next render, which takes those made from the same. */
  readonly copies?: CopyMemo;
}

export interface RenderOptions {
  /** Warnings are errors (`--strict`, for CI): each is reported as StrictWarning with its own code in the message. */
  readonly strict?: boolean;
  /** The observed state of the members (a state commit, src/state): the same files and state always give the same result. */
  readonly state?: FleetState;
  /**
   * Only the documents it accepts are rendered (a diff's two sides, affected.ts): the files are
   * still read whole, so that what they are and how they parse is checked as ever.
   */
  readonly select?: (o: SourceObject) => boolean;
}

/** A warning as the error `--strict` makes of it. */
function strictError(w: WarningDiagnostic): RenderError {
  return diagnosticToError({ ...w, severity: 'error', code: 'StrictWarning', message: `${w.message} (warning ${w.code}, an error with --strict)` });
}

/** Render a fleet from its files (repo-relative path -> text). Throws RenderErrors listing every error found. */
export function renderFleet(files: ReadonlyMap<string, string>, caches: RenderCaches = {}, options: RenderOptions = {}): RenderResult {
  const state = options.state;
  const config = parseConfig(files.get(CONFIG_FILE));
  const errors: RenderError[] = [];
  const objects: SourceObject[] = [];
  for (const [path, text] of files) {
    if (path === CONFIG_FILE || !isFleetPath(path, config.exclude)) continue;
    const r = caches.parse ? caches.parse.load(path, text) : loadFile(path, text);
    if (options.select) {
      for (const o of r.objects) if (options.select(o)) objects.push(o);
    } else objects.push(...r.objects);
    errors.push(...r.errors);
  }
  // Identities a member would refuse go no further: they could name a file anywhere.
  const { valid, errors: invalid } = validateSources(objects, isClusterDocument);
  for (const e of invalid) errors.push(e);
  errors.push(...duplicateSources(valid));
  // Files read at a commit arrive before gitfed.yaml's excludes (a working tree's, after them).
  if (config.exclude.length > 0 && countFleetYaml(files.keys(), config.exclude) === 0) {
    const present = countFleetYaml(files.keys(), []);
    if (present > 0) errors.push(nothingLeftError(files.get(CONFIG_FILE), config.exclude, present));
  }

  const inv = readInventory(valid);
  errors.push(...inv.errors);
  const clusters = inv.clusters;
  const content = valid.filter((o) => !isClusterDocument(o));

  const live = state ? { state } : {};
  const schemas = new TemplateSchemas(content);
  const engine = { clusters, config, schemas, ...live, ...(caches.copies ? { copies: caches.copies } : {}) };
  const kubefed = renderKubeFed({ objects: content, ...engine });
  const rest = content.filter((o) => !kubefed.consumed.has(o) && !isKubeFedDocument(o));
  const hostOnly = hostNamespaces(rest, kubefed.rendered);
  const karmada = renderKarmada({ objects: rest.filter((o) => !hostOnly.includes(o)), ...engine });

  const diagnostics = [...inv.warnings, ...kubefed.diagnostics, ...karmada.diagnostics, ...hostOnly.map(hostNamespaceWarning)];
  const explanations = [...kubefed.explanations, ...karmada.explanations];
  const secrets = checkPlaintext(valid, [...kubefed.rendered, ...karmada.rendered], config);
  const sealed = sealRendered([...kubefed.rendered, ...karmada.rendered], valid, explanations);
  const rendered = sealed.rendered;
  errors.push(...secrets.errors, ...sealed.errors);
  diagnostics.push(...secrets.warnings);
  diagnostics.push(...duplicatesPerCluster(rendered), ...missingNamespaces(rendered, clusters));

  errors.push(...diagnostics.filter((d) => d.severity === 'error').map(diagnosticToError));
  for (const e of [...validateRendered(rendered), ...dependencyErrors(rendered), ...layoutErrors(placements(clusters, config), rendered, files.get(CONFIG_FILE))]) errors.push(e);
  const warnings = diagnostics.filter((d): d is WarningDiagnostic => d.severity === 'warning');
  if (options.strict) errors.push(...warnings.map(strictError));
  if (errors.length > 0) throw new RenderErrors(sortErrors(errors));

  caches.parse?.retain(new Set(files.keys()));
  const branches = emitBranches(rendered, clusters, config, caches.yaml, { ...(caches.previous ? { previous: caches.previous } : {}), onRead: caches.textsOnRead === true });
  return {
    config,
    clusters,
    rendered,
    branches,
    warnings,
    explanations,
    ...live,
  };
}

/**
 * A fleet without Karmada policies is read as KubeFed reads it: a plain Namespace beside a
 * FederatedNamespace of its name is the host cluster's own (KubeFed's sample1 creates both), and
 * the FederatedNamespace alone decides where the namespace goes. With Karmada policies in the
 * fleet, a plain Namespace is a Karmada template, and the two collide (DuplicateObject).
 */
function hostNamespaces(rest: readonly SourceObject[], kubefedRendered: readonly RenderedObject[]): SourceObject[] {
  if (rest.some((o) => o.obj.apiVersion.startsWith('policy.karmada.io/'))) return [];
  const federated = new Set(kubefedRendered.filter((r) => r.obj.kind === 'Namespace' && r.obj.apiVersion === 'v1').map((r) => r.obj.metadata.name));
  return rest.filter((o) => o.obj.kind === 'Namespace' && o.obj.apiVersion === 'v1' && federated.has(o.obj.metadata.name));
}

function hostNamespaceWarning(o: SourceObject): Diagnostic {
  return {
    severity: 'warning', code: 'NotPropagated', file: o.pos.file, line: o.pos.line, object: displayName(o.obj),
    message: `${displayName(o.obj)} is read as the KubeFed host's own namespace (the fleet has no Karmada policy): its FederatedNamespace decides where it goes`,
  };
}

function sortErrors(errors: RenderError[]): RenderError[] {
  return errors.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
}

/** Two source documents with one identity: the second would silently overwrite the first. */
function duplicateSources(objects: readonly SourceObject[]): RenderError[] {
  const seen = new Map<string, SourceObject>();
  const errors: RenderError[] = [];
  for (const o of objects) {
    const k = objectKey(o.obj);
    const first = seen.get(k);
    if (first) {
      errors.push(new RenderError('DuplicateObject', `defined twice: also at ${first.pos.file}:${first.pos.line}`, { file: o.pos.file, line: o.pos.line, object: displayName(o.obj) }));
    } else seen.set(k, o);
  }
  return errors;
}

/** Two sources (say a FederatedConfigMap and a plain ConfigMap) producing the same object for one cluster. */
function duplicatesPerCluster(rendered: readonly RenderedObject[]): Diagnostic[] {
  const seen = new Map<string, RenderedObject>();
  const out: Diagnostic[] = [];
  for (const r of rendered) {
    const k = r.cluster + '\0' + objectKey(r.obj);
    const first = seen.get(k);
    if (!first) {
      seen.set(k, r);
      continue;
    }
    out.push({
      severity: 'error', code: 'DuplicateObject',
      message: `${displayName(r.obj)} is produced twice for this cluster: by ${r.engine} from ${r.pos.file}:${r.pos.line} and by ${first.engine} from ${first.pos.file}:${first.pos.line}${r.engine === first.engine ? '' : '; keep one style for it: delete the plain template, or the Federated object'}`,
      file: r.pos.file, line: r.pos.line, object: displayName(r.obj), cluster: r.cluster,
    });
  }
  return out;
}

/**
 * Every cluster directory must apply on its own (kubectl apply -R, Argo CD, Flux), so a namespaced
 * object's Namespace must be in the same directory; `default` always exists.
 */
function missingNamespaces(rendered: readonly RenderedObject[], clusters: readonly Cluster[]): Diagnostic[] {
  const namespaces = new Map<string, Set<string>>(clusters.map((c) => [c.name, new Set(['default'])]));
  for (const r of rendered) if (r.obj.kind === 'Namespace' && r.obj.apiVersion === 'v1') namespaces.get(r.cluster)?.add(r.obj.metadata.name);
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const r of rendered) {
    const ns = r.obj.metadata.namespace;
    if (!ns || namespaces.get(r.cluster)?.has(ns)) continue;
    const k = `${r.cluster}\0${r.origin}`;
    if (reported.has(k)) continue;
    reported.add(k);
    out.push({
      severity: 'error', code: 'NamespaceMissing',
      message: `${displayName(r.obj)} goes to this cluster but its namespace ${ns} does not; add a Namespace ${ns} (or a FederatedNamespace) placed on it`,
      file: r.pos.file, line: r.pos.line, object: displayName(r.obj), cluster: r.cluster,
    });
  }
  return out;
}

/**
 * The render pipeline: load -> inventory -> engines (KubeFed, then Karmada on what is left) ->
 * fleet-wide checks -> emit. Pure: files in, output trees out; no I/O, no clock.
 */
import { RenderError, RenderErrors } from '../errors.js';
import { CONFIG_FILE, parseConfig } from './config.js';
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
import type { BranchOutput, Cluster, Diagnostic, Explanation, FleetConfig, RenderedObject, SourceObject, WarningDiagnostic } from './types.js';

export interface RenderResult {
  readonly config: FleetConfig;
  readonly clusters: readonly Cluster[];
  readonly rendered: readonly RenderedObject[];
  readonly branches: readonly BranchOutput[];
  /** Warnings only: any error makes renderFleet throw RenderErrors. */
  readonly warnings: readonly WarningDiagnostic[];
  readonly explanations: readonly Explanation[];
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
  });
}

/** Caches a caller may keep between renders of one fleet (watch does), to skip unchanged work. */
export interface RenderCaches {
  readonly parse?: ParseCache;
  readonly yaml?: YamlCache;
}

export interface RenderOptions {
  /** Warnings are errors (`--strict`, for CI): each is reported as StrictWarning with its own code in the message. */
  readonly strict?: boolean;
}

/** A warning as the error `--strict` makes of it. */
function strictError(w: WarningDiagnostic): RenderError {
  return diagnosticToError({ ...w, severity: 'error', code: 'StrictWarning', message: `${w.message} (warning ${w.code}, an error with --strict)` });
}

/** Render a fleet from its files (repo-relative path -> text). Throws RenderErrors listing every error found. */
export function renderFleet(files: ReadonlyMap<string, string>, caches: RenderCaches = {}, options: RenderOptions = {}): RenderResult {
  const config = parseConfig(files.get(CONFIG_FILE));
  const errors: RenderError[] = [];
  const objects: SourceObject[] = [];
  for (const [path, text] of files) {
    if (path === CONFIG_FILE || !isFleetPath(path, config.exclude)) continue;
    const r = caches.parse ? caches.parse.load(path, text) : loadFile(path, text);
    objects.push(...r.objects);
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

  const schemas = new TemplateSchemas(content);
  const kubefed = renderKubeFed({ objects: content, clusters, config, schemas });
  const rest = content.filter((o) => !kubefed.consumed.has(o) && !isKubeFedDocument(o));
  const karmada = renderKarmada({ objects: rest, clusters, config, schemas });

  const diagnostics = [...kubefed.diagnostics, ...karmada.diagnostics];
  const rendered = [...kubefed.rendered, ...karmada.rendered];
  diagnostics.push(...duplicatesPerCluster(rendered), ...missingNamespaces(rendered, clusters));

  errors.push(...diagnostics.filter((d) => d.severity === 'error').map(diagnosticToError));
  for (const e of [...validateRendered(rendered), ...layoutErrors(placements(clusters, config), rendered, files.get(CONFIG_FILE))]) errors.push(e);
  const warnings = diagnostics.filter((d): d is WarningDiagnostic => d.severity === 'warning');
  if (options.strict) errors.push(...warnings.map(strictError));
  if (errors.length > 0) throw new RenderErrors(sortErrors(errors));

  caches.parse?.retain(new Set(files.keys()));
  const branches = emitBranches(rendered, clusters, config, caches.yaml);
  return {
    config,
    clusters,
    rendered,
    branches,
    warnings,
    explanations: [...kubefed.explanations, ...karmada.explanations],
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
      message: `${displayName(r.obj)} is produced twice for this cluster: by ${r.engine} from ${r.pos.file}:${r.pos.line} and by ${first.engine} from ${first.pos.file}:${first.pos.line}`,
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

/**
 * @module render/sealed
 * Secrets in the fleet repo: readable Secret values are refused, SOPS-encrypted documents go to
 * the branch byte for byte.
 *
 * - A Secret (or a FederatedSecret template, or what an override makes of either) with readable
 *   `data` or `stringData` fails the render, unless gitfed.yaml's `secrets.allowPlaintext` names
 *   its namespace or name, and then every render warns.
 * - A SOPS-encrypted document (a top-level `sops` mapping) is alone in its file, keeps its
 *   identity and metadata readable, and is placed like any object; on the branch it is the file
 *   as committed, since SOPS's MAC covers every field of it. Whatever would change it on some
 *   cluster (an override, a namespace render would fill in) is an error naming that cluster.
 *
 * Pure: objects in, objects and errors out.
 */
import { RenderError } from '../errors.js';
import { displayName, groupOf, objectKey } from '../object.js';
import { encryptedIdentityField, isSopsDocument, readableSecretValues, readSopsMetadata } from '../secrets/sops-format.js';
import type { Explanation, FleetConfig, KubeObject, PlaintextSecretRule, RenderedObject, SourceObject, SourcePos, WarningDiagnostic } from './types.js';

const ENCRYPT_HINT = "encrypt it with SOPS and age, keeping everything but the values readable: sops encrypt --in-place --age <recipient> --encrypted-regex '^(data|stringData)$' FILE";
const FEDERATED_HINT =
  "SOPS binds each value to its place in the file, so a FederatedSecret's template cannot be encrypted: move data/stringData to a Secret of the same name and namespace, encrypt that file (sops encrypt --in-place --age <recipient> --encrypted-regex '^(data|stringData)$' FILE), and leave spec.template out of the FederatedSecret, which then places the encrypted Secret";

const isSecret = (obj: KubeObject) => obj.kind === 'Secret' && groupOf(obj.apiVersion) === '';
const isFederatedSecret = (obj: KubeObject) => obj.kind === 'FederatedSecret' && groupOf(obj.apiVersion) === 'types.kubefed.io';

/**
 * Checks the SOPS documents of one file as loadFile read it, and gives each its text. A SOPS
 * file holds one object: its MAC covers every document of the file, and the branch holds one
 * object per file.
 */
export function sealSources(file: string, text: string, documents: number, objects: SourceObject[], errors: RenderError[]): SourceObject[] {
  // A template copied from an encrypted Secret (kubefedctl federate does that) keeps values bound to another path.
  const template = objects.find((o) => isSopsDocument((o.obj.spec as { template?: unknown } | undefined)?.template));
  if (template) {
    errors.push(new RenderError('SopsInvalid', 'spec.template holds SOPS metadata: its values were encrypted for the Secret they came from, and decrypt nowhere else', { file, line: template.lineOf(['spec', 'template', 'sops']), object: displayName(template.obj), hint: FEDERATED_HINT }));
    return objects.filter((o) => o !== template);
  }
  if (!objects.some((o) => isSopsDocument(o.obj))) return objects;
  if (documents !== 1 || objects.length !== 1) {
    const first = objects.find((o) => isSopsDocument(o.obj))!;
    errors.push(new RenderError('SopsInvalid', `a SOPS-encrypted file must hold exactly one object, not ${objects.length}: its MAC covers the whole file, and the branch holds each object in a file of its own`, { file, line: first.pos.line, hint: 'split the file into one file per object before encrypting each' }));
    return [];
  }
  const o = objects[0]!;
  const meta = readSopsMetadata(o.obj);
  if ('problem' in meta) {
    errors.push(new RenderError('SopsInvalid', `SOPS metadata: ${meta.problem}`, { file, line: o.lineOf(['sops']), object: displayName(o.obj) }));
    return [];
  }
  const hidden = encryptedIdentityField(o.obj);
  if (hidden) {
    errors.push(new RenderError('SopsInvalid', `${hidden} is encrypted, so nothing can place or apply this object`, { file, line: o.lineOf(hidden.split('.')), object: displayName(o.obj), hint: "encrypt only the values: sops encrypt --encrypted-regex '^(data|stringData)$'" }));
    return [];
  }
  return [{ ...o, verbatim: text }];
}

function allowed(rules: readonly PlaintextSecretRule[], obj: KubeObject, namespace: string): PlaintextSecretRule | undefined {
  return rules.find((r) => (r.namespace === undefined || r.namespace === namespace) && (r.name === undefined || r.name === obj.metadata.name));
}

export interface SecretFindings {
  readonly errors: RenderError[];
  readonly warnings: WarningDiagnostic[];
}

/** The readable values of a source, with the field path their line is on. */
function readable(o: SourceObject): { paths: string[][]; base: string[] } {
  if (isSecret(o.obj)) return { paths: readableSecretValues(o.obj), base: [] };
  if (isFederatedSecret(o.obj)) {
    const template = (o.obj.spec as { template?: unknown } | undefined)?.template;
    if (template !== null && typeof template === 'object' && !Array.isArray(template)) return { paths: readableSecretValues(template as Record<string, unknown>), base: ['spec', 'template'] };
  }
  return { paths: [], base: [] };
}

/**
 * Readable Secret values: in the sources (a Secret, a FederatedSecret's template), then in what
 * the engines made of them (an override that writes a value). One finding per source document.
 */
export function checkPlaintext(sources: readonly SourceObject[], rendered: readonly RenderedObject[], config: FleetConfig): SecretFindings {
  const rules = config.allowPlaintextSecrets ?? [];
  const errors: RenderError[] = [];
  const warnings: WarningDiagnostic[] = [];
  const reported = new Set<string>();
  const report = (doc: SourcePos, src: SourcePos, obj: KubeObject, namespace: string, fields: string, federated: boolean, on = '') => {
    const id = `${doc.file}\0${doc.line}`;
    if (reported.has(id)) return;
    reported.add(id);
    const name = `${obj.kind}/${namespace}/${obj.metadata.name}`;
    const rule = allowed(rules, obj, namespace);
    if (rule) {
      warnings.push({
        severity: 'warning', code: 'PlaintextSecret', file: src.file, line: src.line, object: objectKey(obj),
        message: `${fields} readable in git${on}: allowed by gitfed.yaml secrets.allowPlaintext (${rule.namespace !== undefined ? `namespace ${rule.namespace}` : ''}${rule.namespace !== undefined && rule.name !== undefined ? ', ' : ''}${rule.name !== undefined ? `name ${rule.name}` : ''})`,
      });
      return;
    }
    errors.push(new RenderError('PlaintextSecret', `${fields} readable${on} by anyone who can read the repository and every output branch`, { file: src.file, line: src.line, object: name, hint: federated ? FEDERATED_HINT : ENCRYPT_HINT }));
  };
  const list = (paths: string[][]) => `${paths.slice(0, 3).map((p) => p.join('.')).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''} ${paths.length === 1 ? 'is' : 'are'}`;
  const bySource = new Map<string, SourceObject>();
  for (const o of sources) {
    bySource.set(`${o.pos.file}\0${o.pos.line}`, o);
    const { paths, base } = readable(o);
    if (paths.length === 0) continue;
    report(o.pos, { file: o.pos.file, line: o.lineOf([...base, ...paths[0]!]) }, o.obj, o.obj.metadata.namespace ?? 'default', list(paths), isFederatedSecret(o.obj));
  }
  for (const r of rendered) {
    if (!isSecret(r.obj)) continue;
    const paths = readableSecretValues(r.obj);
    if (paths.length === 0) continue;
    const src = bySource.get(`${r.pos.file}\0${r.pos.line}`);
    const line = src?.lineOf([...(src && isFederatedSecret(src.obj) ? ['spec', 'template'] : []), ...paths[0]!]) ?? r.pos.line;
    report(r.pos, { file: r.pos.file, line }, r.obj, r.obj.metadata.namespace ?? 'default', list(paths), src !== undefined && isFederatedSecret(src.obj), ` on cluster ${r.cluster}`);
  }
  return { errors, warnings };
}

/** The first path where two JSON values differ, as `a.b.c`; undefined when equal. */
export function firstDifference(a: unknown, b: unknown, path: string[] = []): string | undefined {
  if (a === b) return undefined;
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) return path.join('.') || '(the whole object)';
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    if (a[k] === undefined && b[k] === undefined) continue;
    const d = firstDifference(a[k], b[k], [...path, k]);
    if (d !== undefined) return d;
  }
  return undefined;
}

/**
 * Gives every rendered copy of a SOPS document the document's text, or an error where the
 * engines would have changed it. The overrides an engine applied for the cluster are named
 * from its explanation.
 */
export function sealRendered(rendered: readonly RenderedObject[], sources: readonly SourceObject[], explanations: readonly Explanation[]): { rendered: RenderedObject[]; errors: RenderError[] } {
  const sealed = sources.filter((s) => s.verbatim !== undefined);
  if (sealed.length === 0) return { rendered: [...rendered], errors: [] };
  const byObject = new Map<KubeObject, SourceObject>(sealed.map((s) => [s.obj, s]));
  const byFile = new Map(sealed.map((s) => [s.pos.file, s]));
  const byKey = new Map(sealed.map((s) => [objectKey(s.obj), s]));
  const explained = new Map(explanations.map((e) => [e.object, e]));
  const errors: RenderError[] = [];
  const out: RenderedObject[] = [];
  for (const r of rendered) {
    if (!isSopsDocument(r.obj)) {
      out.push(r);
      continue;
    }
    const src = byObject.get(r.obj) ?? byFile.get(r.pos.file) ?? byKey.get(objectKey(r.obj));
    const changed = src ? (src.obj === r.obj ? undefined : firstDifference(src.obj, r.obj)) : 'sops';
    if (src && changed === undefined) {
      out.push({ ...r, text: src.verbatim! });
      continue;
    }
    const overrides = explained.get(r.origin)?.overrides[r.cluster] ?? [];
    const by = overrides.length > 0 ? `the overrides (${overrides.join('; ')})` : 'render';
    const what = changed === 'metadata.namespace' && src && src.obj.metadata.namespace === undefined ? `${by} would set metadata.namespace, which the document leaves out (write it in before encrypting)` : `${by} would change ${changed}`;
    errors.push(new RenderError('EncryptedObjectChanged', `${what} of this SOPS-encrypted document; its MAC covers the whole document, so every cluster gets it exactly as committed`, {
      file: (src ?? r).pos.file, line: (src ?? r).pos.line, object: displayName(r.obj), cluster: r.cluster,
      hint: 'give clusters that need other values a separate encrypted object placed on them, and keep overrides off encrypted documents',
    }));
  }
  return { rendered: out, errors };
}

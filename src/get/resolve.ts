/**
 * @module get/resolve
 * Which API resource a kubectl TYPE spelling names (`po`, `pods`, `Pod`, `deployments.apps`,
 * `deploy.apps`, `deployments.v1.apps`), matched as kubectl's RESTMapper matches it against one
 * member's discovery. Pure: the discovery lists come in as data.
 */

/** One resource of a member's discovery (a subresource never is one). */
export interface ApiResource {
  readonly group: string;
  readonly version: string;
  /** The plural, the URL segment. */
  readonly name: string;
  readonly singularName: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
}

/** A TYPE split as kubectl splits it: `resource[.version].group`. */
export interface TypeSpelling {
  readonly resource: string;
  readonly group?: string;
  readonly version?: string;
}

export function parseType(type: string): TypeSpelling {
  const parts = type.split('.');
  const resource = parts[0]!;
  if (parts.length === 1) return { resource };
  // `deployments.v1.apps`: a second part that looks like a version is one.
  if (parts.length >= 3 && /^v\d+((alpha|beta)\d+)?$/.test(parts[1]!)) return { resource, version: parts[1]!, group: parts.slice(2).join('.') };
  return { resource, group: parts.slice(1).join('.') };
}

function names(r: ApiResource): string[] {
  return [r.name, r.singularName, r.kind, ...r.shortNames].filter(Boolean).map((s) => s.toLowerCase());
}

/**
 * The resource a spelling names in this discovery, or undefined when the member serves none.
 * Discovery lists the preferred version of each group first, so the first match wins as in
 * kubectl; the core group wins over others for an unqualified name (`events`, `pods`).
 */
export function resolveType(spelling: TypeSpelling, resources: readonly ApiResource[]): ApiResource | undefined {
  const want = spelling.resource.toLowerCase();
  const candidates = resources.filter(
    (r) => names(r).includes(want) && (spelling.group === undefined || r.group === spelling.group || (spelling.group === 'core' && r.group === '')) && (spelling.version === undefined || r.version === spelling.version),
  );
  return candidates.find((r) => r.group === '') ?? candidates[0];
}

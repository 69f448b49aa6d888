/**
 * The string rules of Kubernetes identities, as apimachinery's validation states them
 * (k8s.io/apimachinery/pkg/util/validation and pkg/api/validation/path). Each returns the
 * problems found, none for a valid value, so a message can say exactly what is wrong.
 */

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const DNS1035_LABEL_MAX = 63;
export const LABEL_VALUE_MAX = 63;
export const QUALIFIED_NAME_MAX = 63;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// Label values and the name part of qualified names: alphanumerics at both ends, '-', '_', '.' inside.
const QUALIFIED_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*$/;

function tooLong(value: string, max: number, rule: string): string[] {
  return value.length > max ? [`must be no more than ${max} characters, as ${rule} (it has ${value.length})`] : [];
}

/** The problems of `value` against a length limit and a pattern. */
function shaped(value: string, max: number, rule: string, pattern: RegExp, shape: string): string[] {
  return [...tooLong(value, max, rule), ...(pattern.test(value) ? [] : [`must be ${rule}: ${shape}`])];
}

export function isDNS1123Label(value: string): string[] {
  return shaped(value, DNS1123_LABEL_MAX, 'a DNS-1123 label', DNS1123_LABEL, "lower-case letters, digits and '-', starting and ending with a letter or digit");
}

export function isDNS1123Subdomain(value: string): string[] {
  return shaped(value, DNS1123_SUBDOMAIN_MAX, 'a DNS-1123 subdomain', DNS1123_SUBDOMAIN, "lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit");
}

export function isDNS1035Label(value: string): string[] {
  return shaped(value, DNS1035_LABEL_MAX, 'a DNS-1035 label', DNS1035_LABEL, "lower-case letters, digits and '-', starting with a letter and ending with a letter or digit");
}

/** What the API server asks of names that only ever become one path segment (RBAC objects). */
export function isPathSegmentName(value: string): string[] {
  if (value === '.' || value === '..') return [`may not be '${value}'`];
  const problems: string[] = [];
  for (const c of ['/', '%']) if (value.includes(c)) problems.push(`may not contain '${c}'`);
  return problems;
}

export function isLabelValue(value: string): string[] {
  if (value === '') return [];
  return shaped(value, LABEL_VALUE_MAX, 'a label value', QUALIFIED_PART, "empty, or letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
}

/** A label key or annotation key: `[prefix/]name`, the prefix a DNS-1123 subdomain. */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) return ["must be a name, optionally prefixed by a DNS subdomain and '/' (only one '/')"];
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  const problems: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') problems.push('prefix part must not be empty');
    else problems.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === '') problems.push('name part must not be empty');
  else {
    problems.push(...tooLong(name, QUALIFIED_NAME_MAX, 'the name part of a key').map((m) => `name part ${m}`));
    if (!QUALIFIED_PART.test(name)) problems.push("name part must be letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
  }
  return problems;
}

/** A kind: a letter, then letters and digits (what a Go type name and kubectl's resource lookup allow). */
export function isKind(value: string): string[] {
  return shaped(value, DNS1035_LABEL_MAX, 'an identifier', IDENTIFIER, 'a letter, then letters and digits');
}

/** `[group/]version`: the group a DNS-1123 subdomain (empty for the core group), the version a DNS-1035 label. */
export function apiVersionProblems(apiVersion: string): string[] {
  const parts = apiVersion.split('/');
  if (parts.length > 2) return ["must be <group>/<version> or <version> (only one '/')"];
  const [group, version] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['', parts[0]!];
  const problems: string[] = [];
  if (parts.length === 2) problems.push(...isDNS1123Subdomain(group).map((m) => `group ${JSON.stringify(group)} ${m}`));
  problems.push(...isDNS1035Label(version).map((m) => `version ${JSON.stringify(version)} ${m}`));
  return problems;
}

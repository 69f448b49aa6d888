/**
 * @module fleet/args
 * The small languages of the verbs' flags: `a,b,c` lists and `k=v,...` label maps, checked with
 * Kubernetes' own rules so that a typo fails here and not at render or apply time.
 */
import { clusterNameProblems } from '../render/inventory.js';
import { FleetError } from './errors.js';

/** `a, b,,c` -> [a, b, c]; empty input, an empty list. */
export function parseList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export function checkLabelKey(key: string, flag: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new FleetError('InvalidFlag', `${flag}: label key ${JSON.stringify(key)}: the prefix must be a DNS subdomain`);
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    throw new FleetError('InvalidFlag', `${flag}: label key ${JSON.stringify(key)}: the name must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  }
}

export function checkLabelValue(key: string, value: string, flag: string): void {
  if (value !== '' && (value.length > 63 || !LABEL_NAME.test(value))) {
    throw new FleetError('InvalidFlag', `${flag}: label ${key}: value ${JSON.stringify(value)} must be empty or 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  }
}

/** `k=v,k2=v2` -> {k: v, k2: v2}; a key given twice or without `=` is an error. */
export function parseLabels(text: string | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of parseList(text)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new FleetError('InvalidFlag', `${flag}: ${JSON.stringify(item)} is not key=value`);
    const key = item.slice(0, eq).trim();
    const value = item.slice(eq + 1).trim();
    checkLabelKey(key, flag);
    checkLabelValue(key, value, flag);
    if (key in out) throw new FleetError('InvalidFlag', `${flag}: label ${key} is given twice`);
    out[key] = value;
  }
  return out;
}

/** Cluster names name a directory and a kubeconfig context: DNS-1123 labels, as the inventory requires. */
export function checkClusterName(name: string): void {
  const problems = clusterNameProblems(name);
  if (problems.length > 0) throw new FleetError('InvalidName', `cluster name ${JSON.stringify(name)} ${problems.join('; ')}`);
}

/**
 * Kubernetes label selectors (metav1.LabelSelector) evaluated against a label map, with the
 * apimachinery semantics both KubeFed and Karmada rely on.
 */
import type { LabelSelector } from './types.js';

export class SelectorError extends Error {}

/**
 * Does `labels` satisfy `sel`? An empty selector matches everything (metav1.LabelSelectorAsSelector).
 * Throws SelectorError for an unknown operator or a values list that the operator forbids/requires,
 * as apimachinery does when converting the selector.
 */
export function matchesSelector(sel: LabelSelector | undefined | null, labels: Readonly<Record<string, string>>): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (labels[k] !== String(v)) return false;
  }
  for (const expr of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const values = (expr.values ?? []).map(String);
    switch (expr.operator) {
      case 'In':
        if (values.length === 0) throw new SelectorError(`matchExpressions key ${expr.key}: operator In needs values`);
        if (!has || !values.includes(labels[expr.key]!)) return false;
        break;
      case 'NotIn':
        if (values.length === 0) throw new SelectorError(`matchExpressions key ${expr.key}: operator NotIn needs values`);
        if (has && values.includes(labels[expr.key]!)) return false;
        break;
      case 'Exists':
        if (values.length > 0) throw new SelectorError(`matchExpressions key ${expr.key}: operator Exists takes no values`);
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (values.length > 0) throw new SelectorError(`matchExpressions key ${expr.key}: operator DoesNotExist takes no values`);
        if (has) return false;
        break;
      default:
        throw new SelectorError(`matchExpressions key ${expr.key}: unknown operator ${JSON.stringify(expr.operator)} (In, NotIn, Exists, DoesNotExist)`);
    }
  }
  return true;
}

/**
 * A selector written as `kubectl -l` takes it: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k` (exists) and `!k` (does not exist), joined by commas. Throws SelectorError.
 */
export function parseSelector(text: string): LabelSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  // Commas inside parentheses belong to a value list, not between requirements.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') throw new SelectorError(`empty requirement in ${JSON.stringify(text)}`);
    const set = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
      if (values.length === 0) throw new SelectorError(`${part}: ${set[2]} needs at least one value`);
      matchExpressions.push({ key: set[1]!, operator: set[2] === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    const cmp = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
    if (cmp) {
      if (cmp[2] === '!=') matchExpressions.push({ key: cmp[1]!, operator: 'NotIn', values: [cmp[3]!] });
      else matchLabels[cmp[1]!] = cmp[3]!;
      continue;
    }
    const exists = /^(!?)([^\s!=(),]+)$/.exec(part);
    if (exists) {
      matchExpressions.push({ key: exists[2]!, operator: exists[1] ? 'DoesNotExist' : 'Exists' });
      continue;
    }
    throw new SelectorError(`${JSON.stringify(part)} is not a requirement (k=v, k!=v, k in (a,b), k notin (a,b), k, !k)`);
  }
  return { ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}), ...(matchExpressions.length > 0 ? { matchExpressions } : {}) };
}

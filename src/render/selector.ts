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

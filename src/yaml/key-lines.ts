/**
 * @module yaml/key-lines
 * The line of a field named by a mapping key (`spec.apiEndpoint`, `spec.overrides[0].clusterName`),
 * from js-yaml's parse events: js-yaml tells a listener where each node opens, and in a mapping
 * the nodes it composes alternate key, value. Reading a small document again this way costs a
 * fraction of building the `yaml` package's CST (and loading that package), which a render paid
 * for every warning that names a field, such as the one on each KubeFedCluster kubefedctl joined.
 * Anything else (a path ending at a list item, a key that is not a plain string, a path that does
 * not exist) is left to the CST, which answers every path: undefined here means ask it.
 */
import jsyaml from 'js-yaml';
import { KUBE_YAML_SCHEMA } from '../yaml-schema.js';

interface EventNode {
  /** 0-based line in the text where the node opens. */
  readonly line: number;
  readonly children: EventNode[];
  kind?: string | null;
  result?: unknown;
}

/** Every node js-yaml composed, nested as it composed them; undefined when the text does not load. */
function eventTree(text: string): EventNode | undefined {
  const top: EventNode = { line: 0, children: [] };
  const stack: EventNode[] = [top];
  try {
    jsyaml.load(text, {
      schema: KUBE_YAML_SCHEMA,
      listener(type, state) {
        if (type === 'open') {
          const node: EventNode = { line: state.line, children: [] };
          stack[stack.length - 1]!.children.push(node);
          stack.push(node);
        } else {
          const node = stack.pop()!;
          node.kind = state.kind;
          node.result = state.result;
        }
      },
    });
  } catch {
    return undefined;
  }
  return stack.length === 1 && top.children.length === 1 ? top.children[0] : undefined;
}

/** Returns a resolver from a path ending in a mapping key to the 0-based line of that key in `text`. */
export function keyLineResolver(text: string): (path: readonly (string | number)[]) => number | undefined {
  let root: EventNode | null | undefined;
  return (path) => {
    // The answer is a key's line: a list item's own line is where the two readers may differ (js-yaml
    // opens it at its dash), so a path may pass through items but not end at one.
    if (path.length === 0 || typeof path[path.length - 1] !== 'string') return undefined;
    if (root === undefined) root = eventTree(text) ?? null;
    let node = root;
    let line: number | undefined;
    for (const seg of path) {
      if (node !== null && typeof seg === 'number' && node.kind === 'sequence') {
        const item = node.children[seg];
        if (item === undefined) return undefined;
        node = item;
        continue;
      }
      if (node === null || typeof seg !== 'string' || node.kind !== 'mapping' || node.children.length % 2 !== 0) return undefined;
      let next: EventNode | null = null;
      // The first pair with that key, as the CST resolver finds it.
      for (let i = 0; i < node.children.length; i += 2) {
        const key = node.children[i]!;
        // A key js-yaml did not read as a plain string (a number, a bool, a collection) is one the
        // CST may match by its source text: from there on, only the CST can say which pair comes first.
        if (key.kind !== 'scalar' || typeof key.result !== 'string') return undefined;
        if (key.result === seg) {
          line = key.line;
          next = node.children[i + 1]!;
          break;
        }
      }
      if (next === null) return undefined;
      node = next;
    }
    return line;
  };
}

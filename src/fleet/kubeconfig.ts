/**
 * @module fleet/kubeconfig
 * Checks a context name against a kubeconfig file without talking to any cluster: join records
 * only the context's name in git, and a typo there would surface much later, at apply time.
 */
import { readFile } from 'node:fs/promises';
import jsyaml from 'js-yaml';
import { FleetError } from './errors.js';

export async function contextNames(kubeconfig: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(kubeconfig, 'utf8');
  } catch (err) {
    throw new FleetError('KubeconfigNotFound', `cannot read kubeconfig: ${(err as Error).message}`, { file: kubeconfig }, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = jsyaml.load(text);
  } catch (err) {
    const e = err as jsyaml.YAMLException;
    throw new FleetError('YAMLSyntax', `kubeconfig is not valid YAML: ${e.reason ?? e.message}`, { file: kubeconfig, line: (e.mark?.line ?? 0) + 1 }, { cause: err });
  }
  const contexts = (parsed as { contexts?: unknown } | null)?.contexts;
  if (!Array.isArray(contexts)) return [];
  return contexts.map((c: { name?: unknown }) => c?.name).filter((n): n is string => typeof n === 'string');
}

export async function checkContext(kubeconfig: string, context: string): Promise<void> {
  const names = await contextNames(kubeconfig);
  if (names.includes(context)) return;
  const known = names.length > 0 ? `it has ${names.join(', ')}` : 'it has no contexts';
  throw new FleetError('ContextNotFound', `context ${context} is not in this kubeconfig (${known}); pass --context NAME`, { file: kubeconfig });
}

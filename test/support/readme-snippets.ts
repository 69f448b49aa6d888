/**
 * The README's configuration snippets, read from README.md itself so that the snippet a user
 * copies is the one a test ran: each is the first ```yaml block after a line that starts with
 * its bold lead-in (`**Argo CD**`, `**Flux**`).
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { KubeObject } from '../../src/object.js';

const README = new URL('../../README.md', import.meta.url);

export function readmeYaml(lead: string, file: URL = README): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const starts = lines.flatMap((l, i) => (l.startsWith(`**${lead}**`) ? [i] : []));
  if (starts.length !== 1) throw new Error(`${file.pathname}: ${starts.length} lines start with **${lead}**, expected one`);
  const open = lines.findIndex((l, i) => i > starts[0]! && l.trim() === '```yaml');
  const close = lines.findIndex((l, i) => i > open && l.trim() === '```');
  if (open < 0 || close < 0) throw new Error(`${file.pathname}: no \`\`\`yaml block after **${lead}**`);
  return lines.slice(open + 1, close).join('\n') + '\n';
}

/** The documents of a snippet after textual replacements (a URL, a cluster name), in order. */
export function snippetObjects(text: string, replace: Record<string, string> = {}): KubeObject[] {
  let out = text;
  for (const [from, to] of Object.entries(replace)) {
    if (!out.includes(from)) throw new Error(`the snippet has no ${from} to replace`);
    out = out.split(from).join(to);
  }
  return yaml.loadAll(out) as KubeObject[];
}

/** Time helpers: Go-style durations ("90s", "2m", "1m30s", "1500ms") as envtest's KUBEBUILDER_* variables use them, and sleeping. */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!]!, 0);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

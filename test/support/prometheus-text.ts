/**
 * Prometheus' text format read by a parser (parse-prometheus-text-format, prom2json's shape), so
 * tests look at metric families and samples, never at strings.
 *
 * That parser folds every sample of a histogram into one, dropping its labels (it only knows
 * label-less histograms). So the text is parsed twice: as it is, for each family's type and help,
 * and once more without the histograms' TYPE lines, where each histogram's `_bucket`, `_sum` and
 * `_count` series come out as families of their own with every label kept.
 */
import { createRequire } from 'node:module';

export interface Sample {
  readonly value?: string;
  readonly labels?: Record<string, string>;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  readonly metrics: readonly Sample[];
}

const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => Family[];

export interface Metrics {
  /** Every family with its type and help (histograms' samples are not to be read here). */
  readonly families: Map<string, Family>;
  /** Families by name with histograms split into `<name>_bucket`, `_sum` and `_count`, labels kept. */
  readonly series: Map<string, Family>;
}

export function parseMetrics(text: string): Metrics {
  const families = new Map(parse(text).map((f) => [f.name, f]));
  const histograms = [...families.values()].filter((f) => f.type === 'HISTOGRAM').map((f) => f.name);
  const plain = text
    .split('\n')
    .filter((l) => !histograms.some((h) => l === `# TYPE ${h} histogram` || l.startsWith(`# HELP ${h} `)))
    .join('\n');
  // A histogram's series come member by member (bucket, sum, count, then the next labels), so a
  // name can open several families: their samples are one series set.
  const series = new Map<string, Family>();
  for (const f of parse(plain)) {
    const seen = series.get(f.name);
    series.set(f.name, seen ? { ...seen, metrics: [...seen.metrics, ...f.metrics] } : f);
  }
  return { families, series };
}

/** The value of the one sample of `name` whose labels include `labels`; undefined when none. */
export function sample(m: Metrics, name: string, labels: Record<string, string> = {}): number | undefined {
  const s = m.series.get(name)?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return s?.value === undefined ? undefined : Number(s.value);
}

/** Every sample of every family, for checks over all labels. */
export function allSamples(m: Metrics): { name: string; labels: Record<string, string> }[] {
  return [...m.series.values()].flatMap((f) => f.metrics.map((s) => ({ name: f.name, labels: s.labels ?? {} })));
}

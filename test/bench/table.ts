/** The benchmark report: one table with the figure, its baseline from the same run, the ratio and the target. */
export interface BenchRow {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  baselineName: string;
  baseline: number;
  /** value / baseline. */
  ratio: number;
  target?: string;
  met?: boolean;
}

/** Builds a row; `higherIsBetter` decides how the ratio is read against a target. */
export function row(
  scenario: string,
  metric: string,
  unit: string,
  value: number,
  baselineName: string,
  baseline: number,
  target?: { ratio: number; higherIsBetter: boolean; text: string },
): BenchRow {
  const ratio = baseline ? value / baseline : Number.NaN;
  const met = target ? (target.higherIsBetter ? ratio >= target.ratio : ratio <= target.ratio) : undefined;
  return { scenario, metric, value, unit, baselineName, baseline, ratio, target: target?.text, met };
}

const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(3);

/** Renders rows as a plain-text table. */
export function renderBench(rows: BenchRow[]): string {
  const head = ['scenario', 'metric', 'weft', 'baseline', 'ratio', 'target', 'met'];
  const body = rows.map((r) => [
    r.scenario,
    r.metric,
    `${fmt(r.value)} ${r.unit}`,
    `${fmt(r.baseline)} ${r.unit} (${r.baselineName})`,
    Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)}×` : '-',
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (c: string[]): string => c.map((x, i) => x.padEnd(w[i] ?? 0)).join(' | ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('-|-'), ...body.map(line)].join('\n');
}

/** Terminal drawing for the demo: a line chart and a progress bar, plain strings, no dependency. */

export interface ChartOptions {
  /** Plot columns (the y labels and the frame take 10 more). */
  width?: number;
  height?: number;
  /** Fixed y range; else the data's. */
  min?: number;
  max?: number;
  /** Decimals of the y labels. */
  digits?: number;
}

/**
 * One series against its index (here: a value per epoch), resampled to `width` columns; a point
 * per column, joined by vertical strokes where the curve jumps more than one row.
 */
export function lineChart(
  title: string,
  values: readonly number[],
  { width = 60, height = 8, min, max, digits = 2 }: ChartOptions = {},
): string {
  const lo = min ?? Math.min(...values);
  const hi = max ?? Math.max(...values);
  const span = hi > lo ? hi - lo : 1;
  const cols = Math.min(width, values.length);
  const grid = Array.from({ length: height }, () => new Array<string>(cols).fill(' '));
  const rowOf = (v: number) => Math.round(((hi - Math.min(Math.max(v, lo), hi)) / span) * (height - 1));
  let previous = -1;
  for (let c = 0; c < cols; c++) {
    const i = cols > 1 ? Math.round((c * (values.length - 1)) / (cols - 1)) : 0;
    const row = rowOf(values[i]!);
    if (previous >= 0) for (let r = Math.min(previous, row) + 1; r < Math.max(previous, row); r++) grid[r]![c] = '│';
    grid[row]![c] = '•';
    previous = row;
  }
  const label = (r: number) => (r === 0 ? hi : r === height - 1 ? lo : r === (height - 1) >> 1 ? hi - (span * r) / (height - 1) : NaN);
  const lines = [`  ${title}`];
  for (let r = 0; r < height; r++) {
    const v = label(r);
    lines.push(`${(Number.isNaN(v) ? '' : v.toFixed(digits)).padStart(8)} ┤${grid[r]!.join('')}`.trimEnd());
  }
  const last = String(values.length);
  lines.push(`${''.padStart(8)} └${'─'.repeat(cols)}`);
  lines.push(`${''.padStart(10)}1${last.padStart(cols - 1)}  epoch`);
  return lines.join('\n');
}

/** `[██████······] 12/40 …`, to redraw in place with \r (TTY only). */
export function progressBar(done: number, total: number, note = '', width = 30): string {
  const filled = Math.round((done / total) * width);
  return `  [${'█'.repeat(filled)}${'·'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} ${note}`;
}

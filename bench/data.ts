// The arrays the bench draws for a loss of the registry: values from the entry's domains, labels
// where it draws them, and for a row-wise loss a label per row or one-hot rows.
import { uniform } from '../test/random.js';
import type { ElementwiseEntry, RowwiseEntry } from '../test/registry.js';

/** Values from the entry's domains; labels where the entry draws them. */
export function elementData(e: ElementwiseEntry, n: number, rand: () => number): { y: Float32Array; p: Float32Array } {
  const y = uniform(Float32Array, n, e.domain.target, rand);
  const p = uniform(Float32Array, n, e.domain.pred, rand);
  if (e.labels)
    for (let i = 0; i < n; i++) if (rand() < e.labels.share) y[i] = e.labels.values[Math.floor(rand() * e.labels.values.length)]!;
  return { y, p };
}

/** Logits from the entry's domain; a label per row, or one-hot rows. */
export function rowData(e: RowwiseEntry, n: number, C: number, rand: () => number): { y: Float32Array | Int32Array; p: Float32Array } {
  const p = uniform(Float32Array, n, e.domain.pred, rand);
  const labels = Int32Array.from({ length: n / C }, () => Math.floor(rand() * C));
  if (e.target === 'labels') return { y: labels, p };
  const y = new Float32Array(n);
  labels.forEach((t, r) => {
    y[r * C + t] = 1;
  });
  return { y, p };
}

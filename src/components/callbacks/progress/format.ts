import { formatNumber } from '../model-checkpoint/python-format.js';

/** Metrics as tqdm's postfix shows them in Lightning's bar: `key=value`, numbers with 3 significant digits. */
export function formatMetrics(metrics: Readonly<Record<string, number>>): string {
  return Object.entries(metrics)
    .map(([key, value]) => `${key}=${formatNumber(value, '.3g')}`)
    .join(' ');
}

/** The plain (non-terminal) line: `Epoch 2: 40/100 step=240 loss=0.231 val_loss=0.3`. */
export function plainLine(epoch: number, done: number, total: number, metrics: Readonly<Record<string, number>>): string {
  const position = Number.isFinite(total) && total > 0 ? `${done}/${total}` : `${done}`;
  const tail = formatMetrics(metrics);
  return `Epoch ${epoch}: ${position}${tail === '' ? '' : ` ${tail}`}\n`;
}

/** A hand-written SVG: throughput and p99 latency against concurrency, both designs, two panels. */

export interface ChartPoint {
  concurrency: number;
  concierge: { msgsPerMin: number; p99Ms: number | null };
  floor: { msgsPerMin: number; p99Ms: number | null };
}

interface Series {
  label: string;
  color: string;
  values: Array<{ x: number; y: number | null }>;
}

interface Panel {
  title: string;
  unit: string;
  series: Series[];
}

const PANEL = { width: 380, height: 300, left: 64, right: 16, top: 48, bottom: 44 };
const COLORS = { concierge: '#2563eb', floor: '#ea580c' };

export function renderChart(points: readonly ChartPoint[], subtitle: string): string {
  const series = (pick: (point: ChartPoint['concierge']) => number | null): Series[] => [
    { label: 'Concierge', color: COLORS.concierge, values: points.map((point) => ({ x: point.concurrency, y: pick(point.concierge) })) },
    { label: 'floor (minimal design)', color: COLORS.floor, values: points.map((point) => ({ x: point.concurrency, y: pick(point.floor) })) },
  ];
  const panels: Panel[] = [
    { title: 'Throughput', unit: 'messages / min', series: series((design) => design.msgsPerMin) },
    { title: 'Reply latency p99', unit: 'ms', series: series((design) => design.p99Ms) },
  ];
  const width = PANEL.width * panels.length;
  const height = PANEL.height + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...panels.map((panel, index) => `<g transform="translate(${index * PANEL.width},0)">${renderPanel(panel)}</g>`),
    `<text x="${width / 2}" y="${height - 6}" text-anchor="middle" fill="#6b7280" font-size="11">${escape(subtitle)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function renderPanel(panel: Panel): string {
  const plotWidth = PANEL.width - PANEL.left - PANEL.right;
  const plotHeight = PANEL.height - PANEL.top - PANEL.bottom;
  const xs = [...new Set(panel.series.flatMap((line) => line.values.map((value) => value.x)))].sort((a, b) => a - b);
  const ys = panel.series.flatMap((line) => line.values.map((value) => value.y)).filter((y): y is number => y !== null);
  const yStep = niceCeiling(Math.max(1, ...ys) / 4);
  const yTicks = Math.ceil(Math.max(1, ...ys) / yStep);
  const yMax = yStep * yTicks;
  // Concurrency levels grow by factors (10, 50, 200): a log axis spaces them evenly enough.
  const [xMin, xMax] = [Math.log(xs[0] ?? 1), Math.log(xs[xs.length - 1] ?? 1)];
  // Inset, so that the first and last points are not cut by the axes.
  const inset = 20;
  const xAt = (x: number) =>
    PANEL.left + (xMax === xMin ? plotWidth / 2 : inset + ((Math.log(x) - xMin) / (xMax - xMin)) * (plotWidth - 2 * inset));
  const yAt = (y: number) => PANEL.top + plotHeight - (y / yMax) * plotHeight;

  const parts: string[] = [
    `<text x="${PANEL.left}" y="18" font-size="14" font-weight="bold" fill="#111827">${escape(panel.title)}</text>`,
    `<text x="${PANEL.left}" y="34" fill="#6b7280">${escape(panel.unit)}</text>`,
  ];
  for (let tick = 0; tick <= yTicks; tick++) {
    const value = yStep * tick;
    const y = yAt(value);
    parts.push(`<line x1="${PANEL.left}" x2="${PANEL.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${PANEL.left - 6}" y="${y + 4}" text-anchor="end" fill="#374151">${formatNumber(value)}</text>`);
  }
  for (const x of xs) {
    parts.push(`<text x="${xAt(x)}" y="${PANEL.top + plotHeight + 16}" text-anchor="middle" fill="#374151">${x}</text>`);
  }
  parts.push(
    `<text x="${PANEL.left + plotWidth / 2}" y="${PANEL.top + plotHeight + 34}" text-anchor="middle" fill="#6b7280">concurrent customers</text>`,
    `<line x1="${PANEL.left}" x2="${PANEL.left}" y1="${PANEL.top}" y2="${PANEL.top + plotHeight}" stroke="#9ca3af"/>`,
    `<line x1="${PANEL.left}" x2="${PANEL.left + plotWidth}" y1="${PANEL.top + plotHeight}" y2="${PANEL.top + plotHeight}" stroke="#9ca3af"/>`,
  );
  panel.series.forEach((line, index) => {
    const known = line.values.filter((value): value is { x: number; y: number } => value.y !== null);
    const path = known.map((value, i) => `${i === 0 ? 'M' : 'L'}${xAt(value.x).toFixed(1)},${yAt(value.y).toFixed(1)}`).join(' ');
    if (known.length > 1) parts.push(`<path d="${path}" fill="none" stroke="${line.color}" stroke-width="2"/>`);
    for (const value of known) {
      parts.push(`<circle cx="${xAt(value.x).toFixed(1)}" cy="${yAt(value.y).toFixed(1)}" r="3.5" fill="${line.color}"/>`);
    }
    // Legend, top right of the panel.
    const legendY = 14 + index * 16;
    const legendX = PANEL.left + plotWidth - 150;
    parts.push(`<rect x="${legendX}" y="${legendY - 8}" width="10" height="10" fill="${line.color}"/>`);
    parts.push(`<text x="${legendX + 16}" y="${legendY + 1}" fill="#374151">${escape(line.label)}</text>`);
  });
  return parts.join('\n');
}

/** 1, 2 or 5 times a power of ten, at least `value`: round numbers on the axis. */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value) ?? 10 * power);
}

function formatNumber(value: number): string {
  return value >= 1000 ? `${Math.round(value / 100) / 10}k` : String(Math.round(value * 10) / 10);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The chart of a run as a self-contained SVG: mean and smallest table fill (left axis, nodes) and
 * lookup recall (right axis, 0 to 1) over virtual time. No script, no external reference.
 * @module
 */
import type { SimResult } from './run.ts';

const WIDTH = 800;
const HEIGHT = 432;
const MARGIN = { left: 60, right: 60, top: 52, bottom: 50 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const TICKS = 5;

/** The series of the chart, by the `data-series` attribute of their group. */
export const CHART_SERIES = ['table-fill', 'table-fill-min', 'recall'] as const;

/** Renders `result` as an SVG document. */
export function renderChart(result: SimResult): string {
  const { options, samples, recall } = result;
  const maxSeconds = options.durationMs / 1000;
  const maxFill = niceCeiling(Math.max(1, ...samples.map((s) => s.meanFill)));
  const x = (ms: number): number => MARGIN.left + (ms / 1000 / maxSeconds) * PLOT_W;
  const yFill = (v: number): number => MARGIN.top + PLOT_H - (v / maxFill) * PLOT_H;
  const yRecall = (v: number): number => MARGIN.top + PLOT_H - v * PLOT_H;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title(result))}</title>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title(result))}</text>`,
    ...axes(maxSeconds, maxFill),
    series(
      'table-fill',
      '#1f77b4',
      samples.map((s) => [x(s.atMs), yFill(s.meanFill)]),
      false,
    ),
    series(
      'table-fill-min',
      '#9ecae1',
      samples.map((s) => [x(s.atMs), yFill(s.minFill)]),
      false,
      '4 3',
    ),
    series(
      'recall',
      '#ff7f0e',
      recall.map((r) => [x(r.atMs), yRecall(r.recall)]),
      true,
    ),
    ...legend(),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function title(result: SimResult): string {
  const o = result.options;
  return `discv4 simulation: ${o.nodes} nodes, ${o.durationMs / 1000} s virtual, seed ${o.seed}`;
}

function axes(maxSeconds: number, maxFill: number): string[] {
  const bottom = MARGIN.top + PLOT_H;
  const right = MARGIN.left + PLOT_W;
  const out = [
    `<g data-axes="true" stroke="#333" fill="none">`,
    `<line x1="${MARGIN.left}" y1="${bottom}" x2="${right}" y2="${bottom}"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${bottom}"/>`,
    `<line x1="${right}" y1="${MARGIN.top}" x2="${right}" y2="${bottom}"/>`,
    '</g>',
    `<g fill="#333">`,
  ];
  for (let i = 0; i <= TICKS; i++) {
    const f = i / TICKS;
    const tx = MARGIN.left + f * PLOT_W;
    const ty = bottom - f * PLOT_H;
    out.push(
      `<text x="${fmt(tx)}" y="${bottom + 18}" text-anchor="middle">${fmt(f * maxSeconds)}</text>`,
      `<text x="${MARGIN.left - 6}" y="${fmt(ty + 4)}" text-anchor="end">${fmt(f * maxFill)}</text>`,
      `<text x="${right + 6}" y="${fmt(ty + 4)}">${fmt(f)}</text>`,
      `<line x1="${MARGIN.left}" y1="${fmt(ty)}" x2="${right}" y2="${fmt(ty)}" stroke="#eee"/>`,
    );
  }
  out.push(
    `<text x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 12}" text-anchor="middle">virtual time (s)</text>`,
    `<text x="16" y="${MARGIN.top + PLOT_H / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + PLOT_H / 2})">table fill (nodes)</text>`,
    `<text x="${WIDTH - 14}" y="${MARGIN.top + PLOT_H / 2}" text-anchor="middle" transform="rotate(90 ${WIDTH - 14} ${MARGIN.top + PLOT_H / 2})">lookup recall</text>`,
    '</g>',
  );
  return out;
}

function series(
  name: string,
  color: string,
  points: readonly (readonly [number, number])[],
  dots: boolean,
  dash?: string,
): string {
  const coords = points.map(([px, py]) => `${fmt(px)},${fmt(py)}`).join(' ');
  const dashAttr = dash === undefined ? '' : ` stroke-dasharray="${dash}"`;
  const lines = [
    `<g data-series="${name}" data-points="${points.length}">`,
    `<polyline fill="none" stroke="${color}" stroke-width="2"${dashAttr} points="${coords}"/>`,
  ];
  if (dots) {
    for (const [px, py] of points) {
      lines.push(`<circle cx="${fmt(px)}" cy="${fmt(py)}" r="4" fill="${color}"/>`);
    }
  }
  lines.push('</g>');
  return lines.join('\n');
}

function legend(): string[] {
  const entries = [
    ['#1f77b4', 'mean table fill'],
    ['#9ecae1', 'smallest table'],
    ['#ff7f0e', 'lookup recall (right axis)'],
  ] as const;
  return entries.map(
    ([color, label], i) =>
      `<g transform="translate(${MARGIN.left + 10 + i * 200} ${MARGIN.top - 10})"><rect width="14" height="4" y="-4" fill="${color}"/><text x="20" y="0">${label}</text></g>`,
  );
}

/** A round number at or above `v`: 1, 2 or 5 times a power of ten. */
function niceCeiling(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 5, 10]) if (step * power >= v) return step * power;
  return 10 * power;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/\.?0+$/, '');
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

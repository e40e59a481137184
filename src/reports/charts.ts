/**
 * Trend charts as PNG: SVG drawn here, rendered by resvg (its binary ships inside the npm package) with the CJK
 * font from fonts.ts. No browser, no canvas, nothing downloaded.
 */
import { createRequire } from 'node:module';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { CJK_FONT_FAMILY, cjkFontPath } from './fonts.js';
import { formatRate } from '../domain/rates.js';

export const CHART_WIDTH = 900;
export const CHART_HEIGHT = 500;
const M = { top: 70, right: 80, bottom: 70, left: 80 };
const COLORS = ['#1f6fb2', '#d9822b', '#2e9e5b', '#b23b3b', '#7a4eb2'];

// The renderer (a native module) is loaded by the first chart, not at start.
const require = createRequire(import.meta.url);
let Resvg: typeof ResvgClass | undefined;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderPng(svg: string): Buffer {
  Resvg ??= (require('@resvg/resvg-js') as typeof import('@resvg/resvg-js')).Resvg;
  const r = new Resvg(svg, {
    font: { fontFiles: [cjkFontPath(400), cjkFontPath(700)], loadSystemFonts: false, defaultFontFamily: CJK_FONT_FAMILY },
    background: 'white',
  });
  return Buffer.from(r.render().asPng());
}

function frame(title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" font-family="${CJK_FONT_FAMILY}">
<rect width="100%" height="100%" fill="white"/>
<text x="${CHART_WIDTH / 2}" y="36" text-anchor="middle" font-size="22" font-weight="700">${esc(title)}</text>
${body}
</svg>`;
}

export interface LineSeries {
  name: string;
  values: (number | null)[];
  /** 'rate' on the left axis (0–100%), 'count' on the right. */
  unit: 'rate' | 'count';
}

/** Lines over labelled points (e.g. weeks): rates on the left axis, counts on the right. */
export function lineChartSvg(title: string, labels: string[], series: LineSeries[], rateFloor = 0.8): string {
  const w = CHART_WIDTH - M.left - M.right;
  const h = CHART_HEIGHT - M.top - M.bottom;
  const x = (i: number) => M.left + (labels.length <= 1 ? w / 2 : (i * w) / (labels.length - 1));
  const rateMin = Math.min(rateFloor, ...series.filter((s) => s.unit === 'rate').flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const yRate = (v: number) => M.top + h - ((v - rateMin) / (1 - rateMin || 1)) * h;
  const countMax = Math.max(4, ...series.filter((s) => s.unit === 'count').flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const yCount = (v: number) => M.top + h - (v / countMax) * h;
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = rateMin + ((1 - rateMin) * k) / 4;
    const y = yRate(v);
    parts.push(
      `<line x1="${M.left}" y1="${y}" x2="${M.left + w}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${M.left - 8}" y="${y + 5}" text-anchor="end" font-size="13">${formatRate(v)}</text>`,
    );
    parts.push(`<text x="${M.left + w + 8}" y="${yCount((countMax * k) / 4) + 5}" font-size="13">${Math.round((countMax * k) / 4)}</text>`);
  }
  const step = Math.max(1, Math.ceil(labels.length / 12));
  labels.forEach((l, i) => i % step === 0 && parts.push(`<text x="${x(i)}" y="${M.top + h + 24}" text-anchor="middle" font-size="13">${esc(l)}</text>`));
  series.forEach((s, si) => {
    const color = COLORS[si % COLORS.length]!;
    const y = s.unit === 'rate' ? yRate : yCount;
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`));
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) parts.push(`<polyline points="${run.join(' ')}" fill="none" stroke="${color}" stroke-width="3"/>`);
      run = [];
    };
    pts.forEach((p) => (p ? run.push(p) : flush()));
    flush();
    pts.forEach((p) => p && parts.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="4" fill="${color}"/>`));
    parts.push(
      `<rect x="${M.left + si * 220}" y="${CHART_HEIGHT - 28}" width="14" height="14" fill="${color}"/>`,
      `<text x="${M.left + si * 220 + 20}" y="${CHART_HEIGHT - 16}" font-size="14">${esc(s.name)}</text>`,
    );
  });
  return frame(title, parts.join('\n'));
}

export interface BarGroup {
  label: string;
  bars: { name: string; value: number | undefined }[];
}

/** Grouped bars of rates with dashed target lines (e.g. each school's dropout rate per stage against its limit). */
export function barChartSvg(title: string, groups: BarGroup[], targets: { name: string; value: number }[]): string {
  const w = CHART_WIDTH - M.left - M.right;
  const h = CHART_HEIGHT - M.top - M.bottom;
  const max = Math.max(0.01, ...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0)), ...targets.map((t) => t.value)) * 1.25;
  const y = (v: number) => M.top + h - (v / max) * h;
  const names = [...new Set(groups.flatMap((g) => g.bars.map((b) => b.name)))];
  const gw = w / Math.max(1, groups.length);
  const bw = Math.min(60, (gw * 0.7) / Math.max(1, names.length));
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(
      `<line x1="${M.left}" y1="${y(v)}" x2="${M.left + w}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${M.left - 8}" y="${y(v) + 5}" text-anchor="end" font-size="13">${formatRate(v)}</text>`,
    );
  }
  groups.forEach((g, gi) => {
    const x0 = M.left + gi * gw + (gw - bw * names.length) / 2;
    g.bars.forEach((b) => {
      const ni = names.indexOf(b.name);
      if (b.value === undefined) return;
      parts.push(`<rect x="${x0 + ni * bw}" y="${y(b.value)}" width="${bw - 4}" height="${M.top + h - y(b.value)}" fill="${COLORS[ni % COLORS.length]}"/>`);
      parts.push(`<text x="${x0 + ni * bw + (bw - 4) / 2}" y="${y(b.value) - 6}" text-anchor="middle" font-size="12">${formatRate(b.value)}</text>`);
    });
    parts.push(`<text x="${M.left + gi * gw + gw / 2}" y="${M.top + h + 24}" text-anchor="middle" font-size="13">${esc(g.label)}</text>`);
  });
  targets.forEach((t, ti) => {
    parts.push(
      `<line x1="${M.left}" y1="${y(t.value)}" x2="${M.left + w}" y2="${y(t.value)}" stroke="${COLORS[ti % COLORS.length]}" stroke-dasharray="8 6" stroke-width="2"/>`,
    );
    parts.push(`<text x="${M.left + w + 4}" y="${y(t.value) + 4}" font-size="12">${esc(t.name)}</text>`);
  });
  names.forEach((n, ni) =>
    parts.push(
      `<rect x="${M.left + ni * 200}" y="${CHART_HEIGHT - 28}" width="14" height="14" fill="${COLORS[ni % COLORS.length]}"/>`,
      `<text x="${M.left + ni * 200 + 20}" y="${CHART_HEIGHT - 16}" font-size="14">${esc(n)}</text>`,
    ),
  );
  return frame(title, parts.join('\n'));
}

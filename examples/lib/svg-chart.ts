// A dependency-free SVG line chart: one small panel per series group.

export interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly number[];
  readonly dashed?: boolean;
}

export interface Panel {
  readonly title: string;
  readonly series: readonly Series[];
}

const esc = (s: string): string => s.replace(/[<>&"]/gu, (c) => `&#${c.charCodeAt(0)};`);

/** Panels stacked in a grid of `columns`, each with its own y scale (MB). */
export function svgChart(title: string, panels: readonly Panel[], columns = 2): string {
  const w = 420;
  const h = 170;
  const pad = { l: 52, r: 12, t: 26, b: 22 };
  const rows = Math.ceil(panels.length / columns);
  const width = columns * w;
  const height = rows * h + 40;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
  ];
  panels.forEach((panel, i) => {
    const x0 = (i % columns) * w;
    const y0 = 40 + Math.floor(i / columns) * h;
    const all = panel.series.flatMap((s) => s.points);
    const max = Math.max(1, ...all);
    const n = Math.max(2, ...panel.series.map((s) => s.points.length));
    const px = (k: number): number => x0 + pad.l + ((w - pad.l - pad.r) * k) / (n - 1);
    const py = (v: number): number => y0 + h - pad.b - ((h - pad.t - pad.b) * v) / max;
    parts.push(`<text x="${x0 + pad.l}" y="${y0 + 14}" font-size="12">${esc(panel.title)}</text>`);
    parts.push(`<line x1="${px(0)}" y1="${py(0)}" x2="${px(n - 1)}" y2="${py(0)}" stroke="#999"/>`);
    parts.push(`<text x="${x0 + pad.l - 4}" y="${py(max) + 4}" text-anchor="end">${Math.round(max)}</text>`);
    parts.push(`<text x="${x0 + pad.l - 4}" y="${py(0) + 4}" text-anchor="end">0</text>`);
    panel.series.forEach((s, j) => {
      const pts = s.points.map((v, k) => `${px(k).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
      parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed === true ? ' stroke-dasharray="5,3"' : ''} points="${pts}"/>`);
      parts.push(`<text x="${x0 + w - pad.r}" y="${y0 + 14 + 12 * j}" text-anchor="end" fill="${s.color}">${esc(s.label)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

// An SVG line chart of generation time against spec size (operations, log scale), per generator.
import { GENERATORS } from "./generators.js";
import type { ScaleRow } from "./scale.js";

const WIDTH = 640;
const HEIGHT = 360;
const PAD = { left: 56, right: 170, top: 28, bottom: 44 };
const COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd"];

const esc = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

export function generationChart(rows: readonly ScaleRow[], caption: string): string {
  const ops = rows.map((row) => row.spec.operations);
  const seconds = rows.flatMap((row) => Object.values(row.contestants).map((s) => s.median / 1000));
  const maxY = Math.ceil(Math.max(1, ...seconds));
  const [minX, maxX] = [Math.log10(Math.min(...ops)), Math.log10(Math.max(...ops))];
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (n: number) =>
    Math.round(10 * (PAD.left + ((Math.log10(n) - minX) / (maxX - minX || 1)) * plotW)) / 10;
  const y = (s: number) => Math.round(10 * (PAD.top + plotH - (s / maxY) * plotH)) / 10;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    `<title id="title">Generation wall time against spec size: ${esc(GENERATORS.join(", "))}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${PAD.left}" y="16" font-weight="bold">Generation wall time against spec size</text>`,
  ];
  const step = maxY <= 6 ? 1 : 2;
  for (let s = 0; s <= maxY; s += step) {
    parts.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(s)}" y2="${y(s)}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 6}" y="${y(s) + 4}" text-anchor="end">${s} s</text>`,
    );
  }
  for (const n of ops) {
    parts.push(
      `<line x1="${x(n)}" x2="${x(n)}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#eee"/>`,
      `<text x="${x(n)}" y="${PAD.top + plotH + 16}" text-anchor="middle">${n}</text>`,
    );
  }
  parts.push(
    `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 8}" text-anchor="middle">operations in the spec (log scale); ${esc(caption)}</text>`,
  );
  GENERATORS.forEach((generator, i) => {
    const color = COLORS[i % COLORS.length];
    const points = rows.flatMap((row) => {
      const s = row.contestants[generator];
      return s === undefined ? [] : [[x(row.spec.operations), y(s.median / 1000)] as const];
    });
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")}"/>`,
      ...points.map(
        ([px, py]) => `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${color}"/>`,
      ),
      `<line x1="${WIDTH - PAD.right + 14}" x2="${WIDTH - PAD.right + 34}" y1="${PAD.top + 10 + i * 20}" y2="${PAD.top + 10 + i * 20}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${WIDTH - PAD.right + 40}" y="${PAD.top + 14 + i * 20}">${esc(generator)}</text>`,
    );
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

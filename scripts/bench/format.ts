// Number formatting shared by the table and the chart.
import type { Summary } from "./stats.js";

export function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

export function bytes(value: number): string {
  return `${value.toLocaleString("en-US")} B`;
}

export function ratio(value: number): string {
  return `${value.toFixed(2)}×`;
}

/** `median (min–max)` in ms or s. */
export function spread(s: Summary): string {
  return `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
}

export function us(s: Summary): string {
  return `${s.median.toFixed(0)} µs (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
}

// `npm test` wall time: minutes, so only behind `--with-tests`; results.json keeps the last value.
import { wallMs } from "./process-time.js";

export interface TestTimeResult {
  ms: number;
  date: string;
  load: number[];
}

export function measureTestTime(load: () => number[]): TestTimeResult {
  const before = load();
  const ms = wallMs("npm", ["test", "--silent"]);
  return { ms, date: new Date().toISOString(), load: before };
}

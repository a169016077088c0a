// Cyclical time encodings of the sample time (UTC): hour of day (fractional, minute resolution)
// and day of week (0 = Sunday), each as sin/cos so 23:59 sits next to 00:00.
const DAY_MS = 86_400_000;

export function calendarFeatures(timeMs: number): [hourSin: number, hourCos: number, dowSin: number, dowCos: number] {
  const hour = ((((timeMs % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS) * 24;
  const dow = new Date(timeMs).getUTCDay();
  const h = (2 * Math.PI * hour) / 24;
  const d = (2 * Math.PI * dow) / 7;
  return [Math.sin(h), Math.cos(h), Math.sin(d), Math.cos(d)];
}

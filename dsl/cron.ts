// Validation of 5-field cron expressions (minute hour day-of-month month day-of-week).

export interface CronError {
  message: string;
  /** Offsets into the cron string of the offending part. */
  start: number;
  end: number;
}

const MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** The value the first name stands for (JAN = 1, SUN = 0). */
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day-of-week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

/** The first problem in a cron expression, or undefined when it is valid. */
export function checkCron(cron: string): CronError | undefined {
  const trimmed = cron.trim();
  if (trimmed.startsWith('@')) {
    if (MACROS.includes(trimmed.toLowerCase())) return undefined;
    return { message: `unknown cron macro '${trimmed}' (expected one of ${MACROS.join(', ')})`, start: 0, end: cron.length };
  }
  const fields: Array<{ text: string; start: number }> = [];
  const re = /\S+/g;
  for (let m = re.exec(cron); m; m = re.exec(cron)) fields.push({ text: m[0], start: m.index });
  if (fields.length !== 5) {
    return { message: `cron expression must have 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`, start: 0, end: cron.length };
  }
  for (let i = 0; i < 5; i++) {
    const error = checkField(fields[i].text, FIELDS[i]);
    if (error) return { message: error.message, start: fields[i].start + error.start, end: fields[i].start + error.end };
  }
  return undefined;
}

function checkField(text: string, spec: FieldSpec): CronError | undefined {
  let offset = 0;
  for (const part of text.split(',')) {
    const error = checkPart(part, spec);
    if (error) return { message: error.message, start: offset + error.start, end: offset + error.end };
    offset += part.length + 1;
  }
  return undefined;
}

function checkPart(part: string, spec: FieldSpec): CronError | undefined {
  const whole = { start: 0, end: Math.max(part.length, 1) };
  if (part === '') return { message: `empty value in cron ${spec.name} field`, ...whole };
  const [range, step, extra] = part.split('/');
  if (extra !== undefined) return { message: `cron ${spec.name} '${part}' has more than one '/'`, ...whole };
  if (step !== undefined) {
    const stepStart = range.length + 1;
    if (!/^\d+$/.test(step) || Number(step) < 1) {
      return { message: `cron ${spec.name} step '${step}' must be a positive integer`, start: stepStart, end: part.length };
    }
  }
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2) return { message: `cron ${spec.name} range '${range}' is invalid`, ...whole };
  const values: number[] = [];
  let offset = 0;
  for (const bound of bounds) {
    const value = valueOf(bound, spec);
    if (typeof value === 'string') return { message: value, start: offset, end: offset + Math.max(bound.length, 1) };
    values.push(value);
    offset += bound.length + 1;
  }
  if (values.length === 2 && values[0] > values[1]) {
    return { message: `cron ${spec.name} range '${range}' goes backwards`, start: 0, end: range.length };
  }
  return undefined;
}

/** The numeric value of one cron atom, or an error message. */
function valueOf(atom: string, spec: FieldSpec): number | string {
  if (/^\d+$/.test(atom)) {
    const n = Number(atom);
    if (n < spec.min || n > spec.max) return `cron ${spec.name} value ${n} is out of range ${spec.min}-${spec.max}`;
    return n;
  }
  const index = spec.names?.indexOf(atom.toUpperCase()) ?? -1;
  if (index >= 0) return index + (spec.namesFrom ?? 0);
  const names = spec.names ? ` or a name (${spec.names[0]}-${spec.names[spec.names.length - 1]})` : '';
  return `invalid cron ${spec.name} value '${atom}' (expected a number ${spec.min}-${spec.max}${names}, '*', a range a-b or a step */n)`;
}

// IANA time zone validation with Intl (pure: no file or network access).
import { withSuggestion } from './suggest';

let zones: string[] | undefined;

function knownZones(): string[] {
  zones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC'];
  return zones;
}

/** An error message for an unknown zone, or undefined when Intl knows it (aliases included). */
export function checkTimezone(zone: string): string | undefined {
  if (knownZones().includes(zone)) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return undefined;
  } catch {
    return withSuggestion(`unknown time zone '${zone}'`, zone, knownZones());
  }
}

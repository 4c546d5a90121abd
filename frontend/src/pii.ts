// Words for personal data: what the review and table pages call entities,
// actions and regions.
import type { ColumnPII, Finding } from "./api";

// The entities an uploader can mark a column as, in words.
export const entityLabels: Record<string, string> = {
  email: "Email address", phone: "Phone number", person_name: "Person's name", street_address: "Street address",
  postcode: "Postcode", date_of_birth: "Date of birth", national_id: "National id or tax number", iban: "Bank account (IBAN)",
  credit_card: "Card number", ip_address: "IP address", free_text: "Free text with personal data inside", personal_data: "Other personal data",
};

// How far generalise can go, per entity.
export const levels: Record<string, [string, string][]> = {
  date_of_birth: [["year", "year only"], ["age_band", "ten-year age band"]],
  postcode: [["prefix", "outward part / first 3 digits"]],
  ip_address: [["network", "network (/24, /48)"]],
};

export const actionLabels: Record<string, string> = {
  hash: "hash", mask: "mask", redact: "redact inside the text", generalise: "generalise", drop: "drop", keep: "keep as it is",
};

// protects reports whether an action stores something other than the raw value.
export const protects = (a: string) => a === "hash" || a === "mask" || a === "redact" || a === "generalise";

export function regionName(code: string): string {
  if (code === "+") return "with a country code";
  try {
    return new Intl.DisplayNames(undefined, { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

// findingLabel names what a finding says a column holds.
export function findingLabel(f: Finding): string {
  let s = (entityLabels[f.entity] ?? f.entity.replace(/^custom:/, "")).toLowerCase();
  if (f.kind && f.entity === "national_id") s += ` (${f.kind})`;
  return (f.possible ? "possibly " : "") + s;
}

const done: Record<string, string> = { hash: "hashed", mask: "masked", redact: "redacted", generalise: "generalised", drop: "dropped", keep: "kept" };

// piiLabel says what a table column holds and what ingest did to it.
export function piiLabel(p: ColumnPII): string {
  const what = p.entity === "personal_data" || !p.entity ? "personal data" : (entityLabels[p.entity] ?? p.entity.replace(/^custom:/, "")).toLowerCase();
  const level = p.level ? ` (${(levels[p.entity]?.find(([l]) => l === p.level)?.[1] ?? p.level)})` : "";
  return `${what} · ${done[p.action] ?? p.action}${level}`;
}

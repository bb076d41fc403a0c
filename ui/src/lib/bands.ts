// A risk band's values in words, as the core's RiskBand::values writes them in the PDFs:
// "8–15", or "16" when the band holds one value only.
import type { RiskBand } from "./api";

export function bandValues(b: Pick<RiskBand, "min_value" | "max_value">): string {
  return b.min_value === b.max_value ? `${b.min_value}` : `${b.min_value}–${b.max_value}`;
}

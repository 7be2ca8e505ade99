/** Number formatting for the report tables. */

export const DASH = '—'

/** 1234567 → `1,234,567`. */
export function integer(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

/** A ratio to the baseline, `2.31×`; two significant decimals below 10. */
export function ratio(value: number): string {
  if (!Number.isFinite(value)) return DASH
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`
}

/** Milliseconds with a precision that suits the size: `0.412`, `5.20`, `12.3`, `1,204`. */
export function millis(value: number | undefined): string {
  if (value === undefined) return DASH
  if (value < 1) return value.toFixed(3)
  if (value < 10) return value.toFixed(2)
  if (value < 1000) return value.toFixed(1)
  return integer(value)
}

export function mebibytes(bytes: number | undefined): string {
  return bytes === undefined ? DASH : (bytes / 1024 / 1024).toFixed(1)
}

export function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? DASH : value.toFixed(digits)
}

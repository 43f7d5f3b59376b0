const formatters = new Map<string, Intl.NumberFormat>()

/** Cents to "$0.99". en-US is pinned so the text is stable whatever the device locale. */
export function formatPrice(cents: number, currency: string): string {
  let formatter = formatters.get(currency)
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency })
    formatters.set(currency, formatter)
  }
  return formatter.format(cents / 100)
}

/** System fonts only: the game must work offline and inside any host without web fonts. */
export const UI_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

export const BACKGROUND = '#0f1330'

/** Used until the shop has answered with the catalog's colours. */
export const DEFAULT_GEM_COLORS: readonly string[] = ['#3fb5ff', '#ffc83d', '#6ee07a', '#c77dff', '#ff6b6b']
